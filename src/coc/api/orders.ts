/**
 * Executing scripts (coc-api-notes §1.8, public scripts §2.6) and working with the resulting
 * execution orders (§1.9–§1.14).
 *
 * An execute call is sent exactly once. If it times out or the connection drops, the order may
 * or may not exist: look for it with `listScriptOrders` before trying again.
 */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import {
  BatchIndex,
  ExecuteUuid,
  ListScriptOrdersQuery,
  OperateScriptOrderRequest,
  OperateScriptOrderResult,
  ScriptExecuteRequest,
  ScriptOrder,
  ScriptOrderBatch,
  ScriptOrderBatchList,
  ScriptOrderBatchQuery,
  ScriptOrderListPage,
  ScriptOrderStatistics,
  type ListScriptOrdersInput,
  type OperateScriptOrderInput,
  type ScriptExecuteBody,
  type ScriptExecuteInput,
  type ScriptOrderBatchInput,
  type ScriptOrderBatchSummary,
} from '../schemas/orders.js';
import { operation, requestFor, type Operation } from './operation.js';

export const ORDER_OPERATIONS = {
  execute: operation('POST', '/v1/job/scripts/{script_uuid}'),
  executePublic: operation('POST', '/v1/job/public-scripts/{script_uuid}'),
  get: operation('GET', '/v1/job/script/orders/{execute_uuid}'),
  batches: operation('GET', '/v1/job/script/orders/{execute_uuid}/batches'),
  statistics: operation('GET', '/v1/job/script/orders/{execute_uuid}/statistics'),
  batch: operation('GET', '/v1/job/script/orders/{execute_uuid}/batches/{batch_index}'),
  list: operation('GET', '/v1/job/script/orders'),
  operate: operation('PUT', '/v1/job/script/orders/{execute_uuid}/operation'),
} as const;

export interface ExecuteOptions extends CallOptions {
  /**
   * Names of parameters whose values are secret. COC error messages sometimes echo input;
   * these values are replaced by `***` in any error text.
   */
  readonly sensitiveParams?: readonly string[];
}

function sensitiveValues(body: ScriptExecuteBody, names: readonly string[] | undefined): string[] {
  if (!names || names.length === 0) return [];
  const wanted = new Set(names);
  return (body.execute_param.script_params ?? [])
    .filter((param) => wanted.has(param.param_name) && param.param_value !== undefined)
    .map((param) => param.param_value as string);
}

async function execute(http: CocHttp, op: Operation, scriptUuid: string, input: ScriptExecuteInput, options: ExecuteOptions): Promise<string> {
  const body = validateInput(ScriptExecuteRequest, input, op);
  const { sensitiveParams, ...callOptions } = options;
  return http.call(
    requestFor(op, {
      pathParams: { script_uuid: scriptUuid },
      body,
      envelope: 'data',
      response: ExecuteUuid,
      localized: true,
      sensitiveValues: sensitiveValues(body, sensitiveParams),
    }),
    callOptions,
  );
}

/** Runs a custom script on the given batches of hosts; returns the order's `execute_uuid`. Never retried. */
export function executeScript(http: CocHttp, scriptUuid: string, input: ScriptExecuteInput, options: ExecuteOptions = {}): Promise<string> {
  return execute(http, ORDER_OPERATIONS.execute, scriptUuid, input, options);
}

/** Runs a public (built-in) script; same body and answer as executeScript. Never retried. */
export function executePublicScript(http: CocHttp, scriptUuid: string, input: ScriptExecuteInput, options: ExecuteOptions = {}): Promise<string> {
  return execute(http, ORDER_OPERATIONS.executePublic, scriptUuid, input, options);
}

export async function getScriptOrder(http: CocHttp, executeUuid: string, options?: CallOptions): Promise<ScriptOrder> {
  return http.call(requestFor(ORDER_OPERATIONS.get, { pathParams: { execute_uuid: executeUuid }, envelope: 'data', response: ScriptOrder, localized: true }), options);
}

export async function listScriptOrderBatches(http: CocHttp, executeUuid: string, options?: CallOptions): Promise<ScriptOrderBatchSummary[]> {
  return http.call(
    requestFor(ORDER_OPERATIONS.batches, { pathParams: { execute_uuid: executeUuid }, envelope: 'data', response: ScriptOrderBatchList, localized: true }),
    options,
  );
}

export async function getScriptOrderStatistics(http: CocHttp, executeUuid: string, options?: CallOptions): Promise<ScriptOrderStatistics> {
  return http.call(
    requestFor(ORDER_OPERATIONS.statistics, { pathParams: { execute_uuid: executeUuid }, envelope: 'data', response: ScriptOrderStatistics, localized: true }),
    options,
  );
}

/** The batch query with the batch index checked alongside it; built once, not per call. */
const BatchQueryWithIndex = ScriptOrderBatchQuery.extend({ batch_index: BatchIndex });

/** One page of a batch's host instances, with each host's script output in `message`. */
export async function getScriptOrderBatch(
  http: CocHttp,
  executeUuid: string,
  batchIndex: number,
  query: ScriptOrderBatchInput,
  options?: CallOptions,
): Promise<ScriptOrderBatch> {
  const op = ORDER_OPERATIONS.batch;
  const { batch_index, ...checked } = validateInput(BatchQueryWithIndex, Object.assign({}, query, { batch_index: batchIndex }), op);
  return http.call(
    requestFor(op, { pathParams: { execute_uuid: executeUuid, batch_index }, query: checked, envelope: 'data', response: ScriptOrderBatch, localized: true }),
    options,
  );
}

/** One page of execution orders, newest first. The next page's `marker` is the last `order_id`. */
export async function listScriptOrders(http: CocHttp, query: ListScriptOrdersInput = {}, options?: CallOptions): Promise<ScriptOrderListPage> {
  const checked = validateInput(ListScriptOrdersQuery, query, ORDER_OPERATIONS.list);
  return http.call(requestFor(ORDER_OPERATIONS.list, { query: checked, envelope: 'data', response: ScriptOrderListPage, localized: true }), options);
}

/** Pauses, continues or cancels an order, skips a batch or cancels one host. Never retried. */
export async function operateScriptOrder(http: CocHttp, executeUuid: string, input: OperateScriptOrderInput, options?: CallOptions): Promise<string | undefined> {
  const body = validateInput(OperateScriptOrderRequest, input, ORDER_OPERATIONS.operate);
  const result = await http.call(
    requestFor(ORDER_OPERATIONS.operate, { pathParams: { execute_uuid: executeUuid }, body, envelope: 'data', response: OperateScriptOrderResult, localized: true }),
    options,
  );
  return result ?? undefined;
}
