/**
 * `runs` for a backend that offers single executions only (BlueKing Job): the bot batches the run
 * itself, one execution per batch, from its store. The rest of the product (start, reconcile,
 * cards, tracker, order buttons) sees an ordinary RunsCapability with `batching: 'bot'`.
 */
import {
  BackendInputError,
  type Backend,
  type ExecutionRequest,
  type RunId,
  type RunOperationKind,
  type RunsCapability,
} from '../backends/index.js';
import { claimNextRunBatch, insertRunBatches } from '../store/run-batches.js';
import { getRunPlan, type RunPlanRow } from '../store/run-plans.js';
import type { CallScope } from '../backends/observe.js';
import { batchesOf, batchOf, progressOf, summaryOf } from './compose.js';
import { batchLabel, runIdOfPlan, type BotBatchDeps } from './deps.js';
import { advanceRun, executionsOf } from './drive.js';
import { findRun } from './find.js';
import { operateRun } from './operate.js';
import { sendClaimedBatch } from './send.js';
import { loadRun } from './view.js';
import { BOT_RUN_STATUS, withBotVocabulary } from './vocabulary.js';

/** What a person can do to a bot-driven run: between batches only; no host is canceled alone. */
export const BOT_BATCH_OPERATIONS: ReadonlySet<RunOperationKind> = new Set(['pause', 'continue', 'cancel', 'skip-batch']);

function notSent(deps: BotBatchDeps, message: string, path = 'planId'): BackendInputError {
  return new BackendInputError(`not sent: ${message}`, deps.backend, deps.executions.startOperation, { problems: [{ path, message }] }, false);
}

/** Files the run's batches and sends the first; the plan is already 'starting' and stamped sent. */
async function startRun(deps: BotBatchDeps, request: ExecutionRequest): Promise<RunId> {
  const planId = request.planId;
  if (!planId) throw notSent(deps, 'a bot-batched run starts from a stored plan');
  const plan = await getRunPlan(deps.db, planId);
  if (!plan) throw notSent(deps, 'no such plan');
  const [first, ...later] = request.batches;
  if (!first) throw notSent(deps, 'the plan has no batch', 'batches');
  const sensitive = (request.sensitive ?? []).filter((name) => request.params[name] !== undefined);
  if (later.length > 0 && sensitive.length > 0 && !deps.sealer) throw notSent(deps, 'no key to keep the sensitive values for the batches after the first', 'params');
  const sealed = later.length > 0 && sensitive.length > 0 ? deps.sealer!.seal(Object.fromEntries(sensitive.map((name) => [name, request.params[name]!]))) : null;
  await insertRunBatches(
    deps.db,
    planId,
    request.batches.map((batch, i) => ({
      index: batch.index,
      // PAUSE after a batch: the one after it waits for Continue.
      held: i > 0 && request.batches[i - 1]!.rotation === 'PAUSE',
      sealedParams: i === 0 ? null : sealed,
    })),
  );
  const claim = await claimNextRunBatch(deps.db, planId, deps.replicaId, deps.now());
  if (!claim || claim.row.batchIndex !== first.index) throw notSent(deps, 'the first batch could not be claimed (already sent or settled)');
  const outcome = await sendClaimedBatch(deps, deps.executions, planId, claim.row, first.hosts, {
    script: { id: request.script.id },
    timeoutSeconds: request.timeoutSeconds,
    runAs: request.runAs,
    params: request.params,
    sensitive: request.sensitive ?? [],
  });
  switch (outcome.kind) {
    case 'sent':
      return runIdOfPlan(deps.backend, planId);
    case 'not-sent':
      throw notSent(deps, 'the first batch was settled meanwhile');
    case 'refused':
    case 'unknown':
      throw outcome.error;
  }
}

export function botBatchedRuns(deps: BotBatchDeps): RunsCapability {
  const { executions } = deps;
  const viewOf = async (id: RunId) => {
    const view = await loadRun(deps, id);
    return view ? { view, executions: executionsOf(deps, view.plan) } : undefined;
  };
  return {
    limits: executions.limits,
    batching: 'bot',
    operations: BOT_BATCH_OPERATIONS,
    // The run's status is the bot's own (the platform only sees single executions): those are what a list filters on.
    listStatusCodes: Object.keys(BOT_RUN_STATUS),
    startOperation: executions.startOperation,
    start: (request) => startRun(deps, request),
    check(request) {
      return request.batches.flatMap((batch, i) =>
        executions
          .check({
            script: { id: request.script.id },
            hosts: batch.hosts,
            timeoutSeconds: request.timeoutSeconds,
            runAs: request.runAs,
            params: request.params,
            ...(request.sensitive ? { sensitive: request.sensitive } : {}),
            label: batchLabel(request.planId ?? '', batch.index),
          })
          .map((problem) => ({ path: `batches[${i}].${problem.path}`, message: problem.message })),
      );
    },
    async read(id) {
      const found = await loadRun(deps, id);
      return found ? summaryOf(id, found) : undefined;
    },
    async progress(id) {
      const found = await viewOf(id);
      return found ? progressOf(found.view, found.executions) : { total: 0, counts: [] };
    },
    async batches(id) {
      const found = await loadRun(deps, id);
      return found ? batchesOf(found) : [];
    },
    async batch(id, index, query) {
      const found = await viewOf(id);
      return found ? batchOf(deps, found.view, found.executions, index, query) : { index, hostCount: 0, hosts: [] };
    },
    operate: (id, operation) => operateRun(deps, id, operation),
    find: (query) => findRun(deps, query),
    advance: (id) => advanceRun(deps, id),
  };
}

/**
 * The backend with `runs` composed from its executions (when it has executions and no runs of its
 * own), and the bot's status codes named in its vocabulary; any other backend unchanged.
 */
export function withBotBatches(backend: Backend, deps: Omit<BotBatchDeps, 'executions' | 'backend'> & { readonly executions?: BotBatchDeps['executions'] }): Backend {
  if (backend.runs || !backend.executions) return backend;
  const runs = botBatchedRuns({ ...deps, executions: deps.executions ?? backend.executions, backend: backend.name, ...(deps.scripts ?? backend.scripts ? { scripts: deps.scripts ?? backend.scripts } : {}) });
  const batched: Backend = { ...backend, runs, vocabulary: withBotVocabulary(backend.vocabulary) };
  const within = backend.within;
  // One invocation's view: its calls in the invocation's scope, its runs composed over them — the
  // requester's executions it reads a run through (order show) in that scope too, unless a send
  // names its own (a later batch's audit scope).
  const { executionsFor } = deps;
  const scopedDeps = (scope: CallScope) => (executionsFor ? { ...deps, executionsFor: (plan: RunPlanRow, own?: CallScope) => executionsFor(plan, own ?? scope) } : deps);
  if (within) return { ...batched, within: (scope) => withBotBatches(within.call(backend, scope), scopedDeps(scope)) };
  return batched;
}
