/**
 * `hosts sync`: asks the platform to re-read its hosts from the cloud (COC `POST
 * /v1/resources/sync`, coc-api-notes §1.1), then follows the hosts list to a result posted here
 * once: hosts added and gone, agents whose state changed, new hosts that cannot run scripts yet.
 *
 * A write, sent once: the audit trail records it before it goes. An answer that was lost is said
 * to be unknown (never retried by the bot); the list is followed all the same, and a sync is safe
 * for the person to ask for again.
 */
import { baseOf, need, writeFailureOf } from '../src/backends/index.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { targetOf } from '../src/core/chat-surface.js';
import type { CommandContext } from '../src/core/command.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import type { Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { translator } from '../src/i18n/translate.js';
import { syncFollowerOf, type SyncFollowRequest } from '../src/inventory/sync-follow.js';
import { readSnapshot } from '../src/inventory/sync-result.js';

export const SYNC_TEXT = {
  started: { 'en-US': '{what} started', 'zh-CN': '{what}已开始' },
  startedText: {
    'en-US': '{platform} does it in the background. The result follows here within {minutes} min: {follows}.',
    'zh-CN': '{platform} 在后台进行。结果将在 {minutes} 分钟内发布在此处：{follows}。',
  },
  unknown: { 'en-US': 'Whether {platform} started the {what} is not known', 'zh-CN': '{platform} 是否已开始{what}尚不可知' },
  unknownText: {
    'en-US': 'Its answer was lost ({answer}); it was not sent again. The list is followed all the same and the result follows here within {minutes} min. A sync is safe to ask for again: "{command}".',
    'zh-CN': '其应答丢失（{answer}），未重新发送。仍会跟踪列表，结果将在 {minutes} 分钟内发布在此处。同步可以安全地再次发起："{command}"。',
  },
  hostsWhat: { 'en-US': 'Host sync', 'zh-CN': '主机同步' },
  hostsWhatLower: { 'en-US': 'host sync', 'zh-CN': '主机同步' },
  hostsFollows: {
    'en-US': 'hosts added or gone ({count:host|hosts} listed now) and agents whose state changed',
    'zh-CN': '新增或消失的主机（当前 {count} 台）以及状态变化的 Agent',
  },
} satisfies Record<string, Text>;
const TEXT = SYNC_TEXT;

export interface SyncStart {
  readonly what: Text;
  readonly whatLower: Text;
  readonly follows: string;
  readonly command: string;
  /** Said after the reply, started or not (e.g. that only part of a larger fleet was looked at). */
  readonly note?: string;
  readonly follow: Omit<SyncFollowRequest, 'backend' | 'target' | 'locale'>;
  /** Sends the write once. */
  send(): Promise<unknown>;
}

/**
 * Sends a sync and hands it to the follower: the reply says it started (or that its answer was
 * lost), and the result follows in this place. A refusal before acting is the dispatcher's to explain.
 */
export async function startSync(context: CommandContext, sync: SyncStart): Promise<Message> {
  const { t, services, backend } = context;
  const follower = syncFollowerOf(services);
  const platform = t(backend.displayName);
  const minutes = follower.maxFollowMinutes;
  let reply: Message;
  try {
    await sync.send();
    reply = {
      title: t(TEXT.started, { what: t(sync.what) }),
      text: [t(TEXT.startedText, { platform, minutes, follows: sync.follows }), sync.note].filter(Boolean).join('\n'),
      tone: 'info',
    };
  } catch (error) {
    if (writeFailureOf(error) === 'refused') throw error;
    context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `unknown: ${lostAnswer(error, translator('en-US'))}` };
    reply = {
      title: t(TEXT.unknown, { platform, what: t(sync.whatLower) }),
      text: [t(TEXT.unknownText, { answer: lostAnswer(error, t), minutes, command: sync.command }), sync.note].filter(Boolean).join('\n'),
      tone: 'warning',
      outcome: 'failed',
    };
  }
  // Followed for minutes after this reply, as background work with the person's rights: through
  // the backend this invocation's view was made from, not the view (its audit scope is written
  // with the reply, its deadline over).
  follower.follow({ ...sync.follow, backend: baseOf(backend), target: targetOf(context.actor, context.place), locale: context.locale });
  return reply;
}

export const hostsSyncCommand = defineCommand({
  family: 'hosts',
  words: ['hosts', 'sync'],
  discord: {
    name: 'hosts-sync',
    localName: { 'en-US': 'hosts-sync', 'zh-CN': '主机同步' },
    description: { 'en-US': 'Re-read hosts from the cloud', 'zh-CN': '从云上重新读取主机' },
  },
  needs: ['hosts.sync'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Ask the platform to re-read its hosts from the cloud; the hosts added or gone follow here',
    'zh-CN': '让平台从云上重新读取主机；新增或消失的主机随后发布在此处',
  },
  examples: ['hosts sync'],
  positionals: {},
  flags: {},
  async run(context): Promise<Message> {
    const { backend, t } = context;
    const inventory = need(backend, 'hosts');
    // What the list holds before: the result is measured against it.
    const before = await readSnapshot(backend, {});
    context.audit.target = 'hosts';
    return startSync(context, {
      what: TEXT.hostsWhat,
      whatLower: TEXT.hostsWhatLower,
      follows: t(TEXT.hostsFollows, { count: before.hosts.size }),
      command: 'hosts sync',
      follow: { kind: 'hosts', query: {}, before },
      send: () => inventory.sync!(),
    });
  },
});
