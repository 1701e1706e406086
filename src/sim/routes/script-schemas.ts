/** Validation rules COC documents for script definitions and script parameters (coc-api-notes §1.3, §1.8). */
import { z } from 'zod';
import { RISK_LEVELS } from '../state/model.js';
import { jsonBoolean, jsonInt } from '../http/validate.js';

/**
 * Parameter values: letters, digits, space and `_-/.*?:",=+@#\[]{}`, never "..". This is the
 * union of the reference's regex and the SDK's list; anything else COC rejects with
 * "The paramValue is invalid.".
 */
const PARAM_VALUE_CHARSET = /^[A-Za-z0-9_\-/.* ?:",=+@#\\[\]{}]*$/;

export function isValidParamValue(value: string): boolean {
  return PARAM_VALUE_CHARSET.test(value) && !value.includes('..');
}

export const paramValueSchema = z
  .string()
  .max(4096)
  .refine(isValidParamValue, { error: 'is invalid (The paramValue is invalid.): allowed are letters, digits, spaces and _-/.*?:",=+@#\\[]{}, and no ".."' });

export const paramNameSchema = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, { error: 'must be 1-64 letters, digits or underscores' });

export const scriptParamDefineSchema = z.object({
  param_name: paramNameSchema,
  param_value: paramValueSchema,
  param_description: z.string().max(256),
  param_order: jsonInt(1, 20).optional(),
  sensitive: jsonBoolean(),
});

export const PROTOCOLS = ['DEFAULT', 'SMS', 'EMAIL', 'DING_TALK', 'WE_LINK', 'WECHAT', 'CALLNOTIFY', 'NOT_TO_NOTIFY'] as const;

export const scriptPropertiesSchema = z.object({
  risk_level: z.enum(RISK_LEVELS),
  version: z.string().min(1).max(10),
  reviewers: z
    .array(z.object({ reviewer_name: z.string().min(1).max(64), reviewer_id: z.string().min(1).max(64) }))
    .max(5)
    .optional(),
  protocol: z.enum(PROTOCOLS).optional(),
});

export const scriptParamsSchema = z
  .array(scriptParamDefineSchema)
  .max(20)
  .refine((params) => new Set(params.map((param) => param.param_name)).size === params.length, { error: 'must not define the same param_name twice' });
