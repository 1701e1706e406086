/**
 * Human names for what an incident holds: our own names for COC's enums where we know the
 * value, else COC's own name from the incident's `enum_data_list`, else the value itself.
 */
import type { IncidentDetail, IncidentListItem } from '../coc/schemas/incidents.js';
import { enumName, isKnownEnum, type CocEnumKind } from '../i18n/coc-enums.js';
import type { Locale } from '../i18n/translate.js';

/** COC's own name for an enum value (detail: filed_key/enum_key; list: prop_id/biz_id). */
export type CocNames = readonly { readonly field: string; readonly key: string; readonly zh?: string; readonly en?: string }[];

export function namesOfDetail(detail: IncidentDetail): CocNames {
  return detail.enum_data_list.map((e) => ({ field: e.filed_key ?? '', key: e.enum_key ?? '', ...(e.name_zh ? { zh: e.name_zh } : {}), ...(e.name_en ? { en: e.name_en } : {}) }));
}

export function namesOfItem(item: IncidentListItem): CocNames {
  return item.enum_data_list.map((e) => ({ field: e.prop_id ?? '', key: e.biz_id ?? '', ...(e.name_zh ? { zh: e.name_zh } : {}), ...(e.name_en ? { en: e.name_en } : {}) }));
}

export function cocName(names: CocNames, field: string, key: string, locale: Locale): string | undefined {
  const entry = names.find((e) => e.field === field && e.key === key);
  return entry ? (locale === 'zh-CN' ? (entry.zh ?? entry.en) : (entry.en ?? entry.zh)) : undefined;
}

/** Our name if we know the value, else COC's name for it, else the value itself. */
export function named(kind: CocEnumKind, field: string, value: string | null | undefined, names: CocNames, locale: Locale): string {
  if (!value) return '';
  if (isKnownEnum(kind, value)) return enumName(kind, value, locale);
  return cocName(names, field, value, locale) ?? value;
}

/** User ids shown as COC names them (`assignee` / `creator` entries), else as they are. */
export function people(ids: readonly string[], field: string, names: CocNames, locale: Locale): string {
  return ids.map((id) => cocName(names, field, id, locale) ?? id).join(', ');
}

export function statusOf(detail: IncidentDetail, locale: Locale): string {
  return named('incidentStatus', 'work_flow_status', detail.status, namesOfDetail(detail), locale);
}

export function levelOf(detail: IncidentDetail, locale: Locale): string {
  return named('incidentLevel', 'level_id', detail.incident_level, namesOfDetail(detail), locale);
}
