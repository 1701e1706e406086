/** Reading typed values out of parsed flags, with refusals that say what is allowed. */
import { ARG_TEXTS as A } from '../i18n/catalogues/args.js';
import { phrase } from '../i18n/phrase.js';
import { ArgumentError, type ParsedArgs } from './args.js';

export function flagValue(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

export function noPositionals(args: ParsedArgs, command: string): void {
  if (args.positionals.length > 0) {
    throw new ArgumentError(phrase(A.noPlainWords, { command, words: args.positionals.join(' ') }));
  }
}
