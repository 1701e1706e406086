/** Reading typed values out of parsed flags, with refusals that say what is allowed. */
import { ArgumentError, suggest, type ParsedArgs } from './args.js';

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

export function intFlag(args: ParsedArgs, name: string, min: number, max: number, fallback: number): number {
  const raw = flagValue(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const match = choices.find((choice) => choice.toLowerCase() === raw.toLowerCase());
  if (match) return match;
  const hint = suggest(raw, choices);
  throw new ArgumentError(`--${name} "${raw}" is not allowed.${hint ? ` Did you mean ${hint.toLowerCase()}?` : ''} Allowed: ${choices.map((c) => c.toLowerCase()).join(', ')}.`, choices);
}

/** `key=value`, as in `--tag env=prod`. */
export function keyValueFlag(args: ParsedArgs, name: string): { key: string; value: string } | undefined {
  const raw = flagValue(args, name);
  if (raw === undefined) return undefined;
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new ArgumentError(`--${name} must look like key=value (for example --${name} env=prod), got "${raw}".`);
  return { key: raw.slice(0, eq), value: raw.slice(eq + 1) };
}

export function noPositionals(args: ParsedArgs, command: string): void {
  if (args.positionals.length > 0) {
    throw new ArgumentError(`${command} takes no plain words, got "${args.positionals.join(' ')}". Use its --options instead.`);
  }
}
