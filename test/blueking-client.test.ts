/**
 * The ESB client's rules over real HTTP: reads retried after a 5xx, a 429 or a reset; a write sent
 * once, after its intent, whatever happens, its failure judged refused or unknown; ESB's
 * `result: false` a refusal with its code, message and request id; a time limit per call; the
 * app secret and a sensitive parameter never in an error, an error's detail or a call event.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../src/config/secret.js';
import {
  BackendInputError,
  BackendNotAuditedError,
  BackendRateLimitedError,
  BackendRefusedError,
  BackendUnavailableError,
  mayHaveActed,
  normalizeError,
} from '../src/backends/errors.js';
import type { BackendCallEvent, BackendOperation, WriteIntentResult } from '../src/backends/observe.js';
import { toBackendError } from '../src/backends/blueking/errors.js';
import { searchHost } from '../src/backends/blueking/esb/cc.js';
import { EsbClient, type EsbClientOptions } from '../src/backends/blueking/esb/client.js';
import { componentPath } from '../src/backends/blueking/esb/component.js';
import { EsbApiError, EsbHttpError, EsbNetworkError, EsbShapeError, EsbTimeoutError, EsbWriteNotAuditedError } from '../src/backends/blueking/esb/errors.js';
import { fastExecuteScript, getJobInstanceStatus, getOsAccount } from '../src/backends/blueking/esb/job.js';
import { EsbPeer, ok, PEER_APP_CODE, PEER_APP_SECRET, refused } from './blueking-fixture-peer.js';

const STATUS_PATH = componentPath(getJobInstanceStatus);
const HOST_PATH = componentPath(searchHost);
const EXECUTE_PATH = componentPath(fastExecuteScript);
const ACCOUNT_PATH = componentPath(getOsAccount);

const SENSITIVE_ARGS = 'db-password-77aa';
const EXECUTE = {
  bk_biz_id: 1,
  script_id: 7,
  script_param: Buffer.from(SENSITIVE_ARGS, 'utf8').toString('base64'),
  is_param_sensitive: 1 as const,
  ip_list: [{ bk_cloud_id: 0, ip: '10.0.0.1' }],
};
const STATUS_DATA = { is_finished: false, job_instance: { status: 2 }, blocks: [] };

let peer: EsbPeer;
let events: BackendCallEvent[];
let intents: { operation: BackendOperation; sentBefore: number; results: WriteIntentResult[] }[];

function clientWith(options: Partial<EsbClientOptions> = {}): EsbClient {
  return new EsbClient({
    endpoint: peer.url,
    appCode: PEER_APP_CODE,
    appSecret: new Secret(PEER_APP_SECRET),
    username: 'alice',
    sleep: async () => {},
    hooks: {
      onCall: (event) => events.push(event),
      beforeWrite: async (operation) => {
        const intent = { operation, sentBefore: peer.requests.length, results: [] as WriteIntentResult[] };
        intents.push(intent);
        return { complete: async (result) => void intent.results.push(result) };
      },
    },
    ...options,
  });
}

let client: EsbClient;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientWith();
});

afterAll(async () => {
  await client.close();
  await peer.close();
});

beforeEach(() => {
  peer.reset();
  events = [];
  intents = [];
});

async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('reads', () => {
  it('a GET is retried after a 5xx and then succeeds', async () => {
    peer.once(STATUS_PATH, { status: 503, body: 'Service Unavailable' });
    peer.answer(STATUS_PATH, ok(STATUS_DATA));
    const data = await client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 });
    expect(data.job_instance.status).toBe(2);
    expect(peer.to(STATUS_PATH)).toHaveLength(2);
    expect(events.map((e) => [e.attempt, e.outcome, e.status, e.willRetry])).toEqual([
      [1, 'api-error', 503, true],
      [2, 'ok', 200, false],
    ]);
    expect(events[0]).toMatchObject({ backend: 'blueking', method: 'GET', route: 'job/get_job_instance_status' });
  });

  it('a GET is retried after a reset connection', async () => {
    peer.once(STATUS_PATH, { reset: true });
    peer.answer(STATUS_PATH, ok(STATUS_DATA));
    await client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 });
    expect(peer.to(STATUS_PATH)).toHaveLength(2);
    expect(events[0]).toMatchObject({ outcome: 'network-error', willRetry: true });
  });

  it('a read ESB takes as POST (search_host) is retried too', async () => {
    peer.once(HOST_PATH, { status: 502, body: '<html>bad gateway</html>' });
    peer.answer(HOST_PATH, ok({ count: 0, info: [] }));
    const data = await client.call(searchHost, { bk_biz_id: 2 });
    expect(data.count).toBe(0);
    expect(peer.to(HOST_PATH).map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('gives up after its tries: the last 5xx is unavailable', async () => {
    peer.answer(STATUS_PATH, { status: 500, body: { result: false, code: 1306500, message: 'boom' } });
    const error = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 }));
    expect(error).toBeInstanceOf(EsbHttpError);
    expect(peer.to(STATUS_PATH)).toHaveLength(3);
    expect(toBackendError(error)).toBeInstanceOf(BackendUnavailableError);
    expect(toBackendError(error)?.detail.lost).toBe('status');
  });

  it('a 429 is retried and, when it stays, rate-limited', async () => {
    peer.answer(ACCOUNT_PATH, { status: 429, body: 'slow down' });
    const error = await failure(client.call(getOsAccount, { bk_biz_id: 1 }));
    expect(peer.to(ACCOUNT_PATH)).toHaveLength(3);
    expect(toBackendError(error)).toBeInstanceOf(BackendRateLimitedError);
  });

  it('result:false is refused with ESB code, message and request id, and not retried', async () => {
    peer.answer(STATUS_PATH, { body: { result: false, code: 1306201, message: 'job instance not exist', data: null, request_id: 'rq-77' } });
    const error = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 }));
    expect(error).toBeInstanceOf(EsbApiError);
    expect(error).toMatchObject({ code: '1306201', esbMessage: 'job instance not exist', requestId: 'rq-77', status: 200 });
    expect(peer.to(STATUS_PATH)).toHaveLength(1);
    const neutral = normalizeError(error);
    expect(neutral).toBeInstanceOf(BackendRefusedError);
    expect(neutral?.detail).toMatchObject({ code: '1306201', platformMessage: 'job instance not exist', requestId: 'rq-77' });
    expect(events).toEqual([expect.objectContaining({ outcome: 'api-error', errorCode: '1306201', requestId: 'rq-77', willRetry: false })]);
  });

  it('result:false without a code lost the answer: unavailable', async () => {
    peer.answer(STATUS_PATH, { body: { result: false, message: 'something' } });
    const error = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 }));
    expect(toBackendError(error)).toBeInstanceOf(BackendUnavailableError);
    expect(toBackendError(error)?.detail.lost).toBe('envelope');
  });

  it('result:true with unreadable data, or a body that is no envelope, is a shape error', async () => {
    peer.answer(STATUS_PATH, ok({ is_finished: 'perhaps' }));
    const shape = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 }));
    expect(shape).toBeInstanceOf(EsbShapeError);
    expect(toBackendError(shape)).toMatchObject({ kind: 'unavailable', mayHaveActed: false, detail: { lost: 'shape' } });
    peer.answer(STATUS_PATH, { body: { hello: 'world' } });
    const envelope = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 1, job_instance_id: 5 }));
    expect(envelope).toBeInstanceOf(EsbShapeError);
  });

  it('an input the component refuses is never sent', async () => {
    const error = await failure(client.call(getJobInstanceStatus, { bk_biz_id: 'one' as unknown as number, job_instance_id: 5 }));
    expect(toBackendError(error)).toBeInstanceOf(BackendInputError);
    expect(peer.requests).toHaveLength(0);
  });
});

describe('writes', () => {
  it('succeed once, after their intent, which is completed done', async () => {
    peer.answer(EXECUTE_PATH, ok({ job_instance_id: 10001, job_instance_name: 'x' }));
    const data = await client.call(fastExecuteScript, EXECUTE);
    expect(data.job_instance_id).toBe(10001);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.operation).toEqual({ backend: 'blueking', method: 'POST', route: 'job/fast_execute_script', write: true });
    expect(intents[0]!.sentBefore).toBe(0);
    expect(intents[0]!.results).toEqual([expect.objectContaining({ outcome: 'done', callOutcome: 'ok', status: 200 })]);
    expect(events).toEqual([expect.objectContaining({ route: 'job/fast_execute_script', intentRecorded: true, outcome: 'ok' })]);
  });

  it('a 5xx is not retried and may have acted', async () => {
    peer.answer(EXECUTE_PATH, { status: 503, body: 'Service Unavailable' });
    const error = await failure(client.call(fastExecuteScript, EXECUTE));
    expect(peer.to(EXECUTE_PATH)).toHaveLength(1);
    expect(mayHaveActed(error)).toBe(true);
    expect(toBackendError(error)).toMatchObject({ kind: 'unavailable', mayHaveActed: true });
    expect(intents[0]!.results).toEqual([expect.objectContaining({ outcome: 'unknown', status: 503 })]);
    expect(events).toEqual([expect.objectContaining({ attempt: 1, willRetry: false })]);
  });

  it('a reset is not retried and may have acted', async () => {
    peer.answer(EXECUTE_PATH, { reset: true });
    const error = await failure(client.call(fastExecuteScript, EXECUTE));
    expect(error).toBeInstanceOf(EsbNetworkError);
    expect((error as Error).cause).toBeUndefined();
    expect(peer.to(EXECUTE_PATH)).toHaveLength(1);
    expect(mayHaveActed(error)).toBe(true);
    expect(intents[0]!.results[0]!.outcome).toBe('unknown');
  });

  it('unreadable data after a write may have acted', async () => {
    peer.answer(EXECUTE_PATH, ok({ job_instance_name: 'no id' }));
    const error = await failure(client.call(fastExecuteScript, EXECUTE));
    expect(toBackendError(error)).toMatchObject({ kind: 'unavailable', mayHaveActed: true, detail: { lost: 'shape' } });
    expect(intents[0]!.results[0]!.outcome).toBe('unknown');
  });

  it('result:false with a code is refused: nothing acted', async () => {
    peer.answer(EXECUTE_PATH, refused(1306406, 'account root not allowed'));
    const error = await failure(client.call(fastExecuteScript, EXECUTE));
    expect(mayHaveActed(error)).toBe(false);
    expect(toBackendError(error)).toBeInstanceOf(BackendRefusedError);
    expect(intents[0]!.results[0]).toMatchObject({ outcome: 'refused', errorCode: '1306406', requestId: 'req-refused' });
  });

  it('is not sent when its intent cannot be recorded', async () => {
    const unaudited = clientWith({ hooks: { beforeWrite: async () => Promise.reject(new Error('audit store down')) } });
    const error = await failure(unaudited.call(fastExecuteScript, EXECUTE));
    expect(error).toBeInstanceOf(EsbWriteNotAuditedError);
    expect(toBackendError(error)).toBeInstanceOf(BackendNotAuditedError);
    expect(mayHaveActed(error)).toBe(false);
    expect(peer.requests).toHaveLength(0);
    await unaudited.close();
  });
});

describe('time limits', () => {
  let silent: Server;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('a call that gets no answer within its time limit times out; a write may have acted', async () => {
    const slow = new EsbClient({ endpoint: url, appCode: PEER_APP_CODE, appSecret: new Secret(PEER_APP_SECRET), username: 'alice', retries: 1, timeoutMs: 150 });
    const read = await failure(slow.call(getOsAccount, { bk_biz_id: 1 }));
    expect(read).toBeInstanceOf(EsbTimeoutError);
    expect(toBackendError(read)).toMatchObject({ kind: 'unavailable', mayHaveActed: false, detail: { lost: 'timeout', timeoutMs: 150 } });
    const write = await failure(slow.call(fastExecuteScript, EXECUTE, { timeoutMs: 100 }));
    expect(toBackendError(write)).toMatchObject({ kind: 'unavailable', mayHaveActed: true, detail: { lost: 'timeout', timeoutMs: 100 } });
    await slow.close();
  });
});

describe('secrets', () => {
  it('the app secret and a sensitive parameter line never reach an error, its detail or an event', async () => {
    const echo = `bad request: bk_app_secret=${PEER_APP_SECRET} script_param=${EXECUTE.script_param} (${SENSITIVE_ARGS})`;
    const leaks: unknown[] = [];
    peer.answer(EXECUTE_PATH, refused(1306000, echo));
    leaks.push(await failure(client.call(fastExecuteScript, EXECUTE)));
    peer.answer(EXECUTE_PATH, { status: 500, body: { result: false, code: 1, message: echo } });
    leaks.push(await failure(client.call(fastExecuteScript, EXECUTE)));
    peer.answer(ACCOUNT_PATH, { body: { result: false, code: 2, message: echo } });
    leaks.push(await failure(client.call(getOsAccount, { bk_biz_id: 1 })));
    peer.answer(ACCOUNT_PATH, { reset: true });
    leaks.push(await failure(client.call(getOsAccount, { bk_biz_id: 1 })));
    leaks.forEach((error, index) => {
      const neutral = toBackendError(error)!;
      const texts = [String(error), (error as Error).message, JSON.stringify(error), neutral.message, JSON.stringify(neutral.detail), JSON.stringify(neutral)];
      for (const text of texts) {
        expect(text).not.toContain(PEER_APP_SECRET);
        // The parameter line is the executions' secret (the reads above send none).
        if (index < 2) expect(text).not.toContain(EXECUTE.script_param);
        if (index < 2) expect(text).not.toContain(SENSITIVE_ARGS);
      }
    });
    expect((leaks[0] as EsbApiError).esbMessage).toContain('***');
    const seen = JSON.stringify([events, intents]);
    expect(seen).not.toContain(PEER_APP_SECRET);
    expect(seen).not.toContain(SENSITIVE_ARGS);
  });

  it('the app secret travels as the reference says: a GET query parameter, a POST body field', async () => {
    peer.answer(ACCOUNT_PATH, ok([]));
    peer.answer(EXECUTE_PATH, ok({ job_instance_id: 1 }));
    await client.call(getOsAccount, { bk_biz_id: 1 });
    await client.call(fastExecuteScript, EXECUTE);
    expect(peer.to(ACCOUNT_PATH)[0]!.fields).toMatchObject({ bk_app_code: PEER_APP_CODE, bk_app_secret: PEER_APP_SECRET, bk_username: 'alice', bk_biz_id: '1' });
    expect(peer.to(EXECUTE_PATH)[0]!.fields).toMatchObject({ bk_app_code: PEER_APP_CODE, bk_app_secret: PEER_APP_SECRET, bk_username: 'alice', bk_biz_id: 1 });
  });

  it('a client for another user shares the app and says the other user', async () => {
    peer.answer(ACCOUNT_PATH, ok([]));
    await client.as('bob').call(getOsAccount, { bk_biz_id: 1 });
    expect(peer.to(ACCOUNT_PATH)[0]!.fields['bk_username']).toBe('bob');
  });
});
