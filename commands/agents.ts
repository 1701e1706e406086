/**
 * `agents sync [--hosts …|--tag …]`: asks the platform to refresh the agent state of some hosts
 * (COC `POST /v1/resources/uniagent/sync`, coc-api-notes §2.4), then follows those hosts to a
 * result posted here once: agents whose state changed, and those still not online. Without a
 * choice, the hosts whose agent is not online now (the ones that cannot run scripts), among the
 * first pages of the fleet: on a larger fleet the reply says how many hosts were looked at, that
 * more exist, and how to reach them (--hosts, --tag) — never implying that all were synced.
 *
 * A write, sent once (see hosts-sync.ts for what an unknown answer leads to).
 */
import { AGENT_NAMES, need, type AgentSyncTarget, type HostQuery } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { readSnapshot, type HostSnapshot } from '../src/inventory/sync-result.js';
import { resolveHosts } from '../src/run/hosts.js';
import { startSync } from './hosts-sync.js';

const TEXT = {
  cannot: { 'en-US': 'No agent sync was asked for', 'zh-CN': '未发起 Agent 同步' },
  nothing: {
    'en-US': 'Every host {platform} lists has its {agent} online: there is nothing to refresh. Name hosts with --hosts or --tag to refresh them anyway.',
    'zh-CN': '{platform} 列出的所有主机的 {agent} 均在线，无需刷新。如仍要刷新，请用 --hosts 或 --tag 指定主机。',
  },
  nothingAmongFirst: {
    'en-US':
      'The first {looked} hosts {platform} lists all have their {agent} online: there is nothing to refresh among them. {platform} lists more hosts than the bot reads at once, and those were not looked at; name them with --hosts or --tag (e.g. "agents sync --tag role=db").',
    'zh-CN': '{platform} 列出的前 {looked} 台主机的 {agent} 均在线，其中无需刷新。{platform} 列出的主机多于机器人一次读取的数量，其余主机未被查看；请用 --hosts 或 --tag 指定（例如 "agents sync --tag role=db"）。',
  },
  /** After "(UniAgent not online": the fleet was read in part. */
  amongFirst: { 'en-US': ', among the first {looked} of more', 'zh-CN': '，仅限前 {looked} 台' },
  partialFleet: {
    'en-US':
      'Only part of the fleet was looked at: {platform} lists more hosts than the bot reads at once, so only the first {looked} were checked, and this sync takes the {count:host|hosts} among them whose {agent} is not online. Hosts beyond them were not synced; reach them with --hosts or --tag (e.g. "agents sync --tag role=db").',
    'zh-CN':
      '只查看了部分主机：{platform} 列出的主机多于机器人一次读取的数量，只检查了前 {looked} 台，本次同步包含其中 {agent} 不在线的 {count} 台主机。其余主机未同步；请用 --hosts 或 --tag 指定（例如 "agents sync --tag role=db"）。',
  },
  noMatch: { 'en-US': 'No host matches {selection}. See them with "hosts".', 'zh-CN': '没有主机匹配 {selection}。可用 "hosts" 查看。' },
  tooMany: {
    'en-US': '{count} hosts match {selection}; one agent sync takes at most {max}. Choose fewer (e.g. --hosts a,b or a narrower --tag).',
    'zh-CN': '有 {count} 台主机匹配 {selection}；一次 Agent 同步最多 {max} 台。请缩小范围（例如 --hosts a,b 或更窄的 --tag）。',
  },
  unknownHosts: { 'en-US': '{platform} knows no host called {names}. See them with "hosts --name …".', 'zh-CN': '{platform} 中没有名为 {names} 的主机。可用 "hosts --name …" 查看。' },
  ambiguous: {
    'en-US': '{names}: each matches more than one host; pick one as id:<resource id> or region/name (see "hosts --name …").',
    'zh-CN': '{names} 对应多台主机；请用 id:<资源 ID> 或 区域/名称 指定（可用 "hosts --name …" 查看）。',
  },
  noResourceId: { 'en-US': '{names}: no cloud resource id, so {platform} cannot sync the agent there.', 'zh-CN': '{names}：没有云资源 ID，{platform} 无法同步其 Agent。' },
  what: { 'en-US': 'Agent sync', 'zh-CN': 'Agent 同步' },
  whatLower: { 'en-US': 'agent sync', 'zh-CN': 'Agent 同步' },
  follows: {
    'en-US': 'the {agent} state of {count:host|hosts} ({online} online now) and those still not online',
    'zh-CN': '这 {count} 台主机的 {agent} 状态（当前 {online} 台在线）以及仍不在线的主机',
  },
  hostsFlag: { 'en-US': 'Host names or ids', 'zh-CN': '主机名或 id' },
  tagFlag: { 'en-US': 'Hosts with this tag, key=value', 'zh-CN': '带此标签的主机，key=value' },
} satisfies Record<string, Text>;

/** Pages of the fleet read to find the hosts whose agent is not online. */
const FLEET_PAGES = 20;

function chosen(snapshot: HostSnapshot, only?: (state: string) => boolean): AgentSyncTarget[] {
  return [...snapshot.hosts.values()]
    .filter((host) => (only ? only(host.agent.state) : true))
    .map((host) => ({ id: host.id, rowId: host.rowId, ...(host.region !== undefined ? { region: host.region } : {}) }));
}

/** The hosts a `--hosts` list names, each exactly one host, or the refusal that says which is not. */
async function namedHosts(context: CommandContext, names: readonly string[]): Promise<HostQuery> {
  const { t, backend } = context;
  const platform = t(backend.displayName);
  const resolved = await resolveHosts(backend, { kind: 'names', names });
  const quoted = (list: readonly string[]) => list.map((name) => `"${shown(name, 40)}"`).join(', ');
  if (resolved.ambiguous.length) refuse(t(TEXT.cannot), t(TEXT.ambiguous, { names: quoted(resolved.ambiguous.map((a) => a.given)) }));
  if (resolved.unknown.length || resolved.tooBroad.length) refuse(t(TEXT.cannot), t(TEXT.unknownHosts, { platform, names: quoted([...resolved.unknown, ...resolved.tooBroad]) }));
  const noId = resolved.excluded.filter((host) => host.id === undefined);
  if (noId.length) refuse(t(TEXT.cannot), t(TEXT.noResourceId, { platform, names: quoted(noId.map((host) => host.name)) }));
  return { ids: [...resolved.runnable.map((host) => host.id), ...resolved.excluded.flatMap((host) => (host.id ? [host.id] : []))] };
}

export const agentsSyncCommand = defineCommand({
  family: 'hosts',
  words: ['agents', 'sync'],
  discord: {
    name: 'agents-sync',
    localName: { 'en-US': 'agents-sync', 'zh-CN': 'agent同步' },
    description: { 'en-US': "Refresh hosts' agent state", 'zh-CN': '刷新主机的 Agent 状态' },
  },
  needs: ['hosts.sync-agents'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Ask the platform to refresh the agent state of hosts (by default those not online); the result follows here',
    'zh-CN': '让平台刷新主机的 Agent 状态（默认刷新不在线的主机）；结果随后发布在此处',
  },
  examples: ['agents sync', 'agents sync --hosts web-01,web-02', 'agents sync --tag role=db'],
  positionals: {},
  flags: {
    hosts: arg.hosts({ max: (limits) => limits.backend?.hosts?.agentSyncMax ?? 100, suggest: 'hosts', description: TEXT.hostsFlag }),
    tag: arg.keyValue({ keyPattern: /^[^.=]{1,36}$/, valueMax: 43, description: TEXT.tagFlag, needs: 'hosts.filter.tag' }),
  },
  oneOf: [['hosts', 'tag']],
  async run(context, args): Promise<Message> {
    const { backend, t } = context;
    const inventory = need(backend, 'hosts');
    const max = inventory.agentSyncMax ?? 100;
    const platform = t(backend.displayName);
    const agent = AGENT_NAMES[backend.name];
    const selection = args.hosts ? `--hosts ${args.hosts.join(',')}` : args.tag ? `--tag ${args.tag.key}=${args.tag.value}` : '';
    let query: HostQuery;
    let before: HostSnapshot;
    let note: string | undefined;
    if (args.hosts || args.tag) {
      query = args.hosts ? await namedHosts(context, args.hosts) : { tag: args.tag! };
      before = await readSnapshot(backend, query, Math.ceil(max / inventory.pageMax) + 1);
      if (before.hosts.size === 0) refuse(t(TEXT.cannot), t(TEXT.noMatch, { selection: shown(selection, 80) }));
      if (before.hosts.size > max || !before.complete) refuse(t(TEXT.cannot), t(TEXT.tooMany, { count: before.hosts.size, selection: shown(selection, 80), max }));
    } else {
      // The hosts that cannot run scripts now: read from the fleet, then followed by id.
      const fleet = await readSnapshot(backend, {}, FLEET_PAGES);
      const notOnline = chosen(fleet, (state) => state !== 'online');
      const looked = fleet.hosts.size;
      if (notOnline.length === 0) refuse(t(TEXT.cannot), fleet.complete ? t(TEXT.nothing, { platform, agent }) : t(TEXT.nothingAmongFirst, { platform, agent, looked }));
      const among = fleet.complete ? '' : t(TEXT.amongFirst, { looked });
      if (notOnline.length > max) refuse(t(TEXT.cannot), t(TEXT.tooMany, { count: notOnline.length, selection: `(${agent} not online${among})`, max }));
      query = { ids: notOnline.map((host) => host.id) };
      before = { hosts: new Map([...fleet.hosts].filter(([id]) => query.ids!.includes(id))), complete: true };
      // A fleet longer than the pages read: the hosts beyond them were not looked at, and the reply says so.
      if (!fleet.complete) note = t(TEXT.partialFleet, { platform, agent, looked, count: notOnline.length });
    }
    const targets = chosen(before);
    const online = [...before.hosts.values()].filter((host) => host.agent.state === 'online').length;
    context.audit.target = selection || 'agents not online';
    context.audit.maskedParameters = { ...context.audit.maskedParameters, hosts: targets.length };
    return startSync(context, {
      what: TEXT.what,
      whatLower: TEXT.whatLower,
      follows: t(TEXT.follows, { agent, count: targets.length, online }),
      command: ['agents sync', selection].filter(Boolean).join(' '),
      ...(note ? { note } : {}),
      follow: { kind: 'agents', query, before },
      send: () => inventory.syncAgents!(targets),
    });
  },
});
