/**
 * `orders`: execution orders, newest first, filtered and paged; `order show <execute_uuid>`:
 * one order as a card (status, progress, batches, hosts, failing hosts' output with secrets
 * hidden, and the buttons that fit its state). Both only read.
 */
import { label, nativeOf, need, type RunSummary } from '../src/backends/index.js';
import { arg, choicesOf, defineCommand, type BackendLimits, type Choice } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { readOrder } from '../src/orders/order-card.js';
import { EXAMPLE_ORDER_ID } from '../src/orders/example-id.js';
import { showOrder } from '../src/orders/show.js';
import { reconcileRunsOf } from '../src/run/reconcile.js';
import { startedByText } from '../src/orders/started-by.js';
import { listRunsStartedBy } from '../src/store/run-history.js';
import { runStartsOf } from '../src/store/run-starts.js';
import { withoutEmptyTable } from '../src/core/reply.js';
import { cell, duration, joinNotes, utcTime } from '../src/i18n/format.js';

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
  showHint: { 'en-US': 'Details: order show <{orderId}>.', 'zh-CN': '查看详情：order show <工单 ID>。' },
  mineSharedIdentity: {
    'en-US': '{platform} records the IAM user that called it as the creator. Orders the bot started with its shared service identity carry the bot\'s IAM user, not yours.',
    'zh-CN': '{platform} 将调用它的 IAM 用户记为创建人。机器人以共享服务身份发起的工单，其创建人是机器人的 IAM 用户，而不是您。',
  },
  fromChatTitle: { 'en-US': 'Orders you started from chat ({count})', 'zh-CN': '您从聊天中发起的工单（{count} 个）' },
  fromChatNote: {
    'en-US': 'The bot calls {platform} with its shared identity, so {platform} names the bot as their creator; these are the runs the bot made for you.',
    'zh-CN': '机器人以共享身份调用 {platform}，{platform} 将机器人记为创建人；这里列出的是机器人为您发起的执行。',
  },
  fromChatNoteAsUser: {
    'en-US': 'These are the runs you started from chat. The bot calls {platform} as you ({user}), so {platform} applies your own rights and names you as the operator of each batch it ran.',
    'zh-CN': '这里列出的是您从聊天中发起的执行。机器人以您的身份（{user}）调用 {platform}，因此 {platform} 按您自己的权限校验，并将您记为每个批次的执行人。',
  },
  gone: { 'en-US': '(not found in {platform})', 'zh-CN': '（{platform} 中未找到）' },
  outcomeUnknown: { 'en-US': 'outcome unknown (looking in {platform})', 'zh-CN': '结果未知（正在 {platform} 中查找）' },
} satisfies Record<string, Text>;

const d = (en: string, zh: string): Text => ({ 'en-US': en, 'zh-CN': zh });

/** An order id in examples: COC's execute uuid (the default examples'), and a BlueKing order (a plan's uuid). */
const EXAMPLE_ORDER = EXAMPLE_ORDER_ID.coc;
const BLUEKING_EXAMPLE_ORDER = EXAMPLE_ORDER_ID.blueking;

/** The examples of an order command as they read on BlueKing: its order ids in place of COC's. */
export function bluekingOrderExamples(examples: readonly string[]): { readonly blueking: readonly string[] } {
  return { blueking: examples.map((example) => example.replaceAll(EXAMPLE_ORDER, BLUEKING_EXAMPLE_ORDER)) };
}

/** The order a command reads or changes, as typed (its execute uuid); the handler asks the backend for the run it names. */
export const ORDER_ID_ARG = arg.id({
  required: true,
  what: d('an order id ({orderId})', '工单 ID（{orderId}）'),
  example: (limits) => EXAMPLE_ORDER_ID[limits.backend?.name ?? 'coc'],
  placeholder: d('execute-uuid', 'execute-uuid'),
  discordName: 'execute-uuid',
  suggest: 'orders',
  description: d('order (its {orderId})', '工单（{orderId}）'),
});

/** A batch of an order; how many batches an order may have is the platform's limit. */
export const maxBatches = (limits: BackendLimits): number => limits.runs?.maxBatches ?? 20;

/**
 * The list statuses are the platform's own codes (typed in lower case, `-` for `_`), and its
 * everyday words for some of them (`failed`) are accepted as aliases.
 */
export function listStatusChoices(limits: BackendLimits): Choice[] {
  const runs = limits.backend?.runs;
  if (!runs) return [];
  const words = Object.entries(runs.listStatusWords ?? {});
  return choicesOf(runs.listStatusCodes).map((choice) => {
    const aliases = words.filter(([, code]) => code === choice.value).map(([word]) => word);
    return aliases.length ? { ...choice, aliases } : choice;
  });
}

export const ordersCommand = defineCommand({
  family: 'orders',
  words: ['orders'],
  discord: { name: 'orders', description: d('Script execution orders, newest first', '脚本执行工单，最新的在前') },
  needs: ['runs'],
  permission: 'viewer',
  mutates: false,
  summary: d('List script execution orders, newest first', '列出脚本执行工单，最新的在前'),
  examples: ['orders', 'orders --status paused', 'orders --mine --since 1d'],
  positionals: {},
  flags: {
    status: arg.enum({ choices: listStatusChoices, description: d('Order status', '工单状态') }),
    mine: arg.boolean({ description: d('Only orders created by your {identity}', '仅你的 {identity}创建的工单') }),
    since: arg.since({ description: d('Within 30m, 2h, 1d, 2w, or since a UTC date', '最近 30m、2h、1d、2w，或自某个 UTC 日期起') }),
    limit: arg.integer({ min: 1, max: 100, default: 20, description: d('How many to show', '显示数量') }),
    // The page marker the list shows under itself; handed back to the backend as it was given.
    after: arg.id({
      pattern: /^[1-9]\d{0,14}$/,
      what: d('a page marker (the number after "orders --after" under the list)', '翻页标记（列表下方“orders --after”后的数字）'),
      example: '20',
      placeholder: d('order-id', '工单-id'),
      description: d('Order id the next page starts after', '下一页从此工单 id 之后开始'),
    }),
  },
  async run(context, args, raw) {
    const { t, locale, backend, identity } = context;
    const runs = need(backend, 'runs');
    const { status, since, limit, after, mine } = args;
    // With the bot's shared identity COC records the bot as every order's creator; the orders
    // this person started from chat are the ones the bot ran for them.
    // A run whose answer was lost is looked for in COC first, so the list shows its order.
    if (mine) await reconcileRunsOf(context.services, identity.iamUserName);
    if (mine && !identity.credentialRef) return ordersStartedFromChat(context, { limit, ...(since !== undefined ? { since } : {}), ...(status ? { status } : {}) });
    if (!runs.list) return ordersStartedFromChat(context, { limit, ...(since !== undefined ? { since } : {}), ...(status ? { status } : {}) });
    const page = await runs.list({
      limit,
      ...(after !== undefined ? { after } : {}),
      ...(since !== undefined ? { from: since } : {}),
      ...(mine ? { creator: identity.iamUserName } : {}),
      ...(status ? { statusCode: status } : {}),
    });
    const items = page.items;
    // Who started each from chat, for the whole page in one look at the store.
    const starts = await runStartsOf(context.services.db, items.map((run) => run.id));
    const filters = [
      status ? t(TEXT.filterStatus, { value: label(backend.vocabulary, 'runStatus', status, locale) }) : '',
      mine ? t(TEXT.filterMine, { user: identity.iamUserName }) : '',
      since !== undefined ? t(TEXT.filterSince, { time: utcTime(since) }) : '',
    ].filter(Boolean);
    const notes: string[] = [];
    if (filters.length) notes.push(t(TEXT.filters, { filters: filters.join(', ') }));
    if (page.next !== undefined) {
      notes.push(t(TEXT.more, { marker: page.next, same: raw.flags.size > (after !== undefined ? 1 : 0) ? t(TEXT.sameFilters) : '' }));
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
          cell(startedByText(run.creator, starts.get(run.id), t), 40),
          utcTime(run.createdAt),
          runDuration(run, context),
        ]),
      },
      ...(notes.length ? { footer: joinNotes(notes, locale) } : {}),
    };
    return withoutEmptyTable(reply);
  },
});

/** How long a run took, or that it is still running. */
function runDuration(run: RunSummary | undefined, context: CommandContext): string {
  if (run?.finishedAt) return duration(run.durationMs ?? (run.createdAt ? run.finishedAt - run.createdAt : undefined), context.locale);
  return run?.status.state === 'running' ? context.t(TEXT.running) : '';
}

/** Whose identity the platform saw: the bot's shared one (COC without a credential of one's own), or the person's (BlueKing). */
function fromChatNote({ t, services, identity }: CommandContext): string {
  return services.backend.perUser === 'username' ? t(TEXT.fromChatNoteAsUser, { user: identity.iamUserName }) : t(TEXT.fromChatNote);
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
        // A bot-driven run's label names its current batch's job, not the script.
        cell(order?.label && need(backend, 'runs').batching === 'platform' ? order.label : row.scriptName, 40),
        order ? label(backend.vocabulary, 'runStatus', order.status.code, locale) : row.run ? t(TEXT.gone) : t(TEXT.outcomeUnknown),
        utcTime(order?.createdAt ?? row.updatedAt.getTime()),
        runDuration(order, context),
      ]),
    },
    footer: joinNotes([fromChatNote(context), ...(shown.length ? [t(TEXT.showHint)] : [])], locale),
  });
}

export const orderShowCommand = defineCommand({
  family: 'orders',
  words: ['order', 'show'],
  discord: { group: 'order', name: 'show', description: d('Status, batches, hosts, failing output', '状态、批次、主机、失败输出') },
  needs: ['runs'],
  permission: 'viewer',
  mutates: false,
  summary: d(
    "One execution order: status, progress, batches, hosts, failing hosts' output (secrets hidden)",
    '单个执行工单：状态、进度、批次、主机、失败主机的输出（隐藏密文）',
  ),
  examples: ['order show SCT2026031409300101ab2cd3e', 'order show SCT2026031409300101ab2cd3e --batch 2', 'order show SCT2026031409300101ab2cd3e --log web-05'],
  examplesOn: bluekingOrderExamples(['order show SCT2026031409300101ab2cd3e', 'order show SCT2026031409300101ab2cd3e --batch 2', 'order show SCT2026031409300101ab2cd3e --log web-05']),
  positionals: { id: ORDER_ID_ARG },
  flags: {
    batch: arg.integer({ min: 1, max: maxBatches, description: d('List this batch, by default the current one', '列出此批次，默认为当前批次') }),
    log: arg.string({
      max: 128,
      suggest: 'hosts',
      placeholder: d('host', '主机'),
      description: d("One host's output: name, IP or id", '单台主机的输出：名称、IP 或 id'),
    }),
    // The default depends on --log (10 lines, 30 with --log), so it is said rather than declared.
    lines: arg.integer({ min: 1, max: 200, description: d('Output lines per host, 10 by default, 30 with --log', '每台主机的输出行数，默认 10，带 --log 时 30') }),
  },
  async run(context, args) {
    const { id: uuid, batch, lines, log: logHost } = args;
    context.audit.target = uuid;
    return showOrder(context, uuid, { ...(batch !== undefined ? { batch } : {}), ...(lines !== undefined ? { lines } : {}), ...(logHost !== undefined ? { logHost } : {}) });
  },
});

/** `order <uuid>`: the quickest look at one order, the same card as `order show`. */
export const orderCommand = defineCommand({
  family: 'orders',
  words: ['order'],
  discord: { group: 'order', name: 'view', description: d('One order at a glance', '工单概览') },
  needs: ['runs'],
  permission: 'viewer',
  mutates: false,
  summary: d('One execution order at a glance (the same card as order show)', '单个执行工单概览（与 order show 相同的卡片）'),
  examples: ['order SCT2026031409300101ab2cd3e'],
  examplesOn: bluekingOrderExamples(['order SCT2026031409300101ab2cd3e']),
  positionals: { id: ORDER_ID_ARG },
  flags: {},
  async run(context, args) {
    context.audit.target = args.id;
    return showOrder(context, args.id);
  },
});
