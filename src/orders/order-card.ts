/**
 * One execution order as a chat card: what runs, where it stands (status, batch n of m,
 * progress bar, per-status counts, rotation per batch), the hosts of one batch, the output
 * tail of the hosts that failed (secrets hidden) and the buttons that fit its state.
 *
 * `loadOrderSnapshot` reads everything from the backend's runs (read-only calls); `orderCard` is
 * a pure function of that snapshot, so the live order tracker can render the same card.
 *
 * Sensitive values: the names come from the script definition (`sensitive: true`), the values
 * from the parameters the run echoes back and the definition's defaults. If the
 * definition cannot be read, every parameter value of the order is treated as sensitive.
 */
import { isNotFound, label, isKnownCode, nativeOf, need, parseId, type Backend, type BatchHosts, type BatchSummary, type HostRun, type HostRunState, type RunId, type RunProgress, type RunState, type RunSummary, type ScriptParam, type Vocabulary } from '../backends/index.js';
import type { Button, Message, MessageField, MessageSection, Progress, Tone } from '../core/message.js';
import { duration, utcTime } from '../i18n/format.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import type { RunStart } from '../store/run-starts.js';
import { MASK, redactLog, redactedTail, type RedactOptions } from './redact-log.js';
import { startedByText } from './started-by.js';

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
  nowOther: { 'en-US': '{platform} reports the status {status}.', 'zh-CN': '{platform} 返回的状态为 {status}。' },
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
  // runs the bot sends batch by batch (one execution per batch)
  betweenBatches: {
    'en-US': 'Batches are sent one at a time: a running batch always finishes; pause, skip and cancel apply before the next batch.',
    'zh-CN': '批次逐一下发：执行中的批次总会执行完；暂停、跳过和取消在下一批开始前生效。',
  },
  nowBatchUnknown: {
    'en-US': 'The outcome of batch {n} of {m} is unknown (its answer was lost); it is not sent again. Waiting for news of task {label}.',
    'zh-CN': '第 {n} 批（共 {m} 批）的结果未知（响应丢失），不会重新下发。正在等待任务 {label} 的消息。',
  },
  nowBatchRefused: {
    'en-US': 'Stopped: batch {n} of {m} was refused before it ran; nothing ran on its hosts, and later batches did not run.',
    'zh-CN': '已停止：第 {n} 批（共 {m} 批）在执行前被拒绝，其主机上未执行任何操作，后续批次未执行。',
  },
  nowStoppedUnknown: {
    'en-US': 'Stopped: the outcome of batch {n} of {m} stayed unknown. Check the task {label} on the platform by hand; later batches did not run.',
    'zh-CN': '已停止：第 {n} 批（共 {m} 批）的结果一直未知。请到平台上手动查看任务 {label}；后续批次未执行。',
  },
  skipConfirmNo: { 'en-US': 'Keep it', 'zh-CN': '保留' },
} satisfies Record<string, Text>;

export const ORDER_ACTION_IDS = {
  pause: 'order:pause',
  continue: 'order:continue',
  cancel: 'order:cancel',
  skipBatch: 'order:skip-batch',
  refresh: 'order:refresh',
} as const;

export { isNotFound };

/** States in which a run can still change. */
export const ACTIVE_RUN_STATES: ReadonlySet<RunState> = new Set(['waiting', 'running', 'paused']);
/** Host states that count as done for the progress bar. */
const DONE_HOST_STATES: ReadonlySet<HostRunState> = new Set(['succeeded', 'failed', 'canceled', 'rolled-back']);
const UNFINISHED_HOST_STATES: ReadonlySet<HostRunState> = new Set(['waiting', 'running']);
const FAILED_HOST_STATE: HostRunState = 'failed';
/** The order the card lists host counts in; states it does not name follow as they came. */
const COUNT_ORDER: readonly HostRunState[] = ['succeeded', 'failed', 'running', 'waiting', 'canceled', 'rolled-back'];

/** Hosts of a batch read at once; a COC batch holds at most 10. */
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

export interface LocatedHostRun {
  readonly batchIndex: number;
  readonly host: HostRun;
}

export interface OrderSnapshot {
  readonly run: RunSummary;
  readonly batches: readonly BatchSummary[];
  readonly progress: RunProgress;
  /** 1-based; clamped to the run's batches. */
  readonly shownBatchIndex: number;
  readonly shownBatch: BatchHosts | undefined;
  /** Failing hosts of the run, batch by batch, as far as they were read. */
  readonly failing: readonly LocatedHostRun[];
  /** Every host of every batch, when all batches were read (`allBatches: true`). */
  readonly all?: readonly LocatedHostRun[];
  readonly secrets: Secrets;
  /** The words of the backend the run was read from, for its codes. */
  readonly vocabulary: Vocabulary;
  /** The bot sends the batches one at a time (bot batching): changes apply between batches. */
  readonly betweenBatchesOnly?: boolean;
}

export function batchCount(batches: readonly BatchSummary[]): number {
  return Math.max(batches.length, ...batches.map((b) => b.index), 1);
}

export function currentBatchIndex(run: RunSummary, batches: readonly BatchSummary[]): number {
  const m = batchCount(batches);
  const n = run.currentBatch ?? 1;
  return Math.min(Math.max(1, Math.trunc(n)), m);
}

/**
 * What a script definition says of its parameters, shared by every order read with the same
 * definition: the live order tracker keeps each live order's Secrets for as long as it runs (ten
 * thousand of them on one replica), and two sets of names and a function apiece were ~0.3 KB each.
 */
interface DefinitionRules {
  readonly isSensitive: (name: string) => boolean;
  /** The sensitive parameters' default values. */
  readonly defaults: readonly (string | undefined)[];
  /** The Secrets of an order that passed no sensitive value of its own. */
  readonly plain: Secrets;
}

/** Definitions whose rules are kept for the next order read with one of them (the oldest one made goes first). */
const DEFINITIONS_KEPT = 256;
const rulesByDefinition = new Map<string, DefinitionRules>();

/** Secrets when the definition could not be read and the order passed no parameter: nothing to hide but everything treated as sensitive. */
const UNKNOWN_WITHOUT_PARAMS: Secrets = { redact: { secrets: [] }, isSensitive: () => true, definitionUnknown: true };

function definitionRules(definitions: readonly ScriptParam[]): DefinitionRules {
  const key = JSON.stringify(definitions.map((d) => [d.name, d.sensitive, d.sensitive ? (d.defaultValue ?? null) : null]));
  const kept = rulesByDefinition.get(key);
  if (kept) return kept;
  const known = new Set(definitions.map((d) => d.name));
  const sensitive = new Set(definitions.filter((d) => d.sensitive).map((d) => d.name));
  // A parameter the definition no longer names (the script changed since) is treated as secret.
  const isSensitive = (name: string) => sensitive.has(name) || !known.has(name);
  const defaults = definitions.filter((d) => d.sensitive).map((d) => d.defaultValue);
  const rules: DefinitionRules = { isSensitive, defaults, plain: { redact: { secrets: defaults }, isSensitive, definitionUnknown: false } };
  if (rulesByDefinition.size >= DEFINITIONS_KEPT) rulesByDefinition.delete(rulesByDefinition.keys().next().value!);
  rulesByDefinition.set(key, rules);
  return rules;
}

/** Reads the script definition to learn which parameter values are secret. */
export async function loadSecrets(backend: Backend, run: RunSummary): Promise<Secrets> {
  const used = run.params;
  const scriptId = run.script.id;
  let definitions: readonly ScriptParam[] | undefined;
  if (scriptId && backend.scripts) {
    const scripts = backend.scripts;
    try {
      const publicScript = parseId(scriptId)?.kind === 'public-script';
      const script = publicScript ? await scripts.getPublic?.(scriptId) : await scripts.get(scriptId);
      definitions = script?.params;
    } catch {
      definitions = undefined;
    }
  }
  if (!definitions) {
    if (used.length === 0) return UNKNOWN_WITHOUT_PARAMS;
    return {
      redact: { secrets: used.map((p) => p.value) },
      isSensitive: () => true,
      definitionUnknown: true,
    };
  }
  const rules = definitionRules(definitions);
  const usedSecrets = used.filter((p) => p.name && rules.isSensitive(p.name)).map((p) => p.value);
  if (usedSecrets.length === 0) return rules.plain;
  return { redact: { secrets: [...usedSecrets, ...rules.defaults] }, isSensitive: rules.isSensitive, definitionUnknown: false };
}

async function readBatch(backend: Backend, id: RunId, index: number, state?: HostRunState): Promise<BatchHosts> {
  return need(backend, 'runs').batch(id, index, { limit: BATCH_PAGE, ...(state ? { state } : {}) });
}

export interface SnapshotOptions {
  /** The batch whose hosts the card lists (default: the current one). */
  readonly batch?: number;
  /** Read every batch's hosts (for `--log <host>` and host lookups). */
  readonly allBatches?: boolean;
}

/** Thrown when `--batch` names a batch the run does not have. */
export class NoSuchBatch extends Error {
  constructor(readonly batch: number, readonly count: number) {
    super(`no batch ${batch}`);
  }
}

/** Reads the run; undefined when the platform does not know it. */
export async function readOrder(backend: Backend, id: RunId): Promise<RunSummary | undefined> {
  return need(backend, 'runs').read(id);
}

/** The batches and progress when they were already read together with the run (one round trip less). */
export interface Prefetched {
  readonly batches: readonly BatchSummary[];
  readonly progress: RunProgress;
}

/** The run with its batches and progress, read at once (they need nothing but the id). */
export async function readOrderWithProgress(backend: Backend, id: RunId): Promise<{ run: RunSummary; prefetched: Prefetched } | undefined> {
  const runs = need(backend, 'runs');
  const [run, batches, progress] = await Promise.allSettled([runs.read(id), runs.batches(id), runs.progress(id)]);
  if (run.status === 'rejected') throw run.reason;
  if (!run.value) return undefined;
  if (batches.status === 'rejected') throw batches.reason;
  if (progress.status === 'rejected') throw progress.reason;
  return { run: run.value, prefetched: { batches: batches.value, progress: progress.value } };
}

/** The failing hosts of a batch read, where they stand. */
function failingIn(index: number, batch: BatchHosts | undefined): LocatedHostRun[] {
  return (batch?.hosts ?? []).filter((host) => host.status.state === FAILED_HOST_STATE).map((host) => ({ batchIndex: index, host }));
}

/** Batches other than the shown one that have failing hosts, by the progress (at most MAX_FAILING_BATCHES). */
export function failedBatchesBesides(progress: RunProgress, m: number, shown: number): number[] {
  return (progress.counts.find((c) => c.status.state === FAILED_HOST_STATE)?.batches ?? []).filter(
    (index) => Number.isInteger(index) && index >= 1 && index <= m && index !== shown,
  );
}

export async function loadOrderSnapshot(backend: Backend, run: RunSummary, options: SnapshotOptions = {}, prefetched?: Prefetched): Promise<OrderSnapshot> {
  const runs = need(backend, 'runs');
  const id = run.id;
  const vocabulary = backend.vocabulary;
  // The definition is read while the batches are: the hosts' reads need only the batches, so a
  // first look with the run's batches already read takes one round trip more, not two.
  const secretsRead = loadSecrets(backend, run);
  // Should the batch asked for not exist, nothing waits for the definition: it must not fail unseen.
  secretsRead.catch(() => undefined);
  const [batches, progress] = prefetched ? [prefetched.batches, prefetched.progress] : await Promise.all([runs.batches(id), runs.progress(id)]);
  const m = batchCount(batches);
  if (options.batch !== undefined && (options.batch < 1 || options.batch > m)) throw new NoSuchBatch(options.batch, m);
  const shownBatchIndex = options.batch ?? currentBatchIndex(run, batches);

  if (options.allBatches) {
    const indexes = Array.from({ length: m }, (_, i) => i + 1);
    const [secrets, read] = await Promise.all([secretsRead, Promise.all(indexes.map((index) => readBatch(backend, id, index)))]);
    const all = read.flatMap((batch, i) => batch.hosts.map((host) => ({ batchIndex: indexes[i]!, host })));
    return {
      run,
      batches,
      progress,
      shownBatchIndex,
      shownBatch: read[shownBatchIndex - 1],
      failing: all.filter((located) => located.host.status.state === FAILED_HOST_STATE),
      all,
      secrets,
      vocabulary,
      ...(runs.batching === 'bot' ? { betweenBatchesOnly: true } : {}),
    };
  }

  const failedBatches = failedBatchesBesides(progress, m, shownBatchIndex).slice(0, MAX_FAILING_BATCHES);
  const [secrets, shownBatch, others] = await Promise.all([
    secretsRead,
    readBatch(backend, id, shownBatchIndex),
    Promise.all(failedBatches.map((index) => readBatch(backend, id, index, FAILED_HOST_STATE))),
  ]);
  const failing: LocatedHostRun[] = [...failingIn(shownBatchIndex, shownBatch)];
  failedBatches.forEach((index, i) => failing.push(...failingIn(index, others[i])));
  failing.sort((a, b) => a.batchIndex - b.batchIndex);
  return { run, batches, progress, shownBatchIndex, shownBatch, failing, secrets, vocabulary, ...(runs.batching === 'bot' ? { betweenBatchesOnly: true } : {}) };
}

// ---- pure rendering ----------------------------------------------------------------------

/** `Running (PROCESSING)`: the platform's status in words, with its own code when the words are known. */
export function statusName(vocabulary: Vocabulary, code: string, locale: Locale): string {
  const name = label(vocabulary, 'runStatus', code, locale);
  return isKnownCode(vocabulary, 'runStatus', code) ? `${name} (${code})` : code;
}

export function hostName(run: HostRun): string {
  return run.host.name || (run.host.id ? nativeOf(run.host.id) : '') || nativeOf(run.ref);
}

function hostIp(run: HostRun): string {
  return run.host.ip || run.host.floatingIp || '';
}

function countOf(progress: RunProgress, code: string): number {
  return progress.counts.filter((c) => c.status.code === code).reduce((sum, c) => sum + (c.count ?? 0), 0);
}

/** Hosts in `state`, by the progress. */
export function countIn(progress: RunProgress, state: HostRunState): number {
  return progress.counts.filter((c) => c.status.state === state).reduce((sum, c) => sum + (c.count ?? 0), 0);
}

export function totalHosts(progress: RunProgress): number {
  return progress.total ?? progress.counts.reduce((sum, c) => sum + (c.count ?? 0), 0);
}

export function orderProgress(progress: RunProgress, t: Translate): Progress {
  const total = totalHosts(progress);
  const done = progress.counts.filter((c) => DONE_HOST_STATES.has(c.status.state)).reduce((sum, c) => sum + (c.count ?? 0), 0);
  return { done: Math.min(done, total), total, label: t(TEXT.progress, { done: Math.min(done, total), total }) };
}

/** Whether batch `index` still has hosts that have not finished, by the progress. */
export function batchHasUnfinished(progress: RunProgress, index: number): boolean {
  return progress.counts.some((c) => UNFINISHED_HOST_STATES.has(c.status.state) && (c.count ?? 0) > 0 && c.batches.includes(index));
}

/** `1–2 Pause after this batch · 3 Go on to the next batch`. */
function rotationSummary(snapshot: OrderSnapshot, t: Translate, locale: Locale): string {
  const sorted = [...snapshot.batches].sort((a, b) => a.index - b.index);
  const groups: { from: number; to: number; strategy: string }[] = [];
  for (const batch of sorted) {
    const strategy = batch.rotation?.code ?? '';
    const last = groups.at(-1);
    if (last && last.strategy === strategy && last.to === batch.index - 1) last.to = batch.index;
    else groups.push({ from: batch.index, to: batch.index, strategy });
  }
  return groups
    .map((g) => `${t(TEXT.batchList, { list: g.from === g.to ? String(g.from) : `${g.from}–${g.to}` })}: ${label(snapshot.vocabulary, 'rotation', g.strategy, locale) || '?'}`)
    .join(' · ');
}

/** The platform's host status codes in the card's order: known states first, then the rest as they came. */
function countCodes(progress: RunProgress): string[] {
  const codes = [...new Set(progress.counts.map((c) => c.status.code))];
  const rank = (code: string) => {
    const state = progress.counts.find((c) => c.status.code === code)!.status.state;
    const at = COUNT_ORDER.indexOf(state);
    return at === -1 ? COUNT_ORDER.length : at;
  };
  return codes.map((code, at) => ({ code, at, rank: rank(code) })).sort((a, b) => a.rank - b.rank || a.at - b.at).map((entry) => entry.code);
}

function countsSummary(snapshot: OrderSnapshot, t: Translate, locale: Locale): string {
  const { progress, vocabulary } = snapshot;
  const parts = countCodes(progress)
    .map((code) => ({ code, count: countOf(progress, code) }))
    .filter((entry) => entry.count > 0)
    .map((entry) => `${label(vocabulary, 'hostRunStatus', entry.code, locale)} ${entry.count}`);
  return parts.length ? parts.join(' · ') : t(TEXT.none);
}

function parametersSummary(run: RunSummary, secrets: Secrets, t: Translate): string {
  const params = run.params;
  if (params.length === 0) return t(TEXT.none);
  const text = params
    .map((p) => {
      const name = p.name;
      if (p.fromStore) return `${name}=${t(TEXT.paramStore)}`;
      if (secrets.isSensitive(name)) return `${name}=${MASK}`;
      const value = p.value ?? '';
      return `${name}=${value.length > 60 ? `${value.slice(0, 59)}…` : value}`;
    })
    .join(', ');
  // Non-sensitive values still pass the generic rules (a "token_…" parameter, a URL with a password).
  return redactLog(text, secrets.redact);
}

function nowText(snapshot: OrderSnapshot, t: Translate, locale: Locale): string {
  const { run, batches } = snapshot;
  const m = batchCount(batches);
  const n = currentBatchIndex(run, batches);
  switch (run.status.state) {
    case 'waiting':
      return t(TEXT.nowReady, { m });
    case 'running':
      // A bot-sent batch whose answer was lost (the bot's own code): say that the run waits for it.
      if (snapshot.betweenBatchesOnly && run.status.code === 'UNKNOWN') return t(TEXT.nowBatchUnknown, { n, m, label: run.label ?? '?' });
      return t(TEXT.nowRunning, { n, m });
    case 'paused':
      // After "skip batch" COC stays paused at the skipped batch: say what Continue will do.
      if (!batchHasUnfinished(snapshot.progress, n)) return n < m ? t(TEXT.nowPausedNext, { n, m, next: n + 1 }) : t(TEXT.nowPausedLast, { n, m });
      return t(TEXT.nowPaused, { n, m });
    case 'succeeded':
      return t(TEXT.nowFinished, { m });
    case 'failed': {
      // A batch the platform refused to start failed no success rate: say that it never ran.
      if (snapshot.betweenBatchesOnly && snapshot.progress.counts.some((c) => c.status.code === 'NOT_STARTED' && c.batches.includes(n))) return t(TEXT.nowBatchRefused, { n, m });
      const rate = run.successRate;
      return rate !== undefined ? t(TEXT.nowAbnormal, { n, m, rate }) : t(TEXT.nowAbnormalNoRate, { n, m });
    }
    case 'canceled':
      return t(TEXT.nowCanceled);
    case 'error':
      if (snapshot.betweenBatchesOnly) return t(TEXT.nowStoppedUnknown, { n, m, label: run.label ?? '?' });
      return t(TEXT.nowOther, { status: statusName(snapshot.vocabulary, run.status.code, locale) });
    default:
      return t(TEXT.nowOther, { status: statusName(snapshot.vocabulary, run.status.code, locale) });
  }
}

function toneOf(state: RunState): Tone {
  // Never 'danger': that marks the reader's command itself as failed in the audit trail.
  if (state === 'succeeded') return 'success';
  if (state === 'failed' || state === 'error' || state === 'paused' || state === 'canceled' || state === 'rolled-back') return 'warning';
  return 'info';
}

function hostDuration(run: HostRun, t: Translate, locale: Locale): string {
  if (run.status.state === 'running') return t(TEXT.running);
  const ms = run.durationMs ?? (run.finishedAt && run.startedAt ? run.finishedAt - run.startedAt : undefined);
  return duration(ms, locale);
}

export function tailSection(located: LocatedHostRun, snapshot: Pick<OrderSnapshot, 'secrets' | 'vocabulary'>, t: Translate, locale: Locale, options: { lines: number; maxChars: number; single: boolean }): MessageSection {
  const tail = redactedTail(located.host.output, snapshot.secrets.redact, { lines: options.lines, maxChars: options.maxChars });
  const ip = hostIp(located.host);
  const vars = {
    host: `${hostName(located.host)}${ip ? ` (${ip})` : ''}`,
    status: label(snapshot.vocabulary, 'hostRunStatus', located.host.status.code, locale),
    batch: located.batchIndex,
    lines: tail.lines.length,
    total: tail.totalLines,
  };
  return {
    title: t(options.single ? TEXT.logTitle : TEXT.failingTitle, vars),
    text: tail.lines.length ? tail.lines.join('\n') : t(TEXT.noOutput),
  };
}

/** The buttons that fit the run's state now. Each handler re-reads the run before acting. */
export function orderButtons(
  run: RunSummary,
  batches: readonly BatchSummary[],
  progress: RunProgress,
  t: Translate,
  options: { readonly betweenBatchesOnly?: boolean } = {},
): Button[] {
  const uuid = nativeOf(run.id);
  const state = run.status.state;
  const buttons: Button[] = [];
  const current = currentBatchIndex(run, batches);
  // Where the bot sends batches, a running batch always finishes: skipping names the next one.
  const sending = options.betweenBatchesOnly === true && (state === 'running' || state === 'waiting');
  const n = sending ? current + 1 : current;
  const skippable = sending ? n <= batches.length : batchHasUnfinished(progress, n);
  if (state === 'waiting' || state === 'running') buttons.push({ actionId: ORDER_ACTION_IDS.pause, label: t(TEXT.pause), value: uuid });
  if (state === 'paused') buttons.push({ actionId: ORDER_ACTION_IDS.continue, label: t(TEXT.continue), value: uuid, style: 'primary' });
  if (ACTIVE_RUN_STATES.has(state) && skippable) {
    buttons.push({
      actionId: ORDER_ACTION_IDS.skipBatch,
      label: t(TEXT.skip, { n }),
      value: `${uuid}:${n}`,
      confirm: { title: t(TEXT.skipConfirmTitle, { n }), text: t(TEXT.skipConfirmText, { n }), confirmLabel: t(TEXT.skipConfirmYes), denyLabel: t(TEXT.skipConfirmNo) },
    });
  }
  if (ACTIVE_RUN_STATES.has(state)) buttons.push(cancelButton(uuid, t));
  if (ACTIVE_RUN_STATES.has(state)) buttons.push({ actionId: ORDER_ACTION_IDS.refresh, label: t(TEXT.refresh), value: uuid });
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
  /** Show this one host's output instead of the failing hosts' tails. */
  readonly logOf?: LocatedHostRun;
  /** Lines of output per host. */
  readonly lines?: number;
  /** Who started it from chat, when the bot did (the store's record). */
  readonly start?: RunStart;
}

export function orderCard(snapshot: OrderSnapshot, options: CardOptions): Message {
  const { t, locale } = options;
  const { run, batches, progress, secrets, vocabulary } = snapshot;
  const uuid = nativeOf(run.id);
  const m = batchCount(batches);
  const script = run.script;
  const scriptName = [script.name, script.version ? `(${script.version})` : ''].filter(Boolean).join(' ');
  const fields: MessageField[] = [
    { label: t(TEXT.script), value: scriptName || (script.id ? nativeOf(script.id) : '') || '?' },
    { label: t(TEXT.status), value: statusName(vocabulary, run.status.code, locale) },
    { label: t(TEXT.batch), value: t(TEXT.batchOf, { n: currentBatchIndex(run, batches), m }) },
    { label: t(TEXT.rotation), value: batches.length ? rotationSummary(snapshot, t, locale) : t(TEXT.none) },
    { label: t(TEXT.hosts), value: countsSummary(snapshot, t, locale) },
    { label: t(TEXT.parameters), value: parametersSummary(run, secrets, t) },
    { label: t(TEXT.creator), value: startedByText(run.creator, options.start, t) },
    { label: t(TEXT.created), value: utcTime(run.createdAt) },
  ];
  if (run.finishedAt) {
    const took = run.durationMs ?? (run.createdAt ? run.finishedAt - run.createdAt : undefined);
    fields.push({ label: t(TEXT.finished), value: took !== undefined ? t(TEXT.took, { time: utcTime(run.finishedAt), duration: duration(took, locale) }) : utcTime(run.finishedAt) });
  }

  const hosts = snapshot.shownBatch?.hosts ?? [];
  const table = {
    columns: [t(TEXT.colHost), t(TEXT.colIp), t(TEXT.colStatus), t(TEXT.colDuration), t(TEXT.colInstance)],
    rows: hosts.map((host) => [hostName(host), hostIp(host), label(vocabulary, 'hostRunStatus', host.status.code, locale), hostDuration(host, t, locale), nativeOf(host.ref)]),
  };

  const sections: MessageSection[] = [];
  const notes: string[] = [t(TEXT.tableIs, { n: snapshot.shownBatchIndex, m })];
  if (m > 1) notes.push(t(TEXT.otherBatch, { uuid }));
  if (options.logOf) {
    sections.push(tailSection(options.logOf, snapshot, t, locale, { lines: options.lines ?? 30, maxChars: 2800, single: true }));
  } else {
    for (const located of snapshot.failing.slice(0, MAX_FAILING_TAILS)) {
      sections.push(tailSection(located, snapshot, t, locale, { lines: options.lines ?? 10, maxChars: 900, single: false }));
    }
    const more = snapshot.failing.length - MAX_FAILING_TAILS;
    if (more > 0) notes.push(t(TEXT.moreFailing, { count: more }));
    notes.push(t(TEXT.oneLog, { uuid }));
  }
  if (sections.length) notes.push(t(TEXT.secretsHidden, { mask: MASK }));
  if (snapshot.betweenBatchesOnly && ACTIVE_RUN_STATES.has(run.status.state)) notes.push(t(TEXT.betweenBatches));
  if (secrets.definitionUnknown) notes.push(t(TEXT.definitionUnknown));

  const buttons = orderButtons(run, batches, progress, t, snapshot.betweenBatchesOnly ? { betweenBatchesOnly: true } : {});
  return {
    title: t(TEXT.title, { uuid }),
    text: nowText(snapshot, t, locale),
    tone: toneOf(run.status.state),
    fields,
    progress: orderProgress(progress, t),
    table,
    ...(sections.length ? { sections } : {}),
    ...(buttons.length ? { buttons } : {}),
    footer: notes.join(locale === 'zh-CN' ? '' : ' '),
  };
}
