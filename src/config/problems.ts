import type { z } from 'zod';
import { formatPath, optionAt, optionsUnder } from './catalogue.js';
import { isRuleParams, type FixSpec } from './rules.js';

/** One thing wrong with the configuration: where, what, and what to do about it. */
export interface ConfigProblem {
  /** Dotted option path (`slack.botToken`, `identity.mappings[2].role`), or `config file`. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

export interface ProblemContext {
  /** The file name fixes refer to. */
  readonly fileLabel: string;
  /** Dotted path -> environment variable that supplied the value. */
  readonly origins: ReadonlyMap<string, string>;
}

function setFix(path: readonly PropertyKey[], context: ProblemContext, to?: string, orElse?: string): string {
  const dotted = formatPath(path);
  const env = optionAt(path)?.env;
  let fix = env ? `set ${env} or ${dotted} in ${context.fileLabel}` : `set ${dotted} in ${context.fileLabel}`;
  if (to) fix += ` to ${to}`;
  if (orElse) fix += `, or ${orElse}`;
  return fix;
}

function renderFix(spec: FixSpec, context: ProblemContext): string {
  return 'text' in spec ? spec.text : setFix(spec.set, context, spec.to, spec.orElse);
}

/** Small edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? Number.POSITIVE_INFINITY;
}

function suggestion(key: string, parent: readonly PropertyKey[]): string | undefined {
  const candidates = optionsUnder(parent).map((option) => option.path.at(-1) ?? '');
  const lower = key.toLowerCase().replace(/[_-]/g, '');
  const close = candidates
    .map((name) => ({ name, score: name.toLowerCase() === lower ? 0 : distance(key.toLowerCase(), name.toLowerCase()) }))
    .filter((candidate) => candidate.score <= Math.max(2, Math.floor(key.length / 4)))
    .sort((a, b) => a.score - b.score);
  return close[0]?.name;
}

function fromUnrecognizedKeys(issue: z.core.$ZodIssueUnrecognizedKeys, context: ProblemContext): ConfigProblem[] {
  return issue.keys.map((key) => {
    const parent = issue.path;
    const guess = suggestion(key, parent);
    const known = optionsUnder(parent)
      .map((option) => option.path.at(-1))
      .join(', ');
    return {
      path: formatPath([...parent, key]),
      message: 'unknown option',
      fix: guess
        ? `did you mean "${guess}"? Rename it in ${context.fileLabel}`
        : `remove it from ${context.fileLabel}${known ? ` (options here: ${known})` : ''}`,
    };
  });
}

function describeBuiltIn(issue: z.core.$ZodIssue, secret: boolean): { message: string; to?: string } {
  const input = (issue as { input?: unknown }).input;
  const missing = input === undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return { message: 'missing' };
      if (typeof input === 'string' && issue.expected === 'number') return { message: issue.message, to: 'a number, without quotes' };
      if (typeof input === 'string' && issue.expected === 'boolean') return { message: issue.message, to: 'true or false, without quotes' };
      if (typeof input === 'number' && issue.expected === 'string') {
        // Platform ids are 17-20 digits: as JSON numbers they silently lose their last digits.
        return { message: 'must be a string', to: 'a string in quotes (ids must be quoted: JSON numbers lose digits)' };
      }
      if (issue.message.startsWith('Invalid input')) {
        const kind = `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected}`;
        return { message: `must be ${kind}`, to: kind };
      }
      return { message: issue.message };
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      const got = !secret && (typeof input === 'string' || typeof input === 'number') ? ` (got "${input}")` : '';
      return { message: missing ? `missing (one of ${allowed})` : `must be one of ${allowed}${got}`, to: `one of ${allowed}` };
    }
    default:
      return { message: issue.message };
  }
}

/** Turns zod's issues into problems a person can act on; never repeats a secret value. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], context: ProblemContext): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') return fromUnrecognizedKeys(issue, context);
    const path = formatPath(issue.path);
    const origin = context.origins.get(path);
    const fromEnv = origin ? ` (value from ${origin})` : '';
    if (issue.code === 'custom' && isRuleParams(issue.params)) {
      return [{ path, message: `${issue.message}${fromEnv}`, fix: renderFix(issue.params.fix, context) }];
    }
    const option = optionAt(issue.path);
    const { message, to } = describeBuiltIn(issue, option?.secret ?? false);
    return [{ path: path || '(top level)', message: `${message}${fromEnv}`, fix: setFix(issue.path, context, to) }];
  });
}
