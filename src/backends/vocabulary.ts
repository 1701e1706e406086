/**
 * A backend's own codes in words: the statuses, states and levels it answers with, named in both
 * languages. Neutral code shows `label(vocabulary, 'runStatus', code, locale)`; a code the table
 * does not know (the platform added one) is shown as it came, never hidden.
 */
import type { Locale } from '../i18n/translate.js';

export type EnumNames = Readonly<Record<string, Readonly<Record<Locale, string>>>>;

export const VOCABULARY_KINDS = [
  'riskLevel',
  'scriptStatus',
  'runStatus',
  'hostRunStatus',
  'rotation',
  'agentState',
  'incidentLevel',
  'incidentType',
  'incidentStatus',
  'incidentSource',
  'patchStatus',
  'patchCompliance',
  'alarmLevel',
  'alarmStatus',
] as const;
export type VocabularyKind = (typeof VOCABULARY_KINDS)[number];

export type Vocabulary = Readonly<Record<VocabularyKind, EnumNames>>;

/** The name of `code` in the reader's language; unknown codes come back as they are, missing ones as ''. */
export function label(vocabulary: Vocabulary, kind: VocabularyKind, code: string | null | undefined, locale: Locale): string {
  if (code === null || code === undefined || code === '') return '';
  const table = vocabulary[kind];
  if (!Object.hasOwn(table, code)) return code;
  const names = table[code]!;
  return names[locale] ?? names['en-US'];
}

/** Whether the table knows the code (e.g. to decide whether to also show the raw code). */
export function isKnownCode(vocabulary: Vocabulary, kind: VocabularyKind, code: string | null | undefined): boolean {
  return code !== null && code !== undefined && Object.hasOwn(vocabulary[kind], code);
}

/** The codes the table knows, in its order (for "allowed: …" texts). */
export function codesOf(vocabulary: Vocabulary, kind: VocabularyKind): readonly string[] {
  return Object.keys(vocabulary[kind]);
}
