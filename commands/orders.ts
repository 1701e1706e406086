/**
 * `orders`: execution orders, newest first, filtered and paged; `order show <execute_uuid>`:
 * one order as a card (status, progress, batches, hosts, failing hosts' output with secrets
 * hidden, and the buttons that fit its state). Both only read.
 */
import { reconcileRunsOf } from '../src/run/reconcile.js';
import { ORDER_LIST_STATUSES } from '../src/coc/schemas/orders.js';
import type { CommandContext, CommandDefinition } from '../src/core/command.js';
import { flagValue } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import { enumName } from '../src/i18n/coc-enums.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { hostName, loadOrderSnapshot, NoSuchBatch, orderCard, readOrder, readOrderWithProgress, type LocatedInstance } from '../src/orders/order-card.js';
import { cell, choiceListFlag, duration, guarded, joinNotes, withoutEmptyTable, noPlainWords, Refusal, shown, sinceFlag, singleId, utcTime, wholeNumberFlag, type IdKind } from './chat-input.js';

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
  notFound: { 'en-US': 'No order {uuid} in COC', 'zh-CN': 'COC 中没有工单 {uuid}' },
  notFoundText: {
    'en-US': 'Check the execute uuid (it looks like SCT2026031409300101ab2cd3e); "orders" lists recent ones.',
    'zh-CN': '请检查工单 ID（形如 SCT2026031409300101ab2cd3e）；“orders”可列出最近的工单。',
  },
  noBatch: { 'en-US': 'Order {uuid} has no batch {batch}', 'zh-CN': '工单 {uuid} 没有第 {batch} 批' },
  noBatchText: { 'en-US': 'It has {count} batches: give --batch 1 to {count}.', 'zh-CN': '它共有 {count} 批：--batch 取 1 到 {count}。' },
  noHost: { 'en-US': 'No host "{host}" in order {uuid}', 'zh-CN': '工单 {uuid} 中没有主机“{host}”' },
  noHostText: { 'en-US': 'Give a host name, IP, resource id or instance id. Its hosts: {hosts}.', 'zh-CN': '请给出主机名、IP、资源 ID 或实例 ID。该工单的主机：{hosts}。' },
  manyHosts: { 'en-US': '"{host}" matches {count:host|hosts} of order {uuid}', 'zh-CN': '“{host}”匹配工单 {uuid} 中的 {count} 台主机' },
  manyHostsText: { 'en-US': 'Give the instance id instead: {ids}.', 'zh-CN': '请改用实例 ID：{ids}。' },
} satisfies Record<string, Text>;

export const ORDER_ID: IdKind = {
  which: { 'en-US': 'Which order? Give its execute uuid.', 'zh-CN': '请指定工单（execute uuid）。' },
  what: { 'en-US': 'an order id (execute uuid)', 'zh-CN': '工单 ID（execute uuid）' },
  What: { 'en-US': 'An order id', 'zh-CN': '工单 ID' },
  example: 'SCT2026031409300101ab2cd3e',
};

/** Order-list statuses by the words people type (COC's keys, case-insensitive, and "cancelled"). */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(ORDER_LIST_STATUSES.map((s) => [s, s])),
  cancelled: 'CANCELED',
  failed: 'ABNORMAL',
  running: 'PROCESSING',
};

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
      const { t, locale, coc, identity } = context;
      noPlainWords(args.positionals, ordersCommand.usage, t);
      const status = choiceListFlag(args, 'status', STATUS_WORDS, ORDER_LIST_STATUSES.map((s) => s.toLowerCase()), t, false)?.[0];
      const since = sinceFlag(args, t);
      const limit = wholeNumberFlag(args, 'limit', 1, 100, t) ?? 20;
      const after = wholeNumberFlag(args, 'after', 1, Number.MAX_SAFE_INTEGER, t);
      const mine = args.flags.has('mine');
      // With the bot's shared identity COC records the bot as every order's creator; the orders
      // this person started from chat are the ones the bot ran for them.
      // A run whose answer was lost is looked for in COC first, so the list shows its order.
      if (mine) await reconcileRunsOf(context.services, identity.iamUserName);
      if (mine && !identity.credentialRef) return ordersStartedFromChat(context, { limit, ...(since !== undefined ? { since } : {}), ...(status ? { status } : {}) });
      const page = await coc.listScriptOrders({
        limit,
        ...(after !== undefined ? { marker: after } : {}),
        ...(since !== undefined ? { start_time: since } : {}),
        ...(mine ? { creator: identity.iamUserName } : {}),
        ...(status ? { status: status as (typeof ORDER_LIST_STATUSES)[number] } : {}),
      });
      const items = page.data;
      const filters = [
        status ? t(TEXT.filterStatus, { value: enumName('orderStatus', status, locale) }) : '',
        mine ? t(TEXT.filterMine, { user: identity.iamUserName }) : '',
        since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
      ].filter(Boolean);
      const last = items.at(-1);
      const notes: string[] = [];
      if (filters.length) notes.push(t(TEXT.filters, { filters: filters.join(', ') }));
      if (items.length === limit && last?.order_id !== undefined && last.order_id !== null) {
        notes.push(t(TEXT.more, { marker: last.order_id, same: args.flags.size > (after !== undefined ? 1 : 0) ? t(TEXT.sameFilters) : '' }));
      }
      if (items.length) notes.push(t(TEXT.showHint));
      if (mine && items.length === 0 && !identity.credentialRef) notes.push(t(TEXT.mineSharedIdentity));
      const reply: Message = {
        title: page.total !== undefined ? t(TEXT.listTitle, { count: items.length, total: page.total }) : t(TEXT.listTitleNoTotal, { count: items.length }),
        ...(items.length === 0 ? { text: t(TEXT.none) } : {}),
        table: {
          columns: [t(TEXT.colUuid), t(TEXT.colScript), t(TEXT.colStatus), t(TEXT.colCreator), t(TEXT.colCreated), t(TEXT.colDuration)],
          rows: items.map((order) => [
            order.execute_uuid,
            cell(order.order_name, 40),
            enumName('orderStatus', order.status, locale),
            cell(order.creator, 32),
            utcTime(order.gmt_created),
            order.gmt_finished ? duration(order.execute_costs ?? (order.gmt_created ? order.gmt_finished - order.gmt_created : undefined), locale) : order.status === 'PROCESSING' ? t(TEXT.running) : '',
          ]),
        },
        ...(notes.length ? { footer: joinNotes(notes, locale) } : {}),
      };
      return withoutEmptyTable(reply);
    }),
};

/** `orders --mine` for someone acting with the bot's identity: the runs the bot made for them, with COC's current status. */
async function ordersStartedFromChat(context: CommandContext, filter: { limit: number; since?: number; status?: string }): Promise<Message> {
  const { t, locale, services, identity } = context;
  // Runs still unknown after the look in COC are listed too: they are not forgotten, only not found yet.
  const { rows } = await services.db.query<{ executeUuid: string | null; scriptName: string; updatedAt: Date }>(
    `SELECT execute_uuid AS "executeUuid", script_name AS "scriptName", updated_at AS "updatedAt"
       FROM run_plans
      WHERE lower(requester_iam_user) = lower($1) AND (execute_uuid IS NOT NULL OR state = 'unknown') AND updated_at >= $2
      ORDER BY updated_at DESC LIMIT $3`,
    [identity.iamUserName, new Date(filter.since ?? 0), filter.limit],
  );
  const orders = await Promise.all(
    rows.map(async (row) => ({ row, order: row.executeUuid ? await readOrder(context.coc, row.executeUuid).catch(() => undefined) : undefined })),
  );
  const shown = orders.filter(({ row, order }) => !filter.status || order?.status === filter.status || (!row.executeUuid && !filter.status));
  return withoutEmptyTable({
    title: t(TEXT.fromChatTitle, { count: shown.length }),
    ...(shown.length === 0 ? { text: t(TEXT.none) } : {}),
    table: {
      columns: [t(TEXT.colUuid), t(TEXT.colScript), t(TEXT.colStatus), t(TEXT.colCreated), t(TEXT.colDuration)],
      rows: shown.map(({ row, order }) => [
        row.executeUuid ?? '—',
        cell(typeof order?.order_name === 'string' && order.order_name ? order.order_name : row.scriptName, 40),
        order ? enumName('orderStatus', order.status, locale) : row.executeUuid ? t(TEXT.gone) : t(TEXT.outcomeUnknown),
        utcTime(order?.gmt_created ?? row.updatedAt.getTime()),
        order?.gmt_finished ? duration(order.execute_costs ?? (order.gmt_created ? order.gmt_finished - order.gmt_created : undefined), locale) : order?.status === 'PROCESSING' ? t(TEXT.running) : '',
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

export interface ShowOptions {
  readonly batch?: number;
  readonly lines?: number;
  readonly logHost?: string;
}

/** The order card (also the Refresh button's reply, which asks for a fresh read). */
export async function showOrder(context: CommandContext, uuid: string, options: ShowOptions & { readonly fresh?: boolean } = {}): Promise<Message> {
  const { t, locale, services, identity } = context;
  const key = { credential: identity.credentialRef, uuid, batch: options.batch, allBatches: options.logHost !== undefined };
  let snapshot = options.fresh ? undefined : services.orderSnapshots.get(key);
  if (!snapshot) {
    const coc = context.coc;
    const read = await readOrderWithProgress(coc, uuid);
    if (!read) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText));
    try {
      snapshot = await loadOrderSnapshot(
        coc,
        read.order,
        { ...(options.batch !== undefined ? { batch: options.batch } : {}), allBatches: options.logHost !== undefined },
        read.prefetched,
      );
    } catch (error) {
      if (error instanceof NoSuchBatch) throw new Refusal(t(TEXT.noBatch, { uuid, batch: error.batch }), t(TEXT.noBatchText, { count: error.count }));
      throw error;
    }
    services.orderSnapshots.set(key, snapshot);
  }
  const logOf = options.logHost !== undefined ? findHost(snapshot.all ?? [], options.logHost, uuid, t) : undefined;
  return orderCard(snapshot, { t, locale, ...(logOf ? { logOf } : {}), ...(options.lines !== undefined ? { lines: options.lines } : {}) });
}

/** A host of the order by name, IP, resource id or instance id; refuses none or several. */
export function findHost(all: readonly LocatedInstance[], wanted: string, uuid: string, t: Translate): LocatedInstance {
  const key = wanted.trim().toLowerCase();
  const matches = all.filter(({ instance }) => {
    const target = instance.target_instance;
    const props = target?.properties;
    return [String(instance.id), hostName(instance), target?.resource_id, props?.fixed_ip, props?.floating_ip]
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .some((value) => value.toLowerCase() === key);
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const hosts = all.slice(0, 12).map(({ instance }) => hostName(instance));
    throw new Refusal(t(TEXT.noHost, { host: shown(wanted), uuid }), t(TEXT.noHostText, { hosts: `${hosts.join(', ')}${all.length > 12 ? ', …' : ''}` }));
  }
  throw new Refusal(
    t(TEXT.manyHosts, { host: shown(wanted), uuid, count: matches.length }),
    t(TEXT.manyHostsText, { ids: matches.map(({ instance, batchIndex }) => `${instance.id} (${hostName(instance)}, #${batchIndex})`).join(', ') }),
  );
}
