/**
 * `npm run manifest`: writes manifest.yml (Socket Mode) at the repository root from the
 * command registry, for the configuration's incident mode (the scopes to create channels are
 * asked for only when incidents open channels).
 *
 *   npm run manifest                                    write manifest.yml (Socket Mode)
 *   npm run manifest -- --check                         fail if manifest.yml is out of date
 *   npm run manifest -- --http https://bot.example.com  print the HTTP-mode manifest
 *   … --incident-mode channel|private-channel|thread    instead of incidents.slack.mode
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { declaredBackend } from '../../app/backends.js';
import { commandRegistry } from '../../app/commands.js';
import { loadConfig } from '../../config.js';
import { SLACK_INCIDENT_PLACE_MODES } from '../../config/sections/incidents.js';
import type { CommandDefinition } from '../../core/command.js';
import { InvalidPublicUrlError, manifestProblems, manifestYaml, publicBaseUrl, slackManifest, type IncidentMode, type ManifestOptions } from './manifest.js';

/** The commands the deployment's backend can serve: the manifest names no other (as help and Discord). */
export function manifestCommands(): readonly CommandDefinition[] {
  return commandRegistry(declaredBackend()).commands;
}

export const MANIFEST_PATH = fileURLToPath(new URL('../../../manifest.yml', import.meta.url));

export const USAGE = [
  'usage: npm run manifest [-- options]',
  '  (none)                 write manifest.yml (Socket Mode)',
  '  --check                fail if manifest.yml is not what would be written',
  '  --http <base-url>      print the HTTP-mode manifest instead; <base-url> is the bot\'s public https URL,',
  '                         e.g. https://coc.example.com (requests go to <base-url>/slack/events)',
  `  --incident-mode <m>    ${SLACK_INCIDENT_PLACE_MODES.join(' | ')}: where incidents go (default: incidents.slack.mode`,
  '                         of the configuration, else thread); channel and private-channel add the scope to create them',
].join('\n');

/** The committed manifest's text: Socket Mode, from the registry as it is now. */
export function committedManifestText(incidentMode: IncidentMode = 'thread'): string {
  const options: ManifestOptions = { mode: 'socket', incidentMode };
  return manifestYaml(slackManifest(manifestCommands(), options), options);
}

/** A usage mistake: said with the usage, never as a stack trace. */
export class ManifestUsageError extends Error {
  override name = 'ManifestUsageError';
}

export interface ManifestRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function isIncidentMode(value: string): value is IncidentMode {
  return (SLACK_INCIDENT_PLACE_MODES as readonly string[]).includes(value);
}

/** The incident mode: the flag's, else the configuration's (file and environment), else thread. */
function incidentModeOf(flag: string | undefined, env: Record<string, string | undefined>): IncidentMode {
  if (flag !== undefined) {
    if (!isIncidentMode(flag)) throw new ManifestUsageError(`--incident-mode ${JSON.stringify(flag)}: must be one of ${SLACK_INCIDENT_PLACE_MODES.join(', ')}`);
    return flag;
  }
  const loaded = loadConfig({ env });
  if (!loaded.ok) {
    const problems = loaded.problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
    throw new ManifestUsageError(`the configuration could not be read, so its incidents.slack.mode is unknown:\n${problems}\nFix it, or pass --incident-mode`);
  }
  return loaded.config.incidents.slack.mode;
}

/** What `npm run manifest` does with these arguments; files are read and written here, output returned. */
export function runManifest(args: readonly string[], env: Record<string, string | undefined> = process.env): ManifestRun {
  try {
    return run(args, env);
  } catch (error) {
    if (error instanceof ManifestUsageError || error instanceof InvalidPublicUrlError) {
      return { code: 2, stdout: '', stderr: `${error.message}\n${error instanceof ManifestUsageError ? `\n${USAGE}\n` : ''}` };
    }
    throw error;
  }
}

function run(args: readonly string[], env: Record<string, string | undefined>): ManifestRun {
  let values: { http?: string | undefined; check?: boolean | undefined; 'incident-mode'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { http: { type: 'string' }, check: { type: 'boolean' }, 'incident-mode': { type: 'string' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new ManifestUsageError(error instanceof Error ? error.message.split('\n')[0]! : 'unreadable arguments');
  }
  const incidentMode = incidentModeOf(values['incident-mode'], env);
  if (values.http !== undefined) {
    if (values.check) throw new ManifestUsageError('--check compares manifest.yml (Socket Mode); it does not go with --http');
    const options: ManifestOptions = { mode: 'http', publicUrl: publicBaseUrl(values.http), incidentMode };
    const manifest = slackManifest(manifestCommands(), options);
    const problems = manifestProblems(manifest);
    if (problems.length > 0) {
      return { code: 1, stdout: '', stderr: `The manifest would be refused:\n${problems.map((p) => `  ${p}`).join('\n')}\n` };
    }
    return { code: 0, stdout: manifestYaml(manifest, options), stderr: '' };
  }
  const text = committedManifestText(incidentMode);
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === text) return { code: 0, stdout: '', stderr: '' };
    return { code: 1, stdout: '', stderr: `manifest.yml does not match the commands (incident mode ${incidentMode}): run \`npm run manifest\` and commit it.\n` };
  }
  writeFileSync(MANIFEST_PATH, text);
  return { code: 0, stdout: `Wrote ${MANIFEST_PATH} (Socket Mode, incidents.slack.mode = ${incidentMode}).\n`, stderr: '' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = runManifest(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
