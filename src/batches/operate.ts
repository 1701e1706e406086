/**
 * A person's operations on a bot-driven run. They act between batches, on the store only: a batch
 * that was sent always finishes. Each is one conditional update; one that would change nothing is
 * refused with the reason (never 'unknown': nothing is sent anywhere).
 */
import type { RunId, RunOperation } from '../backends/index.js';
import { cancelWaitingRunBatches, holdNextRunBatch, listRunBatches, releaseNextRunBatch, skipRunBatch } from '../store/run-batches.js';
import { planIdOfRun, type BotBatchDeps } from './deps.js';
import { BatchOperationRefusedError } from './errors.js';

export async function operateRun(deps: BotBatchDeps, id: RunId, operation: RunOperation): Promise<void> {
  const planId = planIdOfRun(deps.backend, id);
  const refuse = (reason: ConstructorParameters<typeof BatchOperationRefusedError>[1], vars: Record<string, string | number> = {}) =>
    new BatchOperationRefusedError(deps.backend, reason, vars);
  if (!planId) throw refuse('nothingWaiting');
  switch (operation.kind) {
    case 'pause': {
      if ((await holdNextRunBatch(deps.db, planId)) !== undefined) return;
      const next = (await listRunBatches(deps.db, planId)).find((row) => row.state === 'waiting');
      throw refuse(next ? 'alreadyHeld' : 'nothingWaiting');
    }
    case 'continue': {
      if ((await releaseNextRunBatch(deps.db, planId)) !== undefined) return;
      const next = (await listRunBatches(deps.db, planId)).find((row) => row.state === 'waiting');
      throw refuse(next ? 'notHeld' : 'nothingWaiting');
    }
    case 'skip-batch': {
      if (await skipRunBatch(deps.db, planId, operation.batch, deps.now())) return;
      const row = (await listRunBatches(deps.db, planId)).find((r) => r.batchIndex === operation.batch);
      const vars = { batch: operation.batch };
      if (!row) throw refuse('noSuchBatch', vars);
      throw refuse(row.sentAt !== null ? 'batchSent' : 'batchEnded', vars);
    }
    case 'cancel':
      if ((await cancelWaitingRunBatches(deps.db, planId, deps.now())) > 0) return;
      throw refuse('nothingWaiting');
    case 'cancel-host':
      throw refuse('cannotCancelHost');
  }
}
