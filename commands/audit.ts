/**
 * `audit`: the audit trail, newest first — who (chat user → IAM user), what, on what, the
 * outcome and COC's request id, with parameters shown as masked when they were recorded.
 *
 * Who sees what (decided here): approvers and admins read everybody's entries, in every
 * workspace the bot serves (one bot serves one team; its Slack and Discord sides are one
 * trail). Operators read only their own entries (by their chat user id in this workspace),
 * including their refused attempts; asking for someone else's is refused. Viewers cannot use it.
 *
 * Each command's row is shown; the rows of the single COC calls it made are hidden unless
 * `--calls` is given (the command's row already carries the last call's request id) — except a
 * change to COC whose outcome is still open (pending, unknown): when the bot stopped during the
 * call, that row may be the only trace of it, and it must be checked in COC.
 */
import type { ParsedArgs } from '../src/core/args.js';
import type { CommandDefinition } from '../src/core/command.js';
import { flagValue, noPositionals } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { roleAtLeast } from '../src/identity/roles.js';
import type { AuditEventFilter, AuditEventRow } from '../src/store/audit-events.js';
import type { AuditOutcome } from '../src/store/vocabulary.js';
import { IAM_USER_PATTERN, PLATFORM_NAME, refusal, shown } from './identity-common.js';

const TEXT = {
  title: { 'en-US': 'Audit trail: {count} entries, newest first', 'zh-CN': '审计记录：{count} 条，最新的在前' },
  none: { 'en-US': 'No entry matches.', 'zh-CN': '没有匹配的记录。' },
  colTime: { 'en-US': 'TIME (UTC)', 'zh-CN': '时间 (UTC)' },
  colWho: { 'en-US': 'WHO', 'zh-CN': '操作人' },
  colCommand: { 'en-US': 'COMMAND', 'zh-CN': '命令' },
  colTarget: { 'en-US': 'TARGET', 'zh-CN': '对象' },
  colOutcome: { 'en-US': 'OUTCOME', 'zh-CN': '结果' },
  colRequestId: { 'en-US': 'COC REQUEST ID', 'zh-CN': 'COC 请求 ID' },
  notLinked: { 'en-US': '(not linked)', 'zh-CN': '（未关联）' },
  badSince: { 'en-US': '--since "{value}" is not a time', 'zh-CN': '--since “{value}”不是有效的时间' },
  badSinceText: {
    'en-US': 'Give a duration back from now (30m, 2h, 1d, 2w) or a UTC date or time (2026-05-01, 2026-05-01T08:00Z).',
    'zh-CN': '请给出距现在的时长（30m、2h、1d、2w）或 UTC 日期/时间（2026-05-01、2026-05-01T08:00Z）。',
  },
  futureSince: { 'en-US': '--since "{value}" is in the future', 'zh-CN': '--since “{value}”是将来的时间' },
  futureSinceText: { 'en-US': 'Nothing can have happened after now. Give a time in the past.', 'zh-CN': '请给出过去的时间。' },
  badLimit: { 'en-US': '--limit "{value}" is not allowed', 'zh-CN': '--limit “{value}”不被允许' },
  badLimitText: { 'en-US': 'Give a whole number from 1 to 200 (default 20).', 'zh-CN': '请给出 1 到 200 之间的整数（默认 20）。' },
  badUser: { 'en-US': '--user "{value}" is not an IAM user name', 'zh-CN': '--user “{value}”不是有效的 IAM 用户名' },
  badUserText: {
    'en-US': 'Give the IAM user name, as shown in the WHO column after the arrow.',
    'zh-CN': '请给出 IAM 用户名，即“操作人”列箭头后的名称。',
  },
  othersRefused: { 'en-US': "You may read only your own audit entries", 'zh-CN': '您只能查看自己的审计记录' },
  othersRefusedText: {
    'en-US': "Operators see their own entries; reading {user}'s needs the approver role or higher. Run \"audit\" without --user for yours.",
    'zh-CN': '操作员只能查看自己的记录；查看 {user} 的记录需要 approver 或更高角色。去掉 --user 即可查看您自己的记录。',
  },
  ownOnly: { 'en-US': 'Only your own entries (operators see their own; approvers see everyone\'s).', 'zh-CN': '仅显示您自己的记录（操作员只能查看自己的；审批人可查看所有人的）。' },
  filterUser: { 'en-US': 'IAM user {user}', 'zh-CN': 'IAM 用户 {user}' },
  filterSince: { 'en-US': 'since {time} UTC', 'zh-CN': '自 {time} UTC 起' },
  filters: { 'en-US': 'Filters: {filters}.', 'zh-CN': '筛选：{filters}。' },
  callsHidden: { 'en-US': 'Single COC calls hidden; add --calls to see them.', 'zh-CN': '已隐藏单次 COC 调用；加 --calls 可查看。' },
  more: { 'en-US': 'More may exist: narrow with --since or --user, or raise --limit (at most 200).', 'zh-CN': '可能还有更多：可用 --since 或 --user 缩小范围，或增大 --limit（最多 200）。' },
} satisfies Record<string, Text>;

const OUTCOME: Readonly<Record<AuditOutcome, Text>> = {
  succeeded: { 'en-US': 'succeeded', 'zh-CN': '成功' },
  failed: { 'en-US': 'failed', 'zh-CN': '失败' },
  denied: { 'en-US': 'denied', 'zh-CN': '拒绝' },
  pending: { 'en-US': 'pending', 'zh-CN': '待定' },
  // A write to COC whose answer never came: it may or may not have taken effect.
  unknown: { 'en-US': 'outcome unknown', 'zh-CN': '结果未知' },
};

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 200;
/** How many rows are read when COC-call rows are hidden, to still fill the page. */
const SCAN_LIMIT = 500;
const DURATION = /^(\d{1,6})(m|h|d|w)$/i;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration back from `now`, or an ISO date/time (UTC unless it names its offset). */
export function parseSince(raw: string, now: Date): Date | undefined {
  const duration = DURATION.exec(raw.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!);
  const iso = ISO_TIME.exec(raw.trim());
  if (!iso) return undefined;
  const [, date, time, zone] = iso;
  const text = time ? `${date}T${time}${zone ? zone.toUpperCase() : 'Z'}` : `${date}T00:00:00Z`;
  const parsed = new Date(text);
  // Rejects impossible dates such as 2026-02-31 (Date rolls them over).
  if (Number.isNaN(parsed.getTime())) return undefined;
  const utc = !zone || zone.toUpperCase() === 'Z';
  if (utc && parsed.toISOString().slice(0, 10) !== date) return undefined;
  return parsed;
}

function limitOf(args: ParsedArgs): number | undefined {
  const raw = flagValue(args, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw.trim())) return undefined;
  const value = Number(raw.trim());
  return value >= 1 && value <= MAX_LIMIT ? value : undefined;
}

/** A single COC call shown even without --calls: a change that may or may not have happened. */
function isOpenWrite(row: AuditEventRow): boolean {
  return isCocCallRow(row) && (row.outcome === 'pending' || row.outcome === 'unknown');
}

/** Rows the COC client wrote for single calls (`coc GET /v1/...`), as opposed to commands. */
export function isCocCallRow(row: Pick<AuditEventRow, 'command'>): boolean {
  return /^coc [A-Z]+ \//.test(row.command);
}

/** `scripts --name nginx`, `run --param password=***`: the recorded (already masked) parameters, short. */
export function compactParameters(parameters: Record<string, unknown>): string {
  const parts: string[] = [];
  // Plain words first, then the options (the store does not keep the typed order).
  const entries = Object.entries(parameters).sort(([a], [b]) => Number(b === 'args') - Number(a === 'args'));
  for (const [name, value] of entries) {
    const values = (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
    if (name === 'args') parts.push(...values.map((v) => shown(v, 24)));
    else if (name === 'value') parts.push(`value=${shown(values.join(','), 32)}`);
    else if (values.length === 1 && values[0] === 'true') parts.push(`--${name}`);
    else parts.push(`--${name} ${shown(values.join(','), 32)}`);
  }
  return parts.join(' ');
}

function time(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function who(t: Translate, row: AuditEventRow, viewerPlatform: string): string {
  const chat = row.platform === 'system' ? t(PLATFORM_NAME.system) : shown(row.chatUserId ?? '?', 24);
  const prefix = row.platform !== viewerPlatform && row.platform !== 'system' ? `${row.platform}:` : '';
  return `${prefix}${chat} → ${row.iamUserName ? shown(row.iamUserName, 32) : t(TEXT.notLinked)}`;
}

function commandCell(row: AuditEventRow): string {
  if (isCocCallRow(row)) {
    const p = row.maskedParameters;
    const detail = [p['status'] !== undefined && p['status'] !== null ? `HTTP ${String(p['status'])}` : undefined, typeof p['durationMs'] === 'number' ? `${p['durationMs']} ms` : undefined]
      .filter(Boolean)
      .join(', ');
    return `↳ ${row.command.slice(4)}${detail ? ` (${detail})` : ''}`;
  }
  const parameters = compactParameters(row.maskedParameters);
  return shown(parameters ? `${row.command} ${parameters}` : row.command, 80);
}

export const auditCommand: CommandDefinition = {
  family: 'audit',
  words: ['audit'],
  answersPrivately: true,
  permission: 'operator',
  mutates: false,
  summary: "Read the audit trail, newest first (operators: their own entries; approvers: everyone's)",
  usage: 'audit [--user iam-user] [--since 2h|1d|ISO] [--limit 1-200] [--calls]',
  examples: ['audit', 'audit --since 2h', 'audit --user jdoe --since 2026-05-01 --limit 100', 'audit --calls --limit 50'],
  flags: [
    { name: 'user', takesValue: true, description: "only this IAM user's entries (approvers and admins)" },
    { name: 'since', takesValue: true, description: 'from this long ago (30m, 2h, 1d, 2w) or this UTC date/time (2026-05-01T08:00Z)' },
    { name: 'limit', takesValue: true, description: `how many to show, 1-${MAX_LIMIT} (default ${DEFAULT_LIMIT})` },
    { name: 'calls', takesValue: false, description: 'also show each single COC call a command made' },
  ],
  async run(context, args): Promise<Message> {
    const { t, services, actor, identity } = context;
    noPositionals(args, 'audit');
    const limit = limitOf(args);
    if (limit === undefined) return refusal(t(TEXT.badLimit, { value: shown(flagValue(args, 'limit') ?? '') }), t(TEXT.badLimitText));
    const rawSince = flagValue(args, 'since');
    const now = new Date();
    const since = rawSince === undefined ? undefined : parseSince(rawSince, now);
    if (rawSince !== undefined && since === undefined) return refusal(t(TEXT.badSince, { value: shown(rawSince) }), t(TEXT.badSinceText));
    if (since && since.getTime() > now.getTime()) return refusal(t(TEXT.futureSince, { value: shown(rawSince ?? '') }), t(TEXT.futureSinceText));
    const user = flagValue(args, 'user');
    if (user !== undefined && !IAM_USER_PATTERN.test(user)) return refusal(t(TEXT.badUser, { value: shown(user) }), t(TEXT.badUserText));

    const seesEveryone = roleAtLeast(identity.role, 'approver');
    if (!seesEveryone && user !== undefined && user !== identity.iamUserName) {
      return refusal(t(TEXT.othersRefused), t(TEXT.othersRefusedText, { user: shown(user) }));
    }
    const withCalls = args.flags.has('calls');
    const filter: AuditEventFilter = {
      ...(user !== undefined ? { iamUserName: user } : {}),
      ...(seesEveryone ? {} : { chatUser: { platform: actor.platform, workspaceId: actor.workspaceId, chatUserId: actor.userId } }),
      ...(since ? { since } : {}),
      limit: withCalls ? limit : SCAN_LIMIT,
    };
    const scanned = await services.audit.list(filter);
    // A command's row and its COC calls' rows share one timestamp (one transaction): the command first.
    const ordered = [...scanned].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || Number(isCocCallRow(a)) - Number(isCocCallRow(b)));
    const rows = (withCalls ? ordered : ordered.filter((row) => !isCocCallRow(row) || isOpenWrite(row))).slice(0, limit);
    const more = withCalls ? scanned.length === limit : rows.length === limit || scanned.length === SCAN_LIMIT;

    const filters = [user !== undefined ? t(TEXT.filterUser, { user }) : undefined, since ? t(TEXT.filterSince, { time: time(since) }) : undefined].filter(
      (part): part is string => part !== undefined,
    );
    const footer = [
      seesEveryone ? undefined : t(TEXT.ownOnly),
      filters.length ? t(TEXT.filters, { filters: filters.join(', ') }) : undefined,
      withCalls ? undefined : t(TEXT.callsHidden),
      more ? t(TEXT.more) : undefined,
    ].filter((part): part is string => part !== undefined);
    return {
      title: t(TEXT.title, { count: rows.length }),
      ...(rows.length === 0 ? { text: t(TEXT.none) } : {}),
      table: {
        columns: [TEXT.colTime, TEXT.colWho, TEXT.colCommand, TEXT.colTarget, TEXT.colOutcome, TEXT.colRequestId].map((text) => t(text)),
        rows: rows.map((row) => [
          time(row.occurredAt),
          who(t, row, actor.platform),
          commandCell(row),
          shown(row.target ?? '', 40),
          `${t(OUTCOME[row.outcome])}${row.error ? `: ${shown(row.error, 48)}` : ''}`,
          row.requestId ?? '',
        ]),
      },
      footer: footer.join(' '),
      private: true,
    };
  },
};
