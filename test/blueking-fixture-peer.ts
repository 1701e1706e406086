/**
 * A local ESB peer for the BlueKing component and group tests: a real HTTP server on 127.0.0.1
 * (port 0) that records every request (method, path, fields) and answers each path with what the
 * test set, by default the reference's own example (test/fixtures/blueking/<component>.json).
 *
 * Fixture files: `{component, method, path, source, source_lines, repairs, notes?, body}`; `body`
 * is the example as the reference prints it, with each change needed to make it JSON listed in
 * `repairs` (the PDF dump drops lines holding only brackets, wraps long strings, loses underscores).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Secret } from '../src/config/secret.js';
import { EsbClient } from '../src/backends/blueking/esb/client.js';

export const PEER_APP_CODE = 'chatops-test';
export const PEER_APP_SECRET = 'app-secret-3f9c1d';

export interface ReferenceFixture {
  readonly component: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly source: string;
  readonly repairs: readonly string[];
  readonly body: Record<string, unknown>;
}

export function fixture(name: string): ReferenceFixture {
  const file = fileURLToPath(new URL(`./fixtures/blueking/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as ReferenceFixture;
}

/** The example's `data`, for comparing what a component parsed. */
export function exampleData(name: string): unknown {
  return fixture(name).body['data'];
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  /** GET: the query parameters (text); POST: the JSON body. */
  readonly fields: Record<string, unknown>;
}

export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  /** Close the socket without answering. */
  readonly reset?: boolean;
}

type Answer = Reply | ((request: SeenRequest) => Reply);

export class EsbPeer {
  readonly requests: SeenRequest[] = [];
  readonly #answers = new Map<string, Answer>();
  readonly #once = new Map<string, Answer[]>();
  readonly #server = createServer((request, response) => void this.#handle(request, response));
  url = '';

  static async start(): Promise<EsbPeer> {
    const peer = new EsbPeer();
    await new Promise<void>((resolve) => peer.#server.listen(0, '127.0.0.1', resolve));
    peer.url = `http://127.0.0.1:${(peer.#server.address() as AddressInfo).port}`;
    return peer;
  }

  /** Answers `path` with `answer` from now on. */
  answer(path: string, answer: Answer): void {
    this.#answers.set(path, answer);
  }

  /** Answers the next request to `path` with `answer`, then falls back. */
  once(path: string, answer: Answer): void {
    this.#once.set(path, [...(this.#once.get(path) ?? []), answer]);
  }

  /** Answers `path` with the reference's example for it. */
  serveExample(name: string): ReferenceFixture {
    const example = fixture(name);
    this.answer(example.path, { body: example.body });
    return example;
  }

  reset(): void {
    this.requests.length = 0;
    this.#answers.clear();
    this.#once.clear();
  }

  to(path: string): SeenRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://peer');
    const raw = Buffer.concat(chunks).toString('utf8');
    const fields = request.method === 'GET' ? Object.fromEntries(url.searchParams) : raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const seen: SeenRequest = { method: request.method ?? '', path: url.pathname, fields };
    this.requests.push(seen);
    const queued = this.#once.get(url.pathname);
    const answer = queued?.shift() ?? this.#answers.get(url.pathname) ?? { status: 404, body: { result: false, code: 1306404, message: 'no such component', data: null } };
    const reply = typeof answer === 'function' ? answer(seen) : answer;
    if (reply.reset) {
      request.socket.destroy();
      return;
    }
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body ?? { result: true, code: 0, message: 'OK', data: null }));
  }
}

/** An ESB client of the peer acting as `username`, waiting nothing between tries. */
export function clientOf(peer: EsbPeer, username = 'alice'): EsbClient {
  return new EsbClient({
    endpoint: peer.url,
    appCode: PEER_APP_CODE,
    appSecret: new Secret(PEER_APP_SECRET),
    username,
    timeoutMs: 10_000,
    sleep: async () => {},
  });
}

/** ESB's envelope around `data`. */
export function ok(data: unknown): Reply {
  return { body: { result: true, code: 0, message: 'OK', data, request_id: 'req-ok' } };
}

/** ESB's refusal. */
export function refused(code: number, message: string): Reply {
  return { body: { result: false, code, message, data: null, request_id: 'req-refused' } };
}
