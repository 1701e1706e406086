/**
 * Posts to interactions' response_urls (the answers to commands and clicks) over kept-alive
 * connections. Bolt's own `respond()` goes through the global fetch and leaves each answer's
 * body unread, so under a burst a connection is not reused until the garbage collector frees
 * it and many answers open new connections; here each answer's body is read (it is a short
 * "ok") and the connection goes back to the pool at once. Same contract as Bolt's: a string is
 * `{ text }`, a status other than 2xx throws (an expired or used-up response_url).
 */
import type { RespondArguments } from '@slack/bolt';
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'undici';

export class ResponseUrlRefused extends Error {
  override readonly name = 'ResponseUrlRefused';
  constructor(readonly status: number) {
    super(`Failed to respond to the response_url: HTTP ${status}`);
  }
}

export interface ResponseUrlPosterOptions {
  /** Whole-request limit, as the Web API client's (a post may run up to SHARED_DEADLINE_MS longer). */
  readonly timeoutMs: number;
}

/** Posts begun within this long of each other share one deadline signal. */
export const SHARED_DEADLINE_MS = 1_000;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** An answer with blocks as it was sent, kept for the next one with the same blocks. */
interface SentBody {
  readonly blocks: unknown;
  readonly text: unknown;
  readonly responseType: unknown;
  readonly replaceOriginal: unknown;
  readonly body: Buffer;
}

/** Answers kept as sent: a few cards looked at by many people at once. */
const SENT_BODIES = 8;

export class ResponseUrlPoster {
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  #deadline: { readonly signal: AbortSignal; readonly since: number } | undefined;
  /** Most recent first. */
  #sent: SentBody[] = [];

  constructor(options: ResponseUrlPosterOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  /** The `respond` of one interaction. */
  to(responseUrl: string): (message: RespondArguments | string) => Promise<void> {
    return async (message) => {
      const body = typeof message === 'string' ? JSON.stringify({ text: message }) : this.#bodyOf(message);
      const response = await request(responseUrl, {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
        dispatcher: this.#agent,
        signal: this.#signal(),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new ResponseUrlRefused(response.statusCode);
    };
  }

  /**
   * The JSON of an answer. A card many people look at at once (one order during an incident) is
   * rendered once and its blocks shared (render.ts: never changed in place), so an answer of just
   * those blocks, text, response type and replace flag is sent as the bytes made for the last
   * one like it — instead of a JSON text of a few KB and its bytes again for every person.
   */
  #bodyOf(message: RespondArguments): string | Buffer {
    const { blocks, text, response_type: responseType, replace_original: replaceOriginal } = message as Readonly<Record<string, unknown>>;
    if (!Array.isArray(blocks) || !hasOnlyKeys(message, ['blocks', 'text', 'response_type', 'replace_original'])) return JSON.stringify(message);
    const sent = this.#sent.find((kept) => kept.blocks === blocks && kept.text === text && kept.responseType === responseType && kept.replaceOriginal === replaceOriginal);
    if (sent) return sent.body;
    const body = Buffer.from(JSON.stringify(message));
    this.#sent = [{ blocks, text, responseType, replaceOriginal, body }, ...this.#sent.slice(0, SENT_BODIES - 1)];
    return body;
  }

  /**
   * The whole-request limit: one timed signal for all the posts begun within SHARED_DEADLINE_MS,
   * lasting that much longer than the limit, so each post still gets at least `timeoutMs` —
   * instead of a signal and a timer of its own for every answer (a burst posts hundreds a second).
   */
  #signal(): AbortSignal {
    const now = performance.now();
    if (this.#deadline === undefined || now - this.#deadline.since >= SHARED_DEADLINE_MS) {
      const signal = AbortSignal.timeout(this.#timeoutMs + SHARED_DEADLINE_MS);
      // Every post of that second listens to it until it ends: many at once is expected, not a leak.
      setMaxListeners(0, signal);
      this.#deadline = { signal, since: now };
    }
    return this.#deadline.signal;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** Whether `value`'s own enumerable keys are among `keys` (an answer with anything else is sent as it is). */
function hasOnlyKeys(value: object, keys: readonly string[]): boolean {
  for (const key in value) if (!keys.includes(key)) return false;
  return true;
}
