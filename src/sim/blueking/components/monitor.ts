/**
 * Monitor: alarm events. `get_alarms` takes Django-style filters (`source_time__gte`,
 * `alarm_type__in=cpu,net` …) beside the plain ones; `source_time` or one of its range forms
 * is required. Times without a zone are UTC, as the reference notes; rendered in +0000 (get_alarms,
 * as its example) or +0800 (list_alarm_instance, as its example).
 */
import { z } from 'zod';
import { argumentError } from '../errors.js';
import type { BkAlarm } from '../state/alarms.js';
import type { BkWorld } from '../state/world.js';
import { bkTimeZoned, parseBkTime } from '../time.js';
import { defineComponent, int, ok, str } from './define.js';

function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)}+0000`;
}

const list = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter((item) => item !== ''));

function timeParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseBkTime(value);
  if (parsed === undefined) throw argumentError(`${name}: must be "YYYY-MM-DD hh:mm:ss" with an optional zone such as +0800`);
  return parsed;
}

function sameSecond(a: number, b: number): boolean {
  return Math.floor(a / 1000) === Math.floor(b / 1000);
}

function alarmRow(world: BkWorld, alarm: BkAlarm, extend: readonly string[]) {
  const host = alarm.host;
  const set = host ? world.topology.setById(host.bk_set_id) : undefined;
  const module = host ? world.topology.moduleById(host.bk_module_id) : undefined;
  const extra: Record<string, unknown> = {};
  if (extend.includes('begin_time')) extra['begin_time'] = utcTime(alarm.beginTime);
  if (extend.includes('end_time')) extra['end_time'] = alarm.endTime === undefined ? null : utcTime(alarm.endTime);
  if (extend.includes('finish_time')) extra['finish_time'] = alarm.endTime === undefined ? null : utcTime(alarm.endTime);
  return {
    id: alarm.id,
    bk_biz_id: alarm.bk_biz_id,
    bk_cloud_id: alarm.bk_cloud_id,
    bk_supplier_id: 0,
    ip: alarm.ip,
    comment: '',
    status: alarm.status,
    user_status: alarm.user_status,
    alarm_type: alarm.alarm_type,
    level: alarm.level,
    source_time: utcTime(alarm.sourceTime),
    alarm_content: {
      source_name: alarm.source_name,
      title: alarm.title,
      cc_biz_name: world.topology.business(alarm.bk_biz_id)?.bk_biz_name ?? '',
      content: alarm.content,
      is_performance_alarm: alarm.alarm_type !== 'base_alarm',
      dimensions_display: `ip(${alarm.ip})-集群(${set?.bk_set_name ?? ''})-模块(${module?.bk_module_name ?? ''})-biz_id(${alarm.bk_biz_id})-plat_id(${alarm.bk_cloud_id})`,
    },
    match_dimension: {
      bk_biz_id: alarm.bk_biz_id,
      ip: alarm.ip,
      bk_cloud_id: String(alarm.bk_cloud_id),
      cc_topo_set: String(set?.bk_set_id ?? ''),
      cc_topo_module: String(module?.bk_module_id ?? ''),
      SetName: set?.bk_set_name ?? '',
      ModuleName: module?.bk_module_name ?? '',
    },
    ...extra,
  };
}

const ORDERINGS = ['id', 'source_time', 'begin_time', 'end_time'] as const;

function sortKey(alarm: BkAlarm, field: string): number {
  switch (field) {
    case 'source_time':
      return alarm.sourceTime;
    case 'begin_time':
      return alarm.beginTime;
    case 'end_time':
      return alarm.endTime ?? Number.MAX_SAFE_INTEGER;
    default:
      return alarm.id;
  }
}

export const monitorComponents = [
  defineComponent({
    key: 'monitor/get_alarms',
    method: 'GET',
    params: z.object({
      bk_biz_id: int(),
      source_time: str().optional(),
      source_time__gte: str().optional(),
      source_time__lte: str().optional(),
      id: int().optional(),
      alarm_type: str().optional(),
      alarm_type__in: str().optional(),
      level: int().optional(),
      level__in: str().optional(),
      alarm_content__contains: str().optional(),
      user_status: str().optional(),
      user_status__in: str().optional(),
      status: str().optional(),
      status__in: str().optional(),
      extend_fields: str().optional(),
      ordering: str().optional(),
      page: int().pipe(z.number().min(1, { error: 'must be 1 or more' })).optional(),
      page_size: int().pipe(z.number().min(1, { error: 'must be 1 or more' }).max(1000, { error: 'must be at most 1000' })).optional(),
    }),
    handle: ({ params, world }) => {
      const at = timeParam('source_time', params.source_time);
      const from = timeParam('source_time__gte', params.source_time__gte);
      const to = timeParam('source_time__lte', params.source_time__lte);
      if (at === undefined && from === undefined && to === undefined) throw argumentError('source_time: is required (or source_time__gte / source_time__lte)');
      const types = list(params.alarm_type__in) ?? (params.alarm_type === undefined ? undefined : [params.alarm_type]);
      const levels = list(params.level__in)?.map(Number) ?? (params.level === undefined ? undefined : [params.level]);
      const userStatuses = list(params.user_status__in) ?? (params.user_status === undefined ? ['notified', 'unnotified'] : [params.user_status]);
      const statuses = list(params.status__in) ?? (params.status === undefined ? undefined : [params.status]);
      const ordering = params.ordering ?? 'id';
      const field = ordering.replace(/^-/, '');
      if (!(ORDERINGS as readonly string[]).includes(field)) throw argumentError(`ordering: must be one of ${ORDERINGS.join(', ')}, "-" first for descending`);
      const rows = world.alarms
        .filter(
          (alarm) =>
            alarm.bk_biz_id === params.bk_biz_id &&
            (at === undefined || sameSecond(alarm.sourceTime, at)) &&
            (from === undefined || alarm.sourceTime >= from) &&
            (to === undefined || alarm.sourceTime <= to) &&
            (params.id === undefined || alarm.id === params.id) &&
            (types === undefined || types.includes(alarm.alarm_type)) &&
            (levels === undefined || levels.includes(alarm.level)) &&
            (params.alarm_content__contains === undefined || alarm.content.includes(params.alarm_content__contains) || alarm.title.includes(params.alarm_content__contains)) &&
            userStatuses.includes(alarm.user_status) &&
            (statuses === undefined || statuses.includes(alarm.status)),
        )
        .sort((a, b) => (sortKey(a, field) - sortKey(b, field)) * (ordering.startsWith('-') ? -1 : 1));
      const pageSize = params.page_size ?? 5;
      const pageNo = params.page ?? 1;
      const extend = list(params.extend_fields) ?? [];
      return ok({ total: rows.length, result: rows.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((alarm) => alarmRow(world, alarm, extend)) });
    },
  }),
  defineComponent({
    key: 'monitor/list_alarm_instance',
    method: 'GET',
    params: z.object({
      bk_supplier_id: int().optional(),
      bk_biz_id: int().optional(),
      bk_cloud_id: int().optional(),
      source_time: str().optional(),
      status: str().optional(),
      id: int().optional(),
      user_status: str().optional(),
      event_id: str().optional(),
    }),
    handle: ({ params, world }) => {
      const at = timeParam('source_time', params.source_time);
      const rows = world.alarms.filter(
        (alarm) =>
          (params.bk_biz_id === undefined || alarm.bk_biz_id === params.bk_biz_id) &&
          (params.bk_cloud_id === undefined || alarm.bk_cloud_id === params.bk_cloud_id) &&
          (at === undefined || sameSecond(alarm.sourceTime, at)) &&
          (params.status === undefined || alarm.status === params.status) &&
          (params.id === undefined || alarm.id === params.id) &&
          (params.user_status === undefined || alarm.user_status === params.user_status) &&
          (params.event_id === undefined || alarm.event_id === params.event_id),
      );
      const data = rows.map((alarm) => {
        const base = alarmRow(world, alarm, []);
        return {
          ...base,
          source_time: bkTimeZoned(alarm.sourceTime),
          begin_time: bkTimeZoned(alarm.beginTime),
          end_time: alarm.endTime === undefined ? null : bkTimeZoned(alarm.endTime),
          finish_time: alarm.endTime === undefined ? null : bkTimeZoned(alarm.endTime),
          event_id: alarm.event_id,
          source_type: 'JUNGLE_ALERT',
          raw: alarm.content,
          alarm_content: { ...base.alarm_content, subject: alarm.title },
        };
      });
      return ok(data, { _meta: { count: data.length, previous: null, next: null } });
    },
  }),
];
