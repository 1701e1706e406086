/**
 * COC's alarm management (coc-api-notes §2.2, Appendix A), field by field from the SDK models
 * (huaweicloud-sdk-go-v3 services/coc/v1/model, 0.1.179): AlarmInfoDto, AlarmToIncidentRequestBody,
 * ClearAlarmRequestBody, AutoHandlerAlarmRequestBody, AlarmHandleHistory, ResolvedRecordDto.
 * Required = a Go field without `omitempty`. These answers use the `{data: …}` envelope, except
 * the handling history (a bare `{count, alarm_handle_histories, resolved_record}`) and
 * auto-process (an untyped body).
 */
import { z } from 'zod';
import { INCIDENT_LEVELS, INCIDENT_TYPES } from './incidents.js';
import { int, long, oneOf, text } from './fields.js';
import { count, openEnum, optionalList, optionalNumber, optionalText, requiredId } from './common.js';

/** `importance`: urgent (紧急), major (重要), minor (次要), warn (提示). */
export const ALARM_IMPORTANCES = ['urgent', 'major', 'minor', 'warn'] as const;
/** `status`: alarming (告警中), resolved (已解决). */
export const MANAGED_ALARM_STATUSES = ['alarming', 'resolved'] as const;
/** `task_type`: SCRIPT (脚本) or RUNBOOK (作业). */
export const ALARM_TASK_TYPES = ['SCRIPT', 'RUNBOOK'] as const;
/** `associated_task_type`: CUSTOMIZATION (自定义) or COMMUNAL (公共). */
export const ALARM_TASK_KINDS = ['CUSTOMIZATION', 'COMMUNAL'] as const;

/** AlarmInfoDto: every field optional in the SDK; the id is what the bot addresses it by. */
export const AlarmInfo = z.looseObject({
  id: requiredId,
  name: optionalText,
  importance: openEnum(ALARM_IMPORTANCES).nullish(),
  come_from: optionalText,
  come_from_en: optionalText,
  transfer_rule: optionalText,
  transfer_rule_name: optionalText,
  app: optionalText,
  status: openEnum(MANAGED_ALARM_STATUSES).nullish(),
  owner: optionalText,
  owner_name: optionalText,
  owner_alias: optionalText,
  converge_count: optionalNumber,
  associate_event_id: optionalText,
  domain_id: optionalText,
  creator: optionalText,
  creator_name: optionalText,
  create_time: optionalNumber,
  update_time: optionalNumber,
  remarks: optionalText,
  region: optionalText,
  task_type: openEnum(ALARM_TASK_TYPES).nullish(),
  associated_task_type: openEnum(ALARM_TASK_KINDS).nullish(),
  associated_task_id: optionalText,
  associated_task_name: optionalText,
});
export type AlarmInfo = z.output<typeof AlarmInfo>;

/** The alarm ids a write names: comma-separated in one string ("告警id，多个以，分隔"). */
const AlarmIds = text(1, 4096).regex(/^[^,\s]+(,[^,\s]+)*$/, { error: 'must be alarm ids separated by commas, without spaces' });

/** AlarmToIncidentRequestBody: the alarms become (are linked to) one new incident. */
export const AlarmToIncidentRequest = z.strictObject({
  alarm_ids: AlarmIds,
  enterprise_project_id: text(1, 64).optional(),
  assignee: text(1, 128).optional(),
  assignee_role: text(1, 128).optional(),
  assignee_scene: text(1, 128).optional(),
  attachment: text(1, 1024).optional(),
  /** The application the incident belongs to (归属应用). */
  current_cloud_service_id: text(1, 128),
  description: text(1, 2000),
  is_change_event: z.boolean().optional(),
  /** A JSON boolean here (unlike the incident create API, where it is a string). */
  is_service_interrupt: z.boolean(),
  /** The incident level, `level_10`…`level_50` as in the incident APIs (an assumption: the SDK types it as a plain string). */
  level_id: oneOf(INCIDENT_LEVELS),
  mtm_region: text(1, 64).optional(),
  /** The incident type (事件类别), as in the incident APIs (the same assumption). */
  mtm_type: oneOf(INCIDENT_TYPES),
  source_id: text(1, 128).optional(),
  title: text(1, 200),
});
export type AlarmToIncidentInput = z.input<typeof AlarmToIncidentRequest>;

/** `data: []string`: what COC made of the alarms (the incident's number first, as the simulator answers; unverified live). */
export const AlarmToIncidentResult = optionalList(z.string());

/** ClearAlarmRequestBody. */
export const ClearAlarmRequest = z.strictObject({
  /** Why it is cleared (清除备注). */
  remarks: text(1, 1000).optional(),
  alarm_ids: AlarmIds,
  is_service_interrupt: z.boolean().optional(),
  /** When the fault began, epoch ms. */
  start_time: long().optional(),
  /** When the service recovered, epoch ms. */
  fault_recovery_time: long().optional(),
});
export type ClearAlarmInput = z.input<typeof ClearAlarmRequest>;

/** `data: []string`: the alarms cleared. */
export const ClearAlarmResult = optionalList(z.string());

/** Query of ListAlarmHandleHistories: both required in the SDK. */
export const AlarmHandleHistoriesQuery = z.strictObject({
  /** Where the page starts (0-based; the SDK does not say, the simulator reads it as a count of rows skipped). */
  offset: int(0, 1_000_000),
  limit: int(1, 100),
});
export type AlarmHandleHistoriesInput = z.input<typeof AlarmHandleHistoriesQuery>;

export const SubTaskInfo = z.looseObject({
  sub_task_type: optionalText,
  sub_associated_task_id: optionalText,
  sub_associated_task_name: optionalText,
  sub_associated_task_type: optionalText,
});

/** AlarmHandleHistory: one automatic handling (a script or runbook run) of the alarm. */
export const AlarmHandleHistory = z.looseObject({
  work_order_id: optionalText,
  create_name: optionalText,
  create_alias: optionalText,
  task_type: optionalText,
  start_time: optionalNumber,
  end_time: optionalNumber,
  duration: optionalNumber,
  status: optionalText,
  associated_task_id: optionalText,
  associated_task_name: optionalText,
  sub_task_info: SubTaskInfo.nullish(),
});
export type AlarmHandleHistory = z.output<typeof AlarmHandleHistory>;

/** ResolvedRecordDto: who cleared the alarm, when, and why. */
export const ResolvedRecord = z.looseObject({
  resolved_time: optionalNumber,
  create_name: optionalText,
  remarks: optionalText,
});

/** ListAlarmHandleHistoriesResponse (bare, no `data`). */
export const AlarmHandleHistoriesPage = z.looseObject({
  count: count.nullish().transform((value) => value ?? 0),
  alarm_handle_histories: optionalList(AlarmHandleHistory),
  resolved_record: ResolvedRecord.nullish(),
});
export type AlarmHandleHistoriesPage = z.output<typeof AlarmHandleHistoriesPage>;

/** AlarmScheduleInstance: target_selection ALL | MANUAL | NONE; batch_strategy AUTO_BATCH | MANUAL_BATCH | NONE. */
export const AlarmScheduleInstance: z.ZodType<AlarmScheduleInstanceShape> = z.lazy(() =>
  z.strictObject({
    target_selection: oneOf(['ALL', 'MANUAL', 'NONE']),
    /** The instances, as COC's JSON text (实例信息). */
    target_instances: text(1, 65_536).optional(),
    order_no: int(0, 10_000),
    batch_strategy: oneOf(['AUTO_BATCH', 'MANUAL_BATCH', 'NONE']).optional(),
    sub_target_instances: z.array(AlarmScheduleInstance).optional(),
  }),
);
export interface AlarmScheduleInstanceShape {
  target_selection: 'ALL' | 'MANUAL' | 'NONE';
  target_instances?: string | undefined;
  order_no: number;
  batch_strategy?: 'AUTO_BATCH' | 'MANUAL_BATCH' | 'NONE' | undefined;
  sub_target_instances?: AlarmScheduleInstanceShape[] | undefined;
}

/** AutoHandlerAlarmRequestBody: runs the alarm's linked script or runbook. */
export const AutoProcessAlarmRequest = z.strictObject({
  task_type: oneOf(ALARM_TASK_TYPES),
  associated_task_id: text(1, 128),
  associated_task_type: oneOf(ALARM_TASK_KINDS),
  associated_task_name: text(1, 256),
  associated_task_enterprise_project_id: text(1, 64).optional(),
  runbook_instance_mode: text(1, 64).optional(),
  /** Parameters, each value a string ("值为json串"). Required, possibly empty. */
  input_param: z.record(z.string(), z.string()),
  target_instances: z.array(AlarmScheduleInstance).optional(),
  region_id: text(1, 64).optional(),
  sub_task_info: z
    .strictObject({
      sub_task_type: text(1, 64).optional(),
      sub_associated_task_id: text(1, 128).optional(),
      sub_associated_task_name: text(1, 256).optional(),
      sub_associated_task_type: text(1, 64).optional(),
    })
    .optional(),
});
export type AutoProcessAlarmInput = z.input<typeof AutoProcessAlarmRequest>;

/**
 * HandlerAlarmResponse has an untyped body. The simulator answers `{data: <work order id>}`;
 * what COC really answers is unverified, so any answer is taken and the id only when it is a string.
 */
export const AutoProcessAlarmResult = z.unknown().transform((value) => (typeof value === 'string' && value !== '' ? value : undefined));
