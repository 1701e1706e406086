/** Turns anything a command throws into a reply that says what went wrong and what to do. */
import { CocApiError, CocAuthError, CocError, CocNetworkError, CocResponseShapeError, CocTimeoutError, CocValidationError } from '../coc/errors.js';
import { ArgumentError } from './args.js';
import { Refusal } from './refusal.js';
import type { Message } from './message.js';
import { UnterminatedQuoteError } from './tokenize.js';
import { UserCredentialMissingError } from '../identity/user-credentials.js';
import { ARG_TEXTS } from '../i18n/catalogues/args.js';
import { CORE_TEXTS as T } from '../i18n/catalogues/core.js';
import { translator, type Translate } from '../i18n/translate.js';

/** Errors the bot expects (bad input, COC trouble); anything else is a bug worth logging. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof Refusal || error instanceof ArgumentError || error instanceof UnterminatedQuoteError || error instanceof CocError || error instanceof UserCredentialMissingError;
}

export function errorToMessage(error: unknown, t: Translate = translator('en-US')): Message {
  if (error instanceof Refusal) return error.reply;
  if (error instanceof ArgumentError) return { title: t(T.badCommand), text: error.describe(t), tone: 'danger' };
  if (error instanceof UnterminatedQuoteError) return { title: t(T.badCommand), text: t(ARG_TEXTS.unclosedQuote, { quote: error.quote }), tone: 'danger' };
  if (error instanceof CocValidationError) {
    return {
      title: t(T.notSent),
      tone: 'danger',
      fields: error.problems.map((problem) => ({ label: problem.path || t(T.input), value: problem.message })),
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
    const unknownOutcome = error.operation && error.operation.method !== 'GET';
    return {
      title: t(T.cocTimeout),
      text: unknownOutcome
        ? t(T.cocTimeoutWrite, { ms: error.timeoutMs })
        : t(T.cocTimeoutRead, { ms: error.timeoutMs }),
      tone: 'danger',
    };
  }
  if (error instanceof CocNetworkError) {
    return { title: t(T.cocUnreachable), text: t(T.cocUnreachableText, { detail: error.message }), tone: 'danger' };
  }
  if (error instanceof CocResponseShapeError) {
    return { title: t(T.cocShape), text: error.message, tone: 'danger' };
  }
  if (error instanceof UserCredentialMissingError) {
    return { title: t(T.cocCredentials), text: error.message, tone: 'danger', private: true };
  }
  if (error instanceof CocAuthError || error instanceof CocError) {
    return { title: t(T.cocCredentials), text: error.message, tone: 'danger' };
  }
  return { title: t(T.unexpected), text: t(T.unexpectedText), tone: 'danger' };
}
