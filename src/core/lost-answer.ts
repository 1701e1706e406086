/**
 * Words for what came back from a write whose outcome is unknown (see BackendError.mayHaveActed):
 * "HTTP 503 COC.00000500", "no answer within 300 ms", "an answer that could not be read".
 * Every command that reconciles an unknown write says the same thing the same way, so the
 * reader can tell a lost answer from a refusal at a glance.
 */
import { normalizeError, platformName } from '../backends/index.js';
import { phrase, say, type Phrase } from '../i18n/phrase.js';
import type { Text, Translate } from '../i18n/translate.js';

export const LOST_ANSWER_TEXTS = {
  status: { 'en-US': '{platform} answered HTTP {status}{code}', 'zh-CN': '{platform} 返回 HTTP {status}{code}' },
  envelope: { 'en-US': '{platform} answered HTTP {status} with an error in the body{code}', 'zh-CN': '{platform} 返回 HTTP {status}，但响应体中是错误{code}' },
  /** HTTP 204 where a payload was due: the status COC's reference gives a failed execute, which carries no body on the wire. */
  noContent: { 'en-US': '{platform} answered HTTP 204, its documented failure status, without a reason', 'zh-CN': '{platform} 返回 HTTP 204（文档所述的失败状态），未给出原因' },
  noContentReason: { 'en-US': '{platform} answered HTTP 204, its documented failure status, with {code}', 'zh-CN': '{platform} 返回 HTTP 204（文档所述的失败状态），附带 {code}' },
  timeout: { 'en-US': 'no answer within {seconds} s', 'zh-CN': '{seconds} 秒内无响应' },
  network: { 'en-US': 'the connection failed before an answer arrived', 'zh-CN': '在收到响应前连接中断' },
  shape: { 'en-US': '{platform}’s answer could not be read', 'zh-CN': '{platform} 的响应无法解析' },
  other: { 'en-US': 'the answer was lost', 'zh-CN': '响应丢失' },
} satisfies Record<string, Text>;

/** "14.4", "0.3", "15": a deadline as people read it (seconds, one decimal where it matters). */
function inSeconds(ms: number | undefined): string {
  if (ms === undefined) return '?';
  return String(Math.round(ms / 100) / 10);
}

/** What came back instead of a usable answer, to be said in the reader's words. */
export function lostAnswerPhrase(error: unknown): Phrase {
  const known = normalizeError(error);
  if (!known) return phrase(LOST_ANSWER_TEXTS.other);
  const { detail } = known;
  const platform = phrase(platformName(known.backend));
  if (detail.lost === 'timeout') return phrase(LOST_ANSWER_TEXTS.timeout, { seconds: inSeconds(detail.timeoutMs) });
  if (detail.lost === 'network') return phrase(LOST_ANSWER_TEXTS.network);
  if (detail.lost === 'shape') return phrase(LOST_ANSWER_TEXTS.shape, { platform });
  // An answer with an error in it: a status the platform gave (refusals carry one too).
  if (detail.status === 204) {
    const reason = [detail.code, detail.platformMessage].filter(Boolean).join(': ');
    return reason ? phrase(LOST_ANSWER_TEXTS.noContentReason, { platform, code: reason }) : phrase(LOST_ANSWER_TEXTS.noContent, { platform });
  }
  if (detail.status !== undefined) {
    // COC's code and its words, when it gave them: "HTTP 200 with an error in the body COC.00040701: error_msg".
    const said = [detail.code, detail.status < 300 ? detail.platformMessage : undefined].filter(Boolean).join(': ');
    const vars = { platform, status: detail.status, code: said ? ` ${said}` : '' };
    return phrase(detail.status < 300 ? LOST_ANSWER_TEXTS.envelope : LOST_ANSWER_TEXTS.status, vars);
  }
  return phrase(LOST_ANSWER_TEXTS.other);
}

/** What came back instead of a usable answer, in the reader's words. */
export function lostAnswer(error: unknown, t: Translate): string {
  return say(lostAnswerPhrase(error), t);
}
