/**
 * Who started a run, as cards and lists say it: the chat person and the platform identity used
 * ("alice (IAM alice)" when the run carries their own, "alice via chatops-bot" when the bot's
 * shared identity started it), and who approved it. A run the bot did not start is named by its
 * creator on the platform alone.
 */
import type { Text, Translate } from '../i18n/translate.js';
import { LRUCache } from 'lru-cache';
import type { RunId } from '../backends/ids.js';
import type { Queryable } from '../store/db.js';
import { runStartsOf, type RunStart } from '../store/run-starts.js';

const TEXT = {
  asThemselves: { 'en-US': '{user} (IAM {iam})', 'zh-CN': '{user}（IAM {iam}）' },
  viaShared: { 'en-US': '{user} via {creator}', 'zh-CN': '{user}（通过 {creator}）' },
  approvedBy: { 'en-US': '{started}, approved by {approver}', 'zh-CN': '{started}，由 {approver} 批准' },
} satisfies Record<string, Text>;

/** `creator`: the platform's creator of the run; `start`: what the bot recorded when it started it, if it did. */
export function startedByText(creator: string | undefined, start: RunStart | undefined, t: Translate): string {
  if (!start) return creator ?? '';
  // The platform names whoever called it: the person's own identity, or the bot's shared one.
  const started =
    creator && creator.toLowerCase() !== start.iamUser.toLowerCase()
      ? t(TEXT.viaShared, { user: start.chatUser, creator })
      : t(TEXT.asThemselves, { user: start.chatUser, iam: start.iamUser });
  return start.approver ? t(TEXT.approvedBy, { started, approver: start.approver.chatUser }) : started;
}

/**
 * Who started a run, remembered: once the bot has recorded who started a run (and who approved
 * it) that never changes, so it is kept (the most recent 10,000 runs per store); that no one did
 * is kept only as long as a running order's snapshot (2 s), since the bot records a run it starts
 * just after the platform answers. Lookups of one run at the same moment (a burst of people
 * viewing one order) share one query.
 */
const FOUND_KEPT = 10_000;
const NONE_KEPT_MS = 2_000;
const remembered = new WeakMap<Queryable, LRUCache<string, { readonly start: Promise<RunStart | undefined> }>>();

export function rememberedRunStart(db: Queryable, run: RunId): Promise<RunStart | undefined> {
  let cache = remembered.get(db);
  if (!cache) {
    cache = new LRUCache({ max: FOUND_KEPT });
    remembered.set(db, cache);
  }
  const kept = cache.get(run);
  if (kept) return kept.start;
  const start = runStartsOf(db, [run]).then((starts) => starts.get(run));
  const entry = { start };
  cache.set(run, entry, { ttl: NONE_KEPT_MS });
  start.then(
    (found) => {
      // Found: kept for good (until pushed out). Not found: the 2 s set above.
      if (found && cache.get(run) === entry) cache.set(run, entry, { ttl: 0 });
    },
    () => {
      if (cache.get(run) === entry) cache.delete(run);
    },
  );
  return start;
}
