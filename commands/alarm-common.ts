/**
 * What the alarm-centre commands share (`alarms show|incident|clear|history|run`): the alarm id
 * as typed, reading one alarm, and how a write to the platform ends. A write has three outcomes:
 * done (the platform said so), refused (it said no before acting: the dispatcher explains it),
 * or its answer was lost — then the alarm is read back, and only what the read-back proves is
 * reported as done or not done; anything else stays "unknown". Nothing is ever sent twice.
 */
import { need, writeFailureOf, type Alarm, type AlarmId, type AlarmSeverity, type AlarmsCapability } from '../src/backends/index.js';
import { arg } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import type { Message } from '../src/core/message.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { translator, type Text } from '../src/i18n/translate.js';

export const ALARM_TEXT = {
  idWhat: { 'en-US': 'an alarm id', 'zh-CN': '告警 ID' },
  idDescription: { 'en-US': 'Alarm id', 'zh-CN': '告警 ID' },
  notFound: { 'en-US': 'No alarm {id} in {platform}', 'zh-CN': '{platform} 中没有告警 {id}' },
  notFoundText: { 'en-US': 'Check the id (the alarm centre and alarm notifications show it). Nothing was sent.', 'zh-CN': '请检查告警 ID（告警中心和告警通知中可见）。未发送任何内容。' },
  badButton: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badButtonText: { 'en-US': 'Nothing was sent. Run "alarms show <id>" for a fresh card.', 'zh-CN': '未发送任何内容。请运行“alarms show <ID>”获取新的卡片。' },
  unknownTitle: { 'en-US': 'Outcome unknown: {what}', 'zh-CN': '结果未知：{what}' },
  unknownText: {
    'en-US': '{platform}’s answer was lost ({answer}) and reading the {thing} back could not prove whether it happened{readBack}. It was not retried. Check with "{check}" before trying again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），读取{thing}也无法确认是否已执行{readBack}。未重试。再次尝试前请先用“{check}”确认。',
  },
  readBackFailed: { 'en-US': ' (the read-back failed too)', 'zh-CN': '（读取也失败了）' },
  notDoneTitle: { 'en-US': 'Not done: {what}', 'zh-CN': '未执行：{what}' },
  notDoneText: {
    'en-US': '{platform}’s answer was lost ({answer}); reading the {thing} back shows it unchanged. Nothing was retried; you may try again.',
    'zh-CN': '{platform} 的响应丢失（{answer}）；读取{thing}显示其未变化。未重试，您可以再次尝试。',
  },
  alarm: { 'en-US': 'alarm', 'zh-CN': '告警' },
  confirmed: {
    'en-US': 'Confirmed by reading the alarm back after {platform}’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），之后读取告警确认已执行；未重复发送。',
  },
} satisfies Record<string, Text>;

export const LEVEL_DOT: Readonly<Record<AlarmSeverity, string>> = { critical: '🔴', major: '🟠', minor: '🟡', info: '🔵' };

/** Platform alarm ids: obviously wrong input (spaces, quotes, commas, huge) never leaves. */
export const ALARM_ID = /^[A-Za-z0-9_.:=-]{1,128}$/;

export const alarmIdArg = arg.id({
  required: true,
  what: ALARM_TEXT.idWhat,
  example: '16424',
  pattern: ALARM_ID,
  description: ALARM_TEXT.idDescription,
  placeholder: { 'en-US': 'id', 'zh-CN': 'id' },
  localName: { 'en-US': 'id', 'zh-CN': '告警id' },
});

export function alarmsOf(context: CommandContext): AlarmsCapability {
  return need(context.backend, 'alarms');
}

export function alarmIdOf(context: CommandContext, typed: string): AlarmId {
  const id = ALARM_ID.test(typed) ? context.backend.parseId('alarm', typed) : undefined;
  if (id === undefined) throw new Refusal(context.t(ALARM_TEXT.badButton), context.t(ALARM_TEXT.badButtonText));
  return id;
}

/** The alarm, or a refusal saying there is none. */
export async function readAlarm(context: CommandContext, typed: string): Promise<Alarm> {
  const { t, backend } = context;
  const get = alarmsOf(context).get;
  if (!get) throw new Error('alarms: the backend declares an alarm command without get');
  const id = backend.parseId('alarm', typed);
  const alarm = id === undefined ? undefined : await get(id);
  if (!alarm) throw new Refusal(t(ALARM_TEXT.notFound, { id: shown(typed, 64), platform: t(backend.displayName) }), t(ALARM_TEXT.notFoundText));
  return alarm;
}

/** What a write came to, as far as the platform's answer or a read-back proves. */
export type AlarmWriteResult<T> =
  | { readonly outcome: 'done'; readonly value: T; readonly confirmedAfter?: string }
  | { readonly outcome: 'not-done'; readonly answer: string }
  | { readonly outcome: 'unknown'; readonly answer: string; readonly readBackFailed: boolean };

/**
 * Sends a write once. A refusal is thrown (nothing acted). A lost answer is settled by `readBack`:
 * `{ done: value }` when the alarm shows the write took effect, `'unchanged'` when it shows it did
 * not, undefined when it cannot tell. The outcome is noted in the audit either way.
 */
export async function sendAlarmWrite<T>(
  context: CommandContext,
  send: () => Promise<T>,
  readBack: () => Promise<{ readonly done: T } | 'unchanged' | undefined>,
): Promise<AlarmWriteResult<T>> {
  const note = (outcome: string) => {
    context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome };
  };
  try {
    const value = await send();
    note('done');
    return { outcome: 'done', value };
  } catch (error) {
    if (writeFailureOf(error) === 'refused') throw error;
    const answer = lostAnswer(error, context.t);
    const answerEn = lostAnswer(error, translator('en-US'));
    let seen: { readonly done: T } | 'unchanged' | undefined;
    let readBackFailed = false;
    try {
      seen = await readBack();
    } catch {
      readBackFailed = true;
    }
    if (seen === 'unchanged') {
      note(`not done (read back unchanged after: ${answerEn})`);
      return { outcome: 'not-done', answer };
    }
    if (seen) {
      note(`done (confirmed by read-back after: ${answerEn})`);
      return { outcome: 'done', value: seen.done, confirmedAfter: answer };
    }
    note(`unknown (${readBackFailed ? 'read-back failed' : 'read-back inconclusive'} after: ${answerEn})`);
    return { outcome: 'unknown', answer, readBackFailed };
  }
}

/** The reply for a write that did not end in `done`. */
export function unsettledReply(
  context: CommandContext,
  result: Exclude<AlarmWriteResult<unknown>, { outcome: 'done' }>,
  what: string,
  check: string,
  readBackOf: Text = ALARM_TEXT.alarm,
): Message {
  const { t, backend } = context;
  const platform = t(backend.displayName);
  const thing = t(readBackOf);
  if (result.outcome === 'not-done') {
    return { title: t(ALARM_TEXT.notDoneTitle, { what }), text: t(ALARM_TEXT.notDoneText, { platform, answer: result.answer, thing }), tone: 'warning', outcome: 'failed' };
  }
  return {
    title: t(ALARM_TEXT.unknownTitle, { what }),
    text: t(ALARM_TEXT.unknownText, { platform, answer: result.answer, readBack: result.readBackFailed ? t(ALARM_TEXT.readBackFailed) : '', check, thing }),
    tone: 'danger',
  };
}
