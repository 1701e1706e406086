/**
 * Public (built-in) script APIs (coc-api-notes §2.6). `name_like` is right-fuzzy (prefix),
 * `name` exact; newest first with `marker` = id of the last row, like custom scripts.
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { dataResponse } from '../http/envelopes.js';
import { queryInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { RISK_LEVELS, SCRIPT_TYPES, type Script } from '../state/model.js';
import type { World } from '../state/world.js';
import { executeScript } from './execute.js';

const listQuery = z.object({
  limit: queryInt(1, 100),
  marker: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
  name_like: z.string().max(64).optional(),
  name: z.string().max(64).optional(),
  risk_level: z.enum(RISK_LEVELS).optional(),
  type: z.enum(SCRIPT_TYPES).optional(),
});

function findPublicScript(world: World, uuid: string): Script {
  const script = world.publicScripts.get(uuid);
  if (!script) throw new SimError(404, ErrorCodes.JOB_SCRIPT_NOT_FOUND, `The public script ${uuid} does not exist.`);
  return script;
}

function renderListItem(script: Script): Record<string, unknown> {
  return {
    id: script.id,
    script_uuid: script.scriptUuid,
    name: script.name,
    type: script.type,
    status: script.status,
    gmt_created: script.gmtCreated,
    description: script.description,
    properties: { risk_level: script.properties.risk_level, version: script.properties.version },
  };
}

function renderDetail(script: Script): Record<string, unknown> {
  return {
    script_uuid: script.scriptUuid,
    name: script.name,
    type: script.type,
    description: script.description,
    content: script.content,
    script_params: script.params,
    status: script.status,
    gmt_created: script.gmtCreated,
    gmt_modified: script.gmtModified,
    properties: { risk_level: script.properties.risk_level, version: script.properties.version },
  };
}

function listPublicScripts({ query, world }: RouteContext) {
  const filters = validate(listQuery, query.toObject(), 'coc', { subject: 'query' });
  const matching = [...world.publicScripts.values()]
    .filter(
      (script) =>
        (filters.name_like === undefined || script.name.toLowerCase().startsWith(filters.name_like.toLowerCase())) &&
        (filters.name === undefined || script.name === filters.name) &&
        (filters.risk_level === undefined || script.properties.risk_level === filters.risk_level) &&
        (filters.type === undefined || script.type === filters.type),
    )
    .sort((a, b) => b.id - a.id);
  const page = matching.filter((script) => filters.marker === undefined || script.id < filters.marker).slice(0, filters.limit);
  return dataResponse({ total: matching.length, data: page.map(renderListItem) });
}

export const publicScriptRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/job/public-scripts', family: 'coc', auth: 'required', handle: listPublicScripts },
  {
    method: 'GET',
    path: '/v1/job/public-scripts/{script_uuid}',
    family: 'coc',
    auth: 'required',
    handle: ({ params, world }) => dataResponse(renderDetail(findPublicScript(world, params['script_uuid'] ?? ''))),
  },
  {
    method: 'POST',
    path: '/v1/job/public-scripts/{script_uuid}',
    family: 'coc',
    auth: 'required',
    handle: (context) => executeScript(context, findPublicScript(context.world, context.params['script_uuid'] ?? '')),
  },
];
