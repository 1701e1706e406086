/**
 * A runbook as a preview showed it, and what differs in it now: an approval of a runbook (or of
 * an alarm linked to one) is given for exactly what was previewed — its version, its parameter
 * definitions and its risk — and refused, naming what changed, when the platform now holds
 * something else.
 */
import { createHash } from 'node:crypto';
import type { Runbook } from '../backends/types/runbooks.js';
import type { Text, Translate } from '../i18n/translate.js';
import { checkParameters } from './parameters.js';

/** The risk code a runbook runs under: one the platform does not name is treated as the highest, as `run` does. */
export function runbookRiskCode(runbook: Runbook): string {
  return runbook.risk === 'unclassified' ? 'HIGH' : runbook.risk.toUpperCase();
}

export interface RunbookPin {
  readonly version: string | null;
  /** sha256 of the version, the risk and the parameter definitions. */
  readonly definitionHash: string;
}

export function runbookPin(runbook: Runbook): RunbookPin {
  const definition = JSON.stringify({ version: runbook.version ?? null, risk: runbookRiskCode(runbook), parameters: runbook.parameters ?? [] });
  return { version: runbook.version ?? null, definitionHash: createHash('sha256').update(definition).digest('hex') };
}

export const PIN_TEXT = {
  gone: { 'en-US': 'runbook {id} no longer exists', 'zh-CN': '作业 {id} 已不存在' },
  version: { 'en-US': 'its version is {now} (was {then})', 'zh-CN': '其版本现为 {now}（原为 {then}）' },
  risk: { 'en-US': 'its risk is {now} (was {then})', 'zh-CN': '其风险现为 {now}（原为 {then}）' },
  definitions: { 'en-US': 'its parameter definitions changed', 'zh-CN': '其参数定义已变化' },
  values: { 'en-US': 'the values no longer fit: {problems}', 'zh-CN': '取值已不符合定义：{problems}' },
  none: { 'en-US': 'none', 'zh-CN': '无' },
} satisfies Record<string, Text>;

/** The same names and values, in whatever order (a stored plan keeps no order). */
function sameValues(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(a);
  return entries.length === Object.keys(b).length && entries.every(([name, value]) => b[name] === value);
}

/** What differs between the runbook now and as previewed, in `t`'s words; empty when nothing does. */
export function runbookChanges(
  t: Translate,
  now: Runbook | undefined,
  then: { readonly id: string; readonly pin: RunbookPin; readonly risk: string; readonly parameters: Readonly<Record<string, string>> },
): string[] {
  if (!now) return [t(PIN_TEXT.gone, { id: then.id })];
  const changes: string[] = [];
  const pin = runbookPin(now);
  if (pin.version !== then.pin.version) changes.push(t(PIN_TEXT.version, { now: pin.version ?? t(PIN_TEXT.none), then: then.pin.version ?? t(PIN_TEXT.none) }));
  if (runbookRiskCode(now) !== then.risk) changes.push(t(PIN_TEXT.risk, { now: runbookRiskCode(now), then: then.risk }));
  const checked = checkParameters(now.parameters ?? [], Object.entries(then.parameters).map(([key, value]) => ({ key, value })));
  if (!checked.ok) changes.push(t(PIN_TEXT.values, { problems: checked.problems.map((problem) => t(problem.text, problem.values)).join('; ') }));
  else if (!sameValues(checked.values, then.parameters)) changes.push(t(PIN_TEXT.definitions));
  if (changes.length === 0 && pin.definitionHash !== then.pin.definitionHash) changes.push(t(PIN_TEXT.definitions));
  return changes;
}
