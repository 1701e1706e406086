/**
 * Why a run did not start, in both languages. A reason is a phrase: the person who clicked is
 * told in their language, and what is stored on the plan and the approval (and shown on the
 * request card, which is drawn in the requester's language) is said in the requester's.
 */
import { CocApiError, CocNetworkError, CocTimeoutError, CocValidationError } from '../coc/errors.js';
import { UserCredentialMissingError } from '../identity/user-credentials.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import type { Text } from '../i18n/translate.js';
import { UNSEAL_TEXTS, UnsealError } from './sealing.js';

export const FAILURE_TEXTS = {
  cocRefused: { 'en-US': 'COC refused the run: {detail}', 'zh-CN': 'COC 拒绝了执行：{detail}' },
  noAnswer: {
    'en-US': 'COC did not answer the execute request; the script may or may not be running. It was not sent again. Check with "orders --since 1h" before trying again.',
    'zh-CN': 'COC 未响应执行请求；脚本可能正在运行，也可能没有。请求未重发。重试前请先用“orders --since 1h”查看。',
  },
  unexpected: {
    'en-US': 'the execute request failed unexpectedly; it was not sent again. Check with "orders --since 1h" before trying again.',
    'zh-CN': '执行请求意外失败，未重发。重试前请先用“orders --since 1h”查看。',
  },
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

/** Why COC's execute did not start the run; `known` when COC said no (nothing runs). */
export function executeFailureReason(error: unknown): { readonly reason: Phrase; readonly known: boolean } {
  if (error instanceof CocApiError) return { reason: phrase(FAILURE_TEXTS.cocRefused, { detail: [error.errorCode, error.errorMsg].filter(Boolean).join(': ') }), known: true };
  if (error instanceof CocValidationError) return { reason: phrase(FAILURE_TEXTS.cocRefused, { detail: error.message }), known: true };
  if (error instanceof CocTimeoutError || error instanceof CocNetworkError) return { reason: phrase(FAILURE_TEXTS.noAnswer), known: false };
  return { reason: phrase(FAILURE_TEXTS.unexpected), known: false };
}
