/**
 * Closing the COC client during a stop does not wait on a request COC never answers: the
 * request gets a short grace, then its socket is destroyed and it fails (its outcome was
 * already recorded by whoever cut it short). Without the grace, close() would wait as long as
 * the request's own timeout — here, forever.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolSet } from '../src/coc/transport/pools.js';

let server: Server;
let origin: string;
let arrived: () => void;
const requestArrived = new Promise<void>((resolve) => (arrived = resolve));

beforeAll(async () => {
  // Never answers.
  server = createServer(() => arrived());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('PoolSet.close', () => {
  it('destroys a request still hanging after the grace, instead of waiting for it', async () => {
    const pools = new PoolSet();
    const hanging = pools.for(origin).request({ method: 'POST', path: '/v1/job/scripts/x', body: '{}', headersTimeout: 0, bodyTimeout: 0 });
    const outcome = hanging.then(
      () => 'answered',
      (error: unknown) => (error as { code?: string }).code ?? 'failed',
    );
    await requestArrived;
    await pools.close(10);
    expect(await outcome).toBe('UND_ERR_DESTROYED');
    expect(() => pools.for(origin)).toThrow(/closed/);
  });
});
