/**
 * BlueKing Monitor's alarms, read only: a business's alarm events newest first (`get_alarms`) and
 * one by id (`list_alarm_instance`). The product does not raise alarms on BlueKing (no `report`).
 *
 * Levels are Monitor's: 1 fatal, 2 warning, 3 reminder. Monitor's own `status` is the state of its
 * notification (`success`…); whether the alarm is still on is `finish_time` (its recovery time,
 * an extend field of get_alarms). The product's status codes say that: ABNORMAL while it has no
 * recovery time, RECOVERED once it has one.
 */
import type { EnumNames } from '../vocabulary.js';
import type { Alarm, AlarmSeverity, AlarmsCapability } from '../types/alarms.js';
import type { Coded } from '../types/coded.js';
import { makeId, nativeOf } from '../ids.js';
import { esbOptions } from './call-options.js';
import { mapped } from './errors.js';
import type { EsbCaller } from './esb/component.js';
import { GET_ALARMS, LIST_ALARM_INSTANCE, type GetAlarmsRequest, type MonitorAlarm } from './esb/monitor.js';
import type { BluekingSettings } from './settings.js';
import { formatUtcTime, parseBluekingTime } from './time-text.js';

export const ALARM_LEVEL_NAMES: EnumNames = {
  '1': { 'en-US': 'Fatal', 'zh-CN': '致命' },
  '2': { 'en-US': 'Warning', 'zh-CN': '预警' },
  '3': { 'en-US': 'Reminder', 'zh-CN': '提醒' },
};

export const ALARM_STATUS_CODES = { raised: 'ABNORMAL', cleared: 'RECOVERED' } as const;

export const ALARM_STATUS_NAMES: EnumNames = {
  ABNORMAL: { 'en-US': 'Abnormal', 'zh-CN': '未恢复' },
  RECOVERED: { 'en-US': 'Recovered', 'zh-CN': '已恢复' },
};

const SEVERITY: Readonly<Record<string, AlarmSeverity>> = { '1': 'critical', '2': 'major', '3': 'minor' };
export const ALARM_LEVELS: readonly Coded<AlarmSeverity>[] = Object.keys(ALARM_LEVEL_NAMES).map((code) => ({ state: SEVERITY[code]!, code }));

/** How far back a list looks when the person gave no start (get_alarms needs a source time). */
export const DEFAULT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
/** Extend fields asked for: the recovery time decides the status. */
const EXTEND_FIELDS = 'begin_time,end_time,finish_time';

export function alarmOf(alarm: MonitorAlarm): Alarm {
  const code = String(alarm.level);
  const content = alarm.alarm_content;
  const beganAt = parseBluekingTime(alarm.source_time ?? alarm.begin_time);
  const endedAt = parseBluekingTime(alarm.finish_time);
  const target = alarm.ip ? (alarm.bk_cloud_id ? `${alarm.bk_cloud_id}:${alarm.ip}` : alarm.ip) : (content?.dimensions_display ?? content?.dimension ?? undefined);
  const title = content?.title ?? content?.subject ?? content?.source_name ?? alarm.alarm_type ?? String(alarm.id);
  const description = content?.content ?? alarm.raw ?? undefined;
  return {
    id: makeId('blueking', 'alarm', String(alarm.id)),
    title,
    level: { state: SEVERITY[code] ?? 'info', code },
    statusCode: alarm.finish_time ? ALARM_STATUS_CODES.cleared : ALARM_STATUS_CODES.raised,
    ...(beganAt !== undefined ? { beganAt } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(target ? { target } : {}),
    ...(description ? { description } : {}),
    ...(content?.source_name ? { rule: content.source_name } : {}),
  };
}

/** Monitor's alarms: always readable (list and get), never raised from chat. */
export type BluekingAlarms = AlarmsCapability & Required<Pick<AlarmsCapability, 'list' | 'get'>>;

export function bluekingAlarms(caller: EsbCaller, settings: BluekingSettings, now: () => number = Date.now): BluekingAlarms {
  return {
    levels: ALARM_LEVELS,
    statusCodes: ALARM_STATUS_CODES,

    async list(query, options) {
      const page = query.after !== undefined && /^\d+$/.test(query.after) ? Math.max(1, Number(query.after)) : 1;
      const level = query.levelCode !== undefined && /^[123]$/.test(query.levelCode) ? Number(query.levelCode) : undefined;
      const request: GetAlarmsRequest = {
        bk_biz_id: settings.defaultBiz,
        source_time__gte: formatUtcTime(query.from ?? now() - DEFAULT_LOOKBACK_MS),
        ...(query.to !== undefined ? { source_time__lte: formatUtcTime(query.to) } : {}),
        ...(level !== undefined ? { level } : {}),
        extend_fields: EXTEND_FIELDS,
        ordering: '-source_time',
        page,
        page_size: query.limit,
      };
      const answer = await mapped(() => caller.call(GET_ALARMS, request, esbOptions(options)));
      const alarms = answer.result.map(alarmOf);
      // Monitor cannot filter on the recovery time, so the status is filtered here, page by page.
      const items = query.statusCode ? alarms.filter((alarm) => alarm.statusCode === query.statusCode) : alarms;
      const total = answer.total ?? undefined;
      const more = total !== undefined ? page * query.limit < total : answer.result.length === query.limit;
      return { items, ...(total !== undefined && !query.statusCode ? { total } : {}), ...(more ? { next: String(page + 1) } : {}) };
    },

    async get(id, options) {
      const native = nativeOf(id);
      if (!/^\d+$/.test(native)) return undefined;
      const found = await mapped(() => caller.call(LIST_ALARM_INSTANCE, { id: Number(native) }, esbOptions(options)));
      const alarm = found.find((candidate) => String(candidate.id) === native);
      return alarm ? alarmOf(alarm) : undefined;
    },
  };
}
