/**
 * `hosts`: the ECS hosts COC knows (coc-api-notes §1.2, total from §2.9), with UniAgent state,
 * region and tags, filtered and paged. Hosts whose agent is not ONLINE are marked: scripts
 * cannot run on them.
 */
import { AGENT_NAMES, label, need, nativeOf, platformName, type AgentState, type Coded, type Host, type HostQuery, type HostsCapability, type Vocabulary } from '../src/backends/index.js';
import { arg, choicesOf, defineCommand } from '../src/core/arguments/index.js';
import type { Message } from '../src/core/message.js';
import type { Locale, Text } from '../src/i18n/translate.js';
import { refuse } from '../src/core/refusal.js';
import { nextPageHint, REPLY_TEXT as COMMON } from '../src/core/reply.js';
import { shown } from '../src/i18n/format.js';
import { limitArg, regionArg } from './list-args.js';
import { shortIds } from '../src/run/host-ids.js';
import { TOPOLOGY_FLAGS, topologyOf } from './topology-args.js';

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
  stateUnknown: { 'en-US': 'State unknown', 'zh-CN': '状态未知' },
  statesUnknown: {
    'en-US': '⚠ {platform} gave no {agent} state for {count} of these hosts; a run asks {platform} which of them are ONLINE and leaves out the others.',
    'zh-CN': '⚠ {platform} 未给出其中 {count} 台主机的 {agent} 状态；执行时会向 {platform} 查询其中哪些为 ONLINE，其余的将被排除。',
  },
  notRunnable: {
    'en-US': '⚠ {count} of these hosts cannot run scripts now: their {agent} is not online.',
    'zh-CN': '⚠ 其中 {count} 台主机的 {agent} 不在线，目前无法执行脚本。',
  },
  badTag: {
    'en-US': '--tag key=value needs a key of 1-36 characters without "." and a value of at most 43 characters, got "{value}".',
    'zh-CN': '--tag key=value 的键须为 1-36 个字符且不含“.”，值最多 43 个字符，收到的是“{value}”。',
  },
  afterSays: {
    'en-US': 'give the id printed after "More:" on the previous page',
    'zh-CN': '请给出上一页“下一页：”后给出的 ID',
  },
  nameFlag: { 'en-US': 'Part of the host name', 'zh-CN': '主机名的一部分' },
  tagFlag: { 'en-US': 'Tag key=value, e.g. env=prod', 'zh-CN': '标签 key=value，例如 env=prod' },
  agentFlag: { 'en-US': '{agent} state', 'zh-CN': '{agent} 状态' },
  afterFlag: { 'en-US': 'Last id of the previous page', 'zh-CN': '上一页最后一个 id' },
} satisfies Record<string, Text>;

/** CMDB ids are opaque; this only keeps obviously wrong input (spaces, quotes, huge) from COC. */
const CURSOR = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * `● Online`, or `⚠ Offline` / `⚠ No agent` / `⚠ State unknown`: anything not online cannot run
 * scripts as listed. No code: "no agent" where the listing reports states (COC's SDK reads a
 * missing one so), "state unknown" where it reports none at all (src/backends/coc/hosts.ts).
 */
export function agentBadge(agent: Coded<AgentState>, vocabulary: Vocabulary, locale: Locale): string {
  if (agent.state === 'online') return `● ${label(vocabulary, 'agentState', agent.code, locale)}`;
  if (!agent.code) return `⚠ ${agent.state === 'unknown' ? TEXT.stateUnknown[locale] : TEXT.noAgent[locale]}`;
  return `⚠ ${label(vocabulary, 'agentState', agent.code, locale)}`;
}

/** How many hosts match; a platform that cannot count is taken at the page's word. */
async function countOf(inventory: HostsCapability, query: HostQuery): Promise<number | undefined> {
  return inventory.count ? inventory.count(query) : undefined;
}

export const hostsCommand = defineCommand({
  family: 'hosts',
  words: ['hosts'],
  discord: {
    name: 'hosts',
    localName: { 'en-US': 'hosts', 'zh-CN': '主机' },
    description: { 'en-US': 'Hosts with {agent} state, {hostPlaces}', 'zh-CN': '主机及其 {agent} 状态、{hostPlaces}' },
  },
  needs: ['hosts'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'List hosts with their {agent} state, {hostPlaces}', 'zh-CN': '列出主机及其 {agent} 状态、{hostPlaces}' },
  examples: ['hosts', 'hosts --tag env=prod', 'hosts --agent offline', 'hosts --name web --region cn-north-4'],
  // BlueKing places hosts by set and module, not region or tag.
  examplesOn: { blueking: ['hosts', 'hosts --set web', 'hosts --name cache --module redis'] },
  positionals: {},
  flags: {
    name: arg.string({ max: 256, description: TEXT.nameFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    tag: arg.keyValue({ description: TEXT.tagFlag, needs: 'hosts.filter.tag' }),
    // The platform's own agent states (COC: ONLINE, OFFLINE…), read from the backend.
    agent: arg.enum({ choices: (limits) => choicesOf(limits.backend?.hosts?.agentCodes ?? []), description: TEXT.agentFlag, needs: 'hosts.filter.agent' }),
    region: regionArg('hosts.filter.region'),
    ...TOPOLOGY_FLAGS,
    limit: limitArg(20),
    after: arg.string({ max: 64, pattern: { re: CURSOR, says: TEXT.afterSays }, description: TEXT.afterFlag, placeholder: { 'en-US': 'id', 'zh-CN': 'id' } }),
  },
  async run(context, args, raw): Promise<Message> {
    const { backend, t, locale } = context;
    const inventory = need(backend, 'hosts');
    const { tag, agent, name, region, after, limit } = args;
    const topology = topologyOf(args);
    // COC's tag rules, which the key=value kind does not know.
    if (tag && (tag.key.length > 36 || tag.key.includes('.') || Array.from(tag.value).length > 43)) {
      refuse(t(COMMON.notRight), t(TEXT.badTag, { value: shown(raw.flags.get('tag')?.at(-1) ?? '') }));
    }
    const query = {
      ...(name ? { name } : {}),
      ...(tag ? { tag } : {}),
      ...(agent ? { agentCode: agent } : {}),
      ...(region ? { region } : {}),
      ...(topology ? { topology } : {}),
    };
    const [page, total] = await Promise.all([inventory.list({ ...query, limit, ...(after ? { after } : {}) }), countOf(inventory, query)]);
    const hosts = page.items;
    const unknownState = hosts.filter((host: Host) => host.agent.state === 'unknown' && !host.agent.code).length;
    const notRunnable = hosts.filter((host: Host) => host.agent.state !== 'online').length - unknownState;
    // Columns a platform never fills are left out (BlueKing's hosts have no region and no tags).
    const regions = inventory.filters.has('region');
    const tags = inventory.filters.has('tag');
    const footer = [
      notRunnable > 0 ? t(TEXT.notRunnable, { count: notRunnable, agent: AGENT_NAMES[backend.name] }) : undefined,
      unknownState > 0 ? t(TEXT.statesUnknown, { count: unknownState, agent: AGENT_NAMES[backend.name], platform: platformName(backend.name)[locale] }) : undefined,
      page.next !== undefined ? nextPageHint(t, 'hosts', raw, 'after', page.next) : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    return {
      title: t(TEXT.title, { shown: hosts.length, total: total ?? hosts.length }),
      ...(notRunnable + unknownState > 0 ? { tone: 'warning' as const } : {}),
      ...(hosts.length === 0 ? { text: raw.flags.size > 0 ? t(TEXT.noMatchFiltered) : t(TEXT.noMatch) } : {}),
      ...(hosts.length > 0
        ? {
            table: {
              columns: [t(TEXT.colName), t(TEXT.colAgent), ...(regions ? [t(TEXT.colRegion)] : []), t(TEXT.colIp), ...(tags ? [t(TEXT.colTags)] : []), t(TEXT.colId)],
              rows: hosts.map((host) => [
                host.name,
                agentBadge(host.agent, backend.vocabulary, locale),
                ...(regions ? [host.region ?? ''] : []),
                host.ip ?? '',
                ...(tags ? [host.tags.map((tg) => `${tg.key}=${tg.value}`).join(',')] : []),
                nativeOf(host.id),
              ]),
              // A narrow terminal shows ids as the prefix `--hosts id:<prefix>` accepts.
              idPrefixes: { [3 + (regions ? 1 : 0) + (tags ? 1 : 0)]: Math.max(...[...shortIds(hosts.map((host) => nativeOf(host.id))).values()].map((id) => id.length)) },
            },
          }
        : {}),
      ...(footer ? { footer } : {}),
    };
  },
});
