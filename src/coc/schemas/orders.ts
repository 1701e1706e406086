/**
 * Script execution and execution orders (coc-api-notes §1.8–§1.14). `ScriptExecuteRequest`
 * is the body of both the custom-script and the public-script execute calls (§2.6).
 */
import { z } from 'zod';
import { int, list, long, oneOf, text } from './fields.js';
import { openEnum, optionalBoolean, optionalList, optionalNumber, optionalText, requiredId, timestamp, count } from './common.js';
import { MAX_SCRIPT_PARAMS, paramValue, uniqueParamNames } from './scripts.js';

/** COC's limits for one execution (notes §1.8). */
export const EXECUTE_LIMITS = {
  maxHosts: 200,
  maxHostsPerBatch: 10,
  maxBatches: 20,
  maxParams: MAX_SCRIPT_PARAMS,
  minTimeoutSeconds: 5,
  maxTimeoutSeconds: 1800,
} as const;

/** SDK and reference values together (notes §3 row 4); anything else still passes as a string. */
export const ORDER_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'ERROR', 'PAUSED', 'CANCELED', 'FINISHED', 'ROLLBACKED'] as const;
export type KnownOrderStatus = (typeof ORDER_STATUSES)[number];
export const INSTANCE_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'CANCELED', 'FINISHED', 'ROLLBACKED'] as const;
export const ROTATION_STRATEGIES = ['CONTINUE', 'PAUSE'] as const;
/** Order-list filter: the SDK enum plus the reference's READY (notes §3 row 5). */
export const ORDER_LIST_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'PAUSED', 'CANCELED', 'FINISHED'] as const;
export const BATCH_INSTANCE_FILTER_STATUSES = ['READY', 'PROCESSING', 'ABNORMAL', 'CANCELED', 'FINISHED'] as const;
export const ORDER_OPERATIONS = ['CANCEL_INSTANCE', 'SKIP_BATCH', 'CANCEL_ORDER', 'PAUSE_ORDER', 'CONTINUE_ORDER'] as const;
/** Seen only in a reference example, in neither enum (notes §1.14): sent only on explicit opt-in. */
export const EXPERIMENTAL_ORDER_OPERATIONS = ['RETRY_INSTANCE'] as const;

export function isKnownOrderStatus(status: string): status is KnownOrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(status);
}

// ---- execute request ----

export const ParamReference = z.strictObject({
  refer_type: z.literal('PARAM_STORE', { error: 'must be PARAM_STORE' }),
  param_id: text(1, 128),
  param_version: text(0, 64).optional(),
});

export const ScriptExecuteParamInput = z
  .strictObject({
    param_name: text(1, 64),
    param_value: paramValue.optional(),
    /** Take the value from the parameter store instead of `param_value`. */
    param_refer: ParamReference.optional(),
  })
  .superRefine((param, ctx) => {
    if (param.param_value === undefined && param.param_refer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['param_value'], message: 'is required unless param_refer is set' });
    } else if (param.param_value !== undefined && param.param_refer !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['param_refer'], message: 'set either param_value or param_refer, not both' });
    }
  });

export const CustomAttribute = z.strictObject({ key: text(1, 128), value: text(0, 256) });

export const ExecuteTarget = z.strictObject({
  /** ECS id. */
  resource_id: text(1, 64),
  region_id: text(1, 32),
  /** Default `ECS`. */
  provider: text(1, 32).optional(),
  /** Default `CLOUDSERVER`. */
  type: oneOf(['CLOUDSERVER']).optional(),
  custom_attributes: list(CustomAttribute, 0, 5, { noun: 'custom attributes', one: 'custom attribute' }).optional(),
});

export const ExecuteBatch = z.strictObject({
  batch_index: int(1, EXECUTE_LIMITS.maxBatches),
  rotation_strategy: oneOf(ROTATION_STRATEGIES),
  target_instances: list(ExecuteTarget, 1, EXECUTE_LIMITS.maxHostsPerBatch, { noun: 'hosts', one: 'host', per: 'per batch' }),
});

/** 1–100 with at most one decimal place; a JSON number, not the reference example's "100.0". */
const successRate = z
  .number({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a number from 1 to 100') })
  .refine((rate) => rate >= 1 && rate <= 100 && Math.abs(rate * 10 - Math.round(rate * 10)) < 1e-9, {
    error: (iss) => `must be from 1 to 100 with at most one decimal place${typeof iss.input === 'number' ? `, got ${iss.input}` : ''}`,
  });

export const ScriptExecuteParam = z
  .strictObject({
    /** Seconds. */
    timeout: int(EXECUTE_LIMITS.minTimeoutSeconds, EXECUTE_LIMITS.maxTimeoutSeconds),
    /** Percent of hosts that must succeed for the order to go on. */
    success_rate: successRate,
    execute_user: text(1, 32),
    script_params: list(ScriptExecuteParamInput, 0, EXECUTE_LIMITS.maxParams, { noun: 'parameters', one: 'parameter' }).optional(),
  })
  .superRefine((param, ctx) => uniqueParamNames(param.script_params, ctx, ['script_params']));

export const ScriptExecuteRequest = z
  .strictObject({
    execute_param: ScriptExecuteParam,
    execute_batches: list(ExecuteBatch, 1, EXECUTE_LIMITS.maxBatches, { noun: 'batches', one: 'batch' }),
  })
  .superRefine((request, ctx) => {
    const batches = request.execute_batches;
    const hosts = batches.reduce((sum, batch) => sum + batch.target_instances.length, 0);
    if (hosts > EXECUTE_LIMITS.maxHosts) {
      ctx.addIssue({ code: 'custom', path: ['execute_batches'], message: `at most ${EXECUTE_LIMITS.maxHosts} hosts in total, got ${hosts}` });
    }
    const indexes = batches.map((batch) => batch.batch_index);
    const sorted = [...indexes].sort((a, b) => a - b);
    if (sorted.some((index, position) => index !== position + 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['execute_batches'],
        message: `batch_index values must be 1..${batches.length}, each exactly once; got ${indexes.join(', ')}`,
      });
    }
    const firstBatchOf = new Map<string, number>();
    batches.forEach((batch, batchIndex) => {
      batch.target_instances.forEach((target, targetIndex) => {
        const first = firstBatchOf.get(target.resource_id);
        if (first === undefined) {
          firstBatchOf.set(target.resource_id, batchIndex);
          return;
        }
        ctx.addIssue({
          code: 'custom',
          path: ['execute_batches', batchIndex, 'target_instances', targetIndex, 'resource_id'],
          message: first === batchIndex ? 'appears twice in this batch; a host may be targeted once' : `is already in execute_batches[${first}]; a host may be in only one batch`,
        });
      });
    });
  });
export type ScriptExecuteInput = z.input<typeof ScriptExecuteRequest>;
export type ScriptExecuteBody = z.output<typeof ScriptExecuteRequest>;

/** Execute answers with the order's `execute_uuid`. */
export const ExecuteUuid = requiredId;

// ---- order requests ----

export const ListScriptOrdersQuery = z.strictObject({
  limit: int(1, 100).optional(),
  /** `order_id` of the last order of the previous page. */
  marker: long().optional(),
  /** Epoch ms (notes §1.13: the reference's cap suggests seconds, every gmt_* value is ms). */
  start_time: long().optional(),
  end_time: long().optional(),
  creator: text(0, 64).optional(),
  status: oneOf(ORDER_LIST_STATUSES).optional(),
});
export type ListScriptOrdersInput = z.input<typeof ListScriptOrdersQuery>;

export const BatchIndex = int(1, EXECUTE_LIMITS.maxBatches);

export const ScriptOrderBatchQuery = z.strictObject({
  limit: int(1, 50),
  /** `id` of the last instance of the previous page. */
  marker: int(0, 2147483647).optional(),
  status: oneOf(BATCH_INSTANCE_FILTER_STATUSES).optional(),
});
export type ScriptOrderBatchInput = z.input<typeof ScriptOrderBatchQuery>;

const NEEDS: Readonly<Record<string, { readonly batch_index: boolean; readonly instance_id: boolean }>> = {
  CANCEL_INSTANCE: { batch_index: false, instance_id: true },
  SKIP_BATCH: { batch_index: true, instance_id: false },
  CANCEL_ORDER: { batch_index: false, instance_id: false },
  PAUSE_ORDER: { batch_index: false, instance_id: false },
  CONTINUE_ORDER: { batch_index: false, instance_id: false },
};

/**
 * PAUSE_ORDER / CONTINUE_ORDER / CANCEL_ORDER take nothing, SKIP_BATCH a batch, CANCEL_INSTANCE
 * an instance (`ExecInstance.id` from the batch detail). RETRY_INSTANCE is sent only with
 * `experimental: true`; `experimental` itself is never sent.
 */
export const OperateScriptOrderRequest = z
  .strictObject({
    operation_type: oneOf([...ORDER_OPERATIONS, ...EXPERIMENTAL_ORDER_OPERATIONS]),
    batch_index: int(1, EXECUTE_LIMITS.maxBatches).optional(),
    instance_id: long().optional(),
    /** Opt-in for operations outside COC's published enum. */
    experimental: z.boolean().optional(),
  })
  .superRefine((request, ctx) => {
    const operation = request.operation_type;
    if (operation === 'RETRY_INSTANCE') {
      if (request.experimental !== true) {
        ctx.addIssue({ code: 'custom', path: ['operation_type'], message: 'RETRY_INSTANCE is not in COC\'s published operations; pass experimental: true to send it anyway' });
      }
      if (request.instance_id === undefined) ctx.addIssue({ code: 'custom', path: ['instance_id'], message: 'is required for RETRY_INSTANCE' });
      return;
    }
    const needs = NEEDS[operation];
    if (!needs) return;
    if (needs.instance_id && request.instance_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['instance_id'], message: `is required for ${operation} (the id of an instance from the batch detail)` });
    }
    if (needs.batch_index && request.batch_index === undefined) {
      ctx.addIssue({ code: 'custom', path: ['batch_index'], message: `is required for ${operation} (a whole number from 1 to ${EXECUTE_LIMITS.maxBatches})` });
    }
    if (!needs.instance_id && request.instance_id !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['instance_id'], message: `is not used by ${operation}` });
    }
    if (!needs.batch_index && request.batch_index !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['batch_index'], message: `is not used by ${operation}` });
    }
  })
  .transform(({ experimental: _optIn, ...body }) => body);
export type OperateScriptOrderInput = z.input<typeof OperateScriptOrderRequest>;

// ---- responses ----

export const ExecuteParamEcho = z.looseObject({
  timeout: optionalNumber,
  success_rate: optionalNumber,
  execute_user: optionalText,
  script_params: optionalList(
    z.looseObject({ param_name: optionalText, param_value: optionalText, param_order: optionalNumber, param_refer: z.unknown().optional() }),
  ),
  resourceful: optionalBoolean,
});

export const ScriptOrder = z.looseObject({
  execute_uuid: requiredId,
  gmt_created: timestamp,
  gmt_finished: timestamp,
  /** Milliseconds (notes §1.9: equals gmt_finished − gmt_created). */
  execute_costs: optionalNumber,
  creator: optionalText,
  status: openEnum(ORDER_STATUSES),
  properties: z
    .looseObject({
      script_uuid: optionalText,
      script_name: optionalText,
      script_version_uuid: z.union([z.string(), z.number()]).nullish(),
      script_version_name: optionalText,
      current_execute_batch_index: optionalNumber,
      execute_param: ExecuteParamEcho.nullish(),
      /** Reference only, e.g. CUSTOM_SCRIPT. */
      script_source: optionalText,
    })
    .nullish(),
});
export type ScriptOrder = z.output<typeof ScriptOrder>;

export const ScriptOrderBatchSummary = z.looseObject({
  batch_index: z.number().int(),
  total_instances: optionalNumber,
  rotation_strategy: openEnum(ROTATION_STRATEGIES).nullish(),
  properties: z.unknown().optional(),
});
export type ScriptOrderBatchSummary = z.output<typeof ScriptOrderBatchSummary>;
export const ScriptOrderBatchList = z.array(ScriptOrderBatchSummary);

export const ScriptOrderStatistics = z.looseObject({
  total_instance: optionalNumber,
  execute_statistics: optionalList(
    z.looseObject({
      instance_status: openEnum(INSTANCE_STATUSES),
      instance_count: optionalNumber,
      batch_indexes: optionalList(z.number()),
    }),
  ),
});
export type ScriptOrderStatistics = z.output<typeof ScriptOrderStatistics>;

export const ExecInstance = z.looseObject({
  /** The `instance_id` of CANCEL_INSTANCE (notes §1.14: verify on the live service). */
  id: z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), z.number().int()),
  gmt_created: timestamp,
  gmt_finished: timestamp,
  execute_costs: optionalNumber,
  status: openEnum(INSTANCE_STATUSES),
  /** The script's output (log), up to 1 MB. */
  message: optionalText,
  target_instance: z
    .looseObject({
      resource_id: optionalText,
      provider: optionalText,
      region_id: optionalText,
      type: optionalText,
      custom_attributes: optionalList(z.looseObject({ key: optionalText, value: optionalText })),
      properties: z
        .looseObject({
          host_name: optionalText,
          fixed_ip: optionalText,
          floating_ip: optionalText,
          region_id: optionalText,
          zone_id: optionalText,
          application: optionalText,
          group: optionalText,
          project_id: optionalText,
        })
        .nullish(),
    })
    .nullish(),
});
export type ExecInstance = z.output<typeof ExecInstance>;

export const ScriptOrderBatch = z.looseObject({
  batch_index: optionalNumber,
  total_instances: optionalNumber,
  execute_instances: optionalList(ExecInstance),
});
export type ScriptOrderBatch = z.output<typeof ScriptOrderBatch>;

export const ScriptOrderListItem = z.looseObject({
  order_id: optionalNumber,
  order_name: optionalText,
  execute_uuid: requiredId,
  gmt_created: timestamp,
  gmt_finished: timestamp,
  execute_costs: optionalNumber,
  creator: optionalText,
  status: openEnum(ORDER_STATUSES),
  /** `region_ids` may hold several ids in one string. */
  properties: z.looseObject({ region_ids: optionalText }).nullish(),
});
export type ScriptOrderListItem = z.output<typeof ScriptOrderListItem>;

export const ScriptOrderListPage = z.looseObject({
  total: count.optional(),
  data: optionalList(ScriptOrderListItem),
});
export type ScriptOrderListPage = z.output<typeof ScriptOrderListPage>;

/** Operate answers with the order's `execute_uuid`. */
export const OperateScriptOrderResult = z.string().nullish();
