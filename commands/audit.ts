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
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { roleAtLeast } from '../src/identity/roles.js';
import type { AuditEventFilter, AuditEventRow } from '../src/store/audit-events.js';
import type { AuditOutcome } from '../src/store/vocabulary.js';
import { refusalReply } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { IAM_USER_PATTERN, PLATFORM_NAME } from './identity-common.js';

const TEXT = {
  title: { 'en-US': 'Audit trail: {count} entries, newest first', 'zh-CN': '审计记录：{count} 条，最新的在前' },
  none: { 'en-US': 'No entry matches.', 'zh-CN': '没有匹配的记录。' },
  colTime: { 'en-US': 'TIME (UTC)', 'zh-CN': '时间 (UTC)' },
  colWho: { 'en-US': 'WHO', 'zh-CN': '操作人' },
  colCommand: { 'en-US': 'COMMAND', 'zh-CN': '命令' },
  colTarget: { 'en-US': 'TARGET', 'zh-CN': '对象' },
  colOutcome: { 'en-US': 'OUTCOME', 'zh-CN': '结果' },
  colRequestId: { 'en-US': '{platform} REQUEST ID', 'zh-CN': '{platform} 请求 ID' },
  notLinked: { 'en-US': '(not linked)', 'zh-CN': '（未关联）' },
  othersRefused: { 'en-US': "You may read only your own audit entries", 'zh-CN': '您只能查看自己的审计记录' },
  othersRefusedText: {
    'en-US': "Operators see their own entries; reading {user}'s needs the approver role or higher. Run \"audit\" without --user for yours.",
    'zh-CN': '操作员只能查看自己的记录；查看 {user} 的记录需要 approver 或更高角色。去掉 --user 即可查看您自己的记录。',
  },
  ownOnly: { 'en-US': 'Only your own entries (operators see their own; approvers see everyone\'s).', 'zh-CN': '仅显示您自己的记录（操作员只能查看自己的；审批人可查看所有人的）。' },
  filterUser: { 'en-US': '{identity} {user}', 'zh-CN': '{identity} {user}' },
  filterSince: { 'en-US': 'since {time} UTC', 'zh-CN': '自 {time} UTC 起' },
  filters: { 'en-US': 'Filters: {filters}.', 'zh-CN': '筛选：{filters}。' },
  callsHidden: { 'en-US': 'Single {platform} calls hidden; add --calls to see them.', 'zh-CN': '已隐藏单次 {platform} 调用；加 --calls 可查看。' },
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

const MAX_LIMIT = 200;
/** How many rows are read when COC-call rows are hidden, to still fill the page. */
const SCAN_LIMIT = 500;

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

export const auditCommand = defineCommand({
  family: 'audit',
  words: ['audit'],
  discord: { name: 'audit', description: { 'en-US': 'The audit trail, newest first', 'zh-CN': '审计记录，最新的在前' } },
  answersPrivately: true,
  permission: 'operator',
  mutates: false,
  summary: {
    'en-US': "Read the audit trail, newest first (operators: their own entries; approvers: everyone's)",
    'zh-CN': '查看审计记录，最新的在前（操作员：自己的记录；审批人：所有人的）',
  },
  examples: ['audit', 'audit --since 2h', 'audit --user jdoe --since 2026-05-01 --limit 100', 'audit --calls --limit 50'],
  positionals: {},
  flags: {
    user: arg.string({
      max: 64,
      pattern: {
        re: IAM_USER_PATTERN,
        says: {
          'en-US': 'it is not {anIdentity} name; give it as the WHO column shows it after the arrow',
          'zh-CN': '这不是有效的{identity}名；请按“操作人”列箭头后的名称给出',
        },
      },
      placeholder: { 'en-US': 'user', 'zh-CN': '用户' },
      description: { 'en-US': "Only this {identity}'s entries (approvers and admins)", 'zh-CN': '仅此 {identity}的记录（审批人及管理员）' },
    }),
    since: arg.since({ description: { 'en-US': 'From 30m, 2h, 1d, 2w ago or a UTC date/time', 'zh-CN': '自 30m、2h、1d、2w 前或某个 UTC 时间起' } }),
    limit: arg.integer({ min: 1, max: MAX_LIMIT, default: 20, description: { 'en-US': 'How many to show', 'zh-CN': '显示数量' } }),
    calls: arg.boolean({ description: { 'en-US': 'Also each {platform} call a command made', 'zh-CN': '同时显示命令发出的每次 {platform} 调用' } }),
  },
  async run(context, args) {
    const { t, services, actor, identity } = context;
    const { user, limit, calls: withCalls } = args;
    const since = args.since === undefined ? undefined : new Date(args.since);
    const seesEveryone = roleAtLeast(identity.role, 'approver');
    if (!seesEveryone && user !== undefined && user !== identity.iamUserName) {
      return refusalReply(t(TEXT.othersRefused), t(TEXT.othersRefusedText, { user: shown(user) }));
    }
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
});
