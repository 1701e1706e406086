/**
 * The receiving end of the platform's callbacks (served by the ops server at
 * `POST /bk/job-done/<token>`): the token names the batch, the body the execution. Recorded only;
 * the run's next round (or reconciliation) adopts it.
 */
import type { ExecutionsCapability } from '../backends/index.js';
import type { Db } from '../store/db.js';
import { callbackTokenExists, recordCallback } from '../store/backend-callbacks.js';

export type CallbackReceipt = 'recorded' | 'unknown-token' | 'unreadable' | 'conflict';

export interface JobDoneInbox {
  receive(token: string, body: unknown): Promise<CallbackReceipt>;
}

/** Tokens are base64url of 24 random bytes; anything else is not one of ours. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

export function jobDoneInbox(deps: { readonly db: Db; readonly executions: Pick<ExecutionsCapability, 'parseCallback'>; readonly now: () => Date }): JobDoneInbox {
  return {
    async receive(token, body) {
      if (!TOKEN.test(token)) return 'unknown-token';
      const parsed = deps.executions.parseCallback?.(body);
      if (!parsed) return 'unreadable';
      const recorded = await recordCallback(deps.db, token, parsed.id, parsed.finished, deps.now());
      if (recorded) return 'recorded';
      return (await callbackTokenExists(deps.db, token)) ? 'conflict' : 'unknown-token';
    },
  };
}
