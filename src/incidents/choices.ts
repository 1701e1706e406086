/**
 * The values the platform accepts for an incident's level, type and "service interrupted"
 * (its `incidents.choices`), the words people may type for them, and the select options forms
 * show (human names in the reader's language, the platform's code as the value).
 */
import type { IncidentChoices, Vocabulary } from '../backends/index.js';
import { label } from '../backends/index.js';
import type { SelectOption } from '../core/message.js';
import type { Locale } from '../i18n/translate.js';

/** p1 … p5, as typed; the platform's codes are accepted too. */
export function levelWords(choices: IncidentChoices): string[] {
  return choices.levels.map((level) => level.word);
}

/** The type words, in the order they are offered. */
export function typeWords(choices: IncidentChoices): string[] {
  return choices.types.map((type) => type.word);
}

export function parseLevel(choices: IncidentChoices, raw: string): string | undefined {
  const word = raw.trim().toLowerCase();
  const byWord = choices.levels.find((level) => level.word === word);
  if (byWord) return byWord.code;
  return choices.levelCodes.includes(word) ? word : undefined;
}

export function parseType(choices: IncidentChoices, raw: string): string | undefined {
  const word = raw.trim().toLowerCase();
  if (choices.typeCodes.includes(word)) return word;
  const short = word.replace(/[\s_-]+issues?$/, '').replace(/[\s_-]+/g, '');
  return choices.types.find((type) => type.word === short)?.code ?? (Object.hasOwn(choices.typeAliases, short) ? choices.typeAliases[short] : undefined);
}

/** yes/no, true/false, y/n, 是/否. */
export function parseYesNo(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', '是'].includes(word)) return true;
  if (['no', 'n', 'false', '否'].includes(word)) return false;
  return undefined;
}

/** The type words with their human names: "networking (Networking)". */
export function typeChoices(choices: IncidentChoices, vocabulary: Vocabulary, locale: Locale): string {
  return choices.types.map((type) => `${type.word} (${label(vocabulary, 'incidentType', type.code, locale)})`).join(', ');
}

export function levelOptions(choices: IncidentChoices): SelectOption[] {
  return choices.levels.map((level) => ({ label: level.label ?? level.word, value: level.code }));
}

/** One option per type word (a code with two spellings is not offered twice). */
export function typeOptions(choices: IncidentChoices, vocabulary: Vocabulary, locale: Locale): SelectOption[] {
  return choices.types.map((type) => ({ label: label(vocabulary, 'incidentType', type.code, locale), value: type.code }));
}

export function yesNoOptions(locale: Locale): SelectOption[] {
  return locale === 'zh-CN'
    ? [
        { label: '是', value: 'yes' },
        { label: '否', value: 'no' },
      ]
    : [
        { label: 'Yes', value: 'yes' },
        { label: 'No', value: 'no' },
      ];
}
