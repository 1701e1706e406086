/**
 * A text to be said later, in the reader's language: an error raised deep in parsing does not
 * know who reads it, so it carries the catalogue text and its values, and the reply says it
 * with the reader's translator. Values may be phrases themselves ("Did you mean …?").
 */
import { translator, type Text, type Translate } from './translate.js';

export interface Phrase {
  readonly text: Text;
  readonly vars?: Readonly<Record<string, string | number | Phrase | undefined>>;
}

export function phrase(text: Text, vars?: Phrase['vars']): Phrase {
  return vars ? { text, vars } : { text };
}

export function say(p: Phrase, t: Translate): string {
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(p.vars ?? {})) {
    vars[name] = value === undefined ? '' : typeof value === 'object' ? say(value, t) : value;
  }
  return t(p.text, vars);
}

/** The English wording, for logs and `Error.message`. */
export function sayInEnglish(p: Phrase): string {
  return say(p, translator('en-US'));
}
