/**
 * The values COC accepts for an incident's level, type and "service interrupted" (coc-api-notes
 * §1.15, §3 rows 16 and 19), the words people may type for them, and the select options forms
 * show (human names in the reader's language, COC's key as the value).
 */
import { INCIDENT_LEVELS, INCIDENT_TYPES } from '../coc/schemas/incidents.js';
import type { SelectOption } from '../core/message.js';
import { enumName } from '../i18n/coc-enums.js';
import type { Locale } from '../i18n/translate.js';

export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** p1 … p5, as typed; COC's keys are accepted too. */
export const LEVEL_WORDS: readonly string[] = ['p1', 'p2', 'p3', 'p4', 'p5'];

/**
 * Short words for the types. "middleware" sends `inc_type_p_middleware_issues` (the English
 * reference and the pattern of every other key); typing either documented key sends that key
 * unchanged, for a COC that only knows the Chinese reference's `inc_type_p_middlewares`.
 */
const TYPE_BY_WORD: Readonly<Record<string, IncidentType>> = {
  security: 'inc_type_p_security_issues',
  function: 'inc_type_p_function_issues',
  reliability: 'inc_type_p_reliability_issues',
  config: 'inc_type_p_config_issues',
  middleware: 'inc_type_p_middleware_issues',
  hardware: 'inc_type_p_hardware_issues',
  networking: 'inc_type_p_networking_issues',
  facility: 'inc_type_p_shelter_issues',
  monitoring: 'inc_type_p_monitoring_issues',
  consulting: 'inc_type_p_consulting_issues',
  supplier: 'inc_type_p_suppliers_issues',
  other: 'inc_type_p_ohter_issues',
  change: 'inc_type_p_change_issues',
};

/** A few more spellings people reach for. */
const TYPE_ALIASES: Readonly<Record<string, IncidentType>> = {
  functional: 'inc_type_p_function_issues',
  performance: 'inc_type_p_reliability_issues',
  configuration: 'inc_type_p_config_issues',
  network: 'inc_type_p_networking_issues',
  shelter: 'inc_type_p_shelter_issues',
  datacenter: 'inc_type_p_shelter_issues',
  suppliers: 'inc_type_p_suppliers_issues',
  vendor: 'inc_type_p_suppliers_issues',
};

export const TYPE_WORDS: readonly string[] = Object.keys(TYPE_BY_WORD);

export function parseLevel(raw: string): IncidentLevel | undefined {
  const word = raw.trim().toLowerCase();
  const p = /^p([1-5])$/.exec(word);
  if (p) return `level_${p[1]}0` as IncidentLevel;
  return (INCIDENT_LEVELS as readonly string[]).includes(word) ? (word as IncidentLevel) : undefined;
}

export function parseType(raw: string): IncidentType | undefined {
  const word = raw.trim().toLowerCase();
  if ((INCIDENT_TYPES as readonly string[]).includes(word)) return word as IncidentType;
  const short = word.replace(/[\s_-]+issues?$/, '').replace(/[\s_-]+/g, '');
  return TYPE_BY_WORD[short] ?? TYPE_ALIASES[short];
}

/** yes/no, true/false, y/n, 是/否. */
export function parseYesNo(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (['yes', 'y', 'true', '是'].includes(word)) return true;
  if (['no', 'n', 'false', '否'].includes(word)) return false;
  return undefined;
}

/** The type words with their human names: "networking (Networking)". */
export function typeChoices(locale: Locale): string {
  return TYPE_WORDS.map((word) => `${word} (${enumName('incidentType', TYPE_BY_WORD[word], locale)})`).join(', ');
}

export function levelOptions(): SelectOption[] {
  return INCIDENT_LEVELS.map((level) => ({ label: level.replace(/^level_(\d)0$/, 'P$1'), value: level }));
}

/** One option per type word (the duplicate middleware key is not offered twice). */
export function typeOptions(locale: Locale): SelectOption[] {
  return TYPE_WORDS.map((word) => ({ label: enumName('incidentType', TYPE_BY_WORD[word], locale), value: TYPE_BY_WORD[word]! }));
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
