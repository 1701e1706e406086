/** Custom scripts (coc-api-notes §1.3–§1.7) and public scripts (§2.6). */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import {
  CreateScriptRequest,
  ListPublicScriptsQuery,
  ListScriptsQuery,
  PublicScriptDetail,
  PublicScriptListPage,
  ScriptDetail,
  ScriptListPage,
  ScriptUuid,
  UpdateScriptRequest,
  type CreateScriptInput,
  type ListPublicScriptsInput,
  type ListScriptsInput,
  type ScriptParamDefinition,
  type UpdateScriptInput,
} from '../schemas/scripts.js';
import { operation, requestFor } from './operation.js';

export const SCRIPT_OPERATIONS = {
  create: operation('POST', '/v1/job/scripts'),
  list: operation('GET', '/v1/job/scripts'),
  get: operation('GET', '/v1/job/scripts/{script_uuid}'),
  update: operation('PUT', '/v1/job/scripts/{script_uuid}'),
  delete: operation('DELETE', '/v1/job/scripts/{script_uuid}'),
  listPublic: operation('GET', '/v1/job/public-scripts'),
  getPublic: operation('GET', '/v1/job/public-scripts/{script_uuid}'),
} as const;

/** Default values of parameters the script itself marks sensitive. */
function sensitiveDefaults(params: readonly ScriptParamDefinition[] | undefined): string[] {
  return (params ?? []).filter((param) => param.sensitive).map((param) => param.param_value);
}

/** Creates a custom script; returns its `script_uuid`. */
export async function createScript(http: CocHttp, input: CreateScriptInput, options?: CallOptions): Promise<string> {
  const body = validateInput(CreateScriptRequest, input, SCRIPT_OPERATIONS.create);
  return http.call(
    requestFor(SCRIPT_OPERATIONS.create, { body, envelope: 'data', response: ScriptUuid, localized: true, sensitiveValues: sensitiveDefaults(body.script_params) }),
    options,
  );
}

/** One page of custom scripts. The next page's `marker` is the last script's `id`. */
export async function listScripts(http: CocHttp, query: ListScriptsInput, options?: CallOptions): Promise<ScriptListPage> {
  const checked = validateInput(ListScriptsQuery, query, SCRIPT_OPERATIONS.list);
  return http.call(requestFor(SCRIPT_OPERATIONS.list, { query: checked, envelope: 'data', response: ScriptListPage, localized: true }), options);
}

export async function getScript(http: CocHttp, scriptUuid: string, options?: CallOptions): Promise<ScriptDetail> {
  return http.call(
    requestFor(SCRIPT_OPERATIONS.get, { pathParams: { script_uuid: scriptUuid }, envelope: 'data', response: ScriptDetail, localized: true }),
    options,
  );
}

/** Changes a script's description, content, properties or parameters (name and type are fixed). A script with reviewers needs review again. */
export async function updateScript(http: CocHttp, scriptUuid: string, input: UpdateScriptInput, options?: CallOptions): Promise<string> {
  const body = validateInput(UpdateScriptRequest, input, SCRIPT_OPERATIONS.update);
  return http.call(
    requestFor(SCRIPT_OPERATIONS.update, {
      pathParams: { script_uuid: scriptUuid },
      body,
      envelope: 'data',
      response: ScriptUuid,
      localized: true,
      sensitiveValues: sensitiveDefaults(body.script_params),
    }),
    options,
  );
}

/** Deletes a custom script; returns the deleted `script_uuid`. */
export async function deleteScript(http: CocHttp, scriptUuid: string, options?: CallOptions): Promise<string> {
  return http.call(requestFor(SCRIPT_OPERATIONS.delete, { pathParams: { script_uuid: scriptUuid }, envelope: 'data', response: ScriptUuid, localized: true }), options);
}

/** One page of COC's built-in scripts; descriptions follow the language setting. */
export async function listPublicScripts(http: CocHttp, query: ListPublicScriptsInput, options?: CallOptions): Promise<PublicScriptListPage> {
  const checked = validateInput(ListPublicScriptsQuery, query, SCRIPT_OPERATIONS.listPublic);
  return http.call(requestFor(SCRIPT_OPERATIONS.listPublic, { query: checked, envelope: 'data', response: PublicScriptListPage, localized: true }), options);
}

export async function getPublicScript(http: CocHttp, scriptUuid: string, options?: CallOptions): Promise<PublicScriptDetail> {
  return http.call(
    requestFor(SCRIPT_OPERATIONS.getPublic, { pathParams: { script_uuid: scriptUuid }, envelope: 'data', response: PublicScriptDetail, localized: true }),
    options,
  );
}
