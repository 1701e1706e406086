/**
 * The dispatcher's last word on a COC error that reached it unexplained: a write whose answer
 * was lost is "outcome unknown" (never "refused", "could not be reached" or "not sent"), an
 * unreadable answer is never "did not answer", and reads keep their plain titles.
 */
import { describe, expect, it } from 'vitest';
import { CocApiError, CocNetworkError, CocResponseShapeError, CocTimeoutError, CocValidationError } from '../src/coc/errors.js';
import { errorToMessage } from '../src/core/errors-to-message.js';
import { translator } from '../src/i18n/translate.js';

const WRITE = { method: 'POST', route: '/v1/external/incident/create' };
const LIST = { method: 'POST', route: '/v2/incidents/list' };
const READ = { method: 'GET', route: '/v1/external/incident/{incident_num}' };

describe('errorToMessage for writes', () => {
  it.each([
    ['a 503', new CocApiError(WRITE, 503, 'COC.00000503', 'Service unavailable', 'req-1'), 'Outcome unknown: COC answered HTTP 503'],
    ['a 200 carrying an error envelope', new CocApiError(WRITE, 200, 'COC.00000500', 'Service error', undefined), 'Outcome unknown: COC answered HTTP 200'],
    ['a 4xx without COC’s error body', new CocApiError(WRITE, 404, undefined, undefined, undefined), 'Outcome unknown: COC answered HTTP 404'],
    ['a reset', new CocNetworkError(WRITE, 'ECONNRESET'), 'Outcome unknown: the connection to COC failed'],
    ['a timeout', new CocTimeoutError(WRITE, 300), 'Outcome unknown: COC did not answer in time'],
    ['a malformed body', new CocResponseShapeError(WRITE, 200, ['(root): response is not JSON (HTTP 200)']), 'Outcome unknown: COC’s answer could not be read'],
  ])('%s is an unknown outcome, with the advice to check first', (_name, error, title) => {
    const message = errorToMessage(error);
    expect(message.title).toBe(title);
    expect(message.text).toContain('may or may not have happened; it was not retried');
    expect(`${message.title} ${message.text}`).not.toMatch(/refused|not sent|Nothing was sent|did not answer in time\./);
  });

  it('keeps a refusal a refusal: a 4xx with COC’s error body, a 429, invalid input', () => {
    expect(errorToMessage(new CocApiError(WRITE, 400, 'COC.00040001', 'Bad', undefined)).title).toBe('COC refused the request (HTTP 400)');
    expect(errorToMessage(new CocApiError(WRITE, 429, 'APIG.0308', 'Throttled', undefined)).title).toBe('COC refused the request (HTTP 429)');
    expect(errorToMessage(new CocValidationError(WRITE, [{ path: 'title', message: 'too long' }])).title).toBe('Not sent to COC: the input breaks its rules');
  });

  it('says an unreadable answer to a read could not be read, not that COC did not answer', () => {
    const message = errorToMessage(new CocResponseShapeError(READ, 200, ['(root): response is not JSON (HTTP 200)']));
    expect(message.title).toBe('COC’s answer could not be read');
    expect(errorToMessage(new CocTimeoutError(LIST, 300)).title).toBe('COC did not answer in time');
    expect(errorToMessage(new CocNetworkError(LIST, 'ECONNRESET')).title).toBe('COC could not be reached');
  });

  it('speaks zh-CN', () => {
    const zh = translator('zh-CN');
    expect(errorToMessage(new CocApiError(WRITE, 502, undefined, undefined, undefined), zh).title).toBe('结果未知：COC 返回 HTTP 502');
    expect(errorToMessage(new CocResponseShapeError(WRITE, 200, ['x']), zh).title).toBe('结果未知：COC 的响应无法解析');
  });
});
