/**
 * One execution order as a chat card: what runs, where it stands (status, batch n of m,
 * progress bar, per-status counts, rotation per batch), the hosts of one batch, the output
 * tail of the hosts that failed (secrets hidden) and the buttons that fit its state.
 *
 * `loadOrderSnapshot` reads everything from COC (read-only calls); `orderCard` is a pure
 * function of that snapshot, so the live order tracker can render the same card.
 *
 * Sensitive values: the names come from the script definition (`sensitive: true`), the values
 * from the order's `execute_param.script_params` and the definition's defaults. If the
 * definition cannot be read, every parameter value of the order is treated as sensitive.
 */
import type { CocClient } from '../coc/client.js';
import { CocApiError } from '../coc/errors.js';
import type { ExecInstance, ScriptOrder, ScriptOrderBatch, ScriptOrderBatchSummary, ScriptOrderStatistics } from '../coc/schemas/orders.js';
import type { ScriptParam } from '../coc/schemas/scripts.js';
import type { Button, Message, MessageField, MessageSection, Progress, Tone } from '../core/message.js';
import { enumName, isKnownEnum } from '../i18n/coc-enums.js';
import { duration, utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { MASK, redactLog, redactedTail, type RedactOptions } from './redact-log.js';

const TEXT = {
  title: { 'en-US': 'Order {uuid}', 'zh-CN': '工单 {uuid}' },
  script: { 'en-US': 'Script', 'zh-CN': '脚本' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  batch: { 'en-US': 'Batch', 'zh-CN': '批次' },
  batchOf: { 'en-US': '{n} of {m}', 'zh-CN': '第 {n} 批，共 {m} 批' },
  rotation: { 'en-US': 'After each batch', 'zh-CN': '批次间策略' },
  batchList: { 'en-US': 'batch {list}', 'zh-CN': '第 {list} 批' },
  hosts: { 'en-US': 'Hosts', 'zh-CN': '主机' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  paramStore: { 'en-US': '(from the parameter store)', 'zh-CN': '（取自参数仓库）' },
  creator: { 'en-US': 'Started by', 'zh-CN': '创建人' },
  created: { 'en-US': 'Created', 'zh-CN': '创建时间' },
  finished: { 'en-US': 'Ended', 'zh-CN': '结束时间' },
  took: { 'en-US': '{time} (took {duration})', 'zh-CN': '{time}（耗时 {duration}）' },
  progress: { 'en-US': '{done} of {total} hosts done', 'zh-CN': '已完成 {done}/{total} 台主机' },
  nowReady: { 'en-US': 'Waiting to start batch 1 of {m}.', 'zh-CN': '等待开始第 1 批（共 {m} 批）。' },
  nowRunning: { 'en-US': 'Running batch {n} of {m}.', 'zh-CN': '正在执行第 {n} 批（共 {m} 批）。' },
  nowPausedNext: {
    'en-US': 'Paused: batch {n} of {m} has nothing left to run (done or skipped). Continue to run batch {next}, or cancel the order.',
    'zh-CN': '已暂停：第 {n} 批（共 {m} 批）已没有待执行的主机（已完成或已跳过）。可以继续执行第 {next} 批，或取消工单。',
  },
  nowPausedLast: {
    'en-US': 'Paused: the last batch ({n} of {m}) has nothing left to run (done or skipped). Continue to finish the order.',
    'zh-CN': '已暂停：最后一批（第 {n} 批，共 {m} 批）已没有待执行的主机（已完成或已跳过）。继续即可结束工单。',
  },
  nowPaused: {
    'en-US': 'Paused before batch {n} of {m}. Continue to run it, skip it, or cancel the order.',
    'zh-CN': '已在第 {n} 批（共 {m} 批）之前暂停。可以继续执行、跳过该批，或取消工单。',
  },
  nowFinished: { 'en-US': 'All batches finished ({m:batch|batches}).', 'zh-CN': '全部 {m} 批已执行完成。' },
  nowAbnormal: {
    'en-US': 'Stopped in batch {n} of {m}: fewer hosts succeeded than the required success rate ({rate}%). Later batches did not run.',
    'zh-CN': '在第 {n} 批（共 {m} 批）停止：成功率低于要求的 {rate}%，后续批次未执行。',
  },
  nowAbnormalNoRate: { 'en-US': 'Stopped in batch {n} of {m} with failures.', 'zh-CN': '在第 {n} 批（共 {m} 批）因失败而停止。' },
  nowCanceled: { 'en-US': 'Canceled; hosts that had not finished did not run.', 'zh-CN': '已取消；尚未完成的主机不再执行。' },
  nowOther: { 'en-US': 'COC reports the status {status}.', 'zh-CN': 'COC 返回的状态为 {status}。' },
  colHost: { 'en-US': 'HOST', 'zh-CN': '主机' },
  colIp: { 'en-US': 'IP', 'zh-CN': 'IP' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colDuration: { 'en-US': 'DURATION', 'zh-CN': '耗时' },
  colInstance: { 'en-US': 'INSTANCE', 'zh-CN': '实例 ID' },
  running: { 'en-US': 'running', 'zh-CN': '执行中' },
  tableIs: { 'en-US': 'Hosts of batch {n} of {m}.', 'zh-CN': '下表为第 {n} 批（共 {m} 批）的主机。' },
  otherBatch: { 'en-US': 'Another batch: order show {uuid} --batch N.', 'zh-CN': '查看其他批次：order show {uuid} --batch N。' },
  oneLog: { 'en-US': "One host's output: order show {uuid} --log <host>.", 'zh-CN': '查看某台主机的输出：order show {uuid} --log <主机>。' },
  moreFailing: {
    'en-US': '{count} more failing hosts not shown; see them with --log <host>.',
    'zh-CN': '另有 {count} 台失败主机未显示，可用 --log <主机> 查看。',
  },
  failingTitle: { 'en-US': '{host} · {status} · batch {batch} · last {lines} of {total} lines', 'zh-CN': '{host} · {status} · 第 {batch} 批 · 最后 {lines} 行（共 {total} 行）' },
  logTitle: { 'en-US': 'Output of {host} · {status} · batch {batch} · last {lines} of {total} lines', 'zh-CN': '{host} 的输出 · {status} · 第 {batch} 批 · 最后 {lines} 行（共 {total} 行）' },
  noOutput: { 'en-US': '(no output yet)', 'zh-CN': '（暂无输出）' },
  secretsHidden: { 'en-US': 'Secrets in the output are shown as {mask}.', 'zh-CN': '输出中的敏感信息显示为 {mask}。' },
  definitionUnknown: {
    'en-US': 'The script definition could not be read, so every parameter value is hidden.',
    'zh-CN': '无法读取脚本定义，因此隐藏全部参数值。',
  },
  none: { 'en-US': 'none', 'zh-CN': '无' },
  // buttons
  pause: { 'en-US': 'Pause', 'zh-CN': '暂停' },
  continue: { 'en-US': 'Continue', 'zh-CN': '继续' },
  cancel: { 'en-US': 'Cancel order', 'zh-CN': '取消工单' },
  skip: { 'en-US': 'Skip batch {n}', 'zh-CN': '跳过第 {n} 批' },
  refresh: { 'en-US': 'Refresh', 'zh-CN': '刷新' },
  cancelConfirmTitle: { 'en-US': 'Cancel this order?', 'zh-CN': '确定取消此工单？' },
  cancelConfirmText: {
    'en-US': 'Every host of order {uuid} that has not finished, in every batch, is canceled. This cannot be undone.',
    'zh-CN': '工单 {uuid} 中所有批次里尚未完成的主机都将被取消，且无法撤销。',
  },
  cancelConfirmYes: { 'en-US': 'Cancel the order', 'zh-CN': '取消工单' },
  cancelConfirmNo: { 'en-US': 'Keep it', 'zh-CN': '保留' },
  skipConfirmTitle: { 'en-US': 'Skip batch {n}?', 'zh-CN': '跳过第 {n} 批？' },
  skipConfirmText: {
    'en-US': 'The hosts of batch {n} that have not finished are canceled and do not run this script.',
    'zh-CN': '第 {n} 批中尚未完成的主机将被取消，不再执行此脚本。',
  },
  skipConfirmYes: { 'en-US': 'Skip it', 'zh-CN': '跳过' },
  skipConfirmNo: { 'en-US': 'Keep it', 'zh-CN': '保留' },
} satisfies Record<string, Text>;

export const ORDER_ACTION_IDS = {
  pause: 'order:pause',
  continue: 'order:continue',
  cancel: 'order:cancel',
  skipBatch: 'order:skip-batch',
  refresh: 'order:refresh',
} as const;

/** Statuses in which an order can still change. */
export const ACTIVE_ORDER_STATUSES: ReadonlySet<string> = new Set(['READY', 'PROCESSING', 'PAUSED']);
/** Instance statuses that count as done for the progress bar. */
const DONE_INSTANCE_STATUSES: ReadonlySet<string> = new Set(['FINISHED', 'ABNORMAL', 'CANCELED', 'ROLLBACKED']);
const UNFINISHED_INSTANCE_STATUSES: ReadonlySet<string> = new Set(['READY', 'PROCESSING']);
const FAILED_INSTANCE_STATUS = 'ABNORMAL';

/** COC's page size cap for a batch's hosts; a batch holds at most 10. */
const BATCH_PAGE = 50;
/** Failing hosts whose output the card shows. */
const MAX_FAILING_TAILS = 3;
/** Batches with failures that are read for the card (beyond the shown one). */
const MAX_FAILING_BATCHES = 5;

export interface Secrets {
  readonly redact: RedactOptions;
  /** Whether a parameter's value must be hidden. */
  isSensitive(name: string): boolean;
  /** The script definition could not be read: everything is treated as sensitive. */
  readonly definitionUnknown: boolean;
}

export interface LocatedInstance {
  readonly batchIndex: number;
  readonly instance: ExecInstance;
}

export interface OrderSnapshot {
  readonly order: ScriptOrder;
  readonly batches: readonly ScriptOrderBatchSummary[];
  readonly statistics: ScriptOrderStatistics;
  /** 1-based; clamped to the order's batches. */
  readonly shownBatchIndex: number;
  readonly shownBatch: ScriptOrderBatch | undefined;
  /** Failing instances of the order (ABNORMAL), batch by batch, as far as they were read. */
  readonly failing: readonly LocatedInstance[];
  /** Every instance of every batch, when all batches were read (`allBatches: true`). */
  readonly all?: readonly LocatedInstance[];
  readonly secrets: Secrets;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof CocApiError && error.status === 404;
}

export function batchCount(order: ScriptOrder, batches: readonly ScriptOrderBatchSummary[]): number {
  return Math.max(batches.length, ...batches.map((b) => b.batch_index), 1);
}

export function currentBatchIndex(order: ScriptOrder, batches: readonly ScriptOrderBatchSummary[]): number {
  const m = batchCount(order, batches);
  const n = order.properties?.current_execute_batch_index ?? 1;
  return Math.min(Math.max(1, Math.trunc(n)), m);
}

/** Reads the script definition to learn which parameter values are secret. */
export async function loadSecrets(coc: CocClient, order: ScriptOrder): Promise<Secrets> {
  const used = order.properties?.execute_param?.script_params ?? [];
  const scriptUuid = order.properties?.script_uuid;
  let definitions: readonly ScriptParam[] | undefined;
  if (scriptUuid) {
    try {
      const script = order.properties?.script_source === 'PUBLIC_SCRIPT' ? await coc.getPublicScript(scriptUuid) : await coc.getScript(scriptUuid);
      definitions = script.script_params;
    } catch {
      definitions = undefined;
    }
  }
  if (!definitions) {
    return {
      redact: { secrets: used.map((p) => p.param_value) },
      isSensitive: () => true,
      definitionUnknown: true,
    };
  }
  const known = new Set(definitions.map((d) => d.param_name));
  const sensitive = new Set(definitions.filter((d) => d.sensitive === true).map((d) => d.param_name));
  // A parameter the definition no longer names (the script changed since) is treated as secret.
  const isSensitive = (name: string) => sensitive.has(name) || !known.has(name);
  return {
    redact: {
      secrets: [
        ...used.filter((p) => p.param_name && isSensitive(p.param_name)).map((p) => p.param_value),
        ...definitions.filter((d) => d.sensitive === true).map((d) => d.param_value),
      ],
    },
    isSensitive,
    definitionUnknown: false,
  };
}

async function readBatch(coc: CocClient, uuid: string, index: number, status?: 'ABNORMAL'): Promise<ScriptOrderBatch> {
  return coc.getScriptOrderBatch(uuid, index, { limit: BATCH_PAGE, ...(status ? { status } : {}) });
}

export interface SnapshotOptions {
  /** The batch whose hosts the card lists (default: the current one). */
  readonly batch?: number;
  /** Read every batch's hosts (for `--log <host>` and instance lookups). */
  readonly allBatches?: boolean;
}

/** Thrown when `--batch` names a batch the order does not have. */
export class NoSuchBatch extends Error {
  constructor(readonly batch: number, readonly count: number) {
    super(`no batch ${batch}`);
  }
}

/** Reads the order; undefined when COC does not know it. */
export async function readOrder(coc: CocClient, uuid: string): Promise<ScriptOrder | undefined> {
  try {
    return await coc.getScriptOrder(uuid);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The batches and statistics when they were already read together with the order (one round trip less). */
export interface Prefetched {
  readonly batches: readonly ScriptOrderBatchSummary[];
  readonly statistics: ScriptOrderStatistics;
}

/** The order with its batches and statistics, read at once (they need nothing but the id). */
export async function readOrderWithProgress(coc: CocClient, uuid: string): Promise<{ order: ScriptOrder; prefetched: Prefetched } | undefined> {
  const [order, batches, statistics] = await Promise.allSettled([readOrder(coc, uuid), coc.listScriptOrderBatches(uuid), coc.getScriptOrderStatistics(uuid)]);
  if (order.status === 'rejected') throw order.reason;
  if (!order.value) return undefined;
  if (batches.status === 'rejected') throw batches.reason;
  if (statistics.status === 'rejected') throw statistics.reason;
  return { order: order.value, prefetched: { batches: batches.value, statistics: statistics.value } };
}

export async function loadOrderSnapshot(coc: CocClient, order: ScriptOrder, options: SnapshotOptions = {}, prefetched?: Prefetched): Promise<OrderSnapshot> {
  const uuid = order.execute_uuid;
  const [batches, statistics, secrets] = await Promise.all([
    prefetched?.batches ?? coc.listScriptOrderBatches(uuid),
    prefetched?.statistics ?? coc.getScriptOrderStatistics(uuid),
    loadSecrets(coc, order),
  ]);
  const m = batchCount(order, batches);
  if (options.batch !== undefined && (options.batch < 1 || options.batch > m)) throw new NoSuchBatch(options.batch, m);
  const shownBatchIndex = options.batch ?? currentBatchIndex(order, batches);

  if (options.allBatches) {
    const indexes = Array.from({ length: m }, (_, i) => i + 1);
    const read = await Promise.all(indexes.map((index) => readBatch(coc, uuid, index)));
    const all = read.flatMap((batch, i) => (batch.execute_instances ?? []).map((instance) => ({ batchIndex: indexes[i]!, instance })));
    return {
      order,
      batches,
      statistics,
      shownBatchIndex,
      shownBatch: read[shownBatchIndex - 1],
      failing: all.filter((located) => located.instance.status === FAILED_INSTANCE_STATUS),
      all,
      secrets,
    };
  }

  const shownBatch = await readBatch(coc, uuid, shownBatchIndex);
  const failedBatches = (statistics.execute_statistics.find((s) => s.instance_status === FAILED_INSTANCE_STATUS)?.batch_indexes ?? [])
    .filter((index) => Number.isInteger(index) && index >= 1 && index <= m && index !== shownBatchIndex)
    .slice(0, MAX_FAILING_BATCHES);
  const others = await Promise.all(failedBatches.map((index) => readBatch(coc, uuid, index, FAILED_INSTANCE_STATUS)));
  const failing: LocatedInstance[] = [];
  const collect = (index: number, batch: ScriptOrderBatch) => {
    for (const instance of batch.execute_instances ?? []) if (instance.status === FAILED_INSTANCE_STATUS) failing.push({ batchIndex: index, instance });
  };
  collect(shownBatchIndex, shownBatch);
  failedBatches.forEach((index, i) => collect(index, others[i]!));
  failing.sort((a, b) => a.batchIndex - b.batchIndex);
  return { order, batches, statistics, shownBatchIndex, shownBatch, failing, secrets };
}

// ---- pure rendering ----------------------------------------------------------------------

export function statusName(status: string, locale: Locale): string {
  const name = enumName('orderStatus', status, locale);
  return isKnownEnum('orderStatus', status) ? `${name} (${status})` : status;
}

export function hostName(instance: ExecInstance): string {
  const props = instance.target_instance?.properties;
  return props?.host_name || instance.target_instance?.resource_id || String(instance.id);
}

function hostIp(instance: ExecInstance): string {
  const props = instance.target_instance?.properties;
  return props?.fixed_ip || props?.floating_ip || '';
}

function countOf(statistics: ScriptOrderStatistics, status: string): number {
  return statistics.execute_statistics.filter((s) => s.instance_status === status).reduce((sum, s) => sum + (s.instance_count ?? 0), 0);
}

export function totalHosts(statistics: ScriptOrderStatistics): number {
  return statistics.total_instance ?? statistics.execute_statistics.reduce((sum, s) => sum + (s.instance_count ?? 0), 0);
}

export function orderProgress(statistics: ScriptOrderStatistics, t: Translate): Progress {
  const total = totalHosts(statistics);
  const done = statistics.execute_statistics.filter((s) => DONE_INSTANCE_STATUSES.has(s.instance_status)).reduce((sum, s) => sum + (s.instance_count ?? 0), 0);
  return { done: Math.min(done, total), total, label: t(TEXT.progress, { done: Math.min(done, total), total }) };
}

/** Whether batch `index` still has hosts that have not finished, by the statistics. */
export function batchHasUnfinished(statistics: ScriptOrderStatistics, index: number): boolean {
  return statistics.execute_statistics.some((s) => UNFINISHED_INSTANCE_STATUSES.has(s.instance_status) && (s.instance_count ?? 0) > 0 && (s.batch_indexes ?? []).includes(index));
}

/** `1–2 Pause after this batch · 3 Go on to the next batch`. */
function rotationSummary(batches: readonly ScriptOrderBatchSummary[], t: Translate, locale: Locale): string {
  const sorted = [...batches].sort((a, b) => a.batch_index - b.batch_index);
  const groups: { from: number; to: number; strategy: string }[] = [];
  for (const batch of sorted) {
    const strategy = batch.rotation_strategy ?? '';
    const last = groups.at(-1);
    if (last && last.strategy === strategy && last.to === batch.batch_index - 1) last.to = batch.batch_index;
    else groups.push({ from: batch.batch_index, to: batch.batch_index, strategy });
  }
  return groups
    .map((g) => `${t(TEXT.batchList, { list: g.from === g.to ? String(g.from) : `${g.from}–${g.to}` })}: ${enumName('rotationStrategy', g.strategy, locale) || '?'}`)
    .join(' · ');
}

function countsSummary(statistics: ScriptOrderStatistics, t: Translate, locale: Locale): string {
  const order = ['FINISHED', 'ABNORMAL', 'PROCESSING', 'READY', 'CANCELED', 'ROLLBACKED'];
  const statuses = [...new Set([...order, ...statistics.execute_statistics.map((s) => s.instance_status)])];
  const parts = statuses
    .map((status) => ({ status, count: countOf(statistics, status) }))
    .filter((entry) => entry.count > 0)
    .map((entry) => `${enumName('instanceStatus', entry.status, locale)} ${entry.count}`);
  return parts.length ? parts.join(' · ') : t(TEXT.none);
}

function parametersSummary(order: ScriptOrder, secrets: Secrets, t: Translate): string {
  const params = order.properties?.execute_param?.script_params ?? [];
  if (params.length === 0) return t(TEXT.none);
  const text = params
    .map((p) => {
      const name = p.param_name ?? '?';
      if (p.param_refer) return `${name}=${t(TEXT.paramStore)}`;
      if (secrets.isSensitive(name)) return `${name}=${MASK}`;
      const value = p.param_value ?? '';
      return `${name}=${value.length > 60 ? `${value.slice(0, 59)}…` : value}`;
    })
    .join(', ');
  // Non-sensitive values still pass the generic rules (a "token_…" parameter, a URL with a password).
  return redactLog(text, secrets.redact);
}

function nowText(snapshot: OrderSnapshot, t: Translate, locale: Locale): string {
  const { order, batches } = snapshot;
  const m = batchCount(order, batches);
  const n = currentBatchIndex(order, batches);
  switch (order.status) {
    case 'READY':
      return t(TEXT.nowReady, { m });
    case 'PROCESSING':
      return t(TEXT.nowRunning, { n, m });
    case 'PAUSED':
      // After "skip batch" COC stays paused at the skipped batch: say what Continue will do.
      if (!batchHasUnfinished(snapshot.statistics, n)) return n < m ? t(TEXT.nowPausedNext, { n, m, next: n + 1 }) : t(TEXT.nowPausedLast, { n, m });
      return t(TEXT.nowPaused, { n, m });
    case 'FINISHED':
      return t(TEXT.nowFinished, { m });
    case 'ABNORMAL': {
      const rate = order.properties?.execute_param?.success_rate;
      return rate !== null && rate !== undefined ? t(TEXT.nowAbnormal, { n, m, rate }) : t(TEXT.nowAbnormalNoRate, { n, m });
    }
    case 'CANCELED':
      return t(TEXT.nowCanceled);
    default:
      return t(TEXT.nowOther, { status: statusName(order.status, locale) });
  }
}

function toneOf(status: string): Tone {
  // Never 'danger': that marks the reader's command itself as failed in the audit trail.
  if (status === 'FINISHED') return 'success';
  if (status === 'ABNORMAL' || status === 'ERROR' || status === 'PAUSED' || status === 'CANCELED' || status === 'ROLLBACKED') return 'warning';
  return 'info';
}

function instanceDuration(instance: ExecInstance, t: Translate, locale: Locale): string {
  if (instance.status === 'PROCESSING') return t(TEXT.running);
  const ms = instance.execute_costs ?? (instance.gmt_finished && instance.gmt_created ? instance.gmt_finished - instance.gmt_created : undefined);
  return duration(ms, locale);
}

export function tailSection(located: LocatedInstance, secrets: Secrets, t: Translate, locale: Locale, options: { lines: number; maxChars: number; single: boolean }): MessageSection {
  const tail = redactedTail(located.instance.message, secrets.redact, { lines: options.lines, maxChars: options.maxChars });
  const vars = {
    host: `${hostName(located.instance)}${hostIp(located.instance) ? ` (${hostIp(located.instance)})` : ''}`,
    status: enumName('instanceStatus', located.instance.status, locale),
    batch: located.batchIndex,
    lines: tail.lines.length,
    total: tail.totalLines,
  };
  return {
    title: t(options.single ? TEXT.logTitle : TEXT.failingTitle, vars),
    text: tail.lines.length ? tail.lines.join('\n') : t(TEXT.noOutput),
  };
}

/** The buttons that fit the order's state now. Each handler re-reads the order before acting. */
export function orderButtons(order: ScriptOrder, batches: readonly ScriptOrderBatchSummary[], statistics: ScriptOrderStatistics, t: Translate): Button[] {
  const uuid = order.execute_uuid;
  const buttons: Button[] = [];
  const n = currentBatchIndex(order, batches);
  if (order.status === 'READY' || order.status === 'PROCESSING') buttons.push({ actionId: ORDER_ACTION_IDS.pause, label: t(TEXT.pause), value: uuid });
  if (order.status === 'PAUSED') buttons.push({ actionId: ORDER_ACTION_IDS.continue, label: t(TEXT.continue), value: uuid, style: 'primary' });
  if (ACTIVE_ORDER_STATUSES.has(order.status) && batchHasUnfinished(statistics, n)) {
    buttons.push({
      actionId: ORDER_ACTION_IDS.skipBatch,
      label: t(TEXT.skip, { n }),
      value: `${uuid}:${n}`,
      confirm: { title: t(TEXT.skipConfirmTitle, { n }), text: t(TEXT.skipConfirmText, { n }), confirmLabel: t(TEXT.skipConfirmYes), denyLabel: t(TEXT.skipConfirmNo) },
    });
  }
  if (ACTIVE_ORDER_STATUSES.has(order.status)) buttons.push(cancelButton(uuid, t));
  if (ACTIVE_ORDER_STATUSES.has(order.status)) buttons.push({ actionId: ORDER_ACTION_IDS.refresh, label: t(TEXT.refresh), value: uuid });
  return buttons;
}

export function cancelButton(uuid: string, t: Translate): Button {
  return {
    actionId: ORDER_ACTION_IDS.cancel,
    label: t(TEXT.cancel),
    value: uuid,
    style: 'danger',
    confirm: { title: t(TEXT.cancelConfirmTitle), text: t(TEXT.cancelConfirmText, { uuid }), confirmLabel: t(TEXT.cancelConfirmYes), denyLabel: t(TEXT.cancelConfirmNo) },
  };
}

export interface CardOptions {
  readonly t: Translate;
  readonly locale: Locale;
  /** Show this one instance's output instead of the failing hosts' tails. */
  readonly logOf?: LocatedInstance;
  /** Lines of output per host. */
  readonly lines?: number;
}

export function orderCard(snapshot: OrderSnapshot, options: CardOptions): Message {
  const { t, locale } = options;
  const { order, batches, statistics, secrets } = snapshot;
  const uuid = order.execute_uuid;
  const m = batchCount(order, batches);
  const props = order.properties;
  const scriptName = [props?.script_name, props?.script_version_name ? `(${props.script_version_name})` : ''].filter(Boolean).join(' ');
  const fields: MessageField[] = [
    { label: t(TEXT.script), value: scriptName || props?.script_uuid || '?' },
    { label: t(TEXT.status), value: statusName(order.status, locale) },
    { label: t(TEXT.batch), value: t(TEXT.batchOf, { n: currentBatchIndex(order, batches), m }) },
    { label: t(TEXT.rotation), value: batches.length ? rotationSummary(batches, t, locale) : t(TEXT.none) },
    { label: t(TEXT.hosts), value: countsSummary(statistics, t, locale) },
    { label: t(TEXT.parameters), value: parametersSummary(order, secrets, t) },
    { label: t(TEXT.creator), value: order.creator ?? '' },
    { label: t(TEXT.created), value: utcTime(order.gmt_created) },
  ];
  if (order.gmt_finished) {
    const took = order.execute_costs ?? (order.gmt_created ? order.gmt_finished - order.gmt_created : undefined);
    fields.push({ label: t(TEXT.finished), value: took !== undefined ? t(TEXT.took, { time: utcTime(order.gmt_finished), duration: duration(took, locale) }) : utcTime(order.gmt_finished) });
  }

  const instances = snapshot.shownBatch?.execute_instances ?? [];
  const table = {
    columns: [t(TEXT.colHost), t(TEXT.colIp), t(TEXT.colStatus), t(TEXT.colDuration), t(TEXT.colInstance)],
    rows: instances.map((instance) => [
      hostName(instance),
      hostIp(instance),
      enumName('instanceStatus', instance.status, locale),
      instanceDuration(instance, t, locale),
      String(instance.id),
    ]),
  };

  const sections: MessageSection[] = [];
  const notes: string[] = [t(TEXT.tableIs, { n: snapshot.shownBatchIndex, m })];
  if (m > 1) notes.push(t(TEXT.otherBatch, { uuid }));
  if (options.logOf) {
    sections.push(tailSection(options.logOf, secrets, t, locale, { lines: options.lines ?? 30, maxChars: 2800, single: true }));
  } else {
    for (const located of snapshot.failing.slice(0, MAX_FAILING_TAILS)) {
      sections.push(tailSection(located, secrets, t, locale, { lines: options.lines ?? 10, maxChars: 900, single: false }));
    }
    const more = snapshot.failing.length - MAX_FAILING_TAILS;
    if (more > 0) notes.push(t(TEXT.moreFailing, { count: more }));
    notes.push(t(TEXT.oneLog, { uuid }));
  }
  if (sections.length) notes.push(t(TEXT.secretsHidden, { mask: MASK }));
  if (secrets.definitionUnknown) notes.push(t(TEXT.definitionUnknown));

  const buttons = orderButtons(order, batches, statistics, t);
  return {
    title: t(TEXT.title, { uuid }),
    text: nowText(snapshot, t, locale),
    tone: toneOf(order.status),
    fields,
    progress: orderProgress(statistics, t),
    table,
    ...(sections.length ? { sections } : {}),
    ...(buttons.length ? { buttons } : {}),
    footer: notes.join(locale === 'zh-CN' ? '' : ' '),
  };
}
