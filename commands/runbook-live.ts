/**
 * The answer of a command that shows a runbook execution in its channel (`runbook execution`, a
 * Run click): a live card that edits itself as the steps move, posted by the tracker, and a short
 * word in the answer. An execution that has ended is simply shown (nothing more will change); so
 * is one whose live card this place already has (that card keeps updating) or cannot have.
 */
import { nativeOf, type RunbookExecution } from '../src/backends/index.js';
import { targetOf } from '../src/core/chat-surface.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { placeName, whyUndelivered } from '../src/core/undelivered.js';
import type { Text } from '../src/i18n/translate.js';
import { trackExecutionCard } from '../src/runbooks/execution-tracking.js';
import { executionCard } from './runbook-common.js';

const TEXT = {
  posted: { 'en-US': 'Live card of runbook execution {id} posted', 'zh-CN': '已发布作业执行 {id} 的实时卡片' },
  postedText: { 'en-US': 'It edits itself as the steps move, with the buttons the execution allows at that moment, until it ends.', 'zh-CN': '卡片会随步骤推进自动更新，并提供执行当时允许的操作按钮，直到执行结束。' },
  pending: { 'en-US': 'Watching runbook execution {id}', 'zh-CN': '正在跟踪作业执行 {id}' },
  pendingText: { 'en-US': 'Its live card appears in this channel within a few seconds and edits itself until the execution ends.', 'zh-CN': '实时卡片将在几秒内出现在本频道，并自动更新直到执行结束。' },
  existing: { 'en-US': 'The live card posted earlier in this channel keeps updating.', 'zh-CN': '本频道中之前发布的实时卡片会继续更新。' },
  undelivered: { 'en-US': 'This card does not update itself: its live card could not be posted here. Why: {why}.', 'zh-CN': '此卡片不会自动更新：实时卡片无法在此发布。原因：{why}。' },
} satisfies Record<string, Text>;

/** Shows the execution where the command was given: its live card while it runs, else the card as it is. */
export async function liveExecutionAnswer(context: CommandContext, execution: RunbookExecution, note?: string): Promise<Message> {
  const { t, services, actor, place, locale } = context;
  const card = (text?: string): Message => {
    const shown = executionCard(context, execution);
    const said = [note, text].filter(Boolean).join('\n');
    return said ? { ...shown, text: said } : shown;
  };
  if (execution.state === 'finished' || execution.state === 'canceled') return card();
  const id = nativeOf(execution.id);
  const target = targetOf(actor, place);
  const outcome = await trackExecutionCard(services, { execution: execution.id, target, locale, startedBy: actor, known: execution, requesterIsWaiting: true });
  const word = (title: Text, text: Text): Message => ({ title: t(title, { id }), text: [note, t(text)].filter(Boolean).join('\n'), tone: 'success' });
  switch (outcome?.kind) {
    case 'posted':
      return word(TEXT.posted, TEXT.postedText);
    case 'pending':
      return word(TEXT.pending, TEXT.pendingText);
    case 'existing':
      return card(t(TEXT.existing));
    case 'undelivered':
      return { ...card(t(TEXT.undelivered, { why: whyUndelivered(t, actor.platform, outcome.error, placeName(target)) })), tone: 'warning' };
    case undefined:
      // The card could not be asked for (logged): the answer shows the execution as it is.
      return card();
  }
}
