/**
 * Sending one claimed batch: its callback place is prepared, the claim is stamped 'sending'
 * immediately before the request (a claim put back meanwhile is not sent), the execution is
 * started once — never retried — and its answer recorded. A refusal fails the batch and stops the
 * run; a lost answer leaves the batch 'unknown' (never sent again).
 */
import { normalizeError, writeFailureOf, type ExecutionId, type ExecutionsCapability, type HostTarget, type SingleExecutionRequest } from '../backends/index.js';
import { callbackTokenFor } from '../store/backend-callbacks.js';
import { failRunBatch, markRunBatchSending, markRunBatchUnknown, recordRunBatchExecution, type RunBatchRow } from '../store/run-batches.js';
import { batchLabel, callbackUrlOf, type BotBatchDeps } from './deps.js';

/** What a batch's request is made of, besides its hosts. */
export interface BatchRequestBase {
  readonly script: SingleExecutionRequest['script'];
  readonly timeoutSeconds: number;
  readonly runAs: string;
  readonly params: Readonly<Record<string, string>>;
  readonly sensitive: readonly string[];
}

export type SendOutcome =
  | { readonly kind: 'sent'; readonly execution: ExecutionId }
  /** The claim was no longer this one's when it was to be stamped: nothing was sent. */
  | { readonly kind: 'not-sent' }
  | { readonly kind: 'refused'; readonly error: unknown }
  | { readonly kind: 'unknown'; readonly error: unknown };

/** A failure as the store keeps it: what kind, the platform's code and words; never a request or a value. */
export function describeFailure(error: unknown): string {
  const known = normalizeError(error);
  if (!known) return 'no usable answer';
  const parts = [known.kind, known.detail.code, known.detail.platformMessage, known.detail.lost ? `answer lost (${known.detail.lost})` : undefined];
  return parts.filter((part) => part !== undefined && part !== '').join(': ').slice(0, 500);
}

export async function sendClaimedBatch(
  deps: BotBatchDeps,
  executions: ExecutionsCapability,
  planId: string,
  claim: RunBatchRow,
  hosts: readonly HostTarget[],
  base: BatchRequestBase,
): Promise<SendOutcome> {
  const { db } = deps;
  const index = claim.batchIndex;
  // Written before the send: a callback that beats the answer has a place to land.
  const callback = deps.callbackBaseUrl ? callbackUrlOf(deps, await callbackTokenFor(db, planId, index)) : undefined;
  if (!claim.claimedAt) return { kind: 'not-sent' };
  const stamped = await markRunBatchSending(db, planId, index, deps.replicaId, claim.claimedAt, deps.now());
  if (!stamped) return { kind: 'not-sent' };
  const request: SingleExecutionRequest = {
    script: base.script,
    hosts,
    timeoutSeconds: base.timeoutSeconds,
    runAs: base.runAs,
    params: base.params,
    ...(base.sensitive.length ? { sensitive: base.sensitive } : {}),
    label: batchLabel(planId, index),
    ...(callback ? { callback } : {}),
  };
  let execution: ExecutionId;
  try {
    execution = await executions.start(request);
  } catch (error) {
    if (writeFailureOf(error) === 'refused') {
      await failRunBatch(db, planId, index, ['sending'], { error: `refused: ${describeFailure(error)}` }, deps.now());
      return { kind: 'refused', error };
    }
    await markRunBatchUnknown(db, planId, index, `the answer to the start was lost (${describeFailure(error)}); not sent again`);
    return { kind: 'unknown', error };
  }
  const recorded = await recordRunBatchExecution(db, planId, index, execution, ['sending', 'unknown']);
  if (!recorded) deps.log?.error({ plan: planId, batch: index, execution }, 'a batch was started but its execution could not be recorded (already another batch’s?)');
  return { kind: 'sent', execution };
}
