/**
 * Bot-driven batches: `runs` for backends whose platform runs single executions only. src/app
 * wraps every backend with `withBotBatches`; the ops server takes `jobDoneInbox` for callbacks.
 */
export { botBatchedRuns, withBotBatches, BOT_BATCH_OPERATIONS } from './runs.js';
export { jobDoneInbox, type JobDoneInbox, type CallbackReceipt } from './inbox.js';
export { BatchOperationRefusedError, BATCH_REFUSALS, type BatchRefusalReason } from './errors.js';
export { JOB_DONE_PATH, batchLabel, runIdOfPlan, planIdOfRun, type BotBatchDeps, type ValueSealer } from './deps.js';
export { withBotVocabulary, BOT_RUN_STATUS, BOT_HOST_STATUS } from './vocabulary.js';
