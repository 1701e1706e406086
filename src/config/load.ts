import { resolve } from 'node:path';
import { optionBindings } from './bindings.js';
import { cocConnection, enabledAdapters } from './derived.js';
import { problemsFromIssues, type ConfigProblem } from './problems.js';
import { opsPortOf } from './sections/ops.js';
import { configSchema, type Config } from './schema.js';
import {
  chooseConfigFile,
  fileLabel,
  isReadableByOthers,
  overlayEnvironment,
  readConfigFile,
  type RawConfig,
} from './sources.js';

export interface LoadConfigOptions {
  /** Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Where relative paths start. Default: process.cwd(). */
  cwd?: string;
  /** A config file to use instead of COC_CHATOPS_CONFIG or ./coc-chatops.json. */
  file?: string;
}

export interface ConfigSource {
  /** Absolute path of the file read, if any. */
  readonly file: string | undefined;
  /** Names (never values) of the environment variables that set options. */
  readonly envVariables: readonly string[];
}

export type LoadConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: readonly ConfigProblem[]; readonly source: ConfigSource }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly source: ConfigSource };

/** The problems, thrown by `requireConfig` for callers that cannot go on without a configuration. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.path}: ${p.message} — ${p.fix}`).join('\n')}\n(run npm run check-config)`,
    );
    this.name = 'InvalidConfigError';
  }
}

function secretValuesIn(raw: RawConfig): string[] {
  const values: string[] = [];
  for (const option of optionBindings()) {
    if (!option.secret) continue;
    let node: unknown = raw;
    for (const segment of option.path) node = typeof node === 'object' && node !== null ? (node as RawConfig)[segment] : undefined;
    if (typeof node === 'string' && node !== '') values.push(node);
  }
  return values;
}

function warningsFor(config: Config, fileRaw: RawConfig, file: string | undefined): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  if (file && secretValuesIn(fileRaw).length > 0 && isReadableByOthers(file)) {
    warnings.push({
      path: 'config file',
      message: `${file} holds secrets and other users on this machine can read it`,
      fix: `chmod 600 ${file}, or move the secrets to environment variables`,
    });
  }
  const adapters = enabledAdapters(config);
  if ((adapters.slack || adapters.discord) && config.identity.mappings.length === 0) {
    warnings.push({
      path: 'identity.mappings',
      message: 'nobody is mapped: every chat user will be refused, and no admin can add mappings from chat',
      fix: 'add at least one mapping with role admin to identity.mappings',
    });
  }
  // One backend per deployment: settings for the other one are kept but unused, which is worth a word.
  if (config.backend === 'coc' && config.blueking.paasHost !== undefined) {
    warnings.push({
      path: 'blueking.paasHost',
      message: 'is set but the backend is coc: BlueKing is not used',
      fix: 'set COC_CHATOPS_BACKEND or backend to blueking to use it, or remove blueking.paasHost',
    });
  }
  if (config.backend === 'blueking' && cocConnection(config).kind === 'coc') {
    warnings.push({
      path: 'coc.auth',
      message: 'COC credentials are set but the backend is blueking: COC is not used',
      fix: 'set COC_CHATOPS_BACKEND or backend to coc to use it, or remove the coc.auth credentials',
    });
  }
  if (config.backend === 'blueking' && config.blueking.callbackBaseUrl && opsPortOf(config.ops, adapters) === undefined) {
    warnings.push({
      path: 'blueking.callbackBaseUrl',
      message: 'is set but the ops endpoints, where BlueKing Job calls back (/bk/job-done/…), are off',
      fix: 'set COC_OPS_PORT or ops.port to the port behind blueking.callbackBaseUrl, or remove blueking.callbackBaseUrl',
    });
  }
  if (config.store.databaseUrl && !config.store.secretKey) {
    warnings.push({
      path: 'store.secretKey',
      message: 'unset with PostgreSQL: sensitive parameters of runs waiting for approval can be opened only by the replica that sealed them, and not after it restarts',
      fix: 'set COC_CHATOPS_SECRET_KEY (16+ characters, the same on every replica)',
    });
  }
  if (!config.store.databaseUrl && config.store.dataDir === 'memory://') {
    warnings.push({
      path: 'store.dataDir',
      message: 'memory:// keeps nothing: approvals, audit events and tracked orders are lost on restart',
      fix: 'set COC_CHATOPS_DATA_DIR or store.dataDir to a folder, or DATABASE_URL to PostgreSQL',
    });
  }
  return warnings;
}

interface DetailedLoad {
  readonly result: LoadConfigResult;
  /** Secret values seen in the input, so output can be scrubbed even when validation failed. */
  readonly secretValues: readonly string[];
}

/** `loadConfig` plus the raw secret values, for `check-config`'s last-line-of-defence scrubbing. */
export function loadConfigDetailed(options: LoadConfigOptions = {}): DetailedLoad {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const choice = chooseConfigFile(env, cwd, options.file);
  const label = fileLabel(choice);

  let fileRaw: RawConfig = {};
  if (choice.path) {
    const read = readConfigFile(choice.path);
    if (!read.ok) {
      const secretValues = secretValuesIn(overlayEnvironment({}, env).raw);
      return { result: { ok: false, problems: [read.problem], source: { file: choice.path, envVariables: [] } }, secretValues };
    }
    fileRaw = read.raw;
  }
  const overlay = overlayEnvironment(fileRaw, env);
  const source: ConfigSource = { file: choice.path, envVariables: [...new Set(overlay.origins.values())] };
  const secretValues = secretValuesIn(overlay.raw);

  const parsed = configSchema.safeParse(overlay.raw, { reportInput: true });
  const problems = [
    ...overlay.problems,
    ...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, { fileLabel: label, origins: overlay.origins })),
  ];
  if (!parsed.success || problems.length > 0) return { result: { ok: false, problems, source }, secretValues };

  const dataDir = parsed.data.store.dataDir;
  const config: Config = {
    ...parsed.data,
    store: { ...parsed.data.store, dataDir: dataDir === 'memory://' ? dataDir : resolve(cwd, dataDir) },
  };
  return { result: { ok: true, config, warnings: warningsFor(config, fileRaw, choice.path), source }, secretValues };
}

/**
 * Reads the config file (the `file` option, else COC_CHATOPS_CONFIG, else ./coc-chatops.json if
 * present), lets environment variables override it, and checks the result. Returns the
 * configuration or every problem found, each with its path and a fix; never throws on bad input.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadConfigResult {
  return loadConfigDetailed(options).result;
}

export function requireConfig(options: LoadConfigOptions = {}): { config: Config; warnings: readonly ConfigProblem[] } {
  const result = loadConfig(options);
  if (!result.ok) throw new InvalidConfigError(result.problems);
  return { config: result.config, warnings: result.warnings };
}
