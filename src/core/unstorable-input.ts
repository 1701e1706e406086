/**
 * Where in a typed command line a character the store cannot hold sits, so the refusal names
 * the option that holds it (`--user`) instead of "the command": the person sees which value
 * to retype. Anything that is not clearly an option's value is reported as the command.
 */
import type { ParserFlag } from './args.js';
import { firstUnstorable } from './storable-text.js';

/** The name of the option whose value holds the first unstorable word of `words`, if it is one. */
export function optionHolding(words: readonly string[], flags: readonly Pick<ParserFlag, 'name' | 'takesValue'>[]): string | undefined {
  const at = words.findIndex((word) => firstUnstorable(word) !== undefined);
  if (at === -1) return undefined;
  const word = words[at]!;
  const takesValue = (name: string) => flags.some((flag) => flag.name === name && flag.takesValue);
  if (word.startsWith('--')) {
    // `--user=a\0b`: the value after '=' (a broken option name is the command's problem).
    const eq = word.indexOf('=');
    if (eq === -1) return undefined;
    const name = word.slice(2, eq);
    return takesValue(name) && firstUnstorable(name) === undefined ? name : undefined;
  }
  // `--user a\0b`: the word after an option that takes a value.
  const before = at > 0 ? words[at - 1]! : '';
  if (!before.startsWith('--') || before.includes('=')) return undefined;
  const name = before.slice(2);
  return takesValue(name) ? name : undefined;
}
