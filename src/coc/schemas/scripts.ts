/**
 * Custom scripts (coc-api-notes §1.3–§1.7) and public (built-in) scripts (§2.6).
 */
import { z } from 'zod';
import { int, list, long, oneOf, text } from './fields.js';
import { count, openEnum, optionalBoolean, optionalList, optionalNumber, optionalText, requiredId, timestamp } from './common.js';

export const SCRIPT_TYPES = ['SHELL', 'PYTHON', 'BAT'] as const;
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const SCRIPT_STATUSES = ['PENDING_APPROVE', 'APPROVED', 'REJECTED'] as const;
export const NOTIFY_PROTOCOLS = ['DEFAULT', 'SMS', 'EMAIL', 'DING_TALK', 'WE_LINK', 'WECHAT', 'CALLNOTIFY', 'NOT_TO_NOTIFY'] as const;

export const MAX_SCRIPT_PARAMS = 20;

/** Characters COC accepts in a parameter value (notes §1.3); `..` is refused as well. */
const PARAM_VALUE_CHARSET = /^[A-Za-z0-9_\-/.* ?:",=+@#[\]{}]*$/;
const PARAM_VALUE_RULE = 'may contain only letters, digits, spaces and _ - / . * ? : " , = + @ # [ ] { }, and no ".."';

/** A script parameter value: 1–4096 characters of COC's charset. Never echoed in messages. */
export const paramValue = text(1, 4096)
  .regex(PARAM_VALUE_CHARSET, { error: PARAM_VALUE_RULE })
  .refine((value) => !value.includes('..'), { error: PARAM_VALUE_RULE });

const paramName = text(1, 64).regex(/^[A-Za-z0-9_]+$/, { error: 'may contain only letters, digits and _' });

/** Letters, digits, `_` and Chinese characters (zh reference). */
const scriptName = text(1, 64).regex(/^[A-Za-z0-9_\p{Script=Han}]+$/u, { error: 'may contain only letters, digits, _ and Chinese characters' });

/** Adds a problem on each parameter whose name repeats an earlier one. */
export function uniqueParamNames(params: readonly { readonly param_name: string }[] | undefined, ctx: z.RefinementCtx, path: readonly (string | number)[]): void {
  const seen = new Map<string, number>();
  params?.forEach((param, index) => {
    const first = seen.get(param.param_name);
    if (first === undefined) seen.set(param.param_name, index);
    else ctx.addIssue({ code: 'custom', path: [...path, index, 'param_name'], message: `repeats the name of ${[...path].join('.')}[${first}]; each parameter name may appear once` });
  });
}

// ---- requests ----

export const ScriptReviewer = z.strictObject({
  /** IAM user name. */
  reviewer_name: text(1, 64),
  /** IAM user id. */
  reviewer_id: text(1, 64),
});

export const ScriptPropertiesInput = z.strictObject({
  risk_level: oneOf(RISK_LEVELS),
  version: text(1, 10),
  /** Absent or empty: the script needs no approval. */
  reviewers: list(ScriptReviewer, 0, 5, { noun: 'reviewers', one: 'reviewer' }).optional(),
  protocol: oneOf(NOTIFY_PROTOCOLS).optional(),
});

export const ScriptParamDefinition = z.strictObject({
  param_name: paramName,
  /** Default value. */
  param_value: paramValue,
  param_description: text(0, 256),
  /** Deprecated and ignored by COC (SDK). */
  param_order: int(1, MAX_SCRIPT_PARAMS).optional(),
  sensitive: z.boolean(),
});
export type ScriptParamDefinition = z.output<typeof ScriptParamDefinition>;

const scriptParams = list(ScriptParamDefinition, 0, MAX_SCRIPT_PARAMS, { noun: 'parameters', one: 'parameter' });

export const CreateScriptRequest = z
  .strictObject({
    name: scriptName,
    description: text(1, 256),
    type: oneOf(SCRIPT_TYPES),
    content: text(1, 4096),
    properties: ScriptPropertiesInput,
    script_params: scriptParams.optional(),
    enterprise_project_id: text(1, 64).optional(),
  })
  .superRefine((script, ctx) => uniqueParamNames(script.script_params, ctx, ['script_params']));
export type CreateScriptInput = z.input<typeof CreateScriptRequest>;

/** Name and type cannot be changed (SDK EditScriptModel). */
export const UpdateScriptRequest = z
  .strictObject({
    description: text(1, 256),
    content: text(1, 4096),
    properties: ScriptPropertiesInput.optional(),
    script_params: scriptParams.optional(),
  })
  .superRefine((script, ctx) => uniqueParamNames(script.script_params, ctx, ['script_params']));
export type UpdateScriptInput = z.input<typeof UpdateScriptRequest>;

export const ListScriptsQuery = z.strictObject({
  limit: int(1, 100),
  /** `id` of the last script of the previous page. */
  marker: long().optional(),
  name_like: text(0, 64).optional(),
  creator: text(0, 64).optional(),
  risk_level: oneOf(RISK_LEVELS).optional(),
  type: oneOf(SCRIPT_TYPES).optional(),
  enterprise_project_id: text(0, 64).optional(),
});
export type ListScriptsInput = z.input<typeof ListScriptsQuery>;

export const ListPublicScriptsQuery = z.strictObject({
  limit: int(1, 100),
  marker: long().optional(),
  /** Right-fuzzy match. */
  name_like: text(0, 64).optional(),
  /** Exact match. */
  name: text(0, 64).optional(),
  risk_level: oneOf(RISK_LEVELS).optional(),
  type: oneOf(SCRIPT_TYPES).optional(),
});
export type ListPublicScriptsInput = z.input<typeof ListPublicScriptsQuery>;

// ---- responses ----

export const ScriptProperties = z.looseObject({
  risk_level: openEnum(RISK_LEVELS).nullish(),
  version: optionalText,
  reviewers: optionalList(z.looseObject({ reviewer_name: optionalText, reviewer_id: optionalText })),
  protocol: optionalText,
});

export const ScriptParam = z.looseObject({
  param_name: z.string(),
  param_value: optionalText,
  param_description: optionalText,
  param_order: optionalNumber,
  sensitive: optionalBoolean,
});
export type ScriptParam = z.output<typeof ScriptParam>;

export const ScriptListItem = z.looseObject({
  /** Row id: the `marker` of the next page. */
  id: optionalNumber,
  script_uuid: requiredId,
  enterprise_project_id: optionalText,
  name: optionalText,
  type: openEnum(SCRIPT_TYPES).nullish(),
  status: openEnum(SCRIPT_STATUSES).nullish(),
  gmt_created: timestamp,
  gmt_modified: timestamp,
  creator: optionalText,
  creator_id: optionalText,
  operator: optionalText,
  properties: ScriptProperties.nullish(),
});
export type ScriptListItem = z.output<typeof ScriptListItem>;

export const ScriptListPage = z.looseObject({
  total: count.optional(),
  data: optionalList(ScriptListItem),
});
export type ScriptListPage = z.output<typeof ScriptListPage>;

export const ScriptDetail = z.looseObject({
  script_uuid: requiredId,
  name: optionalText,
  /** Deprecated. */
  version: optionalText,
  description: optionalText,
  type: openEnum(SCRIPT_TYPES).nullish(),
  content: optionalText,
  script_params: optionalList(ScriptParam),
  status: openEnum(SCRIPT_STATUSES).nullish(),
  gmt_created: timestamp,
  gmt_modified: timestamp,
  creator: optionalText,
  creator_id: optionalText,
  operator: optionalText,
  properties: ScriptProperties.nullish(),
  enterprise_project_id: optionalText,
});
export type ScriptDetail = z.output<typeof ScriptDetail>;

export const PublicScriptListItem = z.looseObject({
  id: optionalNumber,
  script_uuid: requiredId,
  name: optionalText,
  type: openEnum(SCRIPT_TYPES).nullish(),
  status: optionalText,
  gmt_created: timestamp,
  /** Localised by X-Language. */
  description: optionalText,
  properties: ScriptProperties.nullish(),
});
export type PublicScriptListItem = z.output<typeof PublicScriptListItem>;

export const PublicScriptListPage = z.looseObject({
  total: count.optional(),
  data: optionalList(PublicScriptListItem),
});
export type PublicScriptListPage = z.output<typeof PublicScriptListPage>;

export const PublicScriptDetail = ScriptDetail;
export type PublicScriptDetail = z.output<typeof PublicScriptDetail>;

/** Create, update and delete answer with the script's uuid. */
export const ScriptUuid = requiredId;
