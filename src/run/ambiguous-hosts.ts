/**
 * The refusal of a host name (or IP) that means more than one host: every candidate with what
 * tells it apart (name, IP, region, agent state, short resource id) and how to name exactly
 * one (`id:<resource id>`, or `region/name` where that is unique). The flags and the form say
 * it alike: both take the same host references. A platform without regions or random ids
 * (BlueKing) is offered the whole id or the IP.
 */
import { label, type Vocabulary } from '../backends/index.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';
import { ID_PREFIX, shortIds, SHORT_ID_LENGTH, type HostNaming } from './host-ids.js';
import type { AmbiguousHost, HostCandidate } from './hosts.js';
import { PlanProblem } from './plan.js';
import { shown } from '../core/arguments/schema.js';

const TEXT = {
  ambiguous: {
    'en-US': '"{given}" matches {count} hosts, so nothing was planned. Name one of them: {example}. {idHint}\n{candidates}',
    'zh-CN': '“{given}”匹配到 {count} 台主机，因此未生成计划。请指定其中一台：{example}。{idHint}\n{candidates}',
  },
  exampleBoth: { 'en-US': 'id:{id} or {region}/{name}', 'zh-CN': 'id:{id} 或 {region}/{name}' },
  exampleId: { 'en-US': 'id:{id} (region/name does not tell them apart)', 'zh-CN': 'id:{id}（区域/名称无法区分它们）' },
  idHint: {
    'en-US': 'id: takes a whole resource id or its first {length} characters; region/name a region id and a name or IP.',
    'zh-CN': 'id: 后填写完整资源 ID 或其前 {length} 个字符；区域/名称即区域 ID 加名称或 IP。',
  },
  exampleIdOrIp: { 'en-US': 'id:{id} or {ip}', 'zh-CN': 'id:{id} 或 {ip}' },
  exampleWholeId: { 'en-US': 'id:{id} (their IPs are the same too)', 'zh-CN': 'id:{id}（它们的 IP 也相同）' },
  wholeIdHint: {
    'en-US': 'id: takes a whole host id as listed; an IP that only one of them has names that one.',
    'zh-CN': 'id: 后填写列出的完整主机 ID；只有其中一台拥有的 IP 也可指定该主机。',
  },
  noAgent: { 'en-US': 'no {agent}', 'zh-CN': '无 {agent}' },
  unknownValue: { 'en-US': '?', 'zh-CN': '?' },
} satisfies Record<string, Text>;

/** Listed per name; more are counted (a name matching this many hosts wants `hosts --name` anyway). */
const MAX_LISTED = 20;

function agentText(t: Translate, vocabulary: Vocabulary, state: string | undefined, naming: HostNaming): string {
  if (state === undefined) return t(TEXT.noAgent, { agent: naming.agent });
  return t({ 'en-US': label(vocabulary, 'agentState', state, 'en-US'), 'zh-CN': label(vocabulary, 'agentState', state, 'zh-CN') });
}

function sameRegionAndName(a: HostCandidate, b: HostCandidate): boolean {
  return (a.regionId ?? '').toLowerCase() === (b.regionId ?? '').toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();
}

function describe(t: Translate, vocabulary: Vocabulary, entry: AmbiguousHost, naming: HostNaming): string {
  if (!naming.idPrefixes) return describeByWholeIds(t, vocabulary, entry, naming);
  const short = shortIds(entry.candidates.map((c) => c.resourceId));
  const first = entry.candidates[0]!;
  const regionPicks = first.regionId !== undefined && entry.candidates.filter((c) => sameRegionAndName(c, first)).length === 1;
  const firstId = short.get(first.resourceId) ?? first.resourceId;
  const example = regionPicks ? t(TEXT.exampleBoth, { id: firstId, region: first.regionId!, name: first.name }) : t(TEXT.exampleId, { id: firstId });
  const listed = entry.candidates.slice(0, MAX_LISTED).map((c) =>
    [`• ${c.name}`, c.ip ?? t(TEXT.unknownValue), c.regionId ?? t(TEXT.unknownValue), agentText(t, vocabulary, c.agentState, naming), `${ID_PREFIX}${short.get(c.resourceId) ?? c.resourceId}`].join(' · '),
  );
  const more = entry.candidates.length - listed.length;
  if (more > 0) listed.push(`• … +${more}`);
  return t(TEXT.ambiguous, {
    given: shown(entry.given, 64),
    count: entry.candidates.length,
    example,
    idHint: t(TEXT.idHint, { length: SHORT_ID_LENGTH }),
    candidates: listed.join('\n'),
  });
}

/** For ids that are not random (BlueKing's `cloud:ip`): shown and picked whole, or by an IP only one candidate has. */
function describeByWholeIds(t: Translate, vocabulary: Vocabulary, entry: AmbiguousHost, naming: HostNaming): string {
  const first = entry.candidates[0]!;
  const ipPicks = first.ip !== undefined && entry.candidates.filter((c) => c.ip === first.ip).length === 1;
  const example = ipPicks ? t(TEXT.exampleIdOrIp, { id: first.resourceId, ip: first.ip! }) : t(TEXT.exampleWholeId, { id: first.resourceId });
  const listed = entry.candidates.slice(0, MAX_LISTED).map((c) =>
    [
      `• ${c.name}`,
      c.ip ?? t(TEXT.unknownValue),
      ...(naming.regions ? [c.regionId ?? t(TEXT.unknownValue)] : []),
      agentText(t, vocabulary, c.agentState, naming),
      `${ID_PREFIX}${c.resourceId}`,
    ].join(' · '),
  );
  const more = entry.candidates.length - listed.length;
  if (more > 0) listed.push(`• … +${more}`);
  return t(TEXT.ambiguous, { given: shown(entry.given, 64), count: entry.candidates.length, example, idHint: t(TEXT.wholeIdHint), candidates: listed.join('\n') });
}

/** Names that match several hosts; `in(t)` lists the candidates in the reader's language. */
export class AmbiguousHostsProblem extends PlanProblem {
  constructor(
    readonly entries: readonly AmbiguousHost[],
    /** The platform's words for its agent states. */
    readonly vocabulary: Vocabulary,
    /** How the platform's hosts are told apart (src/run/host-ids.ts). */
    readonly naming: HostNaming,
  ) {
    const text = { 'en-US': '{details}', 'zh-CN': '{details}' };
    super('hosts', text, { details: entries.map((entry) => describe(translator('en-US'), vocabulary, entry, naming)).join('\n\n') });
  }

  override in(t: Translate): string {
    return this.entries.map((entry) => describe(t, this.vocabulary, entry, this.naming)).join('\n\n');
  }
}
