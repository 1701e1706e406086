/**
 * Human names for what an incident holds: the vocabulary's names for the platform's codes where
 * it knows the value, else the platform's own name from the incident's `names`, else the value.
 */
import { isKnownCode, label, type IncidentName, type IncidentNamedField, type Vocabulary, type VocabularyKind } from '../backends/index.js';
import type { Incident } from '../backends/index.js';
import type { Locale } from '../i18n/translate.js';

export type PlatformNames = readonly IncidentName[];

export function platformName(names: PlatformNames, field: IncidentNamedField, key: string, locale: Locale): string | undefined {
  const entry = names.find((e) => e.field === field && e.key === key);
  return entry ? (locale === 'zh-CN' ? (entry.zh ?? entry.en) : (entry.en ?? entry.zh)) : undefined;
}

/** Our name if we know the value, else the platform's name for it, else the value itself. */
export function named(
  vocabulary: Vocabulary,
  kind: VocabularyKind,
  field: IncidentNamedField,
  value: string | null | undefined,
  names: PlatformNames,
  locale: Locale,
): string {
  if (!value) return '';
  if (isKnownCode(vocabulary, kind, value)) return label(vocabulary, kind, value, locale);
  return platformName(names, field, value, locale) ?? value;
}

/** User ids shown as the platform names them (`assignee` / `creator` entries), else as they are. */
export function people(ids: readonly string[], field: IncidentNamedField, names: PlatformNames, locale: Locale): string {
  return ids.map((id) => platformName(names, field, id, locale) ?? id).join(', ');
}

export function statusOf(detail: Pick<Incident, 'status' | 'names'>, vocabulary: Vocabulary, locale: Locale): string {
  return named(vocabulary, 'incidentStatus', 'status', detail.status?.code, detail.names, locale);
}

export function levelOf(detail: Pick<Incident, 'level' | 'names'>, vocabulary: Vocabulary, locale: Locale): string {
  return named(vocabulary, 'incidentLevel', 'level', detail.level, detail.names, locale);
}
