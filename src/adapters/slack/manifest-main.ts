/**
 * `npm run manifest`: writes manifest.yml (Socket Mode) at the repository root from the
 * command registry, for the configuration's incident mode (the scopes to create channels are
 * asked for only when incidents open channels).
 *
 *   npm run manifest                                    write manifest.yml (Socket Mode)
 *   npm run manifest -- --check                         fail if manifest.yml is out of date
 *   npm run manifest -- --http https://bot.example.com  print the HTTP-mode manifest
 *   … --incident-mode channel|private-channel|thread    instead of incidents.slack.mode
 *   … --backend coc|blueking                            instead of the configuration's backend
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { declaredBackend } from '../../app/backends.js';
import { commandRegistry } from '../../app/commands.js';
import { BACKEND_KINDS, loadConfig, type BackendKind, type Config } from '../../config.js';
import { SLACK_INCIDENT_PLACE_MODES } from '../../config/sections/incidents.js';
import { readCliOptions } from '../../core/cli-options.js';
import type { CommandDefinition } from '../../core/command.js';
import { InvalidPublicUrlError, manifestProblems, manifestYaml, publicBaseUrl, slackManifest, type IncidentMode, type ManifestOptions } from './manifest.js';

/** The commands the deployment's backend can serve: the manifest names no other (as help and Discord). */
export function manifestCommands(backend: BackendKind = 'coc'): readonly CommandDefinition[] {
  return commandRegistry(declaredBackend({ backend })).commands;
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
  `  --backend <name>       ${BACKEND_KINDS.join(' | ')}: whose commands the manifest names (default: backend of the`,
  '                         configuration); blueking has no incidents, so no incident mode applies',
  '  --help, -h             print this',
].join('\n');

/** The committed manifest's text: Socket Mode, from the registry as it is now. */
export function committedManifestText(incidentMode: IncidentMode = 'thread', backend: BackendKind = 'coc'): string {
  const options: ManifestOptions = { mode: 'socket', incidentMode, backend };
  return manifestYaml(slackManifest(manifestCommands(backend), options), options);
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

function isBackendKind(value: string): value is BackendKind {
  return (BACKEND_KINDS as readonly string[]).includes(value);
}

/**
 * The backend and incident mode: each flag's, else the configuration's (file and environment).
 * BlueKing has no incidents, so its manifest never asks for the scopes to create channels.
 */
function choicesOf(flags: { backend?: string | undefined; incidentMode?: string | undefined }, env: Record<string, string | undefined>): { backend: BackendKind; incidentMode: IncidentMode } {
  const { backend: backendFlag, incidentMode: modeFlag } = flags;
  if (modeFlag !== undefined && !isIncidentMode(modeFlag)) {
    throw new ManifestUsageError(`--incident-mode ${JSON.stringify(modeFlag)}: must be one of ${SLACK_INCIDENT_PLACE_MODES.join(', ')}`);
  }
  if (backendFlag !== undefined && !isBackendKind(backendFlag)) {
    throw new ManifestUsageError(`--backend ${JSON.stringify(backendFlag)}: must be one of ${BACKEND_KINDS.join(', ')}`);
  }
  const unknown = [
    ...(modeFlag === undefined && backendFlag !== 'blueking' ? [{ option: 'incidents.slack.mode', flag: '--incident-mode' }] : []),
    ...(backendFlag === undefined ? [{ option: 'backend', flag: '--backend' }] : []),
  ];
  let config: Config | undefined;
  if (unknown.length > 0) {
    const loaded = loadConfig({ env });
    if (!loaded.ok) {
      const problems = loaded.problems.map((problem) => `  ${problem.path}: ${problem.message}`).join('\n');
      const names = unknown.map((item) => item.option).join(' and ');
      throw new ManifestUsageError(
        `the configuration could not be read, so its ${names} ${unknown.length === 1 ? 'is' : 'are'} unknown:\n${problems}\nFix it, or pass ${unknown.map((item) => item.flag).join(' and ')}`,
      );
    }
    config = loaded.config;
  }
  const backend = backendFlag ?? config?.backend ?? 'coc';
  if (backend === 'blueking') return { backend, incidentMode: 'thread' };
  return { backend, incidentMode: modeFlag ?? config?.incidents.slack.mode ?? 'thread' };
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
  const read = readCliOptions(USAGE, { http: { type: 'string' }, check: { type: 'boolean' }, 'incident-mode': { type: 'string' }, backend: { type: 'string' } }, args);
  if (!read.ok) return { code: read.code, stdout: read.stdout, stderr: read.stderr };
  const { values } = read;
  const { backend, incidentMode } = choicesOf({ backend: values.backend, incidentMode: values['incident-mode'] }, env);
  // COC's words stay exactly as they were; another backend is named.
  const ofBackend = backend === 'coc' ? '' : `, backend ${backend}`;
  if (values.http !== undefined) {
    if (values.check) throw new ManifestUsageError('--check compares manifest.yml (Socket Mode); it does not go with --http');
    const options: ManifestOptions = { mode: 'http', publicUrl: publicBaseUrl(values.http), incidentMode, backend };
    const manifest = slackManifest(manifestCommands(backend), options);
    const problems = manifestProblems(manifest);
    if (problems.length > 0) {
      return { code: 1, stdout: '', stderr: `The manifest would be refused:\n${problems.map((p) => `  ${p}`).join('\n')}\n` };
    }
    return { code: 0, stdout: manifestYaml(manifest, options), stderr: '' };
  }
  const text = committedManifestText(incidentMode, backend);
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(MANIFEST_PATH, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === text) return { code: 0, stdout: '', stderr: '' };
    return { code: 1, stdout: '', stderr: `manifest.yml does not match the commands (incident mode ${incidentMode}${ofBackend}): run \`npm run manifest\` and commit it.\n` };
  }
  writeFileSync(MANIFEST_PATH, text);
  return { code: 0, stdout: `Wrote ${MANIFEST_PATH} (Socket Mode, incidents.slack.mode = ${incidentMode}${ofBackend}).\n`, stderr: '' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = runManifest(process.argv.slice(2));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
