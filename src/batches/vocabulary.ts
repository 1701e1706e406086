/**
 * The codes a bot-driven run is shown with. The run, the batches not sent and their hosts are the
 * bot's own, not the platform's, so they carry the bot's codes (words, never a platform's numbers);
 * hosts of a batch that was sent keep the platform's own codes in the host table. The names are
 * added to the backend's vocabulary where it does not already name a code.
 */
import type { HostRunState, RunState } from '../backends/index.js';
import type { Coded, EnumNames, Vocabulary } from '../backends/index.js';

export const BOT_RUN_STATUS = {
  WAITING: { 'en-US': 'Waiting to start', 'zh-CN': '待执行' },
  RUNNING: { 'en-US': 'Running', 'zh-CN': '执行中' },
  /** A batch was sent and its answer lost: it may be running; the run waits for news of it. */
  UNKNOWN: { 'en-US': 'Outcome of a batch unknown', 'zh-CN': '批次结果未知' },
  PAUSED: { 'en-US': 'Paused', 'zh-CN': '已暂停' },
  SUCCEEDED: { 'en-US': 'Finished', 'zh-CN': '成功' },
  FAILED: { 'en-US': 'Failed', 'zh-CN': '失败' },
  CANCELED: { 'en-US': 'Canceled', 'zh-CN': '已取消' },
  ERROR: { 'en-US': 'Stopped: outcome unknown', 'zh-CN': '已停止：结果未知' },
} as const satisfies EnumNames;
export type BotRunCode = keyof typeof BOT_RUN_STATUS;

export const BOT_HOST_STATUS = {
  WAITING: { 'en-US': 'Waiting', 'zh-CN': '待执行' },
  RUNNING: { 'en-US': 'Running', 'zh-CN': '执行中' },
  SUCCEEDED: { 'en-US': 'Succeeded', 'zh-CN': '成功' },
  FAILED: { 'en-US': 'Failed', 'zh-CN': '失败' },
  CANCELED: { 'en-US': 'Canceled', 'zh-CN': '已取消' },
  SKIPPED: { 'en-US': 'Skipped', 'zh-CN': '已跳过' },
  NOT_RUN: { 'en-US': 'Not run', 'zh-CN': '未执行' },
  NOT_STARTED: { 'en-US': 'Not started (refused)', 'zh-CN': '未启动（被拒绝）' },
  UNKNOWN: { 'en-US': 'Outcome unknown', 'zh-CN': '结果未知' },
  ROLLED_BACK: { 'en-US': 'Rolled back', 'zh-CN': '已回滚' },
  OTHER: { 'en-US': 'Other', 'zh-CN': '其他' },
} as const satisfies EnumNames;
export type BotHostCode = keyof typeof BOT_HOST_STATUS;

const BOT_ROTATION = {
  CONTINUE: { 'en-US': 'Go on to the next batch', 'zh-CN': '自动继续下一批' },
  PAUSE: { 'en-US': 'Pause after this batch', 'zh-CN': '本批完成后暂停' },
} as const satisfies EnumNames;

const RUN_STATE_OF: Readonly<Record<BotRunCode, RunState>> = {
  WAITING: 'waiting',
  RUNNING: 'running',
  UNKNOWN: 'running',
  PAUSED: 'paused',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELED: 'canceled',
  ERROR: 'error',
};

const HOST_STATE_OF: Readonly<Record<BotHostCode, HostRunState>> = {
  WAITING: 'waiting',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELED: 'canceled',
  SKIPPED: 'canceled',
  NOT_RUN: 'canceled',
  NOT_STARTED: 'failed',
  UNKNOWN: 'other',
  ROLLED_BACK: 'rolled-back',
  OTHER: 'other',
};

export function runStatus(code: BotRunCode): Coded<RunState> {
  return { state: RUN_STATE_OF[code], code };
}

export function hostStatus(code: BotHostCode): Coded<HostRunState> {
  return { state: HOST_STATE_OF[code], code };
}

/** The bot's code for a host state a platform reported (for counts over every batch). */
export function hostCodeOf(state: HostRunState): BotHostCode {
  switch (state) {
    case 'waiting':
      return 'WAITING';
    case 'running':
      return 'RUNNING';
    case 'succeeded':
      return 'SUCCEEDED';
    case 'failed':
      return 'FAILED';
    case 'canceled':
      return 'CANCELED';
    case 'rolled-back':
      return 'ROLLED_BACK';
    default:
      return 'OTHER';
  }
}

/** The platform's names first: a code it already names keeps its name. */
function merged(own: EnumNames, added: EnumNames): EnumNames {
  return { ...added, ...own };
}

/** `vocabulary` with the bot's run, host and rotation codes named. */
export function withBotVocabulary(vocabulary: Vocabulary): Vocabulary {
  return {
    ...vocabulary,
    runStatus: merged(vocabulary.runStatus, BOT_RUN_STATUS),
    hostRunStatus: merged(vocabulary.hostRunStatus, BOT_HOST_STATUS),
    rotation: merged(vocabulary.rotation, BOT_ROTATION),
  };
}
