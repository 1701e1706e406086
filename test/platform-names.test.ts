/** Shared texts name the platform an error came from: a BlueKing deployment never reads "COC". */
import { describe, expect, it } from 'vitest';
import { BackendRefusedError, BackendUnavailableError, type BackendOperation } from '../src/backends/index.js';
import { errorToMessage } from '../src/core/errors-to-message.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { lostAnswerReason, refusalReason } from '../src/run/failure-reasons.js';
import { say } from '../src/i18n/phrase.js';
import { translator } from '../src/i18n/translate.js';

const start: BackendOperation = { backend: 'blueking', method: 'POST', route: 'job/fast_execute_script', write: true };
const en = translator('en-US');
const zh = translator('zh-CN');

describe('platform names in shared texts', () => {
  it('a lost BlueKing answer says BlueKing (and 蓝鲸), never COC', () => {
    const error = new BackendUnavailableError('lost', 'blueking', start, { status: 502, lost: 'status' }, true);
    const message = errorToMessage(error, en);
    expect(message.title).toBe('Outcome unknown: BlueKing answered HTTP 502');
    expect(errorToMessage(error, zh).title).toBe('结果未知：蓝鲸 返回 HTTP 502');
    expect(lostAnswer(error, en)).toBe('BlueKing answered HTTP 502');
    const reason = say(lostAnswerReason(error), en);
    expect(reason).toContain('looking for the order in BlueKing');
    expect(reason).not.toContain('COC');
  });

  it('a BlueKing refusal says who refused, with its code and words', () => {
    const error = new BackendRefusedError('refused', 'blueking', start, { status: 200, code: '1306201', platformMessage: 'app auth failed', requestId: 'r-1' }, false);
    const message = errorToMessage(error, en);
    expect(message.title).toBe('BlueKing refused the request (HTTP 200)');
    expect(message.footer).toBe('BlueKing request id r-1');
    expect(say(refusalReason(error), en)).toBe('BlueKing refused the run: 1306201: app auth failed');
  });

  it('COC texts are unchanged', () => {
    const error = new BackendUnavailableError('lost', 'coc', { backend: 'coc', method: 'POST', route: '/v1/job/scripts/{script_uuid}', write: true }, { status: 503, lost: 'status' }, true);
    expect(errorToMessage(error, en).title).toBe('Outcome unknown: COC answered HTTP 503');
  });
});
