/**
 * `notify <channel> --to user1,user2 --title T "<text>"`: a notice through the platform's own
 * channels (BlueKing CMSI: mail, WeChat, SMS…) to people by their platform user names — an
 * optional place for incident-style notices beside the chat.
 *
 * The channel is checked against the platform's active channels before anything is sent. The
 * notice is sent once, never retried: a refusal is said as one; a lost answer is an unknown
 * outcome (it may have been delivered), never a failure. Its text is not kept in the audit
 * trail (only its length): a notice may carry what a channel should not keep.
 */
import { need, normalizeError, writeFailureOf } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { Message } from '../src/core/message.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { translator, type Text } from '../src/i18n/translate.js';

const TEXT = {
  sent: { 'en-US': 'Notice sent through {platform} ({channel})', 'zh-CN': '已通过 {platform}（{channel}）发送通知' },
  to: { 'en-US': 'To', 'zh-CN': '接收人' },
  title: { 'en-US': 'Title', 'zh-CN': '标题' },
  noChannel: { 'en-US': '{platform} has no active notice channel "{channel}"', 'zh-CN': '{platform} 没有可用的通知渠道“{channel}”' },
  noChannelText: { 'en-US': 'Nothing was sent. Active channels: {channels}.', 'zh-CN': '未发送任何内容。可用渠道：{channels}。' },
  noChannels: { 'en-US': 'none', 'zh-CN': '无' },
  badReceivers: { 'en-US': '--to needs platform user names separated by commas', 'zh-CN': '--to 需要以逗号分隔的平台用户名' },
  badReceiversText: {
    'en-US': 'Nothing was sent. Not a user name: {names}. Names are letters, digits, ".", "_", "-" or "@", at most {max} people.',
    'zh-CN': '未发送任何内容。不是用户名：{names}。用户名由字母、数字、“.”、“_”、“-”或“@”组成，最多 {max} 人。',
  },
  tooMany: { 'en-US': 'At most {max} people per notice (got {count})', 'zh-CN': '每条通知最多 {max} 人（收到 {count} 人）' },
  tooManyText: { 'en-US': 'Nothing was sent. Send it in parts, or to a group address the channel knows.', 'zh-CN': '未发送任何内容。请分多次发送，或发给渠道认识的群组地址。' },
  refused: { 'en-US': '{platform} refused the notice', 'zh-CN': '{platform} 拒绝发送该通知' },
  refusedText: { 'en-US': '{reason}. Nothing was retried.', 'zh-CN': '{reason}。未重试。' },
  noReason: { 'en-US': 'no reason given', 'zh-CN': '未说明原因' },
  unknown: { 'en-US': 'Outcome unknown: the notice may have been sent', 'zh-CN': '结果未知：通知可能已发送' },
  unknownText: {
    'en-US': '{platform}’s answer was lost ({answer}). It was not retried, so nobody gets it twice; ask the people whether it arrived before sending it again.',
    'zh-CN': '{platform} 的响应丢失（{answer}）。未重试，以免重复收到；再次发送前请先向接收人确认是否已收到。',
  },
  channelArg: { 'en-US': 'Notice channel (mail, weixin, sms…)', 'zh-CN': '通知渠道（mail、weixin、sms…）' },
  channelSays: { 'en-US': 'give a channel code such as mail, weixin or sms', 'zh-CN': '请给出渠道代码，例如 mail、weixin 或 sms' },
  textArg: { 'en-US': 'What the notice says (quote it)', 'zh-CN': '通知内容（请用引号括起）' },
  toFlag: { 'en-US': 'Platform user names, comma separated', 'zh-CN': '平台用户名，以逗号分隔' },
  titleFlag: { 'en-US': 'Title of the notice', 'zh-CN': '通知标题' },
} satisfies Record<string, Text>;

/** The audit trail is written in one language, whoever acted. */
const EN = translator('en-US');
const MAX_RECEIVERS = 50;
const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;

export const notifyCommand = defineCommand({
  family: 'notify',
  words: ['notify'],
  discord: {
    name: 'notify',
    localName: { 'en-US': 'notify', 'zh-CN': '通知' },
    description: { 'en-US': 'Send a notice through the platform’s mail, WeChat or SMS', 'zh-CN': '通过平台的邮件、微信或短信发送通知' },
  },
  needs: ['notices'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Send a notice to people through one of the platform’s channels (mail, WeChat, SMS…)',
    'zh-CN': '通过平台的某个渠道（邮件、微信、短信…）向指定人员发送通知',
  },
  examples: ['notify mail --to alice,bob --title "Checkout degraded" "p99 above 2 s since 09:30; rollback in progress"'],
  positionals: {
    channel: arg.string({ required: true, max: 32, pattern: { re: /^[A-Za-z0-9_-]{1,32}$/, says: TEXT.channelSays }, description: TEXT.channelArg, placeholder: { 'en-US': 'channel', 'zh-CN': '渠道' }, localName: { 'en-US': 'channel', 'zh-CN': '渠道' } }),
    text: arg.string({ required: true, max: 4000, description: TEXT.textArg, placeholder: { 'en-US': 'text', 'zh-CN': '内容' }, localName: { 'en-US': 'text', 'zh-CN': '内容' } }),
  },
  flags: {
    to: arg.string({ required: true, max: 2000, description: TEXT.toFlag, placeholder: { 'en-US': 'user1,user2', 'zh-CN': 'user1,user2' }, localName: { 'en-US': 'to', 'zh-CN': '接收人' } }),
    title: arg.string({ required: true, max: 200, description: TEXT.titleFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
  },
  async run(context, args): Promise<Message> {
    const { t, backend } = context;
    const notices = need(backend, 'notices');
    const platform = t(backend.displayName);
    const receivers = [...new Set(args.to.split(',').map((name) => name.trim()).filter(Boolean))];
    // The text itself stays out of the audit trail, refused or sent: its length says it was there.
    context.audit.maskedParameters = { channel: args.channel, to: args.to, title: args.title, text: `(${Array.from(args.text).length} characters)` };
    const bad = receivers.filter((name) => !USER_NAME.test(name));
    if (receivers.length === 0 || bad.length > 0) throw new Refusal(t(TEXT.badReceivers), t(TEXT.badReceiversText, { names: bad.map((name) => `"${shown(name, 40)}"`).join(', ') || '""', max: MAX_RECEIVERS }));
    if (receivers.length > MAX_RECEIVERS) throw new Refusal(t(TEXT.tooMany, { max: MAX_RECEIVERS, count: receivers.length }), t(TEXT.tooManyText));
    context.audit.target = `notice via ${args.channel} to ${receivers.join(',')}`;

    const active = (await notices.channels()).filter((channel) => channel.active);
    const channel = active.find((known) => known.type.toLowerCase() === args.channel.toLowerCase());
    if (!channel) {
      const channels = active.map((known) => (known.label && known.label !== known.type ? `${known.type} (${known.label})` : known.type)).join(', ') || t(TEXT.noChannels);
      throw new Refusal(t(TEXT.noChannel, { platform, channel: shown(args.channel, 32) }), t(TEXT.noChannelText, { channels }));
    }

    try {
      await notices.send({ channel: channel.type, receivers, title: args.title, text: args.text });
    } catch (error) {
      if (writeFailureOf(error) === 'refused') {
        const detail = normalizeError(error)?.detail;
        const reason = detail?.platformMessage ? shown(detail.platformMessage, 200) : t(TEXT.noReason);
        return { title: t(TEXT.refused, { platform }), text: t(TEXT.refusedText, { reason: detail?.code ? `${reason} (${detail.code})` : reason }), tone: 'danger' };
      }
      context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `unknown (${lostAnswer(error, EN)})` };
      return { title: t(TEXT.unknown), text: t(TEXT.unknownText, { platform, answer: lostAnswer(error, t) }), tone: 'warning', outcome: 'failed' };
    }
    return {
      title: t(TEXT.sent, { platform, channel: channel.label ?? channel.type }),
      tone: 'success',
      fields: [
        { label: t(TEXT.to), value: receivers.join(', ') },
        { label: t(TEXT.title), value: shown(args.title, 200) },
      ],
    };
  },
});
