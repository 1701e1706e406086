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
  return template.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (whole, name: string, one: string | undefined, many: string | undefined) => {
    if (!(name in vars)) return whole;
    const value = vars[name]!;
    if (one === undefined || many === undefined) return String(value);
    return `${value} ${Number(value) === 1 ? one : many}`;
  });
}

/**
 * `defaults` fill what a text leaves to its context (`{platform}`: the deployment's platform in
 * this language); a text's own `vars` win.
 */
export function translator(locale: Locale, defaults?: Readonly<Record<string, string | number>>): Translate {
  if (!defaults) return (text, vars) => fill(text[locale] ?? text['en-US'], vars);
  return (text, vars) => fill(text[locale] ?? text['en-US'], vars ? { ...defaults, ...vars } : defaults);
}
