/**
 * A bot-driven run as the rest of the product reads it: its plan, the plan's batches and the
 * store's rows for them, and what follows from those (status, current batch).
 */
import type { RunId } from '../backends/index.js';
import { planDetails, type PlanDetails } from '../run/plan-details.js';
import { listRunBatches, type RunBatchRow } from '../store/run-batches.js';
import { getRunPlan, type RunPlanRow } from '../store/run-plans.js';
import { planIdOfRun, type BotBatchDeps } from './deps.js';
import type { BotRunCode } from './vocabulary.js';

export interface RunView {
  readonly plan: RunPlanRow;
  readonly details: PlanDetails;
  /** One per batch of the plan, in order. */
  readonly rows: readonly RunBatchRow[];
}

/** The run, or undefined when no such run was started (no plan, or no batches filed for it). */
export async function loadRun(deps: Pick<BotBatchDeps, 'db' | 'backend'>, id: RunId): Promise<RunView | undefined> {
  const planId = planIdOfRun(deps.backend, id);
  if (!planId) return undefined;
  const [plan, rows] = await Promise.all([getRunPlan(deps.db, planId), listRunBatches(deps.db, planId)]);
  if (!plan || rows.length === 0) return undefined;
  return { plan, details: planDetails(plan), rows };
}

/** An 'unknown' batch whose deadline passed: the run stopped there. */
export function givenUp(row: RunBatchRow): boolean {
  return row.state === 'unknown' && row.finishedAt !== null;
}

/** Sent (or being sent) and not ended: no other batch may start. */
export function isOpen(row: RunBatchRow): boolean {
  return row.state === 'claimed' || row.state === 'sending' || row.state === 'running' || (row.state === 'unknown' && !givenUp(row));
}

export interface RunPosition {
  readonly code: BotRunCode;
  /** The batch the run is at (1-based). */
  readonly current: number;
  readonly ended: boolean;
}

/**
 * Where the run stands. A batch that was sent comes first (a running batch always finishes,
 * whatever was asked meanwhile); then how it stopped; then the next waiting batch (held = paused).
 */
export function positionOf(rows: readonly RunBatchRow[]): RunPosition {
  const open = rows.find(isOpen);
  if (open) return { code: open.state === 'unknown' ? 'UNKNOWN' : 'RUNNING', current: open.batchIndex, ended: false };
  const stopped = rows.find(givenUp);
  if (stopped) return { code: 'ERROR', current: stopped.batchIndex, ended: true };
  const failed = rows.find((row) => row.state === 'failed');
  if (failed) return { code: 'FAILED', current: failed.batchIndex, ended: true };
  const waiting = rows.find((row) => row.state === 'waiting');
  if (waiting) {
    if (waiting.hold === 'held') return { code: 'PAUSED', current: waiting.batchIndex, ended: false };
    const begun = rows.some((row) => row.sentAt !== null || row.finishedAt !== null);
    return { code: begun ? 'RUNNING' : 'WAITING', current: waiting.batchIndex, ended: false };
  }
  const last = rows.at(-1)?.batchIndex ?? 1;
  if (rows.some((row) => row.state === 'canceled')) {
    const lastSent = [...rows].reverse().find((row) => row.sentAt !== null);
    return { code: 'CANCELED', current: lastSent?.batchIndex ?? rows.find((row) => row.state === 'canceled')!.batchIndex, ended: true };
  }
  return { code: 'SUCCEEDED', current: last, ended: true };
}
