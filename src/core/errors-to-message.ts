/** Turns anything a command throws into a reply that says what went wrong and what to do. */
import { BackendInputError, BackendNotAuditedError, normalizeError, platformName, type BackendError } from '../backends/index.js';
import { ArgumentError } from './args.js';
import { Refusal } from './refusal.js';
import type { Message } from './message.js';
import { UnterminatedQuoteError } from './tokenize.js';
import { UserCredentialMissingError } from '../identity/user-credentials.js';
import { ARG_TEXTS } from '../i18n/catalogues/args.js';
import { CORE_TEXTS as T } from '../i18n/catalogues/core.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';

/**
 * Titles for a change whose outcome is unknown (BackendError.mayHaveActed). Commands that change
 * something reconcile their own writes; these are the last line, for any write that reaches
 * the dispatcher unexplained: it is never "refused", "not reached" or "nothing was sent".
 */
const WRITE_TEXTS = {
  unknownStatus: { 'en-US': 'Outcome unknown: {platform} answered HTTP {status}', 'zh-CN': '结果未知：{platform} 返回 HTTP {status}' },
  unknownNetwork: { 'en-US': 'Outcome unknown: the connection to {platform} failed', 'zh-CN': '结果未知：与 {platform} 的连接中断' },
  unknownTimeout: { 'en-US': 'Outcome unknown: {platform} did not answer in time', 'zh-CN': '结果未知：{platform} 未及时响应' },
  unknownShape: { 'en-US': 'Outcome unknown: {platform}’s answer could not be read', 'zh-CN': '结果未知：{platform} 的响应无法解析' },
  unknownText: {
    'en-US': '{detail}. The change may or may not have happened; it was not retried. Check its state before trying again.',
    'zh-CN': '{detail}。变更可能已执行，也可能没有；未重试。重试前请先查看其状态。',
  },
  shape: { 'en-US': '{platform}’s answer could not be read', 'zh-CN': '{platform} 的响应无法解析' },
  noAnswerWithin: { 'en-US': 'No answer within {seconds} s', 'zh-CN': '{seconds} 秒内无响应' },
} satisfies Record<string, Text>;

/** Errors the bot expects (bad input, the platform's trouble); anything else is a bug worth logging. */
export function isExpectedError(error: unknown): boolean {
  return (
    error instanceof Refusal ||
    error instanceof ArgumentError ||
    error instanceof UnterminatedQuoteError ||
    error instanceof UserCredentialMissingError ||
    normalizeError(error) !== undefined
  );
}

/** The platform answered with an error of its own (a status, maybe a code), rather than not at all. */
function answeredWithError(error: BackendError): error is BackendError & { detail: { status: number } } {
  if (error.detail.status === undefined) return false;
  return error.kind === 'refused' || error.kind === 'not-found' || error.kind === 'rate-limited' || error.detail.lost === 'status' || error.detail.lost === 'envelope';
}

/** What the platform said: its code and message, or that it gave no reason. */
function platformReason(error: BackendError, t: Translate): string {
  return [error.detail.code, error.detail.platformMessage].filter(Boolean).join(': ') || t(T.cocNoReason, { platform: t(platformName(error.backend)) });
}

export function errorToMessage(error: unknown, t: Translate = translator('en-US')): Message {
  if (error instanceof Refusal) return error.reply;
  if (error instanceof ArgumentError) return { title: t(T.badCommand), text: error.describe(t), tone: 'danger' };
  if (error instanceof UnterminatedQuoteError) return { title: t(T.badCommand), text: t(ARG_TEXTS.unclosedQuote, { quote: error.quote }), tone: 'danger' };
  if (error instanceof UserCredentialMissingError) {
    // A person's own credential is a COC notion (BlueKing acts as the mapped user name).
    return { title: t(T.cocCredentials, { platform: t(platformName('coc')) }), text: error.message, tone: 'danger', private: true };
  }
  const known = normalizeError(error);
  if (!known) return { title: t(T.unexpected), text: t(T.unexpectedText), tone: 'danger' };
  return backendErrorToMessage(known, t);
}

/** A wait as people read it: whole seconds, tenths below one. */
function secondsOf(ms: number): string {
  return ms < 1_000 ? (Math.round(ms / 100) / 10).toString() : Math.round(ms / 1_000).toString();
}

function backendErrorToMessage(error: BackendError, t: Translate): Message {
  const platform = t(platformName(error.backend));
  // Before the generic refusal: nothing is wrong with the input, the record of the change failed.
  if (error instanceof BackendNotAuditedError) return { title: t(T.notAudited, { platform }), text: t(T.notAuditedText, { platform }), tone: 'danger' };
  if (error instanceof BackendInputError) {
    return {
      title: t(T.notSent, { platform }),
      tone: 'danger',
      fields: (error.detail.problems ?? []).map((problem) => ({ label: problem.path || t(T.input), value: problem.message })),
    };
  }
  const write = error.operation?.write === true;
  const footer = error.detail.requestId ? { footer: t(T.cocRequestId, { platform, id: error.detail.requestId }) } : {};
  if (answeredWithError(error) && write && error.mayHaveActed) {
    return {
      title: t(WRITE_TEXTS.unknownStatus, { platform, status: error.detail.status }),
      text: t(WRITE_TEXTS.unknownText, { detail: platformReason(error, t).replace(/\.$/, '') }),
      tone: 'danger',
      ...footer,
    };
  }
  if (answeredWithError(error)) {
    return { title: t(T.cocRefused, { platform, status: error.detail.status }), text: platformReason(error, t), tone: 'danger', ...footer };
  }
  const lost = error.detail.lost;
  if (lost === 'timeout') {
    // Every timeout says how long was waited, in seconds; '?' only guards a backend that forgot to.
    const seconds = error.detail.timeoutMs === undefined ? '?' : secondsOf(error.detail.timeoutMs);
    return {
      title: write ? t(WRITE_TEXTS.unknownTimeout, { platform }) : t(T.cocTimeout, { platform }),
      text: write ? t(WRITE_TEXTS.unknownText, { detail: t(WRITE_TEXTS.noAnswerWithin, { seconds }) }) : t(T.cocTimeoutRead, { platform, seconds }),
      tone: 'danger',
    };
  }
  if (lost === 'network' && write) {
    return { title: t(WRITE_TEXTS.unknownNetwork, { platform }), text: t(WRITE_TEXTS.unknownText, { detail: error.message }), tone: 'danger' };
  }
  if (lost === 'network') {
    return { title: t(T.cocUnreachable, { platform }), text: t(T.cocUnreachableText, { detail: error.message }), tone: 'danger' };
  }
  // The platform did answer: what it said could not be read, which is not "did not answer".
  if (lost === 'shape' && write) {
    return { title: t(WRITE_TEXTS.unknownShape, { platform }), text: t(WRITE_TEXTS.unknownText, { detail: error.message }), tone: 'danger' };
  }
  if (lost === 'shape') {
    return { title: t(WRITE_TEXTS.shape, { platform }), text: error.message, tone: 'danger' };
  }
  // Credentials that could not be used (BackendAuthError), and any other failure of the platform's.
  return { title: t(T.cocCredentials, { platform }), text: error.message, tone: 'danger' };
}
