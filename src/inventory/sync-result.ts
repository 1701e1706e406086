/**
 * What an inventory sync changed, as the hosts list shows it: a snapshot of the hosts before the
 * sync was asked for, another after, and the difference put into words a person can act on
 * (hosts added and gone, agents whose state changed, those still not online, and what to type
 * next). Reads only.
 */
import { AGENT_NAMES, label, nativeOf, need, type AgentState, type Backend, type Coded, type HostQuery } from '../backends/index.js';
import type { Message, MessageSection } from '../core/message.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';

/** One host as a sync result names it. */
export interface SnapshotHost {
  readonly id: string;
  readonly rowId: string;
  readonly name: string;
  readonly region?: string;
  readonly agent: Coded<AgentState>;
}

export interface HostSnapshot {
  /** By host id, in the platform's list order. */
  readonly hosts: ReadonlyMap<string, SnapshotHost>;
  /** False when the list was longer than the bot reads for a sync (the count still compares). */
  readonly complete: boolean;
}

/** Pages read for a snapshot: 20 × 100 hosts. A larger fleet is compared by what those pages hold. */
export const SNAPSHOT_PAGES = 20;

/** The hosts matching `query`, as the platform lists them now. */
export async function readSnapshot(backend: Backend, query: HostQuery, maxPages = SNAPSHOT_PAGES): Promise<HostSnapshot> {
  const inventory = need(backend, 'hosts');
  const hosts = new Map<string, SnapshotHost>();
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const read = await inventory.list({ ...query, limit: inventory.pageMax, ...(after !== undefined ? { after } : {}) });
    for (const host of read.items) {
      hosts.set(host.id, { id: host.id, rowId: host.rowId, name: host.name, ...(host.region !== undefined ? { region: host.region } : {}), agent: host.agent });
    }
    if (read.next === undefined) return { hosts, complete: true };
    after = read.next;
  }
  return { hosts, complete: false };
}

export interface AgentChange {
  readonly host: SnapshotHost;
  readonly from: Coded<AgentState>;
}

export interface SnapshotDiff {
  readonly added: readonly SnapshotHost[];
  readonly gone: readonly SnapshotHost[];
  readonly agentChanged: readonly AgentChange[];
}

export function diffSnapshots(before: HostSnapshot, after: HostSnapshot): SnapshotDiff {
  const added = [...after.hosts.values()].filter((host) => !before.hosts.has(host.id));
  // A host beyond the pages read is not "gone": only a complete list can say so.
  const gone = after.complete ? [...before.hosts.values()].filter((host) => !after.hosts.has(host.id)) : [];
  const agentChanged: AgentChange[] = [];
  for (const host of after.hosts.values()) {
    const was = before.hosts.get(host.id);
    if (was && was.agent.code !== host.agent.code) agentChanged.push({ host, from: was.agent });
  }
  return { added, gone, agentChanged };
}

export function isEmptyDiff(diff: SnapshotDiff): boolean {
  return diff.added.length === 0 && diff.gone.length === 0 && diff.agentChanged.length === 0;
}

/** Whether two reads list the same hosts with the same agent states. */
export function sameSnapshot(a: HostSnapshot, b: HostSnapshot): boolean {
  return a.complete === b.complete && isEmptyDiff(diffSnapshots(a, b)) && isEmptyDiff(diffSnapshots(b, a));
}

export const SYNC_RESULT_TEXT = {
  hostsDone: { 'en-US': 'Host sync finished: {before} → {after} hosts', 'zh-CN': '主机同步完成：{before} → {after} 台主机' },
  hostsQuiet: { 'en-US': 'Host sync: no change seen in {minutes} min', 'zh-CN': '主机同步：{minutes} 分钟内未见变化' },
  hostsQuietText: {
    'en-US': '{platform} lists the same {count:host|hosts} as before the sync. It may still be reading the cloud: "hosts" shows the list as {platform} has it now, and a sync is safe to ask for again with "hosts sync".',
    'zh-CN': '{platform} 列出的 {count} 台主机与同步前相同。它可能仍在读取云上资源：用 "hosts" 查看 {platform} 当前的列表；同步可以安全地再次发起："hosts sync"。',
  },
  agentsDone: { 'en-US': 'Agent sync finished: {online} of {total} {agent} online', 'zh-CN': 'Agent 同步完成：{total} 台中 {online} 台 {agent} 在线' },
  agentsQuiet: { 'en-US': 'Agent sync: no change seen in {minutes} min', 'zh-CN': 'Agent 同步：{minutes} 分钟内未见变化' },
  agentsQuietText: {
    'en-US': 'The {agent} state of these {count:host|hosts} is as it was. A sync is safe to ask for again with "agents sync".',
    'zh-CN': '这 {count} 台主机的 {agent} 状态与之前相同。同步可以安全地再次发起："agents sync"。',
  },
  stillChanging: { 'en-US': 'Stopped waiting after {minutes} min while the list was still changing: what it showed last.', 'zh-CN': '等待 {minutes} 分钟后停止，列表仍在变化：以下为最后一次读取的结果。' },
  unreadable: { 'en-US': '{platform} could not be read for the result: "hosts" shows the list once it answers.', 'zh-CN': '无法读取 {platform} 以获取结果：待其恢复后用 "hosts" 查看列表。' },
  partial: { 'en-US': 'Only the first {count} hosts were compared; "hosts" lists the rest.', 'zh-CN': '仅比较了前 {count} 台主机；其余请用 "hosts" 查看。' },
  added: { 'en-US': 'Added ({count})', 'zh-CN': '新增（{count}）' },
  gone: { 'en-US': 'Gone ({count})', 'zh-CN': '消失（{count}）' },
  agentChanged: { 'en-US': '{agent} state changed ({count})', 'zh-CN': '{agent} 状态变化（{count}）' },
  notOnline: { 'en-US': 'Not online ({count})', 'zh-CN': '不在线（{count}）' },
  noAgent: { 'en-US': 'no agent', 'zh-CN': '无 Agent' },
  newNotOnline: {
    'en-US': '{count:new host cannot|new hosts cannot} run scripts yet: their {agent} is not online. Refresh it with "agents sync --hosts {names}".',
    'zh-CN': '{count} 台新主机的 {agent} 不在线，暂时无法执行脚本。可用 "agents sync --hosts {names}" 刷新。',
  },
  stillNotOnline: {
    'en-US': 'These cannot run scripts: check the {agent} on them (install or restart it), then "agents sync --hosts {names}" again.',
    'zh-CN': '这些主机无法执行脚本：请检查其上的 {agent}（安装或重启），然后再次执行 "agents sync --hosts {names}"。',
  },
} satisfies Record<string, Text>;
const TEXT = SYNC_RESULT_TEXT;

/** Lines listed in one section at most. */
const LISTED = 15;

export interface ResultContext {
  readonly t: Translate;
  readonly locale: Locale;
  readonly backend: Backend;
}

function agentWord(agent: Coded<AgentState>, context: ResultContext): string {
  return agent.code ? label(context.backend.vocabulary, 'agentState', agent.code, context.locale) : context.t(TEXT.noAgent);
}

function hostLine(host: SnapshotHost, context: ResultContext): string {
  return `${host.name || nativeOf(host.id)} (${[host.region, agentWord(host.agent, context)].filter(Boolean).join(' · ')})`;
}

function listed(lines: readonly string[]): string {
  return lines.length > LISTED ? `${lines.slice(0, LISTED).join(', ')}, … (+${lines.length - LISTED})` : lines.join(', ');
}

/** A reference `--hosts` takes for these hosts (names, or ids where the name is empty). */
function hostRefs(hosts: readonly SnapshotHost[]): string {
  return hosts
    .slice(0, LISTED)
    .map((host) => host.name || `id:${nativeOf(host.id)}`)
    .join(',');
}

function diffSections(diff: SnapshotDiff, context: ResultContext): MessageSection[] {
  const { t } = context;
  const agent = AGENT_NAMES[context.backend.name];
  const sections: MessageSection[] = [];
  if (diff.added.length) sections.push({ title: t(TEXT.added, { count: diff.added.length }), text: listed(diff.added.map((host) => hostLine(host, context))) });
  if (diff.gone.length) sections.push({ title: t(TEXT.gone, { count: diff.gone.length }), text: listed(diff.gone.map((host) => hostLine(host, context))) });
  if (diff.agentChanged.length) {
    sections.push({
      title: t(TEXT.agentChanged, { agent, count: diff.agentChanged.length }),
      text: listed(diff.agentChanged.map((change) => `${change.host.name || nativeOf(change.host.id)}: ${agentWord(change.from, context)} → ${agentWord(change.host.agent, context)}`)),
    });
  }
  return sections;
}

export interface SyncEnd {
  /** Stopped waiting at the deadline (rather than seeing a settled change). */
  readonly timedOut: boolean;
  readonly minutes: number;
  /** The last read failed: the result is what the platform showed before. */
  readonly unreadable: boolean;
}

/** The result of `hosts sync`: what the list shows now against what it showed before. */
export function hostSyncResult(before: HostSnapshot, after: HostSnapshot, end: SyncEnd, context: ResultContext): Message {
  const { t } = context;
  const platform = t(context.backend.displayName);
  const agent = AGENT_NAMES[context.backend.name];
  const diff = diffSnapshots(before, after);
  const notes: string[] = [];
  if (end.unreadable) notes.push(t(TEXT.unreadable, { platform }));
  if (!before.complete || !after.complete) notes.push(t(TEXT.partial, { count: after.hosts.size }));
  if (isEmptyDiff(diff)) {
    return {
      title: t(TEXT.hostsQuiet, { minutes: end.minutes }),
      text: [t(TEXT.hostsQuietText, { platform, count: after.hosts.size }), ...notes].join('\n'),
      tone: 'warning',
    };
  }
  if (end.timedOut) notes.unshift(t(TEXT.stillChanging, { minutes: end.minutes }));
  const newNotOnline = diff.added.filter((host) => host.agent.state !== 'online');
  if (newNotOnline.length) notes.push(t(TEXT.newNotOnline, { count: newNotOnline.length, agent, names: hostRefs(newNotOnline) }));
  return {
    title: t(TEXT.hostsDone, { before: before.hosts.size, after: after.hosts.size }),
    tone: newNotOnline.length || end.timedOut ? 'warning' : 'success',
    sections: diffSections(diff, context),
    ...(notes.length ? { text: notes.join('\n') } : {}),
  };
}

/** The result of `agents sync`: the chosen hosts' agents now against before, and those still not online. */
export function agentSyncResult(before: HostSnapshot, after: HostSnapshot, end: SyncEnd, context: ResultContext): Message {
  const { t } = context;
  const platform = t(context.backend.displayName);
  const agent = AGENT_NAMES[context.backend.name];
  const diff = diffSnapshots(before, after);
  const hosts = [...after.hosts.values()];
  const notOnline = hosts.filter((host) => host.agent.state !== 'online');
  const notes: string[] = [];
  if (end.unreadable) notes.push(t(TEXT.unreadable, { platform }));
  const sections = diffSections({ ...diff, added: [], gone: [] }, context);
  if (notOnline.length) {
    sections.push({ title: t(TEXT.notOnline, { count: notOnline.length }), text: listed(notOnline.map((host) => hostLine(host, context))) });
    notes.push(t(TEXT.stillNotOnline, { agent, names: hostRefs(notOnline) }));
  }
  if (diff.agentChanged.length === 0 && notOnline.length > 0) {
    return {
      title: t(TEXT.agentsQuiet, { minutes: end.minutes }),
      text: [t(TEXT.agentsQuietText, { agent, count: hosts.length }), ...notes].join('\n'),
      tone: 'warning',
      sections,
    };
  }
  if (end.timedOut && diff.agentChanged.length > 0) notes.unshift(t(TEXT.stillChanging, { minutes: end.minutes }));
  return {
    title: t(TEXT.agentsDone, { online: hosts.length - notOnline.length, total: hosts.length, agent }),
    tone: notOnline.length || end.timedOut ? 'warning' : 'success',
    sections,
    ...(notes.length ? { text: notes.join('\n') } : {}),
  };
}
