/**
 * Parses command-line words into positionals and flags (`--hosts a,b`, `--tag=env=prod`,
 * repeated `--param k=v`), against the flags a command declares, with a "did you mean"
 * for typos. Every refusal says what was wrong and what is allowed.
 */
import { ARG_TEXTS as A } from '../i18n/catalogues/args.js';
import { phrase, say, sayInEnglish, type Phrase } from '../i18n/phrase.js';
import type { Text, Translate } from '../i18n/translate.js';

/** What the parser needs of a flag (read from a typed argument by `flagSpecsOf`). */
export interface ParserFlag {
  readonly name: string;
  /** `false` for switches such as `--canary`. */
  readonly takesValue: boolean;
  readonly repeatable?: boolean;
  /** Said in the reader's language where a refusal names the flag. */
  readonly description: string | Text;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

/** Bad command input; `phrase` says it in the reader's language, `message` in English. */
export class ArgumentError extends Error {
  readonly phrase: Phrase;
  constructor(message: Phrase, readonly allowed?: readonly string[]) {
    super(sayInEnglish(message));
    this.name = 'ArgumentError';
    this.phrase = message;
  }

  /** What went wrong, in the reader's language. */
  describe(t: Translate): string {
    return say(this.phrase, t);
  }
}

export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate within a small distance, for "did you mean …?". */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

export function parseArgs(words: readonly string[], specs: readonly ParserFlag[]): ParsedArgs {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--') || word === '--') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    const allowed = specs.map((s) => `--${s.name}`);
    if (!spec) {
      const hint = suggest(name, specs.map((s) => s.name));
      throw new ArgumentError(
        phrase(A.unknownOption, {
          name,
          hint: hint ? phrase(A.didYouMeanOption, { hint }) : undefined,
          allowed: allowed.length ? allowed.join(', ') : phrase(A.none),
        }),
        allowed,
      );
    }
    let value: string | undefined;
    if (spec.takesValue) {
      value = eq === -1 ? words[++i] : word.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new ArgumentError(phrase(A.needsValue, { name, description: typeof spec.description === 'string' ? spec.description : phrase(spec.description) }));
    } else if (eq !== -1) {
      throw new ArgumentError(phrase(A.switchTakesNoValue, { name }));
    }
    const existing = flags.get(name);
    if (existing && !spec.repeatable) throw new ArgumentError(phrase(A.givenTwice, { name }));
    flags.set(name, [...(existing ?? []), value ?? 'true']);
  }
  return { positionals, flags };
}
