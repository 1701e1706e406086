/**
 * The script a person proposes: the whole of it for a create; for an edit, the script as it is
 * now with only what they gave changed. Checked before anything is filed — first the rules
 * only the product knows (a parameter marked sensitive must exist, an edit must change
 * something), then the platform's own request rules (`draftProblems`: for COC its zod request
 * schemas) — and every problem is said at once, by the flag a person typed, never with a value.
 */
import type { Script, ScriptDraft, ScriptParamDraft, ScriptReviewerDraft, ScriptsCapability } from '../backends/index.js';
import type { FieldProblem } from '../backends/index.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { SCRIPT_CHANGE_TEXT as T } from './texts.js';

/** What a person gave, as the command read it (the platform's codes for type and risk). */
export interface ChangeInput {
  readonly type?: string | undefined;
  readonly description?: string | undefined;
  readonly content?: string | undefined;
  readonly risk?: string | undefined;
  readonly version?: string | undefined;
  /** `name=default`: adds a parameter, or changes its default. */
  readonly params: readonly { readonly key: string; readonly value: string }[];
  /** `name=text`. */
  readonly paramDescriptions: readonly { readonly key: string; readonly value: string }[];
  readonly sensitive: readonly string[];
  readonly notSensitive: readonly string[];
  readonly removeParams: readonly string[];
  /** `name=id`: the whole list of reviewers, replacing the one there is. */
  readonly reviewers: readonly { readonly key: string; readonly value: string }[];
  readonly noReviewers: boolean;
}

export const DEFAULT_VERSION = '1.0.0';

/** The script as it is, as a draft (the base of an edit and of its difference). */
export function draftOf(script: Script): ScriptDraft {
  return {
    name: script.name,
    type: script.type ?? '',
    description: script.description ?? '',
    content: script.content ?? '',
    risk: script.risk.code,
    version: script.version ?? DEFAULT_VERSION,
    params: script.params.map((p) => ({ name: p.name, defaultValue: p.defaultValue ?? '', description: p.description ?? '', sensitive: p.sensitive })),
    reviewers: script.reviewerRefs ?? script.reviewers.map((name) => ({ name, id: '' })),
  };
}

export type Composed = { readonly draft: ScriptDraft; readonly paramsChanged: boolean; readonly propertiesChanged: boolean } | { readonly problems: readonly Phrase[] };

function splitWords(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

/** Applies the parameter flags to `params`; problems for names that are not there. */
function applyParams(base: readonly ScriptParamDraft[], input: ChangeInput, problems: Phrase[]): ScriptParamDraft[] {
  const params = new Map(base.map((p) => [p.name, { ...p }]));
  for (const name of splitWords(input.removeParams)) {
    if (!params.delete(name)) problems.push(phrase(T.noSuchParam, { flag: '--remove-param', name }));
  }
  for (const { key, value } of input.params) {
    const was = params.get(key);
    params.set(key, { name: key, defaultValue: value, description: was?.description ?? '', sensitive: was?.sensitive ?? false });
  }
  for (const { key, value } of input.paramDescriptions) {
    const was = params.get(key);
    if (!was) problems.push(phrase(T.noSuchParam, { flag: '--param-description', name: key }));
    else params.set(key, { ...was, description: value });
  }
  for (const [flag, list, sensitive] of [['--sensitive', input.sensitive, true], ['--not-sensitive', input.notSensitive, false]] as const) {
    for (const name of splitWords(list)) {
      const was = params.get(name);
      if (!was) problems.push(phrase(T.noSuchParam, { flag, name }));
      else params.set(name, { ...was, sensitive });
    }
  }
  return [...params.values()];
}

function reviewersOf(input: ChangeInput, base: readonly ScriptReviewerDraft[]): readonly ScriptReviewerDraft[] {
  if (input.noReviewers) return [];
  if (input.reviewers.length === 0) return base;
  return input.reviewers.map(({ key, value }) => ({ name: key, id: value }));
}

/** A new script from what was given; what is missing is said (the form asks for it). */
export function composeCreate(name: string, input: ChangeInput): Composed {
  const problems: Phrase[] = [];
  const missing = (['type', 'description', 'content', 'risk'] as const).filter((key) => input[key] === undefined);
  if (missing.length > 0) problems.push(phrase(T.missing, { flags: missing.map((key) => (key === 'content' ? '--file' : `--${key}`)).join(', ') }));
  if (input.removeParams.length > 0 || input.notSensitive.length > 0) problems.push(phrase(T.onlyForEdit));
  const params = applyParams([], input, problems);
  if (problems.length > 0) return { problems };
  const draft: ScriptDraft = {
    name,
    type: input.type!,
    description: input.description!,
    content: input.content!,
    risk: input.risk!,
    version: input.version ?? DEFAULT_VERSION,
    params,
    reviewers: reviewersOf(input, []),
  };
  return { draft, paramsChanged: params.length > 0, propertiesChanged: true };
}

/** The script as it is with only what was given changed; name and type stay (the platform fixes them). */
export function composeEdit(script: Script, input: ChangeInput): Composed {
  const problems: Phrase[] = [];
  const base = draftOf(script);
  if (input.type !== undefined && input.type !== base.type) problems.push(phrase(T.typeFixed, { type: base.type }));
  const paramsChanged = input.params.length + input.paramDescriptions.length + input.sensitive.length + input.notSensitive.length + input.removeParams.length > 0;
  const propertiesChanged = input.risk !== undefined || input.version !== undefined || input.reviewers.length > 0 || input.noReviewers;
  const params = paramsChanged ? applyParams(base.params, input, problems) : base.params;
  // Parameters are sent whole. A sensitive default is never taken from what the platform shows
  // (it may show it masked, and sending that back would replace the secret): it is typed again.
  if (paramsChanged) {
    const given = new Set(input.params.map(({ key }) => key));
    const wasSensitive = new Set(base.params.filter((p) => p.sensitive).map((p) => p.name));
    for (const param of params) {
      if ((param.sensitive || wasSensitive.has(param.name)) && !given.has(param.name)) problems.push(phrase(T.sensitiveAgain, { name: param.name }));
    }
  }
  if (!paramsChanged && !propertiesChanged && input.description === undefined && input.content === undefined) problems.push(phrase(T.nothingGiven));
  // Properties are sent whole: reviewers kept as they are must carry the platform's ids.
  const reviewers = reviewersOf(input, base.reviewers);
  if (propertiesChanged && input.reviewers.length === 0 && !input.noReviewers && reviewers.some((r) => !r.id)) problems.push(phrase(T.reviewerIdsUnknown));
  if (problems.length > 0) return { problems };
  const draft: ScriptDraft = {
    ...base,
    description: input.description ?? base.description,
    content: input.content ?? base.content,
    risk: input.risk ?? base.risk,
    version: input.version ?? base.version,
    params,
    reviewers,
  };
  return { draft, paramsChanged, propertiesChanged };
}

/** Where a platform field path points, in the flags a person types (`script_params[1].param_value` → `--param db_user`). */
function flagOfPath(path: string, draft: ScriptDraft): string {
  const param = /^script_params\[(\d+)\]\.?(\w*)/.exec(path);
  if (param) {
    const name = draft.params[Number(param[1])]?.name ?? `#${Number(param[1]) + 1}`;
    if (param[2] === 'param_description') return `--param-description ${name}`;
    return `--param ${name}`;
  }
  if (path.startsWith('script_params')) return '--param';
  if (path.startsWith('properties.reviewers')) return '--reviewer';
  if (path === 'properties.risk_level') return '--risk';
  if (path === 'properties.version') return '--version';
  if (path === 'content') return '--file';
  if (path === 'name') return 'name';
  return `--${path.replace(/_/g, '-')}`;
}

/** The platform's problems with a draft, by the flag a person typed. */
export function platformProblems(scripts: ScriptsCapability, draft: ScriptDraft, action: 'create' | 'update'): Phrase[] {
  const problems: readonly FieldProblem[] = scripts.draftProblems?.(draft, action) ?? [];
  return problems.map((problem) => phrase(T.fieldProblem, { flag: flagOfPath(problem.path, draft), message: problem.message }));
}
