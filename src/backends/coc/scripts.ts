/**
 * COC's scripts: the tenant's custom scripts (coc-api-notes §1.4, §1.7) and COC's public
 * (built-in) ones (§2.6), as neutral scripts. COC's own codes (risk `HIGH`, status `APPROVED`)
 * stay in `Coded.code`, so every text that shows them reads as before.
 */
import { createHash } from 'node:crypto';
import type { CocClient } from '../../coc/client.js';
import { describeIssue, toFieldProblems } from '../../coc/schemas/problems.js';
import {
  CreateScriptRequest,
  MAX_SCRIPT_PARAMS,
  UpdateScriptRequest,
  paramValue,
  RISK_LEVELS,
  SCRIPT_TYPES,
  type ListPublicScriptsInput,
  type ListScriptsInput,
  type PublicScriptListItem,
  type ScriptDetail,
  type ScriptListItem,
  type CreateScriptInput,
  type UpdateScriptInput,
} from '../../coc/schemas/scripts.js';
import type { Page } from '../backend.js';
import { isNotFound, type FieldProblem } from '../errors.js';
import { makeId, nativeOf, type ScriptId } from '../ids.js';
import type { Coded } from '../types/coded.js';
import type { RiskState, Script, ScriptDraft, ScriptQuery, ScriptRefRules, ScriptSummary, ScriptsCapability, ScriptUpdate } from '../types/scripts.js';
import { mapped } from './errors.js';
import { cocCallOptions as cocOptions } from './hosts.js';

/** What COC's parameter values may hold (coc-api-notes §1.3): at most this many characters. */
const MAX_PARAM_VALUE = 4096;

/** Script names (coc-api-notes §1.3, zh reference) and uuids: `SC` + creation time (14 digits) + random hex. */
const REFS: ScriptRefRules = {
  name: /^[A-Za-z0-9_\p{Script=Han}]{1,64}$/u,
  id: /^SC\d{14}[0-9A-Za-z]{4,32}$/,
  says: {
    'en-US': 'Script names are 1-64 letters, digits, _ or Chinese characters (for example rotate_db_password); uuids look like SC2025042712313288f27db14.',
    'zh-CN': '脚本名称为 1-64 个字母、数字、下划线或汉字（例如 rotate_db_password）；UUID 形如 SC2025042712313288f27db14。',
  },
};

const RISK: Readonly<Record<(typeof RISK_LEVELS)[number], RiskState>> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

type Scope = 'custom' | 'public';

/** COC's risk level in the product's words; a level COC added later keeps its code and counts as unclassified. */
export function riskOf(code: string | null | undefined): Coded<RiskState> {
  if (!code) return { state: 'unclassified', code: '' };
  return { state: Object.hasOwn(RISK, code) ? RISK[code as keyof typeof RISK] : 'unclassified', code };
}

/**
 * What a script says it does: its content, type and parameter definitions (sensitive defaults
 * left out). Plans and approvals keep this hash, so it is computed exactly as it always was: a
 * change of formula would void every pending approval.
 */
export function cocScriptHash(script: Pick<ScriptDetail, 'content' | 'type' | 'script_params'>): string {
  const params = (script.script_params ?? []).map((p) => [p.param_name, p.sensitive ?? false, p.sensitive ? '' : (p.param_value ?? '')]);
  return createHash('sha256').update(JSON.stringify([script.content ?? '', script.type ?? '', params])).digest('hex');
}

function idOf(scope: Scope, uuid: string): ScriptId {
  return makeId('coc', scope === 'custom' ? 'script' : 'public-script', uuid);
}

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** A row of either list: custom rows carry no description, public rows no modification. */
type ListRow = ScriptListItem | PublicScriptListItem;

function summaryOf(scope: Scope, row: ListRow | ScriptDetail): ScriptSummary {
  const fields = row as Partial<ScriptListItem & ScriptDetail & PublicScriptListItem>;
  const description: unknown = fields.description;
  return {
    id: idOf(scope, row.script_uuid),
    name: row.name ?? '',
    ...(present(row.type) ? { type: row.type } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    risk: riskOf(row.properties?.risk_level),
    ...(present(row.status) ? { status: { state: row.status, code: row.status } } : {}),
    ...(present(row.gmt_created) ? { createdAt: row.gmt_created } : {}),
    ...(present(fields.gmt_modified) ? { modifiedAt: fields.gmt_modified } : {}),
    ...(present(fields.creator) ? { owner: fields.creator } : {}),
    ...(present(fields.operator) ? { modifiedBy: fields.operator } : {}),
    publicScript: scope === 'public',
    ...(present(fields.id) ? { rowId: String(fields.id) } : {}),
  };
}

/** One script as COC details it; `version` is the properties' one (the top-level field is deprecated). */
export function scriptOf(scope: Scope, detail: ScriptDetail): Script {
  const version = detail.properties?.version ?? detail.version;
  return {
    ...summaryOf(scope, detail),
    ...(present(detail.content) ? { content: detail.content } : {}),
    params: detail.script_params.map((param) => ({
      name: param.param_name,
      ...(present(param.param_value) ? { defaultValue: param.param_value } : {}),
      sensitive: param.sensitive === true,
      ...(present(param.param_description) ? { description: param.param_description } : {}),
      ...(present(param.param_order) ? { order: param.param_order } : {}),
    })),
    reviewers: (detail.properties?.reviewers ?? []).map((r) => r.reviewer_name ?? r.reviewer_id ?? '').filter(Boolean),
    reviewerRefs: (detail.properties?.reviewers ?? []).map((r) => ({ name: r.reviewer_name ?? '', id: r.reviewer_id ?? '' })),
    ...(version ? { version } : {}),
    pin: { hash: cocScriptHash(detail), modifiedAt: detail.gmt_modified ?? 0 },
  };
}

/** COC's list filters for a neutral query. Custom scripts have no exact-name filter: `name` is matched as part. */
function listQueryOf(scope: Scope, query: ScriptQuery): ListScriptsInput & ListPublicScriptsInput {
  const nameLike = query.nameLike ?? (scope === 'custom' ? query.name : undefined);
  const exact = scope === 'public' ? query.name : undefined;
  return {
    limit: query.limit,
    ...(query.after !== undefined ? { marker: Number(query.after) } : {}),
    ...(nameLike ? { name_like: nameLike } : {}),
    ...(exact ? { name: exact } : {}),
    ...(query.risk ? { risk_level: query.risk as (typeof RISK_LEVELS)[number] } : {}),
    ...(query.type ? { type: query.type as (typeof SCRIPT_TYPES)[number] } : {}),
  };
}

/** A page of rows; the next one starts after the last row's id, when the page was full. */
function pageOf(scope: Scope, limit: number, page: { total?: number | undefined; data: readonly ListRow[] }): Page<ScriptSummary> {
  const last = page.data.at(-1);
  const full = page.data.length === limit && present(last?.id);
  return {
    items: page.data.map((row) => summaryOf(scope, row)),
    ...(page.total !== undefined ? { total: page.total } : {}),
    ...(full ? { next: String(last!.id) } : {}),
  };
}

/** A detail read: undefined when COC does not know the script (a 404, with or without COC's error body). */
async function detailOrNothing(read: () => Promise<ScriptDetail>): Promise<ScriptDetail | undefined> {
  try {
    return await mapped(read);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

// ---- managing scripts (coc-api-notes §1.3, §1.5, §1.6) ----

function propertiesOf(draft: ScriptDraft): CreateScriptInput['properties'] {
  return {
    risk_level: draft.risk as (typeof RISK_LEVELS)[number],
    version: draft.version,
    // Absent, not empty, when there are none: COC reads both as "no review".
    ...(draft.reviewers.length > 0 ? { reviewers: draft.reviewers.map((r) => ({ reviewer_name: r.name, reviewer_id: r.id })) } : {}),
  };
}

function paramsOf(draft: ScriptDraft): NonNullable<CreateScriptInput['script_params']> {
  return draft.params.map((p) => ({ param_name: p.name, param_value: p.defaultValue, param_description: p.description, sensitive: p.sensitive }));
}

/** COC's create request for a draft. */
export function createInputOf(draft: ScriptDraft): CreateScriptInput {
  return {
    name: draft.name,
    description: draft.description,
    type: draft.type as (typeof SCRIPT_TYPES)[number],
    content: draft.content,
    properties: propertiesOf(draft),
    ...(draft.params.length > 0 ? { script_params: paramsOf(draft) } : {}),
  };
}

/** COC's update request: name and type are fixed; parameters and properties only when they changed (left out, COC keeps them). */
export function updateInputOf(update: ScriptUpdate): UpdateScriptInput {
  const { draft } = update;
  return {
    description: draft.description,
    content: draft.content,
    ...(update.propertiesChanged ? { properties: propertiesOf(draft) } : {}),
    ...(update.paramsChanged ? { script_params: paramsOf(draft) } : {}),
  };
}

/** Problems of a draft by COC's own request schemas (the single source of its rules); a value is never echoed. */
export function cocDraftProblems(draft: ScriptDraft, action: 'create' | 'update'): FieldProblem[] {
  const result =
    action === 'create'
      ? CreateScriptRequest.safeParse(createInputOf(draft), { error: describeIssue })
      : // An update is checked as it would be sent with everything in it: a problem in a part left as it is still shows.
        UpdateScriptRequest.safeParse(updateInputOf({ draft, paramsChanged: true, propertiesChanged: true }), { error: describeIssue });
  return result.success ? [] : toFieldProblems(result.error.issues);
}

export function cocScripts(client: CocClient): ScriptsCapability {
  return {
    publicScripts: true,
    refs: REFS,
    riskCodes: RISK_LEVELS,
    typeCodes: SCRIPT_TYPES,
    paramRules: { maxParams: MAX_SCRIPT_PARAMS, maxValueLength: MAX_PARAM_VALUE, accepts: (value) => paramValue.safeParse(value).success },
    async list(query, options) {
      const page = await mapped(() => client.listScripts(listQueryOf('custom', query), cocOptions(options)));
      return pageOf('custom', query.limit, page);
    },
    async get(id, options) {
      const detail = await detailOrNothing(() => client.getScript(nativeOf(id), cocOptions(options)));
      return detail && scriptOf('custom', detail);
    },
    async listPublic(query, options) {
      const page = await mapped(() => client.listPublicScripts(listQueryOf('public', query), cocOptions(options)));
      return pageOf('public', query.limit, page);
    },
    async getPublic(id, options) {
      const detail = await detailOrNothing(() => client.getPublicScript(nativeOf(id), cocOptions(options)));
      return detail && scriptOf('public', detail);
    },
    draftProblems: cocDraftProblems,
    async create(draft, options) {
      const uuid = await mapped(() => client.createScript(createInputOf(draft), cocOptions(options)));
      return idOf('custom', uuid);
    },
    async update(id, update, options) {
      await mapped(() => client.updateScript(nativeOf(id), updateInputOf(update), cocOptions(options)));
    },
    async remove(id, options) {
      await mapped(() => client.deleteScript(nativeOf(id), cocOptions(options)));
    },
  };
}
