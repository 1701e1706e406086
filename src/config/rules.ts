import type { z } from 'zod';

/**
 * Cross-field rules report problems through zod's custom issues. Instead of a finished fix
 * sentence they carry what to set, because only the loader knows the file name and the
 * environment variable bound to each option.
 */
export type FixSpec =
  /** "set ENV or a.b.c in <file>[ to …][, or …]" */
  | { readonly set: readonly string[]; readonly to?: string; readonly orElse?: string }
  /** A complete sentence, for fixes that are not "set this option". */
  | { readonly text: string };

export interface RuleParams {
  readonly fix: FixSpec;
}

export function reportRule(
  ctx: z.RefinementCtx,
  path: readonly (string | number)[],
  message: string,
  fix: FixSpec,
): void {
  const params: RuleParams = { fix };
  ctx.addIssue({ code: 'custom', path: [...path], message, params });
}

export function isRuleParams(value: unknown): value is RuleParams {
  return typeof value === 'object' && value !== null && 'fix' in value;
}

/**
 * Section rules run even when some fields of the section are invalid, so one run of
 * check-config lists every problem instead of revealing them one fix at a time. The values they
 * see may then be of the wrong type, hence `record()` and presence checks in the rules.
 */
export const EVEN_WITH_FIELD_ERRORS = {
  when: (payload: { value: unknown }): boolean => isRecord(payload.value),
};

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at hand, or an empty one when the input had something else there. */
export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}
