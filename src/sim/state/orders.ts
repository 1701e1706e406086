/**
 * Script execution orders and the engine that advances them batch by batch.
 *
 * One tick moves every active order (READY or PROCESSING) one step:
 *  - a READY order becomes PROCESSING and its current batch's instances start (PROCESSING);
 *  - a batch with running instances finishes them (FINISHED or ABNORMAL, as planned at
 *    creation), then the batch is judged:
 *      · success rate of the instances that ran (FINISHED / (FINISHED + ABNORMAL)) below
 *        `success_rate` → order ABNORMAL, final; instances of later batches stay READY
 *        (they never ran);
 *      · last batch → order FINISHED;
 *      · PAUSE_ORDER pending, or the batch's rotation_strategy is PAUSE and at least one of
 *        its instances ran → order PAUSED, `current_execute_batch_index` moves to the next
 *        batch, which starts on the first tick after CONTINUE_ORDER;
 *      · otherwise the next batch starts at once;
 *  - a batch whose instances were all canceled or skipped is judged without running anything.
 * A batch therefore takes two ticks: one to start, one to finish (and start the next).
 *
 * Only active orders are visited, so a tick costs O(running work), not O(orders ever).
 */
import type { IdFactory } from '../ids.js';
import type { SimClock } from '../clock.js';
import {
  INSTANCE_STATUSES,
  type ExecInstance,
  type ExecuteParam,
  type Host,
  type InstanceStatus,
  type Order,
  type OrderBatch,
  type PlannedRun,
  type RotationStrategy,
  type TargetInstance,
} from './model.js';

export const OPERATION_TYPES = ['CANCEL_INSTANCE', 'SKIP_BATCH', 'CANCEL_ORDER', 'PAUSE_ORDER', 'CONTINUE_ORDER'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

export interface OrderOperation {
  readonly type: OperationType;
  readonly batchIndex?: number | undefined;
  readonly instanceId?: number | undefined;
}

/** An operation that does not fit the order's current state (rendered as HTTP 400). */
export class OrderOperationRejected extends Error {}

export interface NewOrderTarget {
  readonly host: Host;
  readonly target: TargetInstance;
}

export interface NewOrder {
  readonly script: Order['script'];
  readonly executeParam: ExecuteParam;
  readonly batches: readonly { readonly batchIndex: number; readonly rotationStrategy: RotationStrategy; readonly targets: readonly NewOrderTarget[] }[];
  readonly creator: string;
  /** Decides each instance's outcome and log (see script-logs.ts). */
  readonly plan: (executeUuid: string, target: NewOrderTarget, startedAt: number) => PlannedRun;
}

export interface StatisticsEntry {
  readonly instance_status: InstanceStatus;
  readonly instance_count: number;
  readonly batch_indexes: number[];
}

const FINAL_ORDER_STATUSES = new Set(['ABNORMAL', 'CANCELED', 'FINISHED']);
const UNFINISHED: ReadonlySet<InstanceStatus> = new Set(['READY', 'PROCESSING']);
const CANCELED_NOTE = '[canceled by operator]\n';

export class OrderBook {
  private readonly byUuid = new Map<string, Order>();
  /** Ascending by order id; lists read it newest first. */
  private readonly ordered: Order[] = [];
  private readonly active = new Set<Order>();

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: SimClock,
  ) {}

  create(input: NewOrder): Order {
    const now = this.clock.now();
    const executeUuid = this.ids.executeUuid(now);
    const batches: OrderBatch[] = input.batches.map((batch) => ({
      batchIndex: batch.batchIndex,
      rotationStrategy: batch.rotationStrategy,
      instances: batch.targets.map(
        (target): ExecInstance => ({
          id: this.ids.instanceId(),
          batchIndex: batch.batchIndex,
          host: target.host,
          target: target.target,
          status: 'READY',
          gmtCreated: now,
          gmtFinished: null,
          canceledWhileRunning: false,
          run: input.plan(executeUuid, target, now),
        }),
      ),
    }));
    const regions = [...new Set(batches.flatMap((batch) => batch.instances.map((instance) => instance.target.region_id)))];
    const order: Order = {
      orderId: this.ids.orderId(),
      executeUuid,
      script: input.script,
      executeParam: input.executeParam,
      batches,
      creator: input.creator,
      regionIds: regions.join(','),
      gmtCreated: now,
      status: 'READY',
      currentBatchIndex: 1,
      pauseRequested: false,
      gmtFinished: null,
    };
    this.byUuid.set(executeUuid, order);
    this.ordered.push(order);
    this.active.add(order);
    return order;
  }

  /** Every order replaced by these, oldest first (a world restored from its file); unfinished ones go on at the next tick. */
  replaceAll(orders: readonly Order[]): void {
    this.byUuid.clear();
    this.ordered.length = 0;
    this.active.clear();
    for (const order of [...orders].sort((a, b) => a.orderId - b.orderId)) {
      this.byUuid.set(order.executeUuid, order);
      this.ordered.push(order);
      if (order.status === 'READY' || order.status === 'PROCESSING') this.active.add(order);
    }
  }

  get(executeUuid: string): Order | undefined {
    return this.byUuid.get(executeUuid);
  }

  /** Oldest first. */
  all(): readonly Order[] {
    return this.ordered;
  }

  activeCount(): number {
    return this.active.size;
  }

  /** Advances every active order by one step. */
  tick(): void {
    for (const order of [...this.active]) this.step(order);
  }

  /** The instance's `message` (its log) as COC shows it in its current status. */
  instanceMessage(instance: ExecInstance): string {
    switch (instance.status) {
      case 'READY':
        return '';
      case 'PROCESSING':
        return instance.run.header;
      case 'CANCELED':
        return instance.canceledWhileRunning ? `${instance.run.header}${CANCELED_NOTE}` : CANCELED_NOTE;
      case 'FINISHED':
      case 'ABNORMAL':
        return instance.run.finalLog();
    }
  }

  isFinal(order: Order): boolean {
    return FINAL_ORDER_STATUSES.has(order.status);
  }

  executeCosts(order: Order): number | null {
    return order.gmtFinished === null ? null : order.gmtFinished - order.gmtCreated;
  }

  statistics(order: Order): { total_instance: number; execute_statistics: StatisticsEntry[] } {
    const counts = new Map<InstanceStatus, { count: number; batches: Set<number> }>(INSTANCE_STATUSES.map((status) => [status, { count: 0, batches: new Set() }]));
    let total = 0;
    for (const batch of order.batches) {
      for (const instance of batch.instances) {
        const entry = counts.get(instance.status);
        if (entry) {
          entry.count++;
          entry.batches.add(batch.batchIndex);
        }
        total++;
      }
    }
    return {
      total_instance: total,
      execute_statistics: INSTANCE_STATUSES.map((status) => {
        const entry = counts.get(status) ?? { count: 0, batches: new Set<number>() };
        return { instance_status: status, instance_count: entry.count, batch_indexes: [...entry.batches].sort((a, b) => a - b) };
      }),
    };
  }

  operate(order: Order, operation: OrderOperation): void {
    if (this.isFinal(order)) throw new OrderOperationRejected(`The order ${order.executeUuid} is already ${order.status}; ${operation.type} is not possible.`);
    switch (operation.type) {
      case 'CANCEL_ORDER':
        return this.cancelOrder(order);
      case 'PAUSE_ORDER':
        return this.pauseOrder(order);
      case 'CONTINUE_ORDER':
        return this.continueOrder(order);
      case 'SKIP_BATCH':
        return this.skipBatch(order, operation.batchIndex);
      case 'CANCEL_INSTANCE':
        return this.cancelInstance(order, operation.instanceId);
    }
  }

  // ---- engine ----------------------------------------------------------------------------

  private currentBatch(order: Order): OrderBatch {
    const batch = order.batches[order.currentBatchIndex - 1];
    if (!batch) throw new Error(`order ${order.executeUuid} has no batch ${order.currentBatchIndex}`);
    return batch;
  }

  private step(order: Order): void {
    if (order.status === 'READY') order.status = 'PROCESSING';
    if (order.status !== 'PROCESSING') {
      this.active.delete(order);
      return;
    }
    const batch = this.currentBatch(order);
    const now = this.clock.now();
    let finishedAny = false;
    let readyAny = false;
    for (const instance of batch.instances) {
      if (instance.status === 'PROCESSING') {
        instance.status = instance.run.succeeds ? 'FINISHED' : 'ABNORMAL';
        instance.gmtFinished = now;
        finishedAny = true;
      } else if (instance.status === 'READY') {
        readyAny = true;
      }
    }
    if (finishedAny || !readyAny) this.judgeBatch(order, batch);
    else this.startBatch(batch);
  }

  private startBatch(batch: OrderBatch): void {
    for (const instance of batch.instances) {
      if (instance.status === 'READY') instance.status = 'PROCESSING';
    }
  }

  private judgeBatch(order: Order, batch: OrderBatch): void {
    // Instances canceled while the batch ran leave nothing unfinished behind, so the batch is done.
    let finished = 0;
    let abnormal = 0;
    for (const instance of batch.instances) {
      if (instance.status === 'FINISHED') finished++;
      else if (instance.status === 'ABNORMAL') abnormal++;
    }
    const ran = finished + abnormal;
    const hasNext = batch.batchIndex < order.batches.length;
    if (ran > 0 && (finished * 100) / ran < order.executeParam.success_rate) {
      this.finish(order, 'ABNORMAL');
    } else if (!hasNext) {
      this.finish(order, 'FINISHED');
    } else {
      order.currentBatchIndex = batch.batchIndex + 1;
      if (order.pauseRequested || (batch.rotationStrategy === 'PAUSE' && ran > 0)) {
        order.pauseRequested = false;
        order.status = 'PAUSED';
        this.active.delete(order);
      } else {
        this.startBatch(this.currentBatch(order));
      }
    }
  }

  private finish(order: Order, status: 'ABNORMAL' | 'FINISHED' | 'CANCELED'): void {
    order.status = status;
    order.pauseRequested = false;
    order.gmtFinished = this.clock.now();
    this.active.delete(order);
  }

  private cancelInstanceNow(instance: ExecInstance, now: number): void {
    instance.canceledWhileRunning = instance.status === 'PROCESSING';
    instance.status = 'CANCELED';
    instance.gmtFinished = now;
  }

  // ---- operations --------------------------------------------------------------------------

  private cancelOrder(order: Order): void {
    const now = this.clock.now();
    for (const batch of order.batches) {
      for (const instance of batch.instances) if (UNFINISHED.has(instance.status)) this.cancelInstanceNow(instance, now);
    }
    this.finish(order, 'CANCELED');
  }

  private pauseOrder(order: Order): void {
    if (order.status === 'PAUSED') throw new OrderOperationRejected(`The order ${order.executeUuid} is already PAUSED.`);
    if (order.pauseRequested) throw new OrderOperationRejected(`The order ${order.executeUuid} already pauses after batch ${order.currentBatchIndex}.`);
    const running = this.currentBatch(order).instances.some((instance) => instance.status === 'PROCESSING');
    if (running) {
      order.pauseRequested = true;
      return;
    }
    order.status = 'PAUSED';
    this.active.delete(order);
  }

  private continueOrder(order: Order): void {
    if (order.status === 'PAUSED') {
      order.status = 'PROCESSING';
      this.active.add(order);
      return;
    }
    if (order.pauseRequested) {
      order.pauseRequested = false;
      return;
    }
    throw new OrderOperationRejected(`The order ${order.executeUuid} is ${order.status}, not PAUSED; CONTINUE_ORDER is not possible.`);
  }

  private skipBatch(order: Order, batchIndex: number | undefined): void {
    if (batchIndex === undefined) throw new OrderOperationRejected('batch_index is required for SKIP_BATCH.');
    const batch = order.batches[batchIndex - 1];
    if (!batch) throw new OrderOperationRejected(`The order ${order.executeUuid} has no batch ${batchIndex} (it has ${order.batches.length}).`);
    const unfinished = batch.instances.filter((instance) => UNFINISHED.has(instance.status));
    if (unfinished.length === 0) throw new OrderOperationRejected(`Batch ${batchIndex} of order ${order.executeUuid} has no unfinished instances to skip.`);
    const now = this.clock.now();
    for (const instance of unfinished) this.cancelInstanceNow(instance, now);
  }

  private cancelInstance(order: Order, instanceId: number | undefined): void {
    if (instanceId === undefined) throw new OrderOperationRejected('instance_id is required for CANCEL_INSTANCE.');
    const instance = order.batches.flatMap((batch) => batch.instances).find((candidate) => candidate.id === instanceId);
    if (!instance) throw new OrderOperationRejected(`Instance ${instanceId} does not belong to order ${order.executeUuid}.`);
    if (!UNFINISHED.has(instance.status)) throw new OrderOperationRejected(`Instance ${instanceId} is already ${instance.status}; only READY or PROCESSING instances can be canceled.`);
    this.cancelInstanceNow(instance, this.clock.now());
  }
}
