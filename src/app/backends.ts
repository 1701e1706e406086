/**
 * The deployment's backend as declared, for what is decided before any call: the command set,
 * help, the Slack manifest and Discord's command tree. One backend per deployment: COC unless the
 * configuration (or `--backend`) says blueking.
 */
import type { Backend } from '../backends/index.js';
import { declaredCocBackend } from '../backends/coc/index.js';
import { declaredBluekingBackend } from '../backends/blueking/index.js';
import { withBotBatches } from '../batches/index.js';
import type { BackendKind } from '../config.js';
import type { Db } from '../store/db.js';

/**
 * The declared backend is never called, so neither is the store its bot-driven runs would use:
 * any use is a programming error, said at once instead of as a wrong answer.
 */
const NO_STORE = new Proxy({} as Db, {
  get(_target, property) {
    throw new Error(`the declared backend has no store (asked for ${String(property)})`);
  },
});

/**
 * The backend the command set is derived from. BlueKing runs a script one execution at a time,
 * so its runs are the bot's batches, composed exactly as the running bot composes them (pause,
 * continue, skip batch and cancel between batches; no cancel-host).
 */
export function declaredBackend(config?: { readonly backend: BackendKind }): Backend {
  if (config?.backend === 'blueking') {
    return withBotBatches(declaredBluekingBackend(), { db: NO_STORE, now: () => new Date(), replicaId: 'declared' });
  }
  return declaredCocBackend();
}
