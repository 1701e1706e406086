/**
 * Executing a script, custom or public (coc-api-notes §1.8, §2.6). Enforces COC's limits
 * (≤20 params, ≤200 hosts, ≤10 per batch, ≤20 batches, timeout 5–1800, success_rate 1–100
 * with one decimal) and checks that every target host exists in the given region. Hosts
 * whose UniAgent is not ONLINE are accepted here and fail when their batch runs, as in COC.
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { dataResponse } from '../http/envelopes.js';
import { invalid, jsonBoolean, jsonInt, jsonNumber, validate } from '../http/validate.js';
import { SimError, type RouteContext, type SimResponse } from '../http/types.js';
import type { Script } from '../state/model.js';
import type { NewOrderTarget } from '../state/orders.js';
import { planInstance, type ResolvedParam } from '../state/script-logs.js';
import { callerName } from './caller.js';
import { paramValueSchema } from './script-schemas.js';

export const MAX_HOSTS_PER_ORDER = 200;

const inputParam = z
  .object({
    param_name: z.string().min(1).max(64),
    param_value: paramValueSchema.optional(),
    param_order: jsonInt(1, 20).optional(),
    param_refer: z
      .object({ refer_type: z.literal('PARAM_STORE'), param_id: z.string().min(1).max(128), param_version: z.string().max(64).optional() })
      .optional(),
  })
  .refine((param) => param.param_value !== undefined || param.param_refer !== undefined, {
    error: 'must not be null unless param_refer is set',
    path: ['param_value'],
  });

const targetInstance = z.object({
  resource_id: z.string().min(1).max(64),
  region_id: z.string().min(1).max(32),
  provider: z.string().min(1).max(32).optional(),
  type: z.enum(['CLOUDSERVER']).optional(),
  custom_attributes: z
    .array(z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }))
    .max(5)
    .optional(),
  // Deprecated fields still sent by older clients and the reference examples; accepted, ignored.
  agent_sn: z.string().max(64).nullish(),
  project_id: z.string().max(64).nullish(),
  agent_status: z.string().max(32).nullish(),
});

const executeBody = z.object({
  execute_param: z.object({
    timeout: jsonInt(5, 1800),
    success_rate: jsonNumber(1, 100).refine((rate) => Math.abs(rate * 10 - Math.round(rate * 10)) < 1e-9, { error: 'must have at most one decimal place' }),
    execute_user: z.string().min(1).max(32),
    script_params: z.array(inputParam).max(20).optional(),
    resourceful: jsonBoolean().optional(),
  }),
  execute_batches: z
    .array(
      z.object({
        batch_index: jsonInt(1, 20),
        rotation_strategy: z.enum(['CONTINUE', 'PAUSE']),
        target_instances: z.array(targetInstance).min(1).max(10),
      }),
    )
    .min(1)
    .max(20),
});

type ExecuteBody = z.output<typeof executeBody>;

function checkShape(input: ExecuteBody, script: Script): void {
  const indexes = input.execute_batches.map((batch) => batch.batch_index).sort((a, b) => a - b);
  indexes.forEach((index, position) => {
    if (index !== position + 1) throw invalid('coc', `execute_batches batch_index values must be 1..${indexes.length}, each once; got ${indexes.join(',')}`);
  });
  const hosts = input.execute_batches.flatMap((batch) => batch.target_instances.map((target) => target.resource_id));
  if (hosts.length > MAX_HOSTS_PER_ORDER) throw invalid('coc', `execute_batches holds ${hosts.length} hosts; at most ${MAX_HOSTS_PER_ORDER} are allowed`);
  const seen = new Set<string>();
  for (const resourceId of hosts) {
    if (seen.has(resourceId)) throw invalid('coc', `execute_batches contains resource ${resourceId} more than once`);
    seen.add(resourceId);
  }
  const given = input.execute_param.script_params ?? [];
  const names = new Set<string>();
  for (const param of given) {
    if (names.has(param.param_name)) throw invalid('coc', `execute_param.script_params contains ${param.param_name} more than once`);
    names.add(param.param_name);
    if (!script.params.some((defined) => defined.param_name === param.param_name)) {
      throw invalid('coc', `execute_param.script_params ${param.param_name} is not a parameter of script ${script.name}`);
    }
  }
}

/** Script defaults overridden by what the caller passed; sensitivity comes from the script. */
function resolveParams(input: ExecuteBody, script: Script): ResolvedParam[] {
  const given = new Map((input.execute_param.script_params ?? []).map((param) => [param.param_name, param]));
  return script.params.map((defined) => {
    const param = given.get(defined.param_name);
    let value = defined.param_value;
    if (param?.param_value !== undefined) value = param.param_value;
    else if (param?.param_refer) value = `{{PARAM_STORE:${param.param_refer.param_id}}}`;
    return { name: defined.param_name, value, sensitive: defined.sensitive };
  });
}

export function executeScript(context: RouteContext, script: Script): SimResponse {
  const { world } = context;
  const input = validate(executeBody, context.body, 'coc');
  checkShape(input, script);
  const batches = [...input.execute_batches].sort((a, b) => a.batch_index - b.batch_index);
  const planned = batches.map((batch) => ({
    batchIndex: batch.batch_index,
    rotationStrategy: batch.rotation_strategy,
    targets: batch.target_instances.map((target): NewOrderTarget => {
      const host = world.hostByResourceId(target.resource_id);
      if (!host) throw new SimError(400, ErrorCodes.JOB_TARGET_INVALID, `The resource ${target.resource_id} does not exist.`);
      if (host.regionId !== target.region_id) {
        throw new SimError(400, ErrorCodes.JOB_TARGET_INVALID, `The resource ${target.resource_id} (${host.name}) is in region ${host.regionId}, not ${target.region_id}.`);
      }
      return {
        host,
        target: {
          resource_id: target.resource_id,
          region_id: target.region_id,
          provider: target.provider ?? 'ECS',
          type: target.type ?? 'CLOUDSERVER',
          custom_attributes: target.custom_attributes ?? [],
        },
      };
    }),
  }));
  const params = resolveParams(input, script);
  const order = world.orders.create({
    script: { uuid: script.scriptUuid, name: script.name, source: script.source, versionUuid: script.gmtModified, versionName: script.properties.version },
    executeParam: input.execute_param,
    batches: planned,
    creator: callerName(context.identity),
    plan: (executeUuid, target, startedAt) =>
      planInstance({
        seed: world.seed,
        executeUuid,
        scriptName: script.name,
        scriptType: script.type,
        params,
        executeUser: input.execute_param.execute_user,
        timeoutSeconds: input.execute_param.timeout,
        host: target.host,
        startedAt,
      }),
  });
  return dataResponse(order.executeUuid);
}
