import { REDACTED } from './secret.js';
import { loadConfigDetailed, type LoadConfigOptions } from './load.js';
import { peopleWarnings } from './people-check.js';
import type { ConfigProblem } from './problems.js';
import { summarizeConfig } from './summary.js';

export interface CheckReport {
  /** 0 = usable, 1 = problems. */
  readonly exitCode: number;
  readonly output: string;
}

function problemLine(problem: ConfigProblem): string {
  return `${problem.path}: ${problem.message} — ${problem.fix}`;
}

/**
 * Secrets never reach the text by construction; this pass is the safety net in case a future
 * message quotes a value anyway. Short values are skipped: masking "1" everywhere would only
 * garble the report, and no real secret is that short.
 */
function scrub(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 6)
    .sort((a, b) => b.length - a.length)
    .reduce((scrubbed, secret) => scrubbed.split(secret).join(REDACTED), text);
}

/** The report `npm run check-config` prints: every problem with its fix, or what the bot will use. */
export function checkConfig(options: LoadConfigOptions = {}): CheckReport {
  const { result, secretValues } = loadConfigDetailed(options);
  const lines: string[] = [];
  if (!result.ok) {
    const count = result.problems.length;
    lines.push(`Configuration has ${count} problem${count === 1 ? '' : 's'}:`, '');
    for (const problem of result.problems) lines.push(`  ✗ ${problemLine(problem)}`);
    lines.push('', `Read from: ${result.source.file ?? 'no config file'}${result.source.envVariables.length > 0 ? ` and ${result.source.envVariables.join(', ')}` : ''}`);
    lines.push('See config.example.json for every option.');
  } else {
    lines.push('Configuration is valid. The bot will use:', '');
    const rows = summarizeConfig(result.config, result.source);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) lines.push(`  ${`${label}:`.padEnd(width + 2)}${value}`);
    const warnings = [...result.warnings, ...peopleWarnings(result.config)];
    if (warnings.length > 0) {
      lines.push('', `Warning: ${warnings.length === 1 ? 'one thing' : `${warnings.length} things`} to look at (the bot starts anyway):`);
      for (const warning of warnings) lines.push(`  ! ${problemLine(warning)}`);
    }
  }
  return { exitCode: result.ok ? 0 : 1, output: scrub(`${lines.join('\n')}\n`, secretValues) };
}
