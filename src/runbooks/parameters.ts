/**
 * A runbook's parameters checked against the runbook's own definitions before anything is sent:
 * no unknown or repeated name, every required one given (or defaulted), allowed values, pattern
 * and length kept. Every problem is reported at once, each naming the parameter and the rule.
 */
import type { RunbookParameter } from '../backends/types/runbooks.js';
import type { Text } from '../i18n/translate.js';

export const PARAMETER_TEXT = {
  unknown: { 'en-US': '{name}: not a parameter of this runbook (it takes: {names})', 'zh-CN': '{name}：不是此作业的参数（可用参数：{names}）' },
  repeated: { 'en-US': '{name}: given more than once', 'zh-CN': '{name}：重复给出' },
  required: { 'en-US': '{name}: required, and it has no default', 'zh-CN': '{name}：必填，且没有默认值' },
  allowed: { 'en-US': '{name}: must be one of {values}, got "{value}"', 'zh-CN': '{name}：必须是 {values} 之一，实际为“{value}”' },
  pattern: { 'en-US': '{name}: must match {pattern}, got "{value}"', 'zh-CN': '{name}：必须匹配 {pattern}，实际为“{value}”' },
  badPattern: { 'en-US': '{name}: the runbook’s pattern {pattern} cannot be read, so no value can be checked', 'zh-CN': '{name}：作业定义的格式 {pattern} 无法解析，无法校验取值' },
  tooShort: { 'en-US': '{name}: at least {min} characters, got {got}', 'zh-CN': '{name}：至少 {min} 个字符，实际 {got} 个' },
  tooLong: { 'en-US': '{name}: at most {max} characters, got {got}', 'zh-CN': '{name}：最多 {max} 个字符，实际 {got} 个' },
  none: { 'en-US': 'none', 'zh-CN': '无' },
} satisfies Record<string, Text>;

export interface ParameterProblem {
  readonly text: Text;
  readonly values: Readonly<Record<string, string | number>>;
}

export type CheckedParameters = { readonly ok: true; readonly values: Readonly<Record<string, string>> } | { readonly ok: false; readonly problems: readonly ParameterProblem[] };

function shortValue(value: string): string {
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

/** The values to send (defaults filled in, in the definitions' order), or every problem found. */
export function checkParameters(definitions: readonly RunbookParameter[], given: readonly { readonly key: string; readonly value: string }[]): CheckedParameters {
  const problems: ParameterProblem[] = [];
  const byName = new Map<string, string>();
  const names = definitions.map((definition) => definition.name).join(', ');
  for (const { key, value } of given) {
    if (!definitions.some((definition) => definition.name === key)) problems.push({ text: PARAMETER_TEXT.unknown, values: { name: key, names: names || '—' } });
    else if (byName.has(key)) problems.push({ text: PARAMETER_TEXT.repeated, values: { name: key } });
    byName.set(key, value);
  }
  const values: Record<string, string> = {};
  for (const definition of definitions) {
    const name = definition.name;
    const value = byName.get(name) ?? definition.defaultValue;
    if (value === undefined || value === '') {
      if (definition.required) problems.push({ text: PARAMETER_TEXT.required, values: { name } });
      continue;
    }
    if (definition.allowed && !definition.allowed.includes(value)) problems.push({ text: PARAMETER_TEXT.allowed, values: { name, values: definition.allowed.join(', '), value: shortValue(value) } });
    if (definition.pattern !== undefined) {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(definition.pattern, 'u');
      } catch {
        problems.push({ text: PARAMETER_TEXT.badPattern, values: { name, pattern: definition.pattern } });
      }
      if (pattern && !pattern.test(value)) problems.push({ text: PARAMETER_TEXT.pattern, values: { name, pattern: definition.pattern, value: shortValue(value) } });
    }
    if (definition.minLength !== undefined && value.length < definition.minLength) problems.push({ text: PARAMETER_TEXT.tooShort, values: { name, min: definition.minLength, got: value.length } });
    if (definition.maxLength !== undefined && value.length > definition.maxLength) problems.push({ text: PARAMETER_TEXT.tooLong, values: { name, max: definition.maxLength, got: value.length } });
    values[name] = value;
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}
