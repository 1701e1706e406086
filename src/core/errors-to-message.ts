/** Turns anything a command throws into a reply that says what went wrong and what to do. */
import { CocApiError, CocAuthError, CocError, CocNetworkError, CocResponseShapeError, CocTimeoutError, CocValidationError } from '../coc/errors.js';
import { ArgumentError } from './args.js';
import type { Message } from './message.js';
import { UnterminatedQuoteError } from './tokenize.js';

export function errorToMessage(error: unknown): Message {
  if (error instanceof ArgumentError || error instanceof UnterminatedQuoteError) {
    return { title: 'That command is not quite right', text: error.message, tone: 'danger' };
  }
  if (error instanceof CocValidationError) {
    return {
      title: 'Not sent to COC: the input breaks its rules',
      tone: 'danger',
      fields: error.problems.map((problem) => ({ label: problem.path || 'input', value: problem.message })),
    };
  }
  if (error instanceof CocApiError) {
    return {
      title: `COC refused the request (HTTP ${error.status})`,
      text: [error.errorCode, error.errorMsg].filter(Boolean).join(': ') || 'COC gave no reason.',
      tone: 'danger',
      ...(error.requestId ? { footer: `COC request id ${error.requestId}` } : {}),
    };
  }
  if (error instanceof CocTimeoutError) {
    const unknownOutcome = error.operation && error.operation.method !== 'GET';
    return {
      title: 'COC did not answer in time',
      text: unknownOutcome
        ? `No answer within ${error.timeoutMs} ms. The change may or may not have happened: check its state before trying again.`
        : `No answer within ${error.timeoutMs} ms. Try again in a moment.`,
      tone: 'danger',
    };
  }
  if (error instanceof CocNetworkError) {
    return { title: 'COC could not be reached', text: `${error.message}. Check the endpoint and the network, then try again.`, tone: 'danger' };
  }
  if (error instanceof CocResponseShapeError) {
    return { title: 'COC answered in an unexpected form', text: error.message, tone: 'danger' };
  }
  if (error instanceof CocAuthError || error instanceof CocError) {
    return { title: 'COC credentials could not be used', text: error.message, tone: 'danger' };
  }
  return { title: 'Something went wrong', text: 'The command failed unexpectedly; it has been logged.', tone: 'danger' };
}
