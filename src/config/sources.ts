import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { optionBindings } from './bindings.js';
import { formatPath } from './catalogue.js';
import type { ConfigProblem } from './problems.js';

/**
 * Where the raw configuration comes from: an optional JSON file, then environment variables on
 * top. Both are turned into one plain object for the schema to check. Nothing here ever puts a
 * value into a message: values may be secrets.
 */

export const CONFIG_FILE_ENV = 'COC_CHATOPS_CONFIG';
export const DEFAULT_CONFIG_FILE = 'coc-chatops.json';

export type RawConfig = Record<string, unknown>;

export interface ConfigFileChoice {
  /** Absolute path, or undefined when no file is used. */
  readonly path: string | undefined;
  /** Named by the caller or COC_CHATOPS_CONFIG, so it must exist. */
  readonly required: boolean;
}

export function chooseConfigFile(env: Record<string, string | undefined>, cwd: string, file?: string): ConfigFileChoice {
  const named = file ?? (env[CONFIG_FILE_ENV]?.trim() || undefined);
  if (named !== undefined) return { path: resolve(cwd, named), required: true };
  const fallback = resolve(cwd, DEFAULT_CONFIG_FILE);
  return { path: existsSync(fallback) ? fallback : undefined, required: false };
}

/** The name fixes refer to: the file in use, or the one the bot would look for. */
export function fileLabel(choice: ConfigFileChoice): string {
  return choice.path ? basename(choice.path) : DEFAULT_CONFIG_FILE;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * JSON.parse messages can quote the text around the error, which may be a secret; only the
 * structural part of the message and the position are kept.
 */
function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const structural = /^((?:Expected|Unexpected end|Bad control|Bad escaped|Unterminated|Exponent part|No number)[^"]*?)(?: in JSON)?(?: at position (\d+))?(?: \(line \d+ column \d+\))?$/.exec(
    message,
  );
  if (structural) {
    const what = structural[1]?.trim() ?? 'invalid JSON';
    const at = structural[2] === undefined ? '' : ` at ${lineAndColumn(text, Number(structural[2]))}`;
    return `${what}${at}`;
  }
  return 'an unexpected character';
}

export type FileReadResult = { ok: true; raw: RawConfig } | { ok: false; problem: ConfigProblem };

export function readConfigFile(path: string): FileReadResult {
  const fileProblem = (message: string, fix: string): FileReadResult => ({
    ok: false,
    problem: { path: 'config file', message: `${path} ${message}`, fix },
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return fileProblem('does not exist', `create it (start from config.example.json) or point ${CONFIG_FILE_ENV} at an existing file`);
    }
    return fileProblem(`cannot be read (${code ?? 'error'})`, 'check the path and its permissions');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fileProblem(
      `is not valid JSON: ${describeJsonError(error, text)}`,
      'fix the JSON syntax (JSON has no comments or trailing commas; write notes as "//" keys)',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return fileProblem('must contain a JSON object', 'wrap the options in { … }');
  }
  return { ok: true, raw: withoutNotesAndBlanks(parsed) as RawConfig };
}

/** Whether users other than the owner can read the file (it may hold secrets). */
export function isReadableByOthers(path: string): boolean {
  try {
    return (statSync(path).mode & 0o044) !== 0;
  } catch {
    return false;
  }
}

/**
 * Keys starting with "//" are notes (JSON has no comments) and "$schema" is for editors; both
 * are dropped. An empty string or null means "not set", so a copied example with blank secrets
 * runs against the simulator instead of failing on empty tokens.
 */
export function withoutNotesAndBlanks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNotesAndBlanks);
  if (typeof value !== 'object' || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('//') || key === '$schema' || child === '' || child === null) continue;
    kept[key] = withoutNotesAndBlanks(child);
  }
  return kept;
}

function setAt(target: RawConfig, path: readonly string[], value: unknown): void {
  let node: RawConfig = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      // A non-object in the file where a section belongs is reported by the schema; env still wins here.
      node[segment] = {};
    }
    node = node[segment] as RawConfig;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export interface EnvOverlay {
  readonly raw: RawConfig;
  /** Dotted option path -> the environment variable that set it. */
  readonly origins: ReadonlyMap<string, string>;
  readonly problems: ConfigProblem[];
}

/** Environment variables win over the file. Empty ones count as unset. */
export function overlayEnvironment(fileRaw: RawConfig, env: Record<string, string | undefined>): EnvOverlay {
  const raw = structuredClone(fileRaw);
  const origins = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const { env: name, path, kind } of optionBindings()) {
    if (name === undefined) continue;
    const text = env[name]?.trim();
    if (!text) continue;
    const dotted = formatPath(path);
    let value: unknown = text;
    if (kind === 'integer') {
      if (!/^-?\d+$/.test(text)) {
        problems.push({ path: dotted, message: `${name} is not a whole number`, fix: `set ${name} to a whole number, or unset it` });
        continue;
      }
      value = Number(text);
    } else if (kind === 'boolean') {
      const word = text.toLowerCase();
      if (!TRUE_WORDS.has(word) && !FALSE_WORDS.has(word)) {
        problems.push({ path: dotted, message: `${name} is not true or false`, fix: `set ${name} to true or false, or unset it` });
        continue;
      }
      value = TRUE_WORDS.has(word);
    }
    setAt(raw, path, value);
    origins.set(dotted, name);
  }
  return { raw, origins, problems };
}
