/**
 * After a run operation whose answer was lost (the platform may have acted: BackendError
 * `mayHaveActed`), the run itself says whether the operation took effect. This reads it back once
 * (and the batch, for skip-batch and cancel-host) and decides:
 *
 * - done: the run shows the operation's effect (canceled, paused, the hosts canceled…);
 * - not-done: it clearly shows the operation did not happen (still paused after continue,
 *   still running after cancel, the host still waiting…);
 * - unknown: it cannot tell (unreadable, or a pause while a batch is running: the platform
 *   applies it only when the batch finishes, and the run does not show a pending pause).
 *
 * Nothing here sends anything: the operation is never retried blindly.
 */
import { need, type Backend, type BatchHosts, type HostRunRef, type HostRunState, type RunId, type RunState, type RunSummary } from '../backends/index.js';
import { currentBatchIndex } from '../orders/order-card.js';

export type ReadBackVerdict = 'done' | 'not-done' | 'unknown';

/** What the operation was meant to change, as planned before it was sent. */
export type SentOperation =
  | { readonly operation: 'pause' | 'continue' | 'cancel' }
  | { readonly operation: 'skip-batch'; readonly batch: number; readonly hosts: readonly HostRunRef[] }
  | { readonly operation: 'cancel-instance'; readonly batch: number; readonly host: HostRunRef };

export interface ReadBack {
  readonly verdict: ReadBackVerdict;
  /** The run as read back; undefined when it could not be read. */
  readonly run: RunSummary | undefined;
}

const ACTIVE: ReadonlySet<RunState> = new Set(['waiting', 'running', 'paused']);
const UNFINISHED: ReadonlySet<HostRunState> = new Set(['waiting', 'running']);
/** Hosts of a batch read at once; a COC batch holds at most 10. */
const BATCH_PAGE = 50;

async function quietly<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

function runVerdict(sent: SentOperation['operation'], state: RunState): ReadBackVerdict {
  switch (sent) {
    case 'cancel':
      // Any other end (succeeded, error…) or still running means the cancel did not happen.
      return state === 'canceled' ? 'done' : 'not-done';
    case 'continue':
      if (state === 'paused') return 'not-done';
      // A paused run only moves on when continued; a cancel by someone else is not ours.
      return state === 'canceled' ? 'unknown' : 'done';
    case 'pause':
      if (state === 'paused') return 'done';
      // COC pauses a running order only after its current batch: "still running" proves nothing
      // until the batch is read (pauseVerdict).
      return ACTIVE.has(state) ? 'unknown' : 'not-done';
    default:
      return 'unknown';
  }
}

function hostsVerdict(batch: BatchHosts, refs: readonly HostRunRef[]): ReadBackVerdict {
  const ours = batch.hosts.filter((host) => refs.includes(host.ref));
  if (ours.length !== refs.length || ours.length === 0) return 'unknown';
  if (ours.every((host) => host.status.state === 'canceled')) return 'done';
  if (ours.every((host) => host.status.state !== 'canceled')) return 'not-done';
  return 'unknown';
}

/**
 * A pause the platform received pauses at once when no host of the current batch is running,
 * and a paused run stays paused until someone continues it. So an active run whose current
 * batch runs no host now was not paused; one that is running a host may still pause.
 */
async function pauseVerdict(backend: Backend, run: RunSummary): Promise<ReadBackVerdict> {
  const runs = need(backend, 'runs');
  const verdict = runVerdict('pause', run.status.state);
  if (verdict !== 'unknown') return verdict;
  const batches = await quietly(() => runs.batches(run.id));
  if (!batches) return 'unknown';
  const batch = await quietly(() => runs.batch(run.id, currentBatchIndex(run, batches), { limit: BATCH_PAGE }));
  if (!batch) return 'unknown';
  return batch.hosts.some((host) => host.status.state === 'running') ? 'unknown' : 'not-done';
}

/** Reads the run (and the batch) back after a lost answer; never throws. */
export async function readBackOperation(backend: Backend, id: RunId, sent: SentOperation): Promise<ReadBack> {
  const runs = need(backend, 'runs');
  const run = await quietly(() => runs.read(id));
  if (!run) return { verdict: 'unknown', run };
  if (sent.operation === 'pause') return { verdict: await pauseVerdict(backend, run), run };
  if (sent.operation !== 'skip-batch' && sent.operation !== 'cancel-instance') return { verdict: runVerdict(sent.operation, run.status.state), run };
  const batch = await quietly(() => runs.batch(id, sent.batch, { limit: BATCH_PAGE }));
  if (!batch) return { verdict: 'unknown', run };
  const refs = sent.operation === 'skip-batch' ? sent.hosts : [sent.host];
  const verdict = hostsVerdict(batch, refs);
  // A run that ended while its hosts were still waiting canceled them itself: not ours to claim.
  if (verdict === 'done' && run.status.state === 'canceled') return { verdict: 'unknown', run };
  if (verdict === 'not-done' && !ACTIVE.has(run.status.state) && batch.hosts.some((host) => UNFINISHED.has(host.status.state))) return { verdict: 'unknown', run };
  return { verdict, run };
}
