/**
 * Changing a running order: `order pause|continue|cancel|skip-batch|cancel-instance` and the
 * card's buttons (`order:pause`, `order:continue`, `order:cancel`, `order:skip-batch`,
 * `order:refresh`).
 *
 * Every change re-reads the order first and refuses, in plain words, what does not fit its
 * status now ("order … is FINISHED; nothing to cancel"). Asking for the state it is already in
 * (a second click on Cancel) answers "already canceled" and sends nothing. Operations on one
 * order are serialized within this process, so a double click sends at most one request;
 * across replicas a racing second request is refused by COC, which is then explained the same
 * way. COC calls that change something are sent once and never retried: when COC refused
 * before acting (4xx with its error body, 429) the reply says so; when its answer was lost
 * (5xx, timeout, reset, unreadable, an error envelope on a 2xx) the order is read back
 * (order-readback.ts) and the reply says it took effect, did not, or that nobody can tell yet
 * and how to check.
 *
 * `order cancel` without `--yes` sends nothing: it answers with a card whose danger button
 * (with a confirmation dialog) cancels when clicked.
 */
import {
  BackendCapabilityMissingError,
  isKnownCode,
  label,
  nativeOf,
  need,
  normalizeError,
  writeFailureOf,
  type Backend,
  type Capability,
  type HostRun,
  type RunId,
  type RunOperation,
  type RunOperationKind,
  type RunSummary,
} from '../src/backends/index.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { arg, defineCommand, type ArgSpecs, type ArgsOf, type TypedCommandDefinition } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import { Refusal } from '../src/core/refusal.js';
import type { Button, Message } from '../src/core/message.js';
import { translator, type Text, type Translate } from '../src/i18n/translate.js';
import {
  ACTIVE_RUN_STATES,
  batchCount,
  cancelButton,
  currentBatchIndex,
  hostName,
  ORDER_ACTION_IDS,
  orderButtons,
  orderProgress,
  readOrder,
  statusName,
  totalHosts,
  type LocatedHostRun,
} from '../src/orders/order-card.js';
import { findHost, showOrder } from '../src/orders/show.js';
import { isPlausibleId } from '../src/core/ids.js';
import { bluekingOrderExamples, maxBatches, ORDER_ID_ARG } from './orders.js';
import { readBackOperation, type SentOperation } from '../src/run/readback.js';
import { KeyedQueue } from '../src/core/queue.js';
import { BatchOperationRefusedError } from '../src/batches/errors.js';

type Operation = 'pause' | 'continue' | 'cancel' | 'skip-batch' | 'cancel-instance';

/** The capability each order command needs (capabilities.ts). */
const OPERATION_CAPABILITY: Readonly<Record<Operation, Capability>> = {
  pause: 'runs.operate.pause',
  continue: 'runs.operate.continue',
  cancel: 'runs.operate.cancel',
  'skip-batch': 'runs.operate.skip-batch',
  'cancel-instance': 'runs.operate.cancel-host',
};

/** The run operation each command sends. */
const RUN_OPERATION: Readonly<Record<Operation, RunOperationKind>> = {
  pause: 'pause',
  continue: 'continue',
  cancel: 'cancel',
  'skip-batch': 'skip-batch',
  'cancel-instance': 'cancel-host',
};

/** The operation as the audit trail names it: the platform's own name where it has one. */
function auditedOperation(backend: Backend, operation: Operation): string {
  const kind = RUN_OPERATION[operation];
  return backend.runs?.operationCodes?.[kind] ?? kind;
}

const TEXT = {
  notFound: { 'en-US': 'No order {uuid} in {platform}', 'zh-CN': '{platform} 中没有工单 {uuid}' },
  notFoundText: { 'en-US': 'Nothing was sent. "orders" lists recent orders.', 'zh-CN': '未发送任何操作。“orders”可列出最近的工单。' },
  unknownStatus: { 'en-US': 'Order {uuid} is in a status this bot does not know: {status}', 'zh-CN': '工单 {uuid} 处于本机器人不认识的状态：{status}' },
  unknownStatusText: { 'en-US': 'Nothing was sent. Check the order in the {platform} console.', 'zh-CN': '未发送任何操作。请在 {platform} 控制台查看该工单。' },
  nothingTo: {
    pause: { 'en-US': 'Order {uuid} is {status}; nothing to pause', 'zh-CN': '工单 {uuid} 为{status}状态，无可暂停' },
    continue: { 'en-US': 'Order {uuid} is {status}; nothing to continue', 'zh-CN': '工单 {uuid} 为{status}状态，无可继续' },
    cancel: { 'en-US': 'Order {uuid} is {status}; nothing to cancel', 'zh-CN': '工单 {uuid} 为{status}状态，无可取消' },
    'skip-batch': { 'en-US': 'Order {uuid} is {status}; nothing to skip', 'zh-CN': '工单 {uuid} 为{status}状态，无可跳过' },
    'cancel-instance': { 'en-US': 'Order {uuid} is {status}; no host to cancel', 'zh-CN': '工单 {uuid} 为{status}状态，无可取消的主机' },
  } satisfies Record<Operation, Text>,
  finalText: { 'en-US': 'It has ended, so nothing was sent to {platform}.', 'zh-CN': '该工单已结束，未向 {platform} 发送任何操作。' },
  alreadyPaused: { 'en-US': 'Order {uuid} is already paused', 'zh-CN': '工单 {uuid} 已处于暂停状态' },
  alreadyPausedText: { 'en-US': 'Nothing was sent. Continue it with the button or "order continue {uuid}".', 'zh-CN': '未发送任何操作。可点击按钮或输入“order continue {uuid}”继续。' },
  notPaused: { 'en-US': 'Order {uuid} is {status}, not paused; nothing to continue', 'zh-CN': '工单 {uuid} 为{status}状态，未暂停，无需继续' },
  notPausedText: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何操作。' },
  alreadyCanceled: { 'en-US': 'Order {uuid} is already canceled', 'zh-CN': '工单 {uuid} 已取消' },
  alreadyCanceledText: { 'en-US': 'Nothing was sent to {platform}.', 'zh-CN': '未向 {platform} 发送任何操作。' },
  noBatch: { 'en-US': 'Order {uuid} has no batch {batch}', 'zh-CN': '工单 {uuid} 没有第 {batch} 批' },
  noBatchText: { 'en-US': 'It has {count} batches: give --batch 1 to {count}. Nothing was sent.', 'zh-CN': '它共有 {count} 批：--batch 取 1 到 {count}。未发送任何操作。' },
  batchAlreadySkipped: { 'en-US': 'Batch {batch} of order {uuid} is already skipped', 'zh-CN': '工单 {uuid} 的第 {batch} 批已被跳过' },
  batchAlreadySkippedText: { 'en-US': 'All its hosts are canceled. Nothing was sent.', 'zh-CN': '该批主机均已取消。未发送任何操作。' },
  batchDone: { 'en-US': 'Batch {batch} of order {uuid} has no hosts left to skip', 'zh-CN': '工单 {uuid} 的第 {batch} 批没有可跳过的主机' },
  batchDoneText: { 'en-US': 'Its hosts: {counts}. Nothing was sent.', 'zh-CN': '该批主机：{counts}。未发送任何操作。' },
  needInstance: { 'en-US': 'Which host?', 'zh-CN': '请指定主机' },
  needInstanceText: {
    'en-US': 'Give --instance with a host name, IP, resource id or instance id (the INSTANCE column of "order show {uuid}").',
    'zh-CN': '请用 --instance 给出主机名、IP、资源 ID 或实例 ID（见“order show {uuid}”的实例 ID 列）。',
  },
  instanceAlreadyCanceled: { 'en-US': 'Host {host} of order {uuid} is already canceled', 'zh-CN': '工单 {uuid} 的主机 {host} 已取消' },
  instanceAlreadyCanceledText: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何操作。' },
  instanceDone: { 'en-US': 'Host {host} of order {uuid} is {status}; nothing to cancel', 'zh-CN': '工单 {uuid} 的主机 {host} 为{status}状态，无可取消' },
  instanceDoneText: { 'en-US': 'Only hosts that are waiting or running can be canceled. Nothing was sent.', 'zh-CN': '只能取消等待中或执行中的主机。未发送任何操作。' },
  // done
  donePause: { 'en-US': 'Pause requested for order {uuid}', 'zh-CN': '已请求暂停工单 {uuid}' },
  donePauseRunning: {
    'en-US': '{platform} pauses it when the batch that is running now finishes. Status now: {status}.',
    'zh-CN': '{platform} 将在当前批次执行完后暂停。当前状态：{status}。',
  },
  donePaused: { 'en-US': 'Status now: {status}.', 'zh-CN': '当前状态：{status}。' },
  doneContinue: { 'en-US': 'Order {uuid} continues', 'zh-CN': '工单 {uuid} 已继续执行' },
  doneCancel: { 'en-US': 'Order {uuid} canceled', 'zh-CN': '工单 {uuid} 已取消' },
  doneSkip: { 'en-US': 'Batch {batch} of order {uuid} skipped', 'zh-CN': '已跳过工单 {uuid} 的第 {batch} 批' },
  doneCancelInstance: { 'en-US': 'Host {host} of order {uuid} canceled', 'zh-CN': '已取消工单 {uuid} 的主机 {host}' },
  statusNow: { 'en-US': 'Status now: {status}.', 'zh-CN': '当前状态：{status}。' },
  statusUnread: { 'en-US': '{platform} accepted it; its new status could not be read yet: "order show {uuid}".', 'zh-CN': '{platform} 已接受；暂时无法读取新状态，请用“order show {uuid}”查看。' },
  // refused by COC / no answer
  cocRefused: { 'en-US': '{platform} refused to {operation} order {uuid}', 'zh-CN': '{platform} 拒绝了对工单 {uuid} 的{operation}操作' },
  cocRefusedText: { 'en-US': 'HTTP {status}{code}: {reason}. The order is now {now}. Nothing was retried.', 'zh-CN': 'HTTP {status}{code}：{reason}。工单当前状态：{now}。未重试。' },
  noReason: { 'en-US': 'no reason given', 'zh-CN': '未说明原因' },
  alreadyRefusedText: {
    'en-US': '{platform} refused the request (HTTP {status}{code}) because it already is {now}. Nothing was retried.',
    'zh-CN': '{platform} 拒绝了请求（HTTP {status}{code}），因为它已经是{now}。未重试。',
  },
  unknownNow: { 'en-US': 'unknown (it could not be read)', 'zh-CN': '未知（无法读取）' },
  // the answer was lost (outcome unknown at first), then the order was read back
  confirmed: {
    'en-US': 'Confirmed by reading the order after {platform}’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），之后读取工单确认已生效；未重复发送。',
  },
  notTaken: { 'en-US': 'The {operation} of order {uuid} did not take effect', 'zh-CN': '对工单 {uuid} 的{operation}操作未生效' },
  notTakenText: {
    'en-US': '{platform}’s answer was lost ({answer}); reading the order back shows it unchanged: it is {now}. Nothing was retried; you may try again.',
    'zh-CN': '{platform} 的响应丢失（{answer}）；读取工单显示其未变化：当前状态 {now}。未重试，您可以再次尝试。',
  },
  noAnswer: { 'en-US': 'Outcome unknown: the {operation} of order {uuid}', 'zh-CN': '结果未知：对工单 {uuid} 的{operation}操作' },
  noAnswerText: {
    'en-US': '{platform}’s answer was lost ({answer}) and reading the order back cannot tell whether it took effect (it is {now}). It was not retried. Check with "order show {uuid}" before trying again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），读取工单也无法判断操作是否生效（当前状态 {now}）。未重试。再次尝试前请先用“order show {uuid}”确认。',
  },
  operationName: {
    pause: { 'en-US': 'pause', 'zh-CN': '暂停' },
    continue: { 'en-US': 'continue', 'zh-CN': '继续' },
    cancel: { 'en-US': 'cancel', 'zh-CN': '取消' },
    'skip-batch': { 'en-US': 'skip a batch of', 'zh-CN': '跳过批次' },
    'cancel-instance': { 'en-US': 'cancel a host of', 'zh-CN': '取消主机' },
  } satisfies Record<Operation, Text>,
  // confirmation
  confirmTitle: { 'en-US': 'Cancel order {uuid}?', 'zh-CN': '取消工单 {uuid}？' },
  confirmText: {
    'en-US': 'Nothing has been sent to {platform} yet. {script}: {status}, {done} of {total} hosts done; {left} hosts that have not finished would be canceled. Use the button to cancel.',
    'zh-CN': '尚未向 {platform} 发送任何操作。{script}：{status}，已完成 {done}/{total} 台主机；尚未完成的 {left} 台主机将被取消。点击按钮确认取消。',
  },
  confirmFooter: { 'en-US': 'Or type: order cancel {uuid} --yes', 'zh-CN': '或输入：order cancel {uuid} --yes' },
  // forged or stale button values
  badValue: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badValueText: { 'en-US': 'Nothing was sent. Run "order show <{orderId}>" for a fresh card.', 'zh-CN': '未发送任何操作。请运行“order show <工单 ID>”获取新的卡片。' },
} satisfies Record<string, unknown>;


/** The audit trail is written in one language, whoever acted. */
const translatorEn = translator('en-US');

interface Request {
  readonly operation: Operation;
  readonly uuid: string;
  readonly batch?: number;
  /** cancel-instance: host name, IP, resource id or instance id. */
  readonly instance?: string;
}

type Plan =
  | { readonly kind: 'send'; readonly body: RunOperation; readonly sent: SentOperation; readonly batch?: number; readonly host?: string }
  | { readonly kind: 'reply'; readonly message: Message };

// ---- one change at a time per order (within this process) ----------------------------------

const changes = new KeyedQueue();

// ---- planning: does the operation fit the order's status now? ------------------------------

function info(title: string, text: string, buttons?: readonly Button[]): Message {
  return { title, text, tone: 'info', ...(buttons?.length ? { buttons } : {}) };
}

/** `Running (PROCESSING)`: the status in words, with the platform's code when the words are known. */
function statusLabel(run: RunSummary, context: CommandContext): string {
  const { vocabulary } = context.backend;
  const code = run.status.code;
  return label(vocabulary, 'runStatus', code, context.locale) + (isKnownCode(vocabulary, 'runStatus', code) ? ` (${code})` : '');
}

async function readBatchHosts(backend: Backend, id: RunId, index: number): Promise<readonly HostRun[]> {
  return (await need(backend, 'runs').batch(id, index, { limit: 50 })).hosts;
}

const isUnfinished = (host: HostRun) => host.status.state === 'waiting' || host.status.state === 'running';

async function plan(context: CommandContext, run: RunSummary, request: Request): Promise<Plan> {
  const { t, backend } = context;
  const runs = need(backend, 'runs');
  const { uuid, operation } = request;
  const state = run.status.state;
  const vars = { uuid, status: statusLabel(run, context) };
  if (state === 'other') throw new Refusal(t(TEXT.unknownStatus, { uuid, status: run.status.code }), t(TEXT.unknownStatusText));
  if (operation === 'cancel' && state === 'canceled') return { kind: 'reply', message: info(t(TEXT.alreadyCanceled, vars), t(TEXT.alreadyCanceledText)) };
  if (!ACTIVE_RUN_STATES.has(state)) throw new Refusal(t(TEXT.nothingTo[operation], vars), t(TEXT.finalText));

  switch (operation) {
    case 'pause':
      if (state === 'paused') return { kind: 'reply', message: info(t(TEXT.alreadyPaused, vars), t(TEXT.alreadyPausedText, vars)) };
      return { kind: 'send', body: { kind: 'pause' }, sent: { operation } };
    case 'continue':
      if (state !== 'paused') return { kind: 'reply', message: info(t(TEXT.notPaused, vars), t(TEXT.notPausedText)) };
      return { kind: 'send', body: { kind: 'continue' }, sent: { operation } };
    case 'cancel':
      return { kind: 'send', body: { kind: 'cancel' }, sent: { operation } };
    case 'skip-batch': {
      const batches = await runs.batches(run.id);
      const count = batchCount(batches);
      const batch = request.batch ?? currentBatchIndex(run, batches);
      if (batch > count) throw new Refusal(t(TEXT.noBatch, { uuid, batch }), t(TEXT.noBatchText, { count }));
      const hosts = await readBatchHosts(backend, run.id, batch);
      const unfinished = hosts.filter(isUnfinished);
      if (unfinished.length === 0) {
        if (hosts.length > 0 && hosts.every((host) => host.status.state === 'canceled')) {
          return { kind: 'reply', message: info(t(TEXT.batchAlreadySkipped, { uuid, batch }), t(TEXT.batchAlreadySkippedText)) };
        }
        throw new Refusal(t(TEXT.batchDone, { uuid, batch }), t(TEXT.batchDoneText, { counts: hostCounts(hosts, context) }));
      }
      const sent: SentOperation = { operation: 'skip-batch', batch, hosts: unfinished.map((host) => host.ref) };
      return { kind: 'send', body: { kind: 'skip-batch', batch }, sent, batch };
    }
    case 'cancel-instance': {
      if (request.instance === undefined) throw new Refusal(t(TEXT.needInstance), t(TEXT.needInstanceText, { uuid }));
      const batches = await runs.batches(run.id);
      const count = batchCount(batches);
      if (request.batch !== undefined && request.batch > count) throw new Refusal(t(TEXT.noBatch, { uuid, batch: request.batch }), t(TEXT.noBatchText, { count }));
      const indexes = request.batch !== undefined ? [request.batch] : Array.from({ length: count }, (_, i) => i + 1);
      const read = await Promise.all(indexes.map((index) => readBatchHosts(backend, run.id, index)));
      const all: LocatedHostRun[] = read.flatMap((hosts, i) => hosts.map((host) => ({ batchIndex: indexes[i]!, host })));
      const found = findHost(all, request.instance, uuid, t);
      const host = hostName(found.host);
      if (found.host.status.state === 'canceled') return { kind: 'reply', message: info(t(TEXT.instanceAlreadyCanceled, { uuid, host }), t(TEXT.instanceAlreadyCanceledText)) };
      if (!isUnfinished(found.host)) {
        throw new Refusal(t(TEXT.instanceDone, { uuid, host, status: label(backend.vocabulary, 'hostRunStatus', found.host.status.code, context.locale) }), t(TEXT.instanceDoneText));
      }
      const sent: SentOperation = { operation: 'cancel-instance', batch: found.batchIndex, host: found.host.ref };
      return { kind: 'send', body: { kind: 'cancel-host', batch: found.batchIndex, host: found.host.ref }, sent, host };
    }
  }
}

function hostCounts(hosts: readonly HostRun[], context: CommandContext): string {
  const counts = new Map<string, number>();
  for (const host of hosts) counts.set(host.status.code, (counts.get(host.status.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${label(context.backend.vocabulary, 'hostRunStatus', code, context.locale)} ${n}`).join(', ');
}

// ---- doing it ------------------------------------------------------------------------------

/** The new state's buttons, or none if it cannot be read (the change itself already happened). */
async function freshButtons(context: CommandContext, run: RunSummary): Promise<Button[]> {
  try {
    const runs = need(context.backend, 'runs');
    const [batches, progress] = await Promise.all([runs.batches(run.id), runs.progress(run.id)]);
    return orderButtons(run, batches, progress, context.t, runs.batching === 'bot' ? { betweenBatchesOnly: true } : {});
  } catch {
    return [];
  }
}

async function readQuietly(backend: Backend, id: RunId): Promise<RunSummary | undefined> {
  try {
    return await readOrder(backend, id);
  } catch {
    return undefined;
  }
}

function reachedAlready(operation: Operation, run: RunSummary | undefined): boolean {
  const state = run?.status.state;
  return (operation === 'cancel' && state === 'canceled') || (operation === 'pause' && state === 'paused');
}

/** The run a typed order id names; refused when it cannot be one. */
function runIdOf(context: CommandContext, uuid: string): RunId {
  const id = context.backend.parseId('run', uuid);
  if (!id) throw new Refusal(context.t(TEXT.notFound, { uuid }), context.t(TEXT.notFoundText));
  return id;
}

async function perform(context: CommandContext, request: Request): Promise<Message> {
  const { t, backend } = context;
  const { uuid, operation } = request;
  context.audit.target = uuid;
  context.audit.maskedParameters = {
    ...context.audit.maskedParameters,
    operation: auditedOperation(backend, operation),
    ...(request.batch !== undefined ? { batch: request.batch } : {}),
  };
  const id = runIdOf(context, uuid);
  const runs = need(backend, 'runs');
  return changes.run(id, async () => {
    const run = await readOrder(backend, id);
    if (!run) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText));
    const decided = await plan(context, run, request);
    if (decided.kind === 'reply') return decided.message;

    try {
      if (!runs.operate) throw new BackendCapabilityMissingError(backend.name, 'runs.operate');
      await runs.operate(id, decided.body);
    } catch (error) {
      if (error instanceof BackendCapabilityMissingError) throw error;
      // The bot refused a change between batches of a run it drives: nothing was sent anywhere.
      if (error instanceof BatchOperationRefusedError) throw new Refusal(t(error.title, { ...error.vars, uuid }), t(error.text, { ...error.vars, uuid }));
      if (writeFailureOf(error) === 'refused') return refusedByCoc(context, request, error);
      return reconcile(context, request, decided, error);
    }
    return doneMessage(context, request, decided);
  });
}

type Send = Extract<Plan, { kind: 'send' }>;

/** COC said no before acting (or nothing was sent: the dispatcher explains those). */
async function refusedByCoc(context: CommandContext, request: Request, error: unknown): Promise<Message> {
  const { t, backend } = context;
  const { uuid, operation } = request;
  // Only an answer from the platform itself is explained here; nothing sent (input, credentials) goes to the dispatcher.
  const known = normalizeError(error);
  const status = known?.detail.status;
  if (!known || status === undefined || known.detail.lost !== undefined) throw error;
  const id = runIdOf(context, uuid);
  const now = await readQuietly(backend, id);
  const code = known.detail.code !== undefined ? ` ${known.detail.code}` : '';
  // Refused because it already is what was asked (a racing click on another replica).
  if (now && reachedAlready(operation, now)) {
    context.services.orderSnapshots.forget(id);
    context.services.tracker.nudge(id);
    const vars = { uuid, status: statusLabel(now, context) };
    // Something was sent (and refused): "nothing was sent" would not be true here.
    const text = t(TEXT.alreadyRefusedText, { status, code, now: vars.status });
    return info(t(operation === 'cancel' ? TEXT.alreadyCanceled : TEXT.alreadyPaused, vars), text);
  }
  throw new Refusal(
    t(TEXT.cocRefused, { uuid, operation: t(TEXT.operationName[operation]) }),
    t(TEXT.cocRefusedText, {
      status,
      code,
      reason: known.detail.platformMessage ?? t(TEXT.noReason),
      now: now ? statusLabel(now, context) : t(TEXT.unknownNow),
    }),
  );
}

/** The answer was lost: the order, read back, says what happened; nothing is sent again. */
async function reconcile(context: CommandContext, request: Request, decided: Send, error: unknown): Promise<Message> {
  const { t, backend } = context;
  const { uuid, operation } = request;
  const id = runIdOf(context, uuid);
  // Whatever happened, the live cards must not keep showing the order as it was.
  context.services.orderSnapshots.forget(id);
  context.services.tracker.nudge(id);
  const answer = lostAnswer(error, t);
  const { verdict, run: order } = await readBackOperation(backend, id, decided.sent);
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `${verdict} (read back after a lost answer: ${lostAnswer(error, translatorEn)})` };
  const now = order ? statusLabel(order, context) : t(TEXT.unknownNow);
  const what = t(TEXT.operationName[operation]);
  if (verdict === 'done') return doneMessage(context, request, decided, t(TEXT.confirmed, { answer }), order);
  if (verdict === 'not-done') throw new Refusal(t(TEXT.notTaken, { uuid, operation: what }), t(TEXT.notTakenText, { answer, now }));
  return { title: t(TEXT.noAnswer, { uuid, operation: what }), text: t(TEXT.noAnswerText, { answer, now, uuid }), tone: 'danger' };
}

/** The operation took effect: its title, the status now and the new state's buttons. */
async function doneMessage(context: CommandContext, request: Request, decided: Send, confirmed?: string, readBack?: RunSummary): Promise<Message> {
  const { t, backend } = context;
  const { uuid, operation } = request;
  const id = runIdOf(context, uuid);
  // The order's live cards show the change at the tracker's next read, not a polling interval later.
  context.services.orderSnapshots.forget(id);
  context.services.tracker.nudge(id);

  const after = readBack ?? (await readQuietly(backend, id));
  const statusNow = after ? statusLabel(after, context) : undefined;
  const status = (() => {
    if (!statusNow) return t(TEXT.statusUnread, { uuid });
    if (operation === 'pause') return after?.status.state === 'paused' ? t(TEXT.donePaused, { status: statusNow }) : t(TEXT.donePauseRunning, { status: statusNow });
    return t(TEXT.statusNow, { status: statusNow });
  })();
  const text = confirmed ? `${confirmed} ${status}` : status;
  const title = (() => {
    switch (operation) {
      case 'pause':
        return t(TEXT.donePause, { uuid });
      case 'continue':
        return t(TEXT.doneContinue, { uuid });
      case 'cancel':
        return t(TEXT.doneCancel, { uuid });
      case 'skip-batch':
        return t(TEXT.doneSkip, { uuid, batch: decided.batch ?? '?' });
      case 'cancel-instance':
        return t(TEXT.doneCancelInstance, { uuid, host: decided.host ?? '?' });
    }
  })();
  const buttons = after ? await freshButtons(context, after) : [];
  return { title, text, tone: 'success', ...(buttons.length ? { buttons } : {}) };
}

/** `order cancel` without --yes: what would be canceled, and the button that does it. */
async function confirmCancel(context: CommandContext, uuid: string): Promise<Message> {
  const { t, backend, locale } = context;
  context.audit.target = uuid;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, stage: 'asked for confirmation; nothing sent' };
  const id = runIdOf(context, uuid);
  const order = await readOrder(backend, id);
  if (!order) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText));
  const decided = await plan(context, order, { operation: 'cancel', uuid });
  if (decided.kind === 'reply') return decided.message;
  const counts = await need(backend, 'runs').progress(id);
  const progress = orderProgress(counts, t);
  return {
    title: t(TEXT.confirmTitle, { uuid }),
    text: t(TEXT.confirmText, {
      script: order.script.name ?? (order.script.id ? nativeOf(order.script.id) : undefined) ?? '?',
      status: statusName(backend.vocabulary, order.status.code, locale),
      done: progress.done,
      total: totalHosts(counts),
      left: Math.max(0, totalHosts(counts) - progress.done),
    }),
    tone: 'warning',
    progress,
    buttons: [cancelButton(uuid, t)],
    footer: t(TEXT.confirmFooter, { uuid }),
  };
}

// ---- commands ------------------------------------------------------------------------------

const d = (en: string, zh: string): Text => ({ 'en-US': en, 'zh-CN': zh });

/** What a change to an order declares beyond its words: its texts and its flags (the order id is always its one positional). */
type OrderArgs<F extends ArgSpecs> = ArgsOf<{ id: typeof ORDER_ID_ARG }, F>;
type OrderCommandParts<F extends ArgSpecs> = Pick<TypedCommandDefinition<{ id: typeof ORDER_ID_ARG }, F>, 'summary' | 'examples' | 'flags'> & {
  /** What Discord shows (at most 100 characters). */
  readonly discord: Text;
  /** Whether to answer with a confirmation card instead of sending anything. */
  readonly confirmFirst?: (args: OrderArgs<F>) => boolean;
};

function orderCommand<const F extends ArgSpecs>(
  operation: Operation,
  parts: OrderCommandParts<F>,
  build: (args: OrderArgs<F>) => Omit<Request, 'operation' | 'uuid'>,
) {
  return defineCommand({
    family: 'orders',
    words: ['order', operation],
    discord: { group: 'order', name: operation, description: parts.discord },
    // Only where the platform (or the bot, between batches) can do it: no "cancel one host" on BlueKing.
    needs: ['runs', OPERATION_CAPABILITY[operation]],
    permission: 'operator',
    mutates: true,
    summary: parts.summary,
    examples: parts.examples,
    examplesOn: bluekingOrderExamples(parts.examples),
    positionals: { id: ORDER_ID_ARG },
    flags: parts.flags,
    async run(context, args) {
      const uuid = args.id;
      context.audit.target = uuid;
      if (parts.confirmFirst?.(args)) return confirmCancel(context, uuid);
      return perform(context, { operation, uuid, ...build(args) });
    },
  });
}

const EXAMPLE = 'SCT2026031409300101ab2cd3e';

const batchFlag = (description: Text) => arg.integer({ min: 1, max: maxBatches, description });

export const orderPauseCommand = orderCommand(
  'pause',
  {
    summary: d('Pause an order (a running batch finishes first)', '暂停工单（正在执行的批次先执行完）'),
    discord: d('Pause after the running batch', '当前批次结束后暂停'),
    examples: [`order pause ${EXAMPLE}`],
    flags: {},
  },
  () => ({}),
);

export const orderContinueCommand = orderCommand(
  'continue',
  {
    summary: d('Continue a paused order with its next batch', '从下一批次继续已暂停的工单'),
    discord: d('Continue a paused order', '继续已暂停的工单'),
    examples: [`order continue ${EXAMPLE}`],
    flags: {},
  },
  () => ({}),
);

export const orderCancelCommand = orderCommand(
  'cancel',
  {
    summary: d('Cancel an order: every host that has not finished (asks first unless --yes)', '取消工单：所有尚未完成的主机（除非带 --yes，否则先确认）'),
    discord: d('Cancel every unfinished host', '取消所有未完成的主机'),
    examples: [`order cancel ${EXAMPLE}`, `order cancel ${EXAMPLE} --yes`],
    flags: { yes: arg.boolean({ description: d('Without the confirmation', '不再确认'), localName: d('yes', '直接执行') }) },
    confirmFirst: ({ yes }) => !yes,
  },
  () => ({}),
);

export const orderSkipBatchCommand = orderCommand(
  'skip-batch',
  {
    summary: d("Skip a batch: its hosts that have not finished don't run", '跳过批次：其中尚未完成的主机不再执行'),
    discord: d("Skip a batch's unfinished hosts", '跳过某批次中未完成的主机'),
    examples: [`order skip-batch ${EXAMPLE}`, `order skip-batch ${EXAMPLE} --batch 3`],
    flags: { batch: batchFlag(d('Batch to skip, by default the current one', '要跳过的批次，默认为当前批次')) },
  },
  ({ batch }) => (batch !== undefined ? { batch } : {}),
);

export const orderCancelInstanceCommand = orderCommand(
  'cancel-instance',
  {
    summary: d('Cancel one host of an order, if it is waiting or running', '取消工单中的一台主机（须为等待中或执行中）'),
    discord: d('Cancel one waiting or running host', '取消一台等待中或运行中的主机'),
    examples: [`order cancel-instance ${EXAMPLE} --instance web-05`],
    flags: {
      instance: arg.string({
        required: true,
        max: 128,
        suggest: 'hosts',
        placeholder: d('host/ip/instance-id', '主机/ip/实例-id'),
        description: d('Host name, IP or id (INSTANCE in order show)', '主机名、IP 或 id（order show 中的 INSTANCE）'),
      }),
      batch: batchFlag(d('Look only in this batch', '仅在此批次中查找')),
    },
  },
  ({ instance, batch }) => ({ instance, ...(batch !== undefined ? { batch } : {}) }),
);

export const ORDER_ACTION_COMMANDS = [orderPauseCommand, orderContinueCommand, orderCancelCommand, orderSkipBatchCommand, orderCancelInstanceCommand] as const;

// ---- buttons -------------------------------------------------------------------------------

/** Never trusts the card: the value must look like an order id (and a batch), else nothing is sent. */
function parseValue(value: string, withBatch: boolean, t: Translate): { uuid: string; batch?: number } {
  const [uuid = '', batchText, ...rest] = value.split(':');
  const batch = batchText !== undefined && /^\d{1,2}$/.test(batchText) ? Number(batchText) : undefined;
  const ok = isPlausibleId(uuid) && rest.length === 0 && (withBatch ? batch !== undefined && batch >= 1 && batch <= 20 : batchText === undefined);
  if (!ok) throw new Refusal(t(TEXT.badValue), t(TEXT.badValueText));
  return { uuid, ...(batch !== undefined ? { batch } : {}) };
}

function orderAction(id: string, operation: Operation): ActionDefinition {
  return {
    id,
    family: 'orders',
    permission: 'operator',
    mutates: true,
    run: async (context, value) => {
      const parsed = parseValue(value, operation === 'skip-batch', context.t);
      return perform(context, { operation, ...parsed });
    },
  };
}

export const ORDER_ACTIONS: readonly ActionDefinition[] = [
  orderAction(ORDER_ACTION_IDS.pause, 'pause'),
  orderAction(ORDER_ACTION_IDS.continue, 'continue'),
  orderAction(ORDER_ACTION_IDS.cancel, 'cancel'),
  orderAction(ORDER_ACTION_IDS.skipBatch, 'skip-batch'),
  {
    id: ORDER_ACTION_IDS.refresh,
    family: 'orders',
    permission: 'viewer',
    mutates: false,
    run: async (context, value) => {
      const { uuid } = parseValue(value, false, context.t);
      context.audit.target = uuid;
      return showOrder(context, uuid, { fresh: true });
    },
  },
];

