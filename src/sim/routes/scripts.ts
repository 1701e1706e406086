/**
 * Custom script APIs (coc-api-notes §1.3–§1.8). Lists are newest first; `marker` is the `id`
 * of the last row of the previous page. A script with reviewers goes to PENDING_APPROVE
 * when created or changed; the simulator still lets it run (approval is not simulated).
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { dataResponse } from '../http/envelopes.js';
import { queryInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { RISK_LEVELS, SCRIPT_TYPES, type Script } from '../state/model.js';
import type { World } from '../state/world.js';
import { callerId, callerName } from './caller.js';
import { executeScript } from './execute.js';
import { scriptParamsSchema, scriptPropertiesSchema } from './script-schemas.js';

const createBody = z.object({
  name: z.string().regex(/^[A-Za-z0-9_\u4e00-\u9fa5]{1,64}$/, { error: 'must be 1-64 letters, digits, underscores or Chinese characters' }),
  description: z.string().min(1).max(256),
  type: z.enum(SCRIPT_TYPES),
  content: z.string().min(1).max(4096),
  properties: scriptPropertiesSchema,
  script_params: scriptParamsSchema.optional(),
  enterprise_project_id: z.string().max(64).optional(),
});

const updateBody = z.object({
  description: z.string().min(1).max(256),
  content: z.string().min(1).max(4096),
  properties: scriptPropertiesSchema.optional(),
  script_params: scriptParamsSchema.optional(),
});

const listQuery = z.object({
  limit: queryInt(1, 100),
  marker: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  name_like: z.string().max(64).optional(),
  creator: z.string().max(64).optional(),
  risk_level: z.enum(RISK_LEVELS).optional(),
  type: z.enum(SCRIPT_TYPES).optional(),
  enterprise_project_id: z.string().max(64).optional(),
});

export function findCustomScript(world: World, uuid: string): Script {
  const script = world.scripts.get(uuid);
  if (!script) throw new SimError(404, ErrorCodes.JOB_SCRIPT_NOT_FOUND, `The script ${uuid} does not exist.`);
  return script;
}

export function renderScriptDetail(script: Script): Record<string, unknown> {
  return {
    script_uuid: script.scriptUuid,
    name: script.name,
    version: script.properties.version,
    description: script.description,
    type: script.type,
    content: script.content,
    script_params: script.params,
    status: script.status,
    gmt_created: script.gmtCreated,
    gmt_modified: script.gmtModified,
    creator: script.creator,
    creator_id: script.creatorId,
    operator: script.operator,
    properties: script.properties,
    enterprise_project_id: script.enterpriseProjectId,
  };
}

function renderListItem(script: Script): Record<string, unknown> {
  return {
    id: script.id,
    script_uuid: script.scriptUuid,
    enterprise_project_id: script.enterpriseProjectId,
    name: script.name,
    type: script.type,
    status: script.status,
    gmt_created: script.gmtCreated,
    gmt_modified: script.gmtModified,
    creator: script.creator,
    creator_id: script.creatorId,
    operator: script.operator,
    properties: script.properties,
  };
}

function needsReview(script: Pick<Script, 'properties'>): boolean {
  return (script.properties.reviewers?.length ?? 0) > 0;
}

function createScript({ body, world, identity }: RouteContext) {
  const input = validate(createBody, body, 'coc');
  for (const existing of world.scripts.values()) {
    if (existing.name === input.name) throw new SimError(400, ErrorCodes.JOB_INVALID_PARAM, `Exist script with same name: ${input.name}.`);
  }
  const now = world.now();
  const script: Script = {
    id: world.ids.scriptId(),
    scriptUuid: world.ids.scriptUuid(now),
    source: 'CUSTOM_SCRIPT',
    name: input.name,
    type: input.type,
    description: input.description,
    content: input.content,
    params: input.script_params ?? [],
    properties: input.properties,
    status: 'APPROVED',
    gmtCreated: now,
    gmtModified: now,
    creator: callerName(identity),
    creatorId: callerId(identity),
    operator: callerName(identity),
    enterpriseProjectId: input.enterprise_project_id ?? '0',
  };
  if (needsReview(script)) script.status = 'PENDING_APPROVE';
  world.scripts.set(script.scriptUuid, script);
  return dataResponse(script.scriptUuid);
}

function updateScript({ params, body, world, identity }: RouteContext) {
  const script = findCustomScript(world, params['script_uuid'] ?? '');
  const input = validate(updateBody, body, 'coc');
  script.description = input.description;
  script.content = input.content;
  if (input.properties) script.properties = input.properties;
  if (input.script_params) script.params = input.script_params;
  // Strictly increasing even when the clock stands still: clients compare it to spot changes.
  script.gmtModified = Math.max(world.now(), script.gmtModified + 1);
  script.operator = callerName(identity);
  if (needsReview(script)) script.status = 'PENDING_APPROVE';
  return dataResponse(script.scriptUuid);
}

function deleteScript({ params, world }: RouteContext) {
  const script = findCustomScript(world, params['script_uuid'] ?? '');
  world.scripts.delete(script.scriptUuid);
  return dataResponse(script.scriptUuid);
}

function getScript({ params, world }: RouteContext) {
  return dataResponse(renderScriptDetail(findCustomScript(world, params['script_uuid'] ?? '')));
}

function listScripts({ query, world }: RouteContext) {
  const filters = validate(listQuery, query.toObject(), 'coc', { subject: 'query' });
  const matching = [...world.scripts.values()]
    .filter(
      (script) =>
        (filters.name_like === undefined || script.name.toLowerCase().includes(filters.name_like.toLowerCase())) &&
        (filters.creator === undefined || script.creator === filters.creator) &&
        (filters.risk_level === undefined || script.properties.risk_level === filters.risk_level) &&
        (filters.type === undefined || script.type === filters.type) &&
        (filters.enterprise_project_id === undefined || script.enterpriseProjectId === filters.enterprise_project_id),
    )
    .sort((a, b) => b.id - a.id);
  const page = matching.filter((script) => filters.marker === undefined || script.id < filters.marker).slice(0, filters.limit);
  return dataResponse({ total: matching.length, data: page.map(renderListItem) });
}

function runScript(context: RouteContext) {
  return executeScript(context, findCustomScript(context.world, context.params['script_uuid'] ?? ''));
}

export const scriptRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/job/scripts', family: 'coc', auth: 'required', handle: createScript },
  { method: 'GET', path: '/v1/job/scripts', family: 'coc', auth: 'required', handle: listScripts },
  { method: 'GET', path: '/v1/job/scripts/{script_uuid}', family: 'coc', auth: 'required', handle: getScript },
  { method: 'PUT', path: '/v1/job/scripts/{script_uuid}', family: 'coc', auth: 'required', handle: updateScript },
  { method: 'DELETE', path: '/v1/job/scripts/{script_uuid}', family: 'coc', auth: 'required', handle: deleteScript },
  { method: 'POST', path: '/v1/job/scripts/{script_uuid}', family: 'coc', auth: 'required', handle: runScript },
];
