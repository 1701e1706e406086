/**
 * BlueKing Monitor components (reference: "蓝鲸监控 API 简介"): alarm events by filter
 * (`get_alarms`) and alarm instances by id (`list_alarm_instance`). Both are GET; get_alarms takes
 * Django-style filters (`source_time__gte`), times as "YYYY-MM-DD hh:mm:ss" (UTC when no zone).
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

const optionalText = z.string().nullish();

export const AlarmContentSchema = z.looseObject({
  title: optionalText,
  subject: optionalText,
  source_name: optionalText,
  content: optionalText,
  cc_biz_name: optionalText,
  dimensions_display: optionalText,
  dimension: optionalText,
  is_performance_alarm: z.boolean().nullish(),
});

/** One alarm event as both components answer it (list_alarm_instance adds many snapshot fields). */
export const MonitorAlarmSchema = z.looseObject({
  id: z.number().int(),
  bk_biz_id: z.number().int().nullish(),
  bk_cloud_id: z.number().int().nullish(),
  ip: optionalText,
  /** The processing status (the reference's examples: `success`). */
  status: optionalText,
  user_status: optionalText,
  alarm_type: optionalText,
  /** 1 fatal, 2 warning, 3 reminder. */
  level: z.number().int(),
  source_time: optionalText,
  begin_time: optionalText,
  end_time: optionalText,
  /** When the alarm recovered (an extend field of get_alarms). */
  finish_time: optionalText,
  alarm_content: AlarmContentSchema.nullish(),
  raw: optionalText,
  comment: optionalText,
});
export type MonitorAlarm = z.infer<typeof MonitorAlarmSchema>;

export const GetAlarmsRequestSchema = z.strictObject({
  bk_biz_id: z.number().int(),
  /** The reference marks `source_time` required; its example bounds it with `__gte`/`__lte`. */
  source_time__gte: z.string().optional(),
  source_time__lte: z.string().optional(),
  id: z.number().int().optional(),
  level: z.number().int().min(1).max(3).optional(),
  status: z.string().optional(),
  alarm_type: z.string().optional(),
  /** Comma-separated: begin_time, end_time, finish_time, original_alarm. */
  extend_fields: z.string().optional(),
  /** id (default), source_time, begin_time, end_time; `-` for descending. */
  ordering: z.string().optional(),
  page: z.number().int().positive().optional(),
  page_size: z.number().int().positive().optional(),
});
export type GetAlarmsRequest = z.infer<typeof GetAlarmsRequestSchema>;

export const AlarmsPageSchema = z.looseObject({ total: z.number().int().nullish(), result: z.array(MonitorAlarmSchema) });
export type AlarmsPage = z.infer<typeof AlarmsPageSchema>;

export const GET_ALARMS: EsbComponent<GetAlarmsRequest, AlarmsPage> = {
  system: 'monitor',
  name: 'get_alarms',
  method: 'GET',
  write: false,
  request: GetAlarmsRequestSchema,
  data: AlarmsPageSchema,
};

export const ListAlarmInstanceRequestSchema = z.strictObject({
  id: z.number().int().optional(),
  bk_biz_id: z.number().int().optional(),
  bk_cloud_id: z.number().int().optional(),
  bk_supplier_id: z.number().int().optional(),
  status: z.string().optional(),
  user_status: z.string().optional(),
  event_id: z.string().optional(),
});
export type ListAlarmInstanceRequest = z.infer<typeof ListAlarmInstanceRequestSchema>;

export const LIST_ALARM_INSTANCE: EsbComponent<ListAlarmInstanceRequest, MonitorAlarm[]> = {
  system: 'monitor',
  name: 'list_alarm_instance',
  method: 'GET',
  write: false,
  request: ListAlarmInstanceRequestSchema,
  data: z.array(MonitorAlarmSchema),
};
