/**
 * COC's execution orders as runs: an order read back (status, batches, per-status counts, a
 * batch's hosts with their output), operated (pause, continue, cancel, skip a batch, cancel a
 * host) and listed. Every wire type maps 1:1 onto the neutral one and keeps COC's own code in
 * `Coded.code`, so cards still show COC's words (`Running (PROCESSING)`).
 */
import type { CocClient } from '../../coc/client.js';
import {
  EXECUTE_LIMITS,
  ORDER_LIST_STATUSES,
  type ExecInstance,
  type OperateScriptOrderInput,
  type ScriptOrder,
  type ScriptOrderBatchInput,
  type ScriptOrderBatchSummary,
  type ScriptOrderListItem,
  type ScriptOrderStatistics,
} from '../../coc/schemas/orders.js';
import type { CallOptions, Page } from '../backend.js';
import { makeId, nativeOf, type RunId } from '../ids.js';
import type { Coded } from '../types/coded.js';
import type {
  BatchHosts,
  BatchSummary,
  HostRun,
  HostRunState,
  RunListQuery,
  RunOperation,
  RunOperationKind,
  RunProgress,
  RunState,
  RunSummary,
  RunsCapability,
} from '../types/runs.js';
import { normalizeError } from '../errors.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';
import { COC_START_OPERATION, cocCheck, cocFind, cocStart, cocStartOperationFor } from './run-start.js';

const RUN_STATE: Readonly<Record<string, RunState>> = {
  READY: 'waiting',
  PROCESSING: 'running',
  PAUSED: 'paused',
  FINISHED: 'succeeded',
  ABNORMAL: 'failed',
  CANCELED: 'canceled',
  ERROR: 'error',
  ROLLBACKED: 'rolled-back',
};

const HOST_RUN_STATE: Readonly<Record<string, HostRunState>> = {
  READY: 'waiting',
  PROCESSING: 'running',
  FINISHED: 'succeeded',
  ABNORMAL: 'failed',
  CANCELED: 'canceled',
  ROLLBACKED: 'rolled-back',
};

/** The batch detail's status filter for a host state (COC filters on these five only). */
const HOST_FILTER: Partial<Record<HostRunState, NonNullable<ScriptOrderBatchInput['status']>>> = {
  waiting: 'READY',
  running: 'PROCESSING',
  failed: 'ABNORMAL',
  canceled: 'CANCELED',
  succeeded: 'FINISHED',
};

const OPERATION_TYPE: Readonly<Record<RunOperationKind, OperateScriptOrderInput['operation_type']>> = {
  pause: 'PAUSE_ORDER',
  continue: 'CONTINUE_ORDER',
  cancel: 'CANCEL_ORDER',
  'skip-batch': 'SKIP_BATCH',
  'cancel-host': 'CANCEL_INSTANCE',
};

/** COC's batch detail page cap. */
const BATCH_PAGE = 50;

export function runStateOf(code: string | null | undefined): Coded<RunState> {
  const known = code ?? '';
  return { state: Object.hasOwn(RUN_STATE, known) ? RUN_STATE[known]! : 'other', code: known };
}

export function hostRunStateOf(code: string | null | undefined): Coded<HostRunState> {
  const known = code ?? '';
  return { state: Object.hasOwn(HOST_RUN_STATE, known) ? HOST_RUN_STATE[known]! : 'other', code: known };
}

function rotationOf(code: string | null | undefined): Coded<'continue' | 'pause' | 'other'> {
  const known = code ?? '';
  return { state: known === 'CONTINUE' ? 'continue' : known === 'PAUSE' ? 'pause' : 'other', code: known };
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/** Fields whose value COC may send as null: kept only when COC sent one. */
function optional<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return present(value) ? ({ [key]: value } as Record<K, V>) : {};
}

export function runOfOrder(order: ScriptOrder): RunSummary {
  const props = order.properties;
  const echo = props?.execute_param;
  const scriptKind = props?.script_source === 'PUBLIC_SCRIPT' ? 'public-script' : 'script';
  return {
    id: makeId('coc', 'run', order.execute_uuid),
    status: runStateOf(order.status),
    ...optional('currentBatch', props?.current_execute_batch_index),
    // The detail carries no order name in COC's reference; kept when an answer does.
    ...(typeof order['order_name'] === 'string' && order['order_name'] !== '' ? { label: order['order_name'] } : {}),
    script: {
      ...(props?.script_uuid ? { id: makeId('coc', scriptKind, props.script_uuid) } : {}),
      ...optional('name', props?.script_name),
      ...optional('version', props?.script_version_name),
      ...optional('source', props?.script_source),
    },
    params: (echo?.script_params ?? []).map((param) => ({
      name: param.param_name ?? '',
      ...optional('value', param.param_value),
      ...(present(param.param_refer) ? { fromStore: true } : {}),
    })),
    ...optional('timeoutSeconds', echo?.timeout),
    ...optional('successRate', echo?.success_rate),
    ...optional('runAs', echo?.execute_user),
    ...optional('creator', order.creator),
    ...optional('createdAt', order.gmt_created),
    ...optional('finishedAt', order.gmt_finished),
    ...optional('durationMs', order.execute_costs),
  };
}

export function runOfListItem(item: ScriptOrderListItem): RunSummary {
  return {
    id: makeId('coc', 'run', item.execute_uuid),
    status: runStateOf(item.status),
    script: {},
    params: [],
    ...optional('creator', item.creator),
    ...optional('createdAt', item.gmt_created),
    ...optional('finishedAt', item.gmt_finished),
    ...optional('durationMs', item.execute_costs),
    ...optional('label', item.order_name),
    ...optional('regions', item.properties?.region_ids),
    ...optional('listPosition', item.order_id === null || item.order_id === undefined ? undefined : String(item.order_id)),
  };
}

export function progressOf(statistics: ScriptOrderStatistics): RunProgress {
  return {
    ...optional('total', statistics.total_instance),
    counts: statistics.execute_statistics.map((entry) => ({
      status: hostRunStateOf(entry.instance_status),
      ...optional('count', entry.instance_count),
      batches: entry.batch_indexes ?? [],
    })),
  };
}

export function batchOf(summary: ScriptOrderBatchSummary): BatchSummary {
  return { index: summary.batch_index, ...optional('hostCount', summary.total_instances), ...(summary.rotation_strategy !== undefined ? { rotation: rotationOf(summary.rotation_strategy) } : {}) };
}

export function hostRunOf(instance: ExecInstance): HostRun {
  const target = instance.target_instance;
  const props = target?.properties;
  return {
    ref: makeId('coc', 'host-run', String(instance.id)),
    host: {
      ...(target?.resource_id ? { id: makeId('coc', 'host', target.resource_id) } : {}),
      ...optional('name', props?.host_name),
      ...optional('ip', props?.fixed_ip),
      ...optional('floatingIp', props?.floating_ip),
      ...optional('region', target?.region_id ?? props?.region_id),
    },
    status: hostRunStateOf(instance.status),
    ...optional('startedAt', instance.gmt_created),
    ...optional('finishedAt', instance.gmt_finished),
    ...optional('durationMs', instance.execute_costs),
    ...optional('output', instance.message),
  };
}

function operateBody(operation: RunOperation): OperateScriptOrderInput {
  const operation_type = OPERATION_TYPE[operation.kind];
  if (operation.kind === 'skip-batch') return { operation_type, batch_index: operation.batch };
  if (operation.kind === 'cancel-host') return { operation_type, instance_id: Number(nativeOf(operation.host)) };
  return { operation_type };
}

function listQuery(query: RunListQuery) {
  const status = (ORDER_LIST_STATUSES as readonly string[]).includes(query.statusCode ?? '') ? (query.statusCode as (typeof ORDER_LIST_STATUSES)[number]) : undefined;
  const marker = query.after !== undefined ? Number(query.after) : undefined;
  return {
    limit: query.limit,
    ...(marker !== undefined && Number.isFinite(marker) ? { marker } : {}),
    ...(query.from !== undefined ? { start_time: query.from } : {}),
    ...(query.to !== undefined ? { end_time: query.to } : {}),
    ...(query.creator !== undefined ? { creator: query.creator } : {}),
    ...(status ? { status } : {}),
  };
}

export function cocRuns(client: CocClient): RunsCapability {
  return {
    batching: 'platform',
    limits: {
      maxHosts: EXECUTE_LIMITS.maxHosts,
      maxHostsPerBatch: EXECUTE_LIMITS.maxHostsPerBatch,
      maxBatches: EXECUTE_LIMITS.maxBatches,
      timeoutSeconds: { min: EXECUTE_LIMITS.minTimeoutSeconds, max: EXECUTE_LIMITS.maxTimeoutSeconds, default: 300 },
      successRate: { min: 1, max: 100, default: 100 },
      runAs: { default: 'root', maxLength: 32 },
    },
    operations: new Set<RunOperationKind>(['pause', 'continue', 'cancel', 'skip-batch', 'cancel-host']),
    operationCodes: OPERATION_TYPE,
    listStatusCodes: ORDER_LIST_STATUSES,
    listStatusWords: { cancelled: 'CANCELED', failed: 'ABNORMAL', running: 'PROCESSING' },
    startOperation: COC_START_OPERATION,
    startOperationFor: (script) => cocStartOperationFor(script),
    start: (request, options) => cocStart(client, request, options),
    check: (request) => cocCheck(request),
    find: (query) => cocFind(client, query),
    async read(id: RunId, options?: CallOptions) {
      try {
        return runOfOrder(await mapped(() => client.getScriptOrder(nativeOf(id), cocCallOptions(options))));
      } catch (error) {
        // COC's own "no such order" (its error body) only: a bare 404 (a proxy's) is a failed read.
        if (normalizeError(error)?.kind === 'not-found') return undefined;
        throw error;
      }
    },
    async progress(id, options) {
      return progressOf(await mapped(() => client.getScriptOrderStatistics(nativeOf(id), cocCallOptions(options))));
    },
    async batches(id, options) {
      return (await mapped(() => client.listScriptOrderBatches(nativeOf(id), cocCallOptions(options)))).map(batchOf);
    },
    async batch(id, index, query, options): Promise<BatchHosts> {
      const status = query.state ? HOST_FILTER[query.state] : undefined;
      const marker = query.after !== undefined ? Number(query.after) : undefined;
      const page = await mapped(() =>
        client.getScriptOrderBatch(
          nativeOf(id),
          index,
          { limit: Math.min(query.limit ?? BATCH_PAGE, BATCH_PAGE), ...(status ? { status } : {}), ...(marker !== undefined && Number.isFinite(marker) ? { marker } : {}) },
          cocCallOptions(options),
        ),
      );
      return { ...optional('index', page.batch_index), ...optional('hostCount', page.total_instances), hosts: page.execute_instances.map(hostRunOf) };
    },
    async operate(id, operation, options) {
      await mapped(() => client.operateScriptOrder(nativeOf(id), operateBody(operation), cocCallOptions(options)));
    },
    async list(query, options): Promise<Page<RunSummary>> {
      const page = await mapped(() => client.listScriptOrders(listQuery(query), cocCallOptions(options)));
      const items = page.data.map(runOfListItem);
      const last = page.data.at(-1);
      const next = items.length === query.limit && present(last?.order_id) ? String(last.order_id) : undefined;
      return { items, ...optional('total', page.total), ...(next !== undefined ? { next } : {}) };
    },
  };
}
