/** Turns anything a command throws into a reply that says what went wrong and what to do. */
import { CocWriteNotAuditedError } from '../coc/write-intent.js';
import { CocApiError, CocAuthError, CocError, CocNetworkError, CocResponseShapeError, CocTimeoutError, CocValidationError } from '../coc/errors.js';
import { ArgumentError } from './args.js';
import { Refusal } from './refusal.js';
import type { Message } from './message.js';
import { UnterminatedQuoteError } from './tokenize.js';
import { UserCredentialMissingError } from '../identity/user-credentials.js';
import { ARG_TEXTS } from '../i18n/catalogues/args.js';
import { CORE_TEXTS as T } from '../i18n/catalogues/core.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { writeFailureOf } from '../coc/write-outcome.js';
import type { CocOperation } from '../coc/errors.js';

/**
 * Titles for a change whose outcome is unknown (coc/write-outcome.ts). Commands that change
 * something reconcile their own writes; these are the last line, for any write that reaches
 * the dispatcher unexplained: it is never "refused", "not reached" or "nothing was sent".
 */
const WRITE_TEXTS = {
  unknownStatus: { 'en-US': 'Outcome unknown: COC answered HTTP {status}', 'zh-CN': '结果未知：COC 返回 HTTP {status}' },
  unknownNetwork: { 'en-US': 'Outcome unknown: the connection to COC failed', 'zh-CN': '结果未知：与 COC 的连接中断' },
  unknownTimeout: { 'en-US': 'Outcome unknown: COC did not answer in time', 'zh-CN': '结果未知：COC 未及时响应' },
  unknownShape: { 'en-US': 'Outcome unknown: COC’s answer could not be read', 'zh-CN': '结果未知：COC 的响应无法解析' },
  unknownText: {
    'en-US': '{detail}. The change may or may not have happened; it was not retried. Check its state before trying again.',
    'zh-CN': '{detail}。变更可能已执行，也可能没有；未重试。重试前请先查看其状态。',
  },
  shape: { 'en-US': 'COC’s answer could not be read', 'zh-CN': 'COC 的响应无法解析' },
  noAnswerWithin: { 'en-US': 'No answer within {ms} ms', 'zh-CN': '{ms} 毫秒内无响应' },
} satisfies Record<string, Text>;

/**
 * A call that may change something in COC. The v2 incident list and the WarRoom list are
 * POSTs that only read, so a lost answer to them changes nothing.
 */
function isWrite(operation: CocOperation | undefined): boolean {
  if (!operation || operation.method === 'GET') return false;
  return !/\/list$/.test(operation.route);
}

/** Errors the bot expects (bad input, COC trouble); anything else is a bug worth logging. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof Refusal || error instanceof ArgumentError || error instanceof UnterminatedQuoteError || error instanceof CocError || error instanceof UserCredentialMissingError;
}

export function errorToMessage(error: unknown, t: Translate = translator('en-US')): Message {
  if (error instanceof Refusal) return error.reply;
  if (error instanceof ArgumentError) return { title: t(T.badCommand), text: error.describe(t), tone: 'danger' };
  if (error instanceof UnterminatedQuoteError) return { title: t(T.badCommand), text: t(ARG_TEXTS.unclosedQuote, { quote: error.quote }), tone: 'danger' };
  // Before the generic refusal: nothing is wrong with the input, the record of the change failed.
  if (error instanceof CocWriteNotAuditedError) return { title: t(T.notAudited), text: t(T.notAuditedText), tone: 'danger' };
  if (error instanceof CocValidationError) {
    return {
      title: t(T.notSent),
      tone: 'danger',
      fields: error.problems.map((problem) => ({ label: problem.path || t(T.input), value: problem.message })),
    };
  }
  if (error instanceof CocApiError && isWrite(error.operation) && writeFailureOf(error) === 'unknown') {
    const detail = [error.errorCode, error.errorMsg].filter(Boolean).join(': ') || t(T.cocNoReason);
    return {
      title: t(WRITE_TEXTS.unknownStatus, { status: error.status }),
      text: t(WRITE_TEXTS.unknownText, { detail: detail.replace(/\.$/, '') }),
      tone: 'danger',
      ...(error.requestId ? { footer: t(T.cocRequestId, { id: error.requestId }) } : {}),
    };
  }
  if (error instanceof CocApiError) {
    return {
      title: t(T.cocRefused, { status: error.status }),
      text: [error.errorCode, error.errorMsg].filter(Boolean).join(': ') || t(T.cocNoReason),
      tone: 'danger',
      ...(error.requestId ? { footer: t(T.cocRequestId, { id: error.requestId }) } : {}),
    };
  }
  if (error instanceof CocTimeoutError) {
    const unknownOutcome = isWrite(error.operation);
    return {
      title: unknownOutcome ? t(WRITE_TEXTS.unknownTimeout) : t(T.cocTimeout),
      text: unknownOutcome
        ? t(WRITE_TEXTS.unknownText, { detail: t(WRITE_TEXTS.noAnswerWithin, { ms: error.timeoutMs }) })
        : t(T.cocTimeoutRead, { ms: error.timeoutMs }),
      tone: 'danger',
    };
  }
  if (error instanceof CocNetworkError && isWrite(error.operation)) {
    return { title: t(WRITE_TEXTS.unknownNetwork), text: t(WRITE_TEXTS.unknownText, { detail: error.message }), tone: 'danger' };
  }
  if (error instanceof CocNetworkError) {
    return { title: t(T.cocUnreachable), text: t(T.cocUnreachableText, { detail: error.message }), tone: 'danger' };
  }
  // COC did answer: what it said could not be read, which is not "did not answer".
  if (error instanceof CocResponseShapeError && isWrite(error.operation)) {
    return { title: t(WRITE_TEXTS.unknownShape), text: t(WRITE_TEXTS.unknownText, { detail: error.message }), tone: 'danger' };
  }
  if (error instanceof CocResponseShapeError) {
    return { title: t(WRITE_TEXTS.shape), text: error.message, tone: 'danger' };
  }
  if (error instanceof UserCredentialMissingError) {
    return { title: t(T.cocCredentials), text: error.message, tone: 'danger', private: true };
  }
  if (error instanceof CocAuthError || error instanceof CocError) {
    return { title: t(T.cocCredentials), text: error.message, tone: 'danger' };
  }
  return { title: t(T.unexpected), text: t(T.unexpectedText), tone: 'danger' };
}
