/**
 * Why a run did not start, in both languages. A reason is a phrase: the person who clicked is
 * told in their language, and what is stored on the plan and the approval (and shown on the
 * request card, which is drawn in the requester's language) is said in the requester's.
 */
import { normalizeError, platformName, type BackendName } from '../backends/index.js';
import { lostAnswerPhrase } from '../core/lost-answer.js';
import { UserCredentialMissingError } from '../identity/user-credentials.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import type { Text } from '../i18n/translate.js';
import { UNSEAL_TEXTS, UnsealError } from './sealing.js';

export const FAILURE_TEXTS = {
  cocRefused: { 'en-US': '{platform} refused the run: {detail}', 'zh-CN': '{platform} 拒绝了执行：{detail}' },
  lostAnswer: {
    'en-US':
      'outcome unknown: the answer to the execute request was lost ({why}), so the script may or may not be running. It was not sent again. The bot is looking for the order in {platform} and will say here when it is found or proven absent; "orders --mine --since 1h" lists it as soon as {platform} shows it.',
    'zh-CN': '结果未知：执行请求的应答丢失（{why}），脚本可能已在运行，也可能没有。请求未重发。机器人正在 {platform} 中查找该工单，找到或确认不存在时会在此告知；{platform} 中出现后，“orders --mine --since 1h”即会列出。',
  },
  /**
   * COC answered the execute with a 2xx and no execute uuid, the form its reference gives a failed
   * execute ("204 {error_code, error_msg}"). Not "did not start": the same reference reads 204 as
   * "the task is successfully delivered" and its example code is an internal error, so the order
   * may exist; it is looked for like a lost answer.
   */
  failureAnswer: {
    'en-US':
      'outcome unknown: {why}. That is how COC\'s reference describes a failed execute, but its status table also reads 204 as "task delivered", so it does not prove that nothing started. It was not sent again. The bot is looking for the order in {platform} and will say here when it is found or proven absent; "orders --mine --since 1h" lists it as soon as {platform} shows it.',
    'zh-CN':
      '结果未知：{why}。COC 参考文档以此表示执行失败，但其状态码表也把 204 解释为“任务已下发”，因此不能证明脚本未启动。请求未重发。机器人正在 {platform} 中查找该工单，找到或确认不存在时会在此告知；{platform} 中出现后，“orders --mine --since 1h”即会列出。',
  },
  /** Where the bot sends batches and the platform keeps no list to look in (BlueKing Job). */
  lostBatchAnswer: {
    'en-US':
      'outcome unknown: the answer to the start of batch 1 was lost ({why}), so the script may or may not be running. It was not sent again, and no later batch will be sent until it is known. {platform} reports the end of a batch to the bot, which then goes on here; without that report the run stops after the batch\'s time limit, naming the task {label} to check on {platform} by hand.',
    'zh-CN': '结果未知：第 1 批的启动请求应答丢失（{why}），脚本可能已在运行，也可能没有。请求未重发；在结果明确之前不会发送后续批次。{platform} 会在批次结束时通知机器人，机器人随后在此继续；若未收到通知，执行将在该批次超时后停止，并给出任务名 {label}，请在 {platform} 中人工核对。',
  },
  whyStopped: { 'en-US': 'the bot stopped while waiting for it', 'zh-CN': '等待应答时机器人中断' },
  provenAbsent: {
    'en-US': 'did not start: COC\'s order list, read at {first} and again at {second} (after the request could have ended), has no order of {script} on these hosts. Nothing ran; you can request it again.',
    'zh-CN': '未启动：在请求可能结束之后，于 {first} 和 {second} 两次读取 COC 工单列表，均无 {script} 在这些主机上的工单。未执行任何操作，可以重新申请。',
  },
  settledMeanwhile: {
    'en-US': 'the start took so long that it was settled as not sent meanwhile; it was not sent. Request it again.',
    'zh-CN': '启动耗时过长，期间已被判定为未发送；请求未发送。请重新申请。',
  },
  scriptUnreadable: { 'en-US': 'the script could not be read from {platform} to check it is unchanged; nothing ran, try again', 'zh-CN': '无法从 {platform} 读取脚本以确认其未被修改；未执行任何操作，请重试' },
  notWaiting: { 'en-US': 'the plan was no longer waiting ({state}); nothing ran.', 'zh-CN': '该计划已不在等待状态（{state}）；未执行任何操作。' },
  notReadyUnseal: { 'en-US': '{why}; nothing ran, request again', 'zh-CN': '{why}；未执行任何操作，请重新申请' },
  credentialMissing: {
    'en-US': 'the requester\'s COC credential "{ref}" is not set on the bot (set {variables}); nothing ran, ask an admin',
    'zh-CN': '申请人的 COC 凭证“{ref}”未在机器人上设置（请设置 {variables}）；未执行任何操作，请联系管理员',
  },
  unreadable: { 'en-US': 'the parameters could not be read; nothing ran, request again', 'zh-CN': '无法读取参数；未执行任何操作，请重新申请' },
} satisfies Record<string, Text>;

/** Why the values of a plan could not be made ready to send (nothing was sent). */
export function notReadyReason(error: unknown): Phrase {
  if (error instanceof UnsealError) return phrase(FAILURE_TEXTS.notReadyUnseal, { why: phrase(UNSEAL_TEXTS[error.why]) });
  if (error instanceof UserCredentialMissingError) {
    return phrase(FAILURE_TEXTS.credentialMissing, { ref: error.ref, variables: error.variables.join(', or ') });
  }
  return phrase(FAILURE_TEXTS.unreadable);
}

/** Why the platform refused the start (nothing runs), for a write whose failure `writeFailureOf` calls refused. */
export function refusalReason(error: unknown): Phrase {
  const known = normalizeError(error);
  const platform = phrase(platformName(known?.backend ?? 'coc'));
  // The platform's own answer (its code and words), else what the backend's error says.
  if (known?.detail.status !== undefined) {
    return phrase(FAILURE_TEXTS.cocRefused, { platform, detail: [known.detail.code, known.detail.platformMessage].filter(Boolean).join(': ') || `HTTP ${known.detail.status}` });
  }
  return phrase(FAILURE_TEXTS.cocRefused, { platform, detail: error instanceof Error ? error.message : String(error) });
}

/** Why the outcome of the execute is unknown: what happened to its answer. */
export function lostAnswerReason(error: unknown, batches?: { readonly label: string }): Phrase {
  if (batches) {
    return phrase(FAILURE_TEXTS.lostBatchAnswer, { platform: phrase(platformName(normalizeError(error)?.backend ?? 'coc')), why: lostAnswerPhrase(error), label: batches.label });
  }
  const known = normalizeError(error);
  const platform = phrase(platformName(known?.backend ?? 'coc'));
  // COC did answer, in its documented failure form: said as such, not as a lost answer.
  const status = known?.detail.status;
  if (known?.detail.lost === 'envelope' && status !== undefined && status >= 200 && status < 300) {
    return phrase(FAILURE_TEXTS.failureAnswer, { platform, why: lostAnswerPhrase(error) });
  }
  return phrase(FAILURE_TEXTS.lostAnswer, { platform, why: lostAnswerPhrase(error) });
}

/** The outcome of a start the bot was stopped in the middle of. */
export function interruptedReason(backend: BackendName = 'coc'): Phrase {
  return phrase(FAILURE_TEXTS.lostAnswer, { platform: phrase(platformName(backend)), why: phrase(FAILURE_TEXTS.whyStopped) });
}

/** The script could not be read back before the start (nothing was sent). */
export function scriptUnreadableReason(backend: BackendName): Phrase {
  return phrase(FAILURE_TEXTS.scriptUnreadable, { platform: phrase(platformName(backend)) });
}
