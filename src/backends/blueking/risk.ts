/**
 * A BlueKing script's risk: Job has no risk level of its own, so the deployment's rules
 * (`blueking.riskRules`) say it. The first rule whose every stated condition holds wins; a script
 * no rule matches is unclassified, which the run preview counts as HIGH (src/run/risk-policy.ts
 * treats any level but LOW/MEDIUM/HIGH as one that needs approval).
 */
import type { Coded } from '../types/coded.js';
import type { RiskState } from '../types/scripts.js';
import type { RiskRule } from './settings.js';

export interface ScriptFacts {
  readonly id: number;
  readonly name: string;
  /** The business of a business script; undefined for a public one. */
  readonly biz?: number;
}

const RISK_CODE: Readonly<Record<RiskState, string>> = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH', unclassified: 'UNCLASSIFIED' };

/** `*` any run of characters, `?` one; everything else literal; the whole name must match. */
export function globToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'su');
}

export function ruleFor(rules: readonly RiskRule[], script: ScriptFacts): RiskRule | undefined {
  return rules.find(
    (rule) =>
      (rule.scriptId === undefined || rule.scriptId === script.id) &&
      (rule.biz === undefined || rule.biz === script.biz) &&
      (rule.namePattern === undefined || globToRegExp(rule.namePattern).test(script.name)),
  );
}

export function riskOf(rules: readonly RiskRule[], script: ScriptFacts): Coded<RiskState> {
  const state: RiskState = ruleFor(rules, script)?.risk ?? 'unclassified';
  return { state, code: RISK_CODE[state] };
}

/** Whether the script's one parameter line carries secrets (the matching rule says so). */
export function argsAreSensitive(rules: readonly RiskRule[], script: ScriptFacts): boolean {
  return ruleFor(rules, script)?.sensitiveArgs === true;
}
