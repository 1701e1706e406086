/**
 * WarRooms (coc-api-notes §1.18, §1.19; Chinese reference only). The list request follows the
 * SDK names, not the reference example's stale ones (notes §3 row 22).
 */
import { z } from 'zod';
import { int, list, long, oneOf, text } from './fields.js';
import { optionalBoolean, optionalList, optionalNumber, optionalText, requiredId, timestamp } from './common.js';

/** 1 SMS, 2 WeCom, 3 DingTalk, 4 Feishu, 5 phone. */
export const WAR_ROOM_NOTIFICATION_MODES = ['1', '2', '3', '4', '5'] as const;

const strings = (maxLength: number, maxItems: number, noun: string) => list(text(0, maxLength), 0, maxItems, { noun });

export const CreateWarRoomRequest = z.strictObject({
  war_room_name: text(1, 255),
  description: text(0, 255).optional(),
  region_code_list: list(text(1, 255), 0, 1000, { noun: 'region codes' }).optional(),
  /** Affected applications. */
  application_id_list: list(text(1, 255), 1, 1000, { noun: 'application ids', one: 'application id' }),
  incident_number: text(1, 255),
  /** On-call groups to pull in (required, possibly empty; each needs both ids). */
  schedule_group: list(z.strictObject({ role_id: text(1, 255), scene_id: text(1, 255) }), 0, 1000, { noun: 'schedule groups' }),
  participant: strings(255, 1000, 'participants').optional(),
  war_room_admin: text(1, 255),
  application_names: strings(1000, 1000, 'application names').optional(),
  region_names: strings(1000, 1000, 'region names').optional(),
  enterprise_project_id: text(1, 64),
  /** How the chat group is created. */
  notification_type: text(0, 64).optional(),
  notification_modes: list(oneOf(WAR_ROOM_NOTIFICATION_MODES), 0, 5, { noun: 'notification modes' }).optional(),
});
export type CreateWarRoomInput = z.input<typeof CreateWarRoomRequest>;

/** Create answers with the WarRoom id. */
export const WarRoomId = requiredId;

/**
 * `limit` is the page size and `offset` the first row (the reference swaps their
 * descriptions; notes §3 row 23). Without time bounds COC lists the last 30 days.
 */
export const ListWarRoomsRequest = z.strictObject({
  limit: int(1, 1000).optional(),
  offset: long().optional(),
  incident_num: text(0, 64).optional(),
  /** Fuzzy match. */
  title: text(0, 1000).optional(),
  region_code_list: strings(200, 1000, 'region codes').optional(),
  incident_levels: strings(32, 1000, 'incident levels').optional(),
  impacted_application_ids: strings(200, 1000, 'application ids').optional(),
  admin: strings(200, 1000, 'admins').optional(),
  status: strings(10, 100, 'statuses').optional(),
  triggered_start_time: long().optional(),
  triggered_end_time: long().optional(),
  occur_start_time: long().optional(),
  occur_end_time: long().optional(),
  recover_start_time: long().optional(),
  recover_end_time: long().optional(),
  notification_level: strings(32, 1000, 'notification levels').optional(),
  enterprise_project_ids: strings(64, 500, 'enterprise project ids').optional(),
  war_room_num: text(0, 255).optional(),
  /** true: counts only. */
  statistic_flag: z.boolean().optional(),
  current_users: strings(255, 1000, 'users').optional(),
  /** When set, COC ignores every other filter. */
  war_room_nums: strings(255, 1000, 'WarRoom numbers').optional(),
});
export type ListWarRoomsInput = z.input<typeof ListWarRoomsRequest>;

const named = z.looseObject({ id: optionalText, name: optionalText });

export const WarRoomInfo = z.looseObject({
  id: optionalText,
  title: optionalText,
  admin: optionalText,
  recover_member: optionalList(z.string()),
  recover_leader: optionalList(z.string()),
  incident: z
    .looseObject({
      id: optionalText,
      incident_id: optionalText,
      alarm_id: optionalText,
      is_change_event: optionalBoolean,
      source_id: optionalText,
      failure_level: optionalText,
      incident_url: optionalText,
    })
    .nullish(),
  source: optionalText,
  regions: optionalList(z.looseObject({ code: optionalText, name: optionalText })),
  change_num: optionalText,
  occur_time: timestamp,
  recover_time: timestamp,
  fault_cause: optionalText,
  create_time: timestamp,
  first_report_time: timestamp,
  recovery_notification_time: timestamp,
  fault_impact: optionalText,
  description: optionalText,
  circular_level: optionalText,
  war_room_status: z.looseObject({ id: optionalText, name_zh: optionalText, name_en: optionalText, type: optionalText }).nullish(),
  impacted_application: optionalList(named),
  /** Minutes. */
  processing_duration: optionalNumber,
  /** Minutes. */
  restoration_duration: optionalNumber,
  war_room_num: optionalText,
  enterprise_project_id: optionalText,
});
export type WarRoomInfo = z.output<typeof WarRoomInfo>;

/** The reference's `{list, total, running_num, closed_num, total_num}`; the SDK leaves it untyped. */
export const WarRoomListPage = z.preprocess(
  (data) => data ?? {},
  z.looseObject({
    list: optionalList(WarRoomInfo),
    /** Rows matching every filter. */
    total: optionalNumber,
    running_num: optionalNumber,
    closed_num: optionalNumber,
    total_num: optionalNumber,
  }),
);
export type WarRoomListPage = z.output<typeof WarRoomListPage>;
