/**
 * A local HTTP peer for the COC client tests: real sockets on 127.0.0.1 (port 0), every
 * request recorded, the answer decided per test.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CocClient, type CocAuth, type CocClientOptions } from '../src/coc/index.js';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Header names exactly as sent, for "sent once" checks. */
  readonly rawHeaderNames: readonly string[];
  readonly body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startTestServer(initial?: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let handler: Handler = initial ?? ((_, response) => json(response, 404, { error_code: 'TEST.404', error_msg: 'no handler' }));
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const request: RecordedRequest = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        rawHeaderNames: raw.rawHeaders.filter((_, index) => index % 2 === 0),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      Promise.resolve(handler(request, response, raw)).catch((error: unknown) => {
        if (!response.headersSent) json(response, 599, { error_code: 'TEST.ERR', error_msg: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

export const TEST_AK = 'TESTAKAAAAAAAAAAAAAA';
export const TEST_SK = 'TestSecretKey-0123456789-abcdefghijklmnop';

export const AKSK_AUTH: CocAuth = { kind: 'aksk', ak: TEST_AK, sk: TEST_SK, projectId: 'proj-0001' };

/** A client for `server` that never really waits between retries. */
export function testClient(server: TestServer, options: Partial<CocClientOptions> = {}): CocClient {
  return new CocClient({
    endpoint: server.url,
    auth: AKSK_AUTH,
    timeoutMs: 2_000,
    sleep: async () => undefined,
    ...options,
  });
}

/** A valid execute body: `hosts` hosts split into batches of up to 10. */
export function executeBody(hosts = 2, extra: { params?: { param_name: string; param_value: string }[] } = {}) {
  const targets = Array.from({ length: hosts }, (_, index) => ({ resource_id: `ecs-${index}`, region_id: 'cn-north-4' }));
  const batches = [];
  for (let start = 0; start < targets.length; start += 10) {
    batches.push({ batch_index: batches.length + 1, rotation_strategy: 'CONTINUE' as const, target_instances: targets.slice(start, start + 10) });
  }
  return {
    execute_param: { timeout: 300, success_rate: 100, execute_user: 'root', ...(extra.params ? { script_params: extra.params } : {}) },
    execute_batches: batches,
  };
}
