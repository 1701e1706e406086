/**
 * Replies in the reader's language (zh-CN or en-US: per user, else the configuration's
 * default). Each command family keeps its own catalogue of `{ 'en-US', 'zh-CN' }` texts next
 * to its code's concerns; `{name}` placeholders are filled from `vars`.
 */
import type { Locale } from '../store/vocabulary.js';

export type { Locale };

export type Text = Readonly<Record<Locale, string>>;

export type Translate = (text: Text, vars?: Readonly<Record<string, string | number>>) => string;

export function fill(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translator(locale: Locale): Translate {
  return (text, vars) => fill(text[locale] ?? text['en-US'], vars);
}
