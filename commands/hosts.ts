/**
 * `hosts`: the ECS hosts COC knows (coc-api-notes §1.2, total from §2.9), with UniAgent state,
 * region and tags, filtered and paged. Hosts whose agent is not ONLINE are marked: scripts
 * cannot run on them.
 */
import { label, need, nativeOf, type AgentState, type Coded, type Host, type HostQuery, type HostsCapability, type Vocabulary } from '../src/backends/index.js';
import type { CommandDefinition } from '../src/core/command.js';
import { flagValue } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import type { Locale, Text } from '../src/i18n/translate.js';
import { choice, guarded, keyValue, nextPageHint, noWords, refuse, regionFlag, shown, TEXT as COMMON, textFlag, wholeNumber } from './coc-common.js';

const TEXT = {
  title: { 'en-US': 'Hosts ({shown} of {total})', 'zh-CN': '主机（显示 {shown} 台，共 {total} 台）' },
  noMatch: { 'en-US': 'No host matches.', 'zh-CN': '没有匹配的主机。' },
  noMatchFiltered: { 'en-US': 'No host matches these filters. Try fewer of them.', 'zh-CN': '没有符合这些筛选条件的主机，请减少筛选条件。' },
  colName: { 'en-US': 'NAME', 'zh-CN': '名称' },
  colAgent: { 'en-US': 'AGENT', 'zh-CN': 'Agent 状态' },
  colRegion: { 'en-US': 'REGION', 'zh-CN': '区域' },
  colIp: { 'en-US': 'IP', 'zh-CN': 'IP' },
  colTags: { 'en-US': 'TAGS', 'zh-CN': '标签' },
  colId: { 'en-US': 'ID', 'zh-CN': 'ID' },
  noAgent: { 'en-US': 'No agent', 'zh-CN': '无 Agent' },
  notRunnable: {
    'en-US': '⚠ {count} of these hosts cannot run scripts now: their UniAgent is not online.',
    'zh-CN': '⚠ 其中 {count} 台主机的 UniAgent 不在线，目前无法执行脚本。',
  },
  badTag: {
    'en-US': '--tag key=value needs a key of 1-36 characters without "." and a value of at most 43 characters, got "{value}".',
    'zh-CN': '--tag key=value 的键须为 1-36 个字符且不含“.”，值最多 43 个字符，收到的是“{value}”。',
  },
  badAfter: {
    'en-US': '--after must be the id printed after "More:" on the previous page, got "{value}".',
    'zh-CN': '--after 必须是上一页“下一页：”后给出的 ID，收到的是“{value}”。',
  },
} satisfies Record<string, Text>;

/** CMDB ids are opaque; this only keeps obviously wrong input (spaces, quotes, huge) from COC. */
const CURSOR = /^[A-Za-z0-9_.:-]{1,64}$/;

/** `● Online`, or `⚠ Offline` / `⚠ No agent`: anything not online cannot run scripts. */
export function agentBadge(agent: Coded<AgentState>, vocabulary: Vocabulary, locale: Locale): string {
  if (agent.state === 'online') return `● ${label(vocabulary, 'agentState', agent.code, locale)}`;
  if (!agent.code) return `⚠ ${TEXT.noAgent[locale]}`;
  return `⚠ ${label(vocabulary, 'agentState', agent.code, locale)}`;
}

/** How many hosts match; a platform that cannot count is taken at the page's word. */
async function countOf(inventory: HostsCapability, query: HostQuery): Promise<number | undefined> {
  return inventory.count ? inventory.count(query) : undefined;
}

export const hostsCommand: CommandDefinition = {
  family: 'hosts',
  words: ['hosts'],
  permission: 'viewer',
  mutates: false,
  summary: 'List hosts with their UniAgent state, region and tags',
  usage: 'hosts [--name text] [--tag key=value] [--agent online|offline|installing|failed|uninstalled] [--region id] [--limit 1-100] [--after id]',
  examples: ['hosts', 'hosts --tag env=prod', 'hosts --agent offline', 'hosts --name web --region cn-north-4'],
  flags: [
    { name: 'name', takesValue: true, description: 'part of the host name' },
    { name: 'tag', takesValue: true, description: 'key=value, for example env=prod' },
    { name: 'agent', takesValue: true, description: 'UniAgent state: online, offline, installing, failed or uninstalled' },
    { name: 'region', takesValue: true, description: 'region id, for example cn-north-4' },
    { name: 'limit', takesValue: true, description: 'how many to show, 1-100 (default 20)' },
    { name: 'after', takesValue: true, description: 'the id of the last host of the previous page (printed after "More:")' },
  ],
  run: guarded(async (context, args): Promise<Message> => {
    const { backend, t, locale } = context;
    const inventory = need(backend, 'hosts');
    noWords(t, args, 'hosts');
    const limit = wholeNumber(t, args, 'limit', 1, 100, 20);
    const tag = keyValue(t, args, 'tag');
    if (tag && (tag.key.length > 36 || tag.key.includes('.') || Array.from(tag.value).length > 43)) {
      refuse(t(COMMON.notRight), t(TEXT.badTag, { value: shown(flagValue(args, 'tag') ?? '') }));
    }
    const agent = choice(t, args, 'agent', inventory.agentCodes);
    const name = textFlag(t, args, 'name', 256);
    const region = regionFlag(t, args);
    const after = textFlag(t, args, 'after', 64);
    if (after !== undefined && !CURSOR.test(after)) refuse(t(COMMON.notRight), t(TEXT.badAfter, { value: shown(after) }));
    const query = {
      ...(name ? { name } : {}),
      ...(tag ? { tag } : {}),
      ...(agent ? { agentCode: agent } : {}),
      ...(region ? { region } : {}),
    };
    const [page, total] = await Promise.all([inventory.list({ ...query, limit, ...(after ? { after } : {}) }), countOf(inventory, query)]);
    const hosts = page.items;
    const notRunnable = hosts.filter((host: Host) => host.agent.state !== 'online').length;
    const footer = [
      notRunnable > 0 ? t(TEXT.notRunnable, { count: notRunnable }) : undefined,
      page.next !== undefined ? nextPageHint(t, 'hosts', args, 'after', page.next) : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    return {
      title: t(TEXT.title, { shown: hosts.length, total: total ?? hosts.length }),
      ...(notRunnable > 0 ? { tone: 'warning' as const } : {}),
      ...(hosts.length === 0 ? { text: args.flags.size > 0 ? t(TEXT.noMatchFiltered) : t(TEXT.noMatch) } : {}),
      ...(hosts.length > 0
        ? {
            table: {
              columns: [t(TEXT.colName), t(TEXT.colAgent), t(TEXT.colRegion), t(TEXT.colIp), t(TEXT.colTags), t(TEXT.colId)],
              rows: hosts.map((host) => [
                host.name,
                agentBadge(host.agent, backend.vocabulary, locale),
                host.region ?? '',
                host.ip ?? '',
                host.tags.map((tg) => `${tg.key}=${tg.value}`).join(','),
                nativeOf(host.id),
              ]),
            },
          }
        : {}),
      ...(footer ? { footer } : {}),
    };
  }),
};
