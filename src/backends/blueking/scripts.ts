/**
 * BlueKing's scripts: Job's business scripts and public scripts (`job/get_script_list` with
 * `is_public`, `job/get_script_detail`), as neutral scripts. Ids are
 * `blueking:script:<biz>:<id>` and `blueking:public-script:<id>`. Job passes a script one
 * parameter line (`script_param`), so every script has exactly one parameter, `args`. Risk comes
 * from the deployment's rules (risk.ts).
 */
import { createHash } from 'node:crypto';
import type { CallOptions, Page } from '../backend.js';
import { makeId, parseId, type ScriptId } from '../ids.js';
import type { Script, ScriptQuery, ScriptRefRules, ScriptSummary, ScriptsCapability } from '../types/scripts.js';
import { esbOptions } from './call-options.js';
import { RISK_CODES } from './codes.js';
import type { EsbCaller } from './esb/component.js';
import { getScriptDetail, getScriptList, SCRIPT_TYPE_WORDS, type GetScriptListRequest, type ScriptRow } from './esb/job.js';
import { mapped } from './errors.js';
import { isMissing } from './missing.js';
import { argsAreSensitive, riskOf, type ScriptFacts } from './risk.js';
import type { BluekingSettings } from './settings.js';
import { parseBluekingTime } from './time-text.js';

/** The name of the one parameter every BlueKing script takes: its whole parameter line. */
export const ARGS_PARAM = 'args';

/**
 * The longest parameter line sent. The reference gives no limit for `script_param`; this keeps a
 * line well inside what Job stores and shows.
 */
export const MAX_ARGS_LENGTH = 5_000;

export const TYPE_CODES = ['SHELL', 'BAT', 'PERL', 'PYTHON', 'POWERSHELL', 'SQL'] as const;

const REFS: ScriptRefRules = {
  name: /^[^\s\p{C}](?:[^\p{C}]{0,58}[^\s\p{C}])?$/u,
  // As Job numbers them, or as the lists show them: `<business>:<id>`.
  id: /^(?:\d{1,9}:)?\d{1,18}$/,
  says: {
    'en-US': 'Scripts are named as in BlueKing Job (1-60 characters, for example rotate_db_password) or by their Job id, as the lists show it (for example 3:1024, or 1024 in the default business).',
    'zh-CN': '脚本可用作业平台中的名称（1-60 个字符，例如 rotate_db_password）或列表中显示的作业平台脚本 ID（例如 3:1024，默认业务下也可写 1024）指定。',
  },
};

type Scope = 'business' | 'public';

/** The business and Job id a script id names; undefined when it is not a BlueKing script id. */
export function scriptRefOf(id: ScriptId): { readonly scope: Scope; readonly biz?: number; readonly id: number } | undefined {
  const parsed = parseId(id);
  if (parsed?.backend !== 'blueking') return undefined;
  if (parsed.kind === 'public-script' && /^\d+$/.test(parsed.native)) return { scope: 'public', id: Number(parsed.native) };
  const match = parsed.kind === 'script' ? /^(\d+):(\d+)$/.exec(parsed.native) : null;
  return match ? { scope: 'business', biz: Number(match[1]), id: Number(match[2]) } : undefined;
}

function idOf(scope: Scope, biz: number, id: number): ScriptId {
  return scope === 'public' ? makeId('blueking', 'public-script', String(id)) : makeId('blueking', 'script', `${biz}:${id}`);
}

const typeWord = (type: number | null | undefined) => (type === null || type === undefined ? undefined : (SCRIPT_TYPE_WORDS[type] ?? String(type)));

function factsOf(scope: Scope, row: ScriptRow, biz: number): ScriptFacts {
  return { id: row.id, name: row.name ?? '', ...(scope === 'business' ? { biz: row.bk_biz_id ?? biz } : {}) };
}

/**
 * What the preview pinned: the content, type, version and the parameter's sensitivity. A change
 * of any voids a pending approval.
 */
export function bluekingScriptHash(row: Pick<ScriptRow, 'content' | 'type' | 'version'>, sensitive: boolean): string {
  return createHash('sha256')
    .update(JSON.stringify([row.content ?? '', row.type ?? '', row.version ?? '', [[ARGS_PARAM, sensitive]]]))
    .digest('hex');
}

export function bluekingScripts(caller: EsbCaller, settings: BluekingSettings): ScriptsCapability {
  const rules = settings.riskRules;

  function summaryOf(scope: Scope, row: ScriptRow, biz: number): ScriptSummary {
    const createdAt = parseBluekingTime(row.create_time);
    const modifiedAt = parseBluekingTime(row.last_modify_time);
    const type = typeWord(row.type);
    return {
      id: idOf(scope, row.bk_biz_id ?? biz, row.id),
      name: row.name ?? '',
      ...(type !== undefined ? { type } : {}),
      ...(row.tag ? { description: row.tag } : {}),
      risk: riskOf(rules, factsOf(scope, row, biz)),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(modifiedAt !== undefined ? { modifiedAt } : {}),
      ...(row.creator ? { owner: row.creator } : {}),
      ...(row.last_modify_user ? { modifiedBy: row.last_modify_user } : {}),
      publicScript: scope === 'public',
      rowId: String(row.id),
    };
  }

  function scriptOf(scope: Scope, row: ScriptRow, biz: number): Script {
    const sensitive = argsAreSensitive(rules, factsOf(scope, row, biz));
    return {
      ...summaryOf(scope, row, biz),
      ...(row.content !== null && row.content !== undefined ? { content: row.content } : {}),
      // Job runs a script with no parameter line as readily as with one: the line is optional.
      params: [{ name: ARGS_PARAM, sensitive, order: 1, optional: true }],
      reviewers: [],
      ...(row.version ? { version: row.version } : {}),
      pin: { hash: bluekingScriptHash(row, sensitive), modifiedAt: parseBluekingTime(row.last_modify_time) ?? 0 },
    };
  }

  async function list(scope: Scope, query: ScriptQuery, options?: CallOptions): Promise<Page<ScriptSummary>> {
    const start = query.after !== undefined && /^\d+$/.test(query.after) ? Number(query.after) : 0;
    const name = query.nameLike ?? query.name;
    const typeIndex = query.type ? TYPE_CODES.indexOf(query.type.toUpperCase() as (typeof TYPE_CODES)[number]) : -1;
    const request: GetScriptListRequest = {
      ...(scope === 'business' ? { bk_biz_id: settings.defaultBiz } : {}),
      is_public: scope === 'public',
      return_script_content: false,
      start,
      length: Math.max(1, query.limit),
      ...(name ? { script_name: name } : {}),
      ...(typeIndex >= 0 ? { script_type: String(typeIndex + 1) as GetScriptListRequest['script_type'] } : {}),
    };
    const page = await mapped(() => caller.call(getScriptList, request, esbOptions(options)));
    const rows = page.data.map((row) => summaryOf(scope, row, settings.defaultBiz));
    // Job has no risk filter: the rule's level is compared here, on the page Job gave.
    const items = query.risk ? rows.filter((row) => row.risk.code === query.risk) : rows;
    const next = start + page.data.length;
    const total = page.total_record_size ?? undefined;
    const more = page.data.length > 0 && (total !== undefined ? next < total : page.data.length === query.limit);
    return { items, ...(total !== undefined && !query.risk ? { total } : {}), ...(more ? { next: String(next) } : {}) };
  }

  async function get(scope: Scope, id: ScriptId, options?: CallOptions): Promise<Script | undefined> {
    const ref = scriptRefOf(id);
    if (!ref || ref.scope !== scope) return undefined;
    let row: ScriptRow | null;
    try {
      row = await mapped(() => caller.call(getScriptDetail, { ...(ref.biz !== undefined ? { bk_biz_id: ref.biz } : {}), id: ref.id }, esbOptions(options)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    // An empty answer, or a script of another business or scope, is not the script asked for.
    if (!row || row.id !== ref.id) return undefined;
    if (scope === 'business' && row.bk_biz_id !== null && row.bk_biz_id !== undefined && row.bk_biz_id !== ref.biz) return undefined;
    if (row.public !== null && row.public !== undefined && row.public !== (scope === 'public')) return undefined;
    return scriptOf(scope, row, ref.biz ?? settings.defaultBiz);
  }

  return {
    publicScripts: true,
    refs: REFS,
    riskCodes: RISK_CODES,
    typeCodes: TYPE_CODES,
    paramRules: { maxParams: 1, maxValueLength: MAX_ARGS_LENGTH, accepts: (value) => !/[\u0000\r\n]/.test(value) },
    list: (query, options) => list('business', query, options),
    get: (id, options) => get('business', id, options),
    listPublic: (query, options) => list('public', query, options),
    getPublic: (id, options) => get('public', id, options),
  };
}

/** What a person typed as a script id, for `parseId`: digits in the default business (or public). */
export function typedScriptId(kind: 'script' | 'public-script', typed: string, defaultBiz: number): ScriptId | undefined {
  const text = typed.trim();
  if (kind === 'public-script') return /^\d{1,18}$/.test(text) ? makeId('blueking', 'public-script', text) : undefined;
  const match = /^(?:(\d{1,18}):)?(\d{1,18})$/.exec(text);
  return match ? makeId('blueking', 'script', `${match[1] ?? defaultBiz}:${match[2]}`) : undefined;
}
