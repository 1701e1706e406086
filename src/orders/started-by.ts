/**
 * Who started a run, as cards and lists say it: the chat person and the platform identity used
 * ("alice (IAM alice)" when the run carries their own, "alice via chatops-bot" when the bot's
 * shared identity started it), and who approved it. A run the bot did not start is named by its
 * creator on the platform alone.
 */
import type { Text, Translate } from '../i18n/translate.js';
import type { RunStart } from '../store/run-starts.js';

const TEXT = {
  asThemselves: { 'en-US': '{user} (IAM {iam})', 'zh-CN': '{user}（IAM {iam}）' },
  viaShared: { 'en-US': '{user} via {creator}', 'zh-CN': '{user}（通过 {creator}）' },
  approvedBy: { 'en-US': '{started}, approved by {approver}', 'zh-CN': '{started}，由 {approver} 批准' },
} satisfies Record<string, Text>;

/** `creator`: the platform's creator of the run; `start`: what the bot recorded when it started it, if it did. */
export function startedByText(creator: string | undefined, start: RunStart | undefined, t: Translate): string {
  if (!start) return creator ?? '';
  // The platform names whoever called it: the person's own identity, or the bot's shared one.
  const started =
    creator && creator.toLowerCase() !== start.iamUser.toLowerCase()
      ? t(TEXT.viaShared, { user: start.chatUser, creator })
      : t(TEXT.asThemselves, { user: start.chatUser, iam: start.iamUser });
  return start.approver ? t(TEXT.approvedBy, { started, approver: start.approver.chatUser }) : started;
}
