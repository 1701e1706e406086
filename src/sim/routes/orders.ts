/**
 * Script execution order APIs (coc-api-notes §1.9–§1.14). Order lists are newest first and
 * page with `marker` = `order_id` of the last row; `start_time`/`end_time` bound
 * `gmt_created` in epoch milliseconds. Batch details page with `marker` = the last instance
 * `id`; `total_instances` is the size of the whole batch, whatever the status filter.
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { dataResponse } from '../http/envelopes.js';
import { jsonInt, queryInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { INSTANCE_STATUSES, ORDER_STATUSES, type ExecInstance, type Order } from '../state/model.js';
import { OPERATION_TYPES, OrderOperationRejected } from '../state/orders.js';
import type { World } from '../state/world.js';

const listQuery = z.object({
  limit: queryInt(1, 100).optional(),
  marker: queryInt(1, Number.MAX_SAFE_INTEGER).optional(),
  start_time: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  end_time: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  creator: z.string().max(64).optional(),
  status: z.enum(ORDER_STATUSES).optional(),
});

const batchQuery = z.object({
  limit: queryInt(1, 50),
  marker: queryInt(0, 2147483647).optional(),
  status: z.enum(INSTANCE_STATUSES).optional(),
});

const operationBody = z.object({
  operation_type: z.enum(OPERATION_TYPES),
  batch_index: jsonInt(1, 20).optional(),
  instance_id: jsonInt(0, Number.MAX_SAFE_INTEGER).optional(),
});

const batchIndexPath = z.object({ batch_index: queryInt(1, 20) });

function findOrder(world: World, executeUuid: string): Order {
  const order = world.orders.get(executeUuid);
  if (!order) throw new SimError(404, ErrorCodes.JOB_ORDER_NOT_FOUND, `The execution order ${executeUuid} does not exist.`);
  return order;
}

function renderInfo(world: World, order: Order): Record<string, unknown> {
  return {
    execute_uuid: order.executeUuid,
    gmt_created: order.gmtCreated,
    gmt_finished: order.gmtFinished,
    execute_costs: world.orders.executeCosts(order),
    creator: order.creator,
    status: order.status,
    properties: {
      script_uuid: order.script.uuid,
      script_name: order.script.name,
      script_version_uuid: order.script.versionUuid,
      script_version_name: order.script.versionName,
      current_execute_batch_index: order.currentBatchIndex,
      execute_param: order.executeParam,
      script_source: order.script.source,
    },
  };
}

function renderInstance(world: World, instance: ExecInstance): Record<string, unknown> {
  const { host, target } = instance;
  return {
    id: instance.id,
    target_instance: {
      resource_id: target.resource_id,
      provider: target.provider,
      region_id: target.region_id,
      type: target.type,
      custom_attributes: target.custom_attributes,
      agent_sn: null,
      agent_status: null,
      project_id: null,
      properties: {
        host_name: host.name,
        fixed_ip: host.fixedIp,
        floating_ip: host.floatingIp ?? null,
        region_id: host.regionId,
        zone_id: host.zoneId,
        application: null,
        group: null,
        project_id: host.projectId,
      },
    },
    gmt_created: instance.gmtCreated,
    gmt_finished: instance.gmtFinished,
    execute_costs: instance.gmtFinished === null ? null : instance.gmtFinished - instance.gmtCreated,
    status: instance.status,
    message: world.orders.instanceMessage(instance),
  };
}

function listOrders({ query, world }: RouteContext) {
  const filters = validate(listQuery, query.toObject(), 'coc', { subject: 'query' });
  const matching: Order[] = [];
  const all = world.orders.all();
  for (let i = all.length - 1; i >= 0; i--) {
    const order = all[i] as Order;
    if (filters.status !== undefined && order.status !== filters.status) continue;
    if (filters.creator !== undefined && order.creator !== filters.creator) continue;
    if (filters.start_time !== undefined && order.gmtCreated < filters.start_time) continue;
    if (filters.end_time !== undefined && order.gmtCreated > filters.end_time) continue;
    matching.push(order);
  }
  const limit = filters.limit ?? 10;
  const page = matching.filter((order) => filters.marker === undefined || order.orderId < filters.marker).slice(0, limit);
  return dataResponse({
    total: matching.length,
    data: page.map((order) => ({
      order_id: order.orderId,
      order_name: order.script.name,
      execute_uuid: order.executeUuid,
      gmt_created: order.gmtCreated,
      gmt_finished: order.gmtFinished,
      execute_costs: world.orders.executeCosts(order),
      creator: order.creator,
      status: order.status,
      properties: { region_ids: order.regionIds },
    })),
  });
}

function orderInfo({ params, world }: RouteContext) {
  return dataResponse(renderInfo(world, findOrder(world, params['execute_uuid'] ?? '')));
}

function orderBatches({ params, world }: RouteContext) {
  const order = findOrder(world, params['execute_uuid'] ?? '');
  return dataResponse(
    order.batches.map((batch) => ({
      batch_index: batch.batchIndex,
      total_instances: batch.instances.length,
      rotation_strategy: batch.rotationStrategy,
      properties: '',
    })),
  );
}

function orderBatch({ params, query, world }: RouteContext) {
  const order = findOrder(world, params['execute_uuid'] ?? '');
  const { batch_index: batchIndex } = validate(batchIndexPath, { batch_index: params['batch_index'] }, 'coc');
  const filters = validate(batchQuery, query.toObject(), 'coc', { subject: 'query' });
  const batch = order.batches[batchIndex - 1];
  if (!batch) throw new SimError(400, ErrorCodes.JOB_INVALID_PARAM, `batch_index ${batchIndex} does not exist in order ${order.executeUuid} (it has ${order.batches.length} batches).`);
  const instances = batch.instances
    .filter((instance) => (filters.status === undefined || instance.status === filters.status) && (filters.marker === undefined || instance.id > filters.marker))
    .slice(0, filters.limit);
  return dataResponse({ batch_index: batch.batchIndex, total_instances: batch.instances.length, execute_instances: instances.map((instance) => renderInstance(world, instance)) });
}

function orderStatistics({ params, world }: RouteContext) {
  return dataResponse(world.orders.statistics(findOrder(world, params['execute_uuid'] ?? '')));
}

function operateOrder({ params, body, world }: RouteContext) {
  const order = findOrder(world, params['execute_uuid'] ?? '');
  const input = validate(operationBody, body, 'coc');
  try {
    world.orders.operate(order, { type: input.operation_type, batchIndex: input.batch_index, instanceId: input.instance_id });
  } catch (error) {
    if (error instanceof OrderOperationRejected) throw new SimError(400, ErrorCodes.JOB_OPERATION_NOT_ALLOWED, error.message);
    throw error;
  }
  return dataResponse(order.executeUuid);
}

export const orderRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/job/script/orders', family: 'coc', auth: 'required', handle: listOrders },
  { method: 'GET', path: '/v1/job/script/orders/{execute_uuid}', family: 'coc', auth: 'required', handle: orderInfo },
  { method: 'GET', path: '/v1/job/script/orders/{execute_uuid}/batches', family: 'coc', auth: 'required', handle: orderBatches },
  { method: 'GET', path: '/v1/job/script/orders/{execute_uuid}/batches/{batch_index}', family: 'coc', auth: 'required', handle: orderBatch },
  { method: 'GET', path: '/v1/job/script/orders/{execute_uuid}/statistics', family: 'coc', auth: 'required', handle: orderStatistics },
  { method: 'PUT', path: '/v1/job/script/orders/{execute_uuid}/operation', family: 'coc', auth: 'required', handle: operateOrder },
];
