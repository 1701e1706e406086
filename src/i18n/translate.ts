/**
 * Replies in the reader's language (zh-CN or en-US: per user, else the configuration's
 * default). Each command family keeps its own catalogue of `{ 'en-US', 'zh-CN' }` texts next
 * to its code's concerns; `{name}` placeholders are filled from `vars`.
 */
import type { Locale } from '../store/vocabulary.js';

export type { Locale };

export type Text = Readonly<Record<Locale, string>>;

export type Translate = (text: Text, vars?: Readonly<Record<string, string | number>>) => string;

/**
 * `{name}` is the value; `{name:one|many}` is the value and the word that fits it ("1 host",
 * "25 hosts"), for languages that inflect (Chinese texts just use `{name}`).
 */
export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  const parts = partsOf(template);
  if (parts.length === 1 && typeof parts[0] === 'string') return parts[0];
  let filled = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      filled += part;
      continue;
    }
    const { whole, name, one, many } = part;
    if (!(name in vars)) filled += whole;
    else if (one === undefined || many === undefined) filled += String(vars[name]!);
    else filled += `${vars[name]!} ${Number(vars[name]!) === 1 ? one : many}`;
  }
  return filled;
}

/** A `{name}` or `{name:one|many}` of a template, as written and read. */
interface Placeholder {
  readonly whole: string;
  readonly name: string;
  readonly one: string | undefined;
  readonly many: string | undefined;
}

const PLACEHOLDER = /\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g;

/**
 * Templates read into their literal parts and placeholders once, not matched again by a regular
 * expression with a callback every time a text is shown (every answer fills dozens). The texts
 * are the catalogues' — a few thousand at most; past that the cache starts over.
 */
const templates = new Map<string, readonly (string | Placeholder)[]>();
const MAX_TEMPLATES = 5_000;

function partsOf(template: string): readonly (string | Placeholder)[] {
  const known = templates.get(template);
  if (known) return known;
  const parts: (string | Placeholder)[] = [];
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > at) parts.push(template.slice(at, match.index));
    parts.push({ whole: match[0], name: match[1]!, one: match[2], many: match[3] });
    at = match.index + match[0].length;
  }
  if (at < template.length || parts.length === 0) parts.push(template.slice(at));
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(template, parts);
  return parts;
}

/**
 * `defaults` fill what a text leaves to its context (`{platform}`: the deployment's platform in
 * this language); a text's own `vars` win.
 */
export function translator(locale: Locale, defaults?: Readonly<Record<string, string | number>>): Translate {
  if (!defaults) return (text, vars) => fill(text[locale] ?? text['en-US'], vars);
  return (text, vars) => fill(text[locale] ?? text['en-US'], vars ? { ...defaults, ...vars } : defaults);
}
