/**
 * Posts to interactions' response_urls (the answers to commands and clicks) over kept-alive
 * connections. Bolt's own `respond()` goes through the global fetch and leaves each answer's
 * body unread, so under a burst a connection is not reused until the garbage collector frees
 * it and many answers open new connections; here each answer's body is read (it is a short
 * "ok") and the connection goes back to the pool at once. Same contract as Bolt's: a string is
 * `{ text }`, a status other than 2xx throws (an expired or used-up response_url).
 */
import type { RespondArguments } from '@slack/bolt';
import { Agent, request } from 'undici';

export class ResponseUrlRefused extends Error {
  override readonly name = 'ResponseUrlRefused';
  constructor(readonly status: number) {
    super(`Failed to respond to the response_url: HTTP ${status}`);
  }
}

export interface ResponseUrlPosterOptions {
  /** Whole-request limit, as the Web API client's. */
  readonly timeoutMs: number;
}

export class ResponseUrlPoster {
  readonly #agent: Agent;
  readonly #timeoutMs: number;

  constructor(options: ResponseUrlPosterOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  /** The `respond` of one interaction. */
  to(responseUrl: string): (message: RespondArguments | string) => Promise<void> {
    return async (message) => {
      const body = JSON.stringify(typeof message === 'string' ? { text: message } : message);
      const response = await request(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher: this.#agent,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new ResponseUrlRefused(response.statusCode);
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}
