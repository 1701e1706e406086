/**
 * `patch`: patch compliance across hosts (coc-api-notes §1.21) — how many hosts are compliant,
 * the missing patches by severity, and the hosts in the worst shape first.
 * `patch show <host|report id>`: one host's patch items (§1.22), the ones that make it
 * non-compliant first.
 *
 * COC pages these reports by page number and cannot sort by severity, so the bot reads every
 * matching report (up to MAX_REPORTS), ranks them itself, and pages what it shows.
 */
import {
  label,
  nativeOf,
  need,
  normalizeError,
  type Backend,
  type ComplianceQuery,
  type HostCompliance,
  type PatchesCapability,
  type PatchItem,
  type PatchReportId,
  type PatchSeverity,
  type SeverityCounts,
  type Vocabulary,
} from '../src/backends/index.js';
import { suggest } from '../src/core/args.js';
import { arg, choicesOf, defineCommand, typedForm, type Choice } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message, MessageField } from '../src/core/message.js';
import type { Locale, Text } from '../src/i18n/translate.js';
import { refuse } from '../src/core/refusal.js';
import { nextPageHint, REPLY_TEXT as COMMON } from '../src/core/reply.js';
import { orNone, shown, utcTime } from '../src/i18n/format.js';
import { limitArg, pageArg, regionArg } from './list-args.js';

const TEXT = {
  title: { 'en-US': 'Patch compliance: {bad} of {hosts:host|hosts} not compliant', 'zh-CN': '补丁合规：{hosts} 台主机中 {bad} 台不合规' },
  titleAllGood: { 'en-US': 'Patch compliance: all {hosts:host|hosts} compliant', 'zh-CN': '补丁合规：{hosts} 台主机全部合规' },
  titleNone: { 'en-US': 'Patch compliance: no report matches', 'zh-CN': '补丁合规：没有匹配的报告' },
  noneText: {
    'en-US': 'COC has patch reports only for Linux hosts with a UniAgent that were scanned. Try fewer filters, or "hosts" to see the hosts.',
    'zh-CN': 'COC 只为已安装 UniAgent 且已扫描的 Linux 主机生成补丁报告。请减少筛选条件，或用 "hosts" 查看主机。',
  },
  noneWithStatus: { 'en-US': 'No host is {status}.', 'zh-CN': '没有{status}的主机。' },
  compliant: { 'en-US': 'Compliant', 'zh-CN': '合规' },
  nonCompliant: { 'en-US': 'Not compliant', 'zh-CN': '不合规' },
  hostsCount: { 'en-US': '{count:host|hosts}', 'zh-CN': '{count} 台' },
  hostCount: { 'en-US': '1 host', 'zh-CN': '1 台' },
  missingBySeverity: { 'en-US': 'Non-compliant patches by severity', 'zh-CN': '不合规补丁（按严重程度）' },
  severityLine: {
    'en-US': '🔴 critical {critical} · 🟠 high {high} · 🟡 medium {medium} · 🟢 low {low} · other {other}',
    'zh-CN': '🔴 严重 {critical} · 🟠 高 {high} · 🟡 中 {medium} · 🟢 低 {low} · 其他 {other}',
  },
  filters: { 'en-US': 'Filters', 'zh-CN': '筛选条件' },
  filterStatus: { 'en-US': 'status {value}', 'zh-CN': '状态 {value}' },
  filterHost: { 'en-US': 'host name contains "{value}"', 'zh-CN': '主机名包含“{value}”' },
  filterRegion: { 'en-US': 'region {value}', 'zh-CN': '区域 {value}' },
  colHost: { 'en-US': 'HOST', 'zh-CN': '主机' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colMissing: { 'en-US': 'NON-COMPLIANT', 'zh-CN': '不合规项' },
  colCritical: { 'en-US': 'CRIT', 'zh-CN': '严重' },
  colHigh: { 'en-US': 'HIGH', 'zh-CN': '高' },
  colMedium: { 'en-US': 'MED', 'zh-CN': '中' },
  colLow: { 'en-US': 'LOW', 'zh-CN': '低' },
  colRegion: { 'en-US': 'REGION', 'zh-CN': '区域' },
  colReported: { 'en-US': 'SCANNED', 'zh-CN': '扫描时间' },
  colReport: { 'en-US': 'REPORT ID', 'zh-CN': '报告 ID' },
  page: { 'en-US': 'Page {page} of {pages}, worst first.', 'zh-CN': '第 {page}/{pages} 页，最严重的在前。' },
  showHint: { 'en-US': 'One host\'s patches: patch show <host>', 'zh-CN': '查看单台主机的补丁：patch show <主机>' },
  capped: {
    'en-US': 'Only the first {read} of {count} reports were read: severity totals and ranking cover those. Narrow with --host or --region.',
    'zh-CN': '只读取了 {count} 份报告中的前 {read} 份：严重程度统计和排序仅基于这些报告。可用 --host 或 --region 缩小范围。',
  },
  pageTooHigh: {
    'en-US': '--page {page} is past the end: {pages:page|pages} of {limit} in all.',
    'zh-CN': '--page {page} 超出范围：每页 {limit} 条，共 {pages} 页。',
  },
  statusFlag: { 'en-US': 'Compliance status', 'zh-CN': '合规状态' },
  hostFlag: { 'en-US': 'Part of the host name', 'zh-CN': '主机名的一部分' },
  hostsPerPage: { 'en-US': 'Hosts per page', 'zh-CN': '每页主机数' },
  // patch show
  itemStatusFlag: { 'en-US': 'Patch status', 'zh-CN': '补丁状态' },
  itemsPerPage: { 'en-US': 'Items per page', 'zh-CN': '每页条数' },
  hostWhat: { 'en-US': 'host (its name or the patch report id)', 'zh-CN': '主机（名称或补丁报告 ID）' },
  badRef: { 'en-US': '"{value}" is not a host name or report id', 'zh-CN': '“{value}”不是主机名或报告 ID' },
  badRefText: {
    'en-US': 'Give the host name as "patch" or "hosts" list it (for example web-01), or the REPORT ID from "patch".',
    'zh-CN': '请给出 "patch" 或 "hosts" 列出的主机名（例如 web-01），或 "patch" 列出的报告 ID。',
  },
  noReport: { 'en-US': 'No patch report for a host called "{name}"', 'zh-CN': '没有名为“{name}”的主机的补丁报告' },
  didYouMean: { 'en-US': 'Did you mean "{name}"?', 'zh-CN': '您是不是想找“{name}”？' },
  similar: { 'en-US': 'Hosts with a report whose names contain "{text}": {names}.', 'zh-CN': '名称包含“{text}”且有报告的主机：{names}。' },
  hostWithoutReport: {
    'en-US': 'The host exists (agent: {agent}, OS type: {os}) but COC has no patch report for it: reports cover Linux hosts with a UniAgent that were scanned.',
    'zh-CN': '该主机存在（Agent：{agent}，操作系统类型：{os}），但 COC 没有它的补丁报告：报告只覆盖已安装 UniAgent 且已扫描的 Linux 主机。',
  },
  listThem: { 'en-US': 'See the hosts that have one with "patch".', 'zh-CN': '可用 "patch" 查看有报告的主机。' },
  ambiguous: { 'en-US': 'Several hosts are called "{name}"', 'zh-CN': '有多台主机名为“{name}”' },
  ambiguousText: { 'en-US': 'Pick one by its report id: {choices}.', 'zh-CN': '请用报告 ID 指定其中一台：{choices}。' },
  reportUnreadable: { 'en-US': 'COC could not give the patch report {id}', 'zh-CN': 'COC 无法返回补丁报告 {id}' },
  reportUnreadableText: {
    'en-US': 'COC said: HTTP {status} {code} {message}. If the id is right, try again later; otherwise find it with "patch --host <name>".',
    'zh-CN': 'COC 返回：HTTP {status} {code} {message}。如果 ID 无误，请稍后重试；否则请用 "patch --host <名称>" 查找。',
  },
  showTitle: { 'en-US': 'Patches on {host}: {status}', 'zh-CN': '{host} 的补丁：{status}' },
  host: { 'en-US': 'Host', 'zh-CN': '主机' },
  hostValue: { 'en-US': '{name} · {ip} · {region}', 'zh-CN': '{name} · {ip} · {region}' },
  os: { 'en-US': 'Operating system', 'zh-CN': '操作系统' },
  baseline: { 'en-US': 'Baseline', 'zh-CN': '补丁基线' },
  scanned: { 'en-US': 'Scanned', 'zh-CN': '扫描时间' },
  items: { 'en-US': 'Items', 'zh-CN': '补丁项' },
  itemsValue: { 'en-US': '{ok} compliant · {bad} not compliant', 'zh-CN': '{ok} 项合规 · {bad} 项不合规' },
  reportId: { 'en-US': 'Report id', 'zh-CN': '报告 ID' },
  colTitle: { 'en-US': 'PATCH', 'zh-CN': '补丁' },
  colClass: { 'en-US': 'CLASS', 'zh-CN': '分类' },
  colSeverity: { 'en-US': 'SEVERITY', 'zh-CN': '严重程度' },
  colItemStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colInstalled: { 'en-US': 'INSTALLED', 'zh-CN': '安装时间' },
  noItems: { 'en-US': 'No patch item matches.', 'zh-CN': '没有匹配的补丁项。' },
  itemsPage: { 'en-US': 'Page {page} of {pages}; not compliant first.', 'zh-CN': '第 {page}/{pages} 页；不合规的在前。' },
  showing: { 'en-US': 'Showing {shown} of {count} items{filter}.', 'zh-CN': '显示 {count} 项中的 {shown} 项{filter}。' },
  withStatus: { 'en-US': ' with status {status}', 'zh-CN': '（状态为 {status}）' },
  agentNotInstalled: { 'en-US': 'Not installed', 'zh-CN': '未安装' },
} satisfies Record<string, Text>;

/** Reports read for one summary (pages of 100). */
const MAX_REPORTS = 1000;
/** Items read for one host. */
const MAX_ITEMS = 1000;
const REPORT_ID = /^[0-9A-Za-z_-]{16,64}$/;
const HOST_NAME = /^[^\s"'`<>]{1,128}$/;

type Severity = keyof SeverityCounts;
type Filters = Omit<ComplianceQuery, 'page' | 'perPage'>;

/** Reports (and items) read per page. */
const PAGE = 100;

function isNonCompliant(report: HostCompliance): boolean {
  return report.status.state === 'non-compliant' || (report.status.state !== 'compliant' && report.nonCompliantCount > 0);
}

/** Worst first: non-compliant, then by critical, high, medium, low, total missing; then by name. */
function byWorst(a: HostCompliance, b: HostCompliance): number {
  const ca = a.missing;
  const cb = b.missing;
  return (
    Number(isNonCompliant(b)) - Number(isNonCompliant(a)) ||
    cb.critical - ca.critical ||
    cb.high - ca.high ||
    cb.medium - ca.medium ||
    cb.low - ca.low ||
    b.nonCompliantCount - a.nonCompliantCount ||
    (a.hostName ?? '').localeCompare(b.hostName ?? '')
  );
}

async function readReports(patches: PatchesCapability, filters: Filters): Promise<{ reports: HostCompliance[]; count: number }> {
  const reports: HostCompliance[] = [];
  let count = 0;
  for (let page = 1; reports.length < MAX_REPORTS; page++) {
    const answer = await patches.compliance({ ...filters, perPage: PAGE, page });
    count = answer.total ?? 0;
    reports.push(...answer.items);
    if (answer.items.length < PAGE || reports.length >= count) break;
  }
  return { reports, count };
}

function complianceBadge(status: HostCompliance['status'], vocabulary: Vocabulary, locale: Locale): string {
  if (status.state === 'compliant') return `✅ ${label(vocabulary, 'patchCompliance', status.code, locale)}`;
  if (status.state === 'non-compliant') return `❌ ${label(vocabulary, 'patchCompliance', status.code, locale)}`;
  return status.code || '?';
}

/** The platform's code of a compliance state (for filters). */
function complianceCode(patches: PatchesCapability, state: 'compliant' | 'non-compliant'): string | undefined {
  return patches.complianceStatuses.find((status) => status.state === state)?.code;
}

export const patchCommand = defineCommand({
  family: 'patch',
  words: ['patch'],
  discord: {
    group: 'patch',
    name: 'list',
    localName: { 'en-US': 'list', 'zh-CN': '列表' },
    description: { 'en-US': 'Compliance and missing patches, worst hosts first', 'zh-CN': '合规情况与缺失补丁，最差的主机在前' },
  },
  needs: ['patches'],
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'Patch compliance: how many hosts are compliant, missing patches by severity, worst hosts first',
    'zh-CN': '补丁合规：合规主机数量、按严重程度统计的缺失补丁，最差的主机在前',
  },
  examples: ['patch', 'patch --status non-compliant', 'patch --host web', 'patch --region cn-north-4 --page 2'],
  positionals: {},
  flags: {
    // The platform's own compliance codes, read from the backend.
    status: arg.enum({ choices: (limits) => choicesOf(limits.backend?.patches?.complianceStatuses.map((known) => known.code) ?? []), description: TEXT.statusFlag }),
    host: arg.string({ max: 128, description: TEXT.hostFlag, placeholder: { 'en-US': 'name', 'zh-CN': 'name' }, suggest: 'hosts' }),
    region: regionArg(),
    limit: limitArg(20, TEXT.hostsPerPage),
    page: pageArg(),
  },
  async run(context, args, raw): Promise<Message> {
    const { backend, t, locale } = context;
    const patches = need(backend, 'patches');
    const { status, host, region, limit, page } = args;
    const statusState = patches.complianceStatuses.find((known) => known.code === status)?.state;
    // Counts cover the host and region filters; --status only narrows the list.
    const scope: Filters = { ...(host ? { hostName: host } : {}), ...(region ? { region } : {}) };
    const { reports, count } = await readReports(patches, { ...scope, ...(status ? { statusCode: status } : {}) });
    const capped = reports.length < count;
    let bad = reports.filter(isNonCompliant).length;
    let good = reports.length - bad;
    if (status || capped) {
      // COC counts for us: exact even past the cap, and for the status not listed.
      const [nonCompliant, compliant] = await Promise.all(
        (['non-compliant', 'compliant'] as const).map((state) => {
          const code = complianceCode(patches, state);
          return patches.compliance({ ...scope, ...(code ? { statusCode: code } : {}), perPage: 1, page: 1 }).then((a) => a.total);
        }),
      );
      bad = nonCompliant ?? bad;
      good = compliant ?? good;
    }
    const totals = reports.reduce<Record<Severity, number>>(
      (sum, report) => {
        const c = report.missing;
        for (const key of Object.keys(sum) as Severity[]) sum[key] += c[key];
        return sum;
      },
      { critical: 0, high: 0, medium: 0, low: 0, other: 0 },
    );
    const filterText = [
      status ? t(TEXT.filterStatus, { value: label(backend.vocabulary, 'patchCompliance', status, locale) }) : undefined,
      host ? t(TEXT.filterHost, { value: host }) : undefined,
      region ? t(TEXT.filterRegion, { value: region }) : undefined,
    ].filter(Boolean);

    if (good + bad === 0) {
      return { title: t(TEXT.titleNone), text: t(TEXT.noneText), ...(filterText.length ? { fields: [{ label: t(TEXT.filters), value: filterText.join(', ') }] } : {}) };
    }
    const pages = Math.max(1, Math.ceil(reports.length / limit));
    if (page > pages && reports.length > 0) refuse(t(COMMON.notRight), t(TEXT.pageTooHigh, { page, pages, limit }));
    const ranked = [...reports].sort(byWorst).slice((page - 1) * limit, page * limit);
    const fields: MessageField[] = [
      { label: `✅ ${t(TEXT.compliant)}`, value: good === 1 ? t(TEXT.hostCount) : t(TEXT.hostsCount, { count: good }) },
      { label: `❌ ${t(TEXT.nonCompliant)}`, value: bad === 1 ? t(TEXT.hostCount) : t(TEXT.hostsCount, { count: bad }) },
      ...(statusState !== 'compliant' ? [{ label: t(TEXT.missingBySeverity), value: t(TEXT.severityLine, totals) }] : []),
      ...(filterText.length ? [{ label: t(TEXT.filters), value: filterText.join(', ') }] : []),
    ];
    const footer = [
      capped ? t(TEXT.capped, { read: reports.length, count }) : undefined,
      t(TEXT.page, { page, pages }),
      page < pages ? nextPageHint(t, 'patch', raw, 'page', page + 1) : undefined,
      t(TEXT.showHint),
    ].filter(Boolean);
    const hosts = good + bad;
    return {
      title: bad === 0 ? t(TEXT.titleAllGood, { hosts }) : t(TEXT.title, { bad, hosts }),
      tone: bad === 0 ? 'success' : totals.critical > 0 || totals.high > 0 ? 'danger' : 'warning',
      // Red tells of missing patches, not of a failed request.
      outcome: 'succeeded',
      fields,
      ...(reports.length === 0 ? { text: t(TEXT.noneWithStatus, { status: label(backend.vocabulary, 'patchCompliance', status, locale) }) } : {}),
      ...(ranked.length > 0
        ? {
            table: {
              columns: [t(TEXT.colHost), t(TEXT.colStatus), t(TEXT.colMissing), t(TEXT.colCritical), t(TEXT.colHigh), t(TEXT.colMedium), t(TEXT.colLow), t(TEXT.colRegion), t(TEXT.colReported), t(TEXT.colReport)],
              rows: ranked.map((report) => {
                const c = report.missing;
                return [
                  report.hostName ?? report.hostNativeId ?? '',
                  complianceBadge(report.status, backend.vocabulary, locale),
                  String(report.nonCompliantCount),
                  String(c.critical),
                  String(c.high),
                  String(c.medium),
                  String(c.low),
                  report.region ?? '',
                  orNone(utcTime(report.scannedAt), t),
                  nativeOf(report.id),
                ];
              }),
            },
          }
        : {}),
      footer: footer.join('\n'),
    };
  },
});

// ---- patch show ----

/** Most urgent first; a level nobody named comes last. */
const LEVEL_RANK: Readonly<Record<PatchSeverity, number>> = { critical: 0, high: 1, medium: 2, low: 3, informational: 4, unspecified: 5, unknown: 6 };

function byItemUrgency(a: PatchItem, b: PatchItem): number {
  return (
    Number(a.compliant) - Number(b.compliant) ||
    LEVEL_RANK[a.complianceLevel.state] - LEVEL_RANK[b.complianceLevel.state] ||
    (b.installedAt ?? 0) - (a.installedAt ?? 0) ||
    (a.title ?? '').localeCompare(b.title ?? '')
  );
}

function itemStatus(item: PatchItem, vocabulary: Vocabulary, locale: Locale): string {
  const name = label(vocabulary, 'patchStatus', item.status.code, locale) || '?';
  return item.compliant ? `✅ ${name}` : `❌ ${name}`;
}

async function resolveReport(context: CommandContext, patches: PatchesCapability, ref: string): Promise<HostCompliance> {
  const { backend, t, locale } = context;
  if (!HOST_NAME.test(ref)) refuse(t(TEXT.badRef, { value: shown(ref) }), t(TEXT.badRefText));
  // A host name first: report ids are long random strings no host is called.
  const { reports } = await readReports(patches, { hostName: ref });
  const exact = reports.filter((r) => r.hostName === ref);
  const matches = exact.length ? exact : reports.filter((r) => r.hostName?.toLowerCase() === ref.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    refuse(t(TEXT.ambiguous, { name: shown(ref, 64) }), t(TEXT.ambiguousText, { choices: matches.map((r) => `${nativeOf(r.id)} (${r.region ?? '?'}, ${r.ip ?? '?'})`).join('; ') }));
  }
  const id = REPORT_ID.test(ref) ? backend.parseId('patch-host', ref) : undefined;
  if (id !== undefined) {
    const byId = await reportById(context, patches, id);
    if (byId) return byId;
  }
  // Nothing: say why — a host without a report, or a typo (did-you-mean from the hosts that have reports).
  const lines: string[] = [];
  const hosts = await need(backend, 'hosts').list({ name: ref, limit: 100 });
  const host = hosts.items.find((h) => h.name === ref);
  if (host) {
    const agent = host.agent.code ? label(backend.vocabulary, 'agentState', host.agent.code, locale) : t(TEXT.agentNotInstalled);
    lines.push(t(TEXT.hostWithoutReport, { agent, os: host.os ?? '?' }));
  } else {
    const all = (await readReports(patches, {})).reports.map((r) => r.hostName ?? '').filter(Boolean);
    const hint = suggest(ref, all);
    const containing = [...new Set(all.filter((name) => name !== hint && name.toLowerCase().includes(ref.toLowerCase())))].slice(0, 5);
    if (hint) lines.push(t(TEXT.didYouMean, { name: hint }));
    if (containing.length) lines.push(t(TEXT.similar, { text: ref, names: containing.join(', ') }));
  }
  lines.push(t(TEXT.listThem));
  refuse(t(TEXT.noReport, { name: shown(ref, 64) }), lines.join(' '));
}

/** The report with this id: its items name the instance, and the instance's report gives the header. */
async function reportById(context: CommandContext, patches: PatchesCapability, id: PatchReportId): Promise<HostCompliance | undefined> {
  const { t } = context;
  let instanceId: string | undefined;
  try {
    const answer = await patches.items(id, { perPage: 1, page: 1 });
    instanceId = answer.items[0]?.hostNativeId;
  } catch (error) {
    // The platform answered with an error (COC answers every patch error, an unknown id included, with HTTP 500): say what it said.
    const answered = normalizeError(error);
    const status = answered?.detail.status;
    if (answered && status !== undefined && answered.detail.lost !== 'shape') {
      refuse(
        t(TEXT.reportUnreadable, { id: nativeOf(id) }),
        t(TEXT.reportUnreadableText, { status, code: answered.detail.code ?? '', message: shown(answered.detail.platformMessage ?? '', 200).replace(/[.。\s]+$/, '') }),
      );
    }
    throw error;
  }
  if (instanceId) {
    const { items: reports } = await patches.compliance({ hostNativeId: instanceId, perPage: 100 });
    const found = reports.find((r) => r.id === id);
    if (found) return found;
  }
  // A report with no items, or an instance whose report moved on: read them all.
  return (await readReports(patches, {})).reports.find((r) => r.id === id);
}

async function readItems(patches: PatchesCapability, id: PatchReportId, status: string | undefined): Promise<{ items: PatchItem[]; count: number }> {
  const items: PatchItem[] = [];
  let count = 0;
  for (let page = 1; items.length < MAX_ITEMS; page++) {
    const answer = await patches.items(id, { perPage: PAGE, page, ...(status ? { statusCode: status } : {}) });
    count = answer.total ?? 0;
    items.push(...answer.items);
    if (answer.items.length < PAGE || items.length >= count) break;
  }
  return { items, count };
}

/** A name or id as typed: long enough that the handler's own check, which says what one looks like, refuses first. */
const REF_MAX = 1000;

/** A patch's statuses as typed (`pending-reboot`), each named in Chinese as the backend names it. */
function itemStatusChoices(backend: Backend): Choice[] {
  return (backend.patches?.itemStatusCodes ?? []).map((code) => ({
    value: code,
    typed: typedForm(code),
    label: { 'en-US': typedForm(code), 'zh-CN': label(backend.vocabulary, 'patchStatus', code, 'zh-CN') || typedForm(code) },
  }));
}

export const patchShowCommand = defineCommand({
  family: 'patch',
  words: ['patch', 'show'],
  discord: {
    group: 'patch',
    name: 'show',
    localName: { 'en-US': 'show', 'zh-CN': '详情' },
    description: { 'en-US': "One host's patches: severity, status, install time", 'zh-CN': '单台主机的补丁：严重程度、状态、安装时间' },
  },
  needs: ['patches'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': "One host's patches: title, classification, severity, status, when installed", 'zh-CN': '单台主机的补丁：标题、分类、严重程度、状态、安装时间' },
  examples: ['patch show web-01', 'patch show web-01 --status missing'],
  positionals: {
    'host-name-or-report-id': arg.string({
      required: true,
      max: REF_MAX,
      description: TEXT.hostWhat,
      placeholder: { 'en-US': 'host name|report id', 'zh-CN': 'host name|report id' },
      suggest: 'hosts',
    }),
  },
  flags: {
    // The platform's own patch statuses, read from the backend, named in Chinese by its vocabulary.
    status: arg.enum({ choices: (limits) => (limits.backend ? itemStatusChoices(limits.backend) : []), description: TEXT.itemStatusFlag }),
    limit: limitArg(30, TEXT.itemsPerPage),
    page: pageArg(),
  },
  async run(context, args, raw): Promise<Message> {
    const { backend, t, locale } = context;
    const patches = need(backend, 'patches');
    const { status, limit, page } = args;
    const ref = args['host-name-or-report-id'];
    const report = await resolveReport(context, patches, ref);
    const reportId = nativeOf(report.id);
    context.audit.target = `patch report ${reportId}${report.hostName ? ` (${report.hostName})` : ''}`;
    const { items, count } = await readItems(patches, report.id, status);
    const pages = Math.max(1, Math.ceil(items.length / limit));
    if (page > pages) refuse(t(COMMON.notRight), t(TEXT.pageTooHigh, { page, pages, limit }));
    const shownItems = [...items].sort(byItemUrgency).slice((page - 1) * limit, page * limit);
    const okCount = report.compliantCount;
    const badCount = report.nonCompliantCount;
    const name = report.hostName ?? report.hostNativeId ?? reportId;
    const fields: MessageField[] = [
      { label: t(TEXT.host), value: t(TEXT.hostValue, { name, ip: report.ip ?? '?', region: report.region ?? '?' }) },
      ...(report.operatingSystem ? [{ label: t(TEXT.os), value: report.operatingSystem }] : []),
      ...(report.baseline ? [{ label: t(TEXT.baseline), value: report.baseline }] : []),
      { label: t(TEXT.scanned), value: orNone(utcTime(report.scannedAt), t) },
      { label: t(TEXT.items), value: t(TEXT.itemsValue, { ok: okCount, bad: badCount }) },
      { label: t(TEXT.missingBySeverity), value: t(TEXT.severityLine, report.missing) },
      { label: t(TEXT.reportId), value: reportId },
    ];
    const filter = status ? t(TEXT.withStatus, { status: label(backend.vocabulary, 'patchStatus', status, locale) }) : '';
    return {
      title: t(TEXT.showTitle, { host: name, status: complianceBadge(report.status, backend.vocabulary, locale) }),
      tone: isNonCompliant(report) ? 'warning' : 'success',
      fields,
      ...(shownItems.length === 0 ? { text: t(TEXT.noItems) } : {}),
      ...(shownItems.length > 0
        ? {
            table: {
              columns: [t(TEXT.colTitle), t(TEXT.colClass), t(TEXT.colSeverity), t(TEXT.colItemStatus), t(TEXT.colInstalled)],
              rows: shownItems.map((item) => [
                item.title ?? '',
                item.classification ?? '',
                item.severity || item.complianceLevel.code || t(COMMON.none),
                itemStatus(item, backend.vocabulary, locale),
                orNone(utcTime(item.installedAt), t),
              ]),
            },
          }
        : {}),
      footer: [
        t(TEXT.showing, { shown: shownItems.length, count, filter }),
        pages > 1 ? t(TEXT.itemsPage, { page, pages }) : undefined,
        page < pages ? nextPageHint(t, 'patch show', raw, 'page', page + 1) : undefined,
      ]
        .filter(Boolean)
        .join('\n'),
    };
  },
});

export const PATCH_COMMANDS = [patchCommand, patchShowCommand] as const;
