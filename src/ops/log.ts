/**
 * The bot's structured log (pino): one JSON object a line on stderr, or readable lines with
 * `ops.logFormat: pretty`. Secrets never reach it, in three layers:
 *
 *  1. pino's `redact` paths for the well-known places (auth headers, tokens, passwords);
 *  2. every logged object is scrubbed before it is written (`scrub`): secret-looking keys and
 *     sensitive script parameters at any depth, `Secret`s, secret-looking text in strings and
 *     error messages;
 *  3. the finished line is searched for the configured secrets themselves (COC SK, chat
 *     tokens, the database password…), however they got in.
 */
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from '../config.js';
import { REDACTED, Secret } from '../config/secret.js';
import type { LogFormat, LogLevel } from '../config/sections/ops.js';
import { scrub, scrubText } from './scrub.js';

export type Logger = PinoLogger;

/** pino-pretty, loaded only when the readable format is chosen: start-up should not pay for it otherwise. */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

/** The well-known places of secrets, hidden by pino itself before anything else looks. */
export const REDACT_PATHS: readonly string[] = [
  'password',
  'token',
  'secret',
  'sk',
  '*.password',
  '*.token',
  '*.secret',
  '*.sk',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.securityToken',
  '*.databaseUrl',
  '*.integrationKey',
  'headers.authorization',
  'headers.cookie',
  'headers["x-auth-token"]',
  'headers["x-subject-token"]',
  'headers["x-security-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-auth-token"]',
  '*.headers["x-subject-token"]',
  '*.headers["x-security-token"]',
];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Default json. */
  readonly format?: LogFormat;
  /** Where lines go. Default: stderr, written synchronously so nothing is lost when the process exits. */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Values to hide wherever they appear: the configured secrets. */
  readonly secrets?: Iterable<Secret | string>;
  /** Fields on every line, e.g. the replica's name. */
  readonly base?: Readonly<Record<string, unknown>>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The spellings a secret takes inside a JSON line: as is, JSON-escaped, URL-encoded. */
function lineSpellings(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // a lone surrogate cannot be URL-encoded; the other spellings are still hidden
  }
  return [...forms];
}

/** Replaces the known secrets in a finished line; the replacement keeps the JSON valid. */
function lineScrubber(secrets: readonly string[]): ((line: string) => string) | undefined {
  const forms = [...new Set(secrets.flatMap(lineSpellings))].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
  if (forms.length === 0) return undefined;
  const pattern = new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = [...(options.secrets ?? [])].map((secret) => (secret instanceof Secret ? secret.reveal() : secret)).filter((s) => s.length > 0);
  const scrubOptions = { secrets };
  const scrubLine = lineScrubber(secrets);
  const format = options.format ?? 'json';
  const destination =
    format === 'pretty'
      ? loadPretty()({
          destination: options.destination ?? 2,
          sync: true,
          colorize: options.destination === undefined && isatty(2),
          translateTime: 'SYS:standard',
          ignore: 'pid,hostname',
        })
      : (options.destination ?? pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level: options.level,
      // The host name tells replicas apart (a container's name in compose or Kubernetes).
      base: { pid: process.pid, hostname: hostname(), ...(options.base ?? {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      // Errors are already plain records (see `scrub`); pino's own serializer would rename them "Object".
      serializers: { err: (value: unknown) => value },
      formatters: {
        // Level names read better than numbers in a collector; pretty printing wants numbers.
        ...(format === 'json' ? { level: (label: string) => ({ level: label }) } : {}),
        bindings: (bindings) => scrub(bindings, scrubOptions) as Record<string, unknown>,
        log: (object) => scrub(object, scrubOptions) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // pino would take an error's own message as the line's message, unscrubbed.
          const errorOnly = rest.length === 0 && (first instanceof Error || (isRecord(first) && first['err'] instanceof Error));
          const fallback = errorOnly ? [scrubText(first instanceof Error ? first.message : String((first as { err: Error }).err.message), scrubOptions)] : [];
          const scrubbed = [first, ...rest, ...fallback].map((arg) => (typeof arg === 'string' ? scrubText(arg, scrubOptions) : arg));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
        ...(scrubLine ? { streamWrite: scrubLine } : {}),
      },
    },
    destination,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A logger that writes nothing: tests and tools that assemble a bot without a log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The password in a secret that is a URL (DATABASE_URL): it shows up on its own in driver errors. */
function urlPassword(secret: Secret): string | undefined {
  try {
    const password = new URL(secret.reveal()).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Every secret in the configuration, for the log to hide wherever it shows up. */
export function secretsOf(config: Config): string[] {
  const found: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (node: unknown): void => {
    if (node instanceof Secret) {
      found.push(node.reveal());
      const password = urlPassword(node);
      if (password) found.push(password);
      return;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    for (const value of Object.values(node)) walk(value);
  };
  walk(config);
  return found;
}
