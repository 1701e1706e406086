/**
 * `orders`: execution orders, newest first, filtered and paged; `order show <execute_uuid>`:
 * one order as a card (status, progress, batches, hosts, failing hosts' output with secrets
 * hidden, and the buttons that fit its state). Both only read.
 */
import { label, nativeOf, need, type RunsCapability, type RunSummary } from '../src/backends/index.js';
import { reconcileRunsOf } from '../src/run/reconcile.js';
import type { CommandContext, CommandDefinition } from '../src/core/command.js';
import { flagValue } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { readOrder } from '../src/orders/order-card.js';
import { showOrder } from '../src/orders/show.js';
import { listRunsStartedBy } from '../src/store/run-history.js';
import { cell, choiceListFlag, duration, guarded, joinNotes, withoutEmptyTable, noPlainWords, sinceFlag, singleId, utcTime, wholeNumberFlag, type IdKind } from './chat-input.js';

const TEXT = {
  listTitle: { 'en-US': 'Execution orders ({count} of {total})', 'zh-CN': '脚本执行工单（{count}/{total}）' },
  listTitleNoTotal: { 'en-US': 'Execution orders ({count})', 'zh-CN': '脚本执行工单（{count}）' },
  none: { 'en-US': 'No order matches.', 'zh-CN': '没有匹配的工单。' },
  colUuid: { 'en-US': 'EXECUTE UUID', 'zh-CN': '工单 ID' },
  colScript: { 'en-US': 'SCRIPT', 'zh-CN': '脚本' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colCreator: { 'en-US': 'STARTED BY', 'zh-CN': '创建人' },
  colCreated: { 'en-US': 'CREATED', 'zh-CN': '创建时间' },
  colDuration: { 'en-US': 'DURATION', 'zh-CN': '耗时' },
  running: { 'en-US': 'running', 'zh-CN': '执行中' },
  filters: { 'en-US': 'Filters: {filters}.', 'zh-CN': '筛选：{filters}。' },
  filterStatus: { 'en-US': 'status {value}', 'zh-CN': '状态 {value}' },
  filterMine: { 'en-US': 'started by {user}', 'zh-CN': '创建人 {user}' },
  filterSince: { 'en-US': 'since {time}', 'zh-CN': '自 {time} 起' },
  more: { 'en-US': 'More: orders --after {marker}{same}', 'zh-CN': '下一页：orders --after {marker}{same}' },
  sameFilters: { 'en-US': ' (with the same filters)', 'zh-CN': '（保持相同筛选条件）' },
  showHint: { 'en-US': 'Details: order show <execute uuid>.', 'zh-CN': '查看详情：order show <工单 ID>。' },
  mineSharedIdentity: {
    'en-US': 'COC records the IAM user that called it as the creator. Orders the bot started with its shared service identity carry the bot\'s IAM user, not yours.',
    'zh-CN': 'COC 将调用它的 IAM 用户记为创建人。机器人以共享服务身份发起的工单，其创建人是机器人的 IAM 用户，而不是您。',
  },
  fromChatTitle: { 'en-US': 'Orders you started from chat ({count})', 'zh-CN': '您从聊天中发起的工单（{count} 个）' },
  fromChatNote: {
    'en-US': 'The bot calls COC with its shared identity, so COC names the bot as their creator; these are the runs the bot made for you.',
    'zh-CN': '机器人以共享身份调用 COC，COC 将机器人记为创建人；这里列出的是机器人为您发起的执行。',
  },
  gone: { 'en-US': '(not found in COC)', 'zh-CN': '（COC 中未找到）' },
  outcomeUnknown: { 'en-US': 'outcome unknown (looking in COC)', 'zh-CN': '结果未知（正在 COC 中查找）' },
} satisfies Record<string, Text>;

export const ORDER_ID: IdKind = {
  which: { 'en-US': 'Which order? Give its execute uuid.', 'zh-CN': '请指定工单（execute uuid）。' },
  what: { 'en-US': 'an order id (execute uuid)', 'zh-CN': '工单 ID（execute uuid）' },
  What: { 'en-US': 'An order id', 'zh-CN': '工单 ID' },
  example: 'SCT2026031409300101ab2cd3e',
};

/** List statuses by the words people type (the platform's codes, case-insensitive, and its everyday words). */
function statusWords(runs: Pick<RunsCapability, 'listStatusCodes' | 'listStatusWords'>): Readonly<Record<string, string>> {
  return { ...Object.fromEntries(runs.listStatusCodes.map((code) => [code, code])), ...runs.listStatusWords };
}

export const ordersCommand: CommandDefinition = {
  family: 'orders',
  words: ['orders'],
  permission: 'viewer',
  mutates: false,
  summary: 'List script execution orders, newest first',
  usage: 'orders [--status ready|processing|abnormal|paused|canceled|finished] [--mine] [--since 2h|1d|2026-05-01] [--limit 1-100] [--after order-id]',
  examples: ['orders', 'orders --status paused', 'orders --mine --since 1d'],
  flags: [
    { name: 'status', takesValue: true, description: 'ready, processing, abnormal, paused, canceled or finished' },
    { name: 'mine', takesValue: false, description: 'only orders whose COC creator is your IAM user' },
    { name: 'since', takesValue: true, description: 'created within (30m, 2h, 1d, 2w) or since a UTC date/time (2026-05-01)' },
    { name: 'limit', takesValue: true, description: 'how many to show, 1-100 (default 20)' },
    { name: 'after', takesValue: true, description: 'the order id after which the next page starts (shown under the list)' },
  ],
  run: (context, args) =>
    guarded(async () => {
      const { t, locale, backend, identity } = context;
      const runs = need(backend, 'runs');
      noPlainWords(args.positionals, ordersCommand.usage, t);
      const codes = runs.listStatusCodes;
      const status = choiceListFlag(args, 'status', statusWords(runs), codes.map((s) => s.toLowerCase()), t, false)?.[0];
      const since = sinceFlag(args, t);
      const limit = wholeNumberFlag(args, 'limit', 1, 100, t) ?? 20;
      const after = wholeNumberFlag(args, 'after', 1, Number.MAX_SAFE_INTEGER, t);
      const mine = args.flags.has('mine');
      // With the bot's shared identity COC records the bot as every order's creator; the orders
      // this person started from chat are the ones the bot ran for them.
      // A run whose answer was lost is looked for in COC first, so the list shows its order.
      if (mine) await reconcileRunsOf(context.services, identity.iamUserName);
      if (mine && !identity.credentialRef) return ordersStartedFromChat(context, { limit, ...(since !== undefined ? { since } : {}), ...(status ? { status } : {}) });
      if (!runs.list) return ordersStartedFromChat(context, { limit, ...(since !== undefined ? { since } : {}), ...(status ? { status } : {}) });
      const page = await runs.list({
        limit,
        ...(after !== undefined ? { after: String(after) } : {}),
        ...(since !== undefined ? { from: since } : {}),
        ...(mine ? { creator: identity.iamUserName } : {}),
        ...(status ? { statusCode: status } : {}),
      });
      const items = page.items;
      const filters = [
        status ? t(TEXT.filterStatus, { value: label(backend.vocabulary, 'runStatus', status, locale) }) : '',
        mine ? t(TEXT.filterMine, { user: identity.iamUserName }) : '',
        since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
      ].filter(Boolean);
      const notes: string[] = [];
      if (filters.length) notes.push(t(TEXT.filters, { filters: filters.join(', ') }));
      if (page.next !== undefined) {
        notes.push(t(TEXT.more, { marker: page.next, same: args.flags.size > (after !== undefined ? 1 : 0) ? t(TEXT.sameFilters) : '' }));
      }
      if (items.length) notes.push(t(TEXT.showHint));
      if (mine && items.length === 0 && !identity.credentialRef) notes.push(t(TEXT.mineSharedIdentity));
      const reply: Message = {
        title: page.total !== undefined ? t(TEXT.listTitle, { count: items.length, total: page.total }) : t(TEXT.listTitleNoTotal, { count: items.length }),
        ...(items.length === 0 ? { text: t(TEXT.none) } : {}),
        table: {
          columns: [t(TEXT.colUuid), t(TEXT.colScript), t(TEXT.colStatus), t(TEXT.colCreator), t(TEXT.colCreated), t(TEXT.colDuration)],
          rows: items.map((run) => [
            nativeOf(run.id),
            cell(run.label, 40),
            label(backend.vocabulary, 'runStatus', run.status.code, locale),
            cell(run.creator, 32),
            utcTime(run.createdAt),
            runDuration(run, context),
          ]),
        },
        ...(notes.length ? { footer: joinNotes(notes, locale) } : {}),
      };
      return withoutEmptyTable(reply);
    }),
};

/** How long a run took, or that it is still running. */
function runDuration(run: RunSummary | undefined, context: CommandContext): string {
  if (run?.finishedAt) return duration(run.durationMs ?? (run.createdAt ? run.finishedAt - run.createdAt : undefined), context.locale);
  return run?.status.state === 'running' ? context.t(TEXT.running) : '';
}

/** `orders --mine` for someone acting with the bot's identity: the runs the bot made for them, with the platform's current status. */
async function ordersStartedFromChat(context: CommandContext, filter: { limit: number; since?: number; status?: string }): Promise<Message> {
  const { t, locale, services, identity, backend } = context;
  // Runs still unknown after the look in COC are listed too: they are not forgotten, only not found yet.
  const entries = await listRunsStartedBy(services.db, identity.iamUserName, { since: new Date(filter.since ?? 0), limit: filter.limit });
  const orders = await Promise.all(entries.map(async (row) => ({ row, order: row.run ? await readOrder(backend, row.run).catch(() => undefined) : undefined })));
  const shown = orders.filter(({ row, order }) => !filter.status || order?.status.code === filter.status || (!row.run && !filter.status));
  return withoutEmptyTable({
    title: t(TEXT.fromChatTitle, { count: shown.length }),
    ...(shown.length === 0 ? { text: t(TEXT.none) } : {}),
    table: {
      columns: [t(TEXT.colUuid), t(TEXT.colScript), t(TEXT.colStatus), t(TEXT.colCreated), t(TEXT.colDuration)],
      rows: shown.map(({ row, order }) => [
        row.run ? nativeOf(row.run) : '—',
        cell(order?.label ? order.label : row.scriptName, 40),
        order ? label(backend.vocabulary, 'runStatus', order.status.code, locale) : row.run ? t(TEXT.gone) : t(TEXT.outcomeUnknown),
        utcTime(order?.createdAt ?? row.updatedAt.getTime()),
        runDuration(order, context),
      ]),
    },
    footer: joinNotes([t(TEXT.fromChatNote), ...(shown.length ? [t(TEXT.showHint)] : [])], locale),
  });
}

export const orderShowCommand: CommandDefinition = {
  family: 'orders',
  words: ['order', 'show'],
  permission: 'viewer',
  mutates: false,
  summary: "One execution order: status, progress, batches, hosts, failing hosts' output (secrets hidden)",
  usage: 'order show <execute-uuid> [--batch N] [--log host] [--lines 1-200]',
  examples: ['order show SCT2026031409300101ab2cd3e', 'order show SCT2026031409300101ab2cd3e --batch 2', 'order show SCT2026031409300101ab2cd3e --log web-05'],
  flags: [
    { name: 'batch', takesValue: true, description: 'list the hosts of this batch (default: the current one)' },
    { name: 'log', takesValue: true, description: "show one host's output: host name, IP, resource id or instance id" },
    { name: 'lines', takesValue: true, description: 'lines of output per host, 1-200 (default 10, or 30 with --log)' },
  ],
  run: (context, args) =>
    guarded(async () => {
      const { t } = context;
      const uuid = singleId(args, ORDER_ID, orderShowCommand.usage, t);
      context.audit.target = uuid;
      const batch = wholeNumberFlag(args, 'batch', 1, 20, t);
      const lines = wholeNumberFlag(args, 'lines', 1, 200, t);
      const logHost = flagValue(args, 'log');
      return showOrder(context, uuid, { ...(batch !== undefined ? { batch } : {}), ...(lines !== undefined ? { lines } : {}), ...(logHost !== undefined ? { logHost } : {}) });
    }),
};

/** `order <uuid>`: the quickest look at one order, the same card as `order show`. */
export const orderCommand: CommandDefinition = {
  family: 'orders',
  words: ['order'],
  permission: 'viewer',
  mutates: false,
  summary: 'One execution order at a glance (the same card as order show)',
  usage: 'order <execute-uuid>',
  examples: ['order SCT2026031409300101ab2cd3e'],
  flags: [],
  run: (context, args) =>
    guarded(async () => {
      const uuid = singleId(args, ORDER_ID, orderCommand.usage, context.t);
      context.audit.target = uuid;
      return showOrder(context, uuid);
    }),
};
