/**
 * A command as one platform words it: `{platform}`, `{agent}` and `{identity}` in its summary,
 * Discord description and its arguments' texts are filled with that platform's own nouns, so
 * help, usage, Discord's registration and Slack's manifest name BlueKing's things on BlueKing and
 * COC's on COC from one declaration. Other placeholders are left for the text's own vars.
 */
import { fill, type Locale, type Text } from '../../i18n/translate.js';
import type { SomeTypedCommand } from './define.js';
import type { ArgSpec, ArgSpecs } from './kinds.js';

/** Each language's nouns, e.g. `{ 'en-US': { platform: 'BlueKing', … }, 'zh-CN': { platform: '蓝鲸', … } }`. */
export type Nouns = Readonly<Record<Locale, Readonly<Record<string, string>>>>;

function worded(text: Text, nouns: Nouns): Text;
function worded(text: Text | undefined, nouns: Nouns): Text | undefined;
function worded(text: Text | undefined, nouns: Nouns): Text | undefined {
  if (!text) return text;
  return Object.fromEntries(Object.entries(text).map(([locale, value]) => [locale, fill(value, nouns[locale as Locale] ?? {})])) as unknown as Text;
}

const TEXT_KEYS = ['description', 'placeholder', 'label', 'hint', 'what'] as const;

function specIn(spec: ArgSpec, nouns: Nouns): ArgSpec {
  const changed: Record<string, Text | undefined> = {};
  for (const key of TEXT_KEYS) if (key in spec) changed[key] = worded((spec as unknown as Record<string, Text | undefined>)[key], nouns);
  return { ...spec, ...changed } as ArgSpec;
}

function specsIn(specs: ArgSpecs, nouns: Nouns): ArgSpecs {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, specIn(spec, nouns)]));
}

/** The definition with its texts in the platform's own nouns (the same object when none are given). */
export function inPlatformWords<C extends SomeTypedCommand>(definition: C, nouns: Nouns | undefined): C {
  if (!nouns) return definition;
  return {
    ...definition,
    summary: worded(definition.summary, nouns),
    discord: { ...definition.discord, ...(definition.discord.description ? { description: worded(definition.discord.description, nouns) } : {}) },
    positionals: specsIn(definition.positionals as ArgSpecs, nouns),
    flags: specsIn(definition.flags as ArgSpecs, nouns),
  };
}
