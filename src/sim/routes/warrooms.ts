/**
 * WarRoom APIs (coc-api-notes §1.18, §1.19). Creating one needs an existing incident without
 * a WarRoom and links it (`warroom_id` on the incident). The list answers the documented
 * `{list, total, running_num, closed_num, total_num}`: `total` counts what matches every
 * filter (for paging); the three `*_num` counts ignore the `status` filter, so a UI can show
 * its tabs. `limit` is the page size (default 10, at most 1000), `offset` the first row.
 * Without time bounds only WarRooms triggered in the last 30 days are listed, as documented.
 */
import { z } from 'zod';
import { DAY_MS } from '../clock.js';
import { ErrorCodes } from '../http/error-codes.js';
import { gomResponse } from '../http/envelopes.js';
import { invalid, jsonBoolean, jsonInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { INCIDENT_SOURCES, WAR_ROOM_STATUS_NAMES } from '../state/incident-enums.js';
import type { WarRoom } from '../state/model.js';
import type { World } from '../state/world.js';

const stringList = (maxItems: number, maxLength = 255) => z.array(z.string().max(maxLength)).max(maxItems);

const createBody = z.object({
  war_room_name: z.string().min(1).max(255),
  description: z.string().max(255).optional(),
  region_code_list: z.array(z.string().min(1).max(255)).max(1000).optional(),
  application_id_list: z.array(z.string().min(1).max(255)).min(1).max(1000),
  incident_number: z.string().min(1).max(255),
  schedule_group: z.array(z.object({ role_id: z.string().min(1).max(255), scene_id: z.string().min(1).max(255) })).max(1000),
  participant: stringList(1000).optional(),
  war_room_admin: z.string().min(1).max(255),
  application_names: stringList(1000, 1000).optional(),
  region_names: stringList(1000, 1000).optional(),
  enterprise_project_id: z.string().min(1).max(64),
  notification_type: z.string().max(64).optional(),
  notification_modes: z.array(z.enum(['1', '2', '3', '4', '5'])).max(5).optional(),
});

const longValue = jsonInt(0, Number.MAX_SAFE_INTEGER);

const listBody = z
  .object({
    limit: jsonInt(0, 1000).optional(),
    offset: longValue.optional(),
    incident_num: z.string().max(64).optional(),
    title: z.string().max(1000).optional(),
    region_code_list: stringList(1000, 200).optional(),
    incident_levels: stringList(1000, 32).optional(),
    impacted_application_ids: stringList(1000, 200).optional(),
    admin: stringList(1000, 200).optional(),
    status: stringList(100, 10).optional(),
    triggered_start_time: longValue.optional(),
    triggered_end_time: longValue.optional(),
    occur_start_time: longValue.optional(),
    occur_end_time: longValue.optional(),
    recover_start_time: longValue.optional(),
    recover_end_time: longValue.optional(),
    notification_level: stringList(1000, 32).optional(),
    enterprise_project_ids: stringList(500, 64).optional(),
    war_room_num: z.string().max(255).optional(),
    statistic_flag: jsonBoolean().optional(),
    current_users: stringList(1000).optional(),
    war_room_nums: stringList(1000).optional(),
  })
  .default({});

type ListFilters = z.output<typeof listBody>;

function createWarRoom({ body, world }: RouteContext) {
  const input = validate(createBody, body, 'gom');
  const incident = world.incidents.get(input.incident_number);
  if (!incident) throw new SimError(404, ErrorCodes.GOM_NOT_FOUND, `The incident ${input.incident_number} does not exist.`);
  if (incident.warroomId) throw invalid('gom', `The incident ${incident.incidentNum} already has the WarRoom ${incident.warroomId}`);
  const room = world.warRooms.create({
    title: input.war_room_name,
    description: input.description ?? '',
    admin: input.war_room_admin,
    participants: input.participant ?? [],
    incidentNum: incident.incidentNum,
    applicationIds: input.application_id_list,
    regionCodes: input.region_code_list ?? incident.region,
    enterpriseProjectId: input.enterprise_project_id,
    scheduleGroup: input.schedule_group,
    notificationModes: input.notification_modes ?? [],
  });
  incident.warroomId = room.id;
  return gomResponse(room.id, world.warRooms.successCode);
}

function occurTime(world: World, room: WarRoom): number {
  const incident = world.incidents.get(room.incidentNum);
  return incident?.startTime ?? incident?.createTime ?? room.createTime;
}

function within(value: number | null, start: number | undefined, end: number | undefined): boolean {
  if (start === undefined && end === undefined) return true;
  if (value === null) return false;
  return (start === undefined || value >= start) && (end === undefined || value <= end);
}

/** Every filter except `status`. */
function matchesExceptStatus(world: World, room: WarRoom, filters: ListFilters, now: number): boolean {
  if (filters.war_room_nums?.length) return filters.war_room_nums.includes(room.id);
  const incident = world.incidents.get(room.incidentNum);
  const anyOf = (wanted: readonly string[] | undefined, actual: readonly string[]) => !wanted?.length || wanted.some((value) => actual.includes(value));
  const triggeredDefault = filters.triggered_start_time === undefined && filters.triggered_end_time === undefined;
  return (
    (filters.incident_num === undefined || room.incidentNum === filters.incident_num) &&
    (filters.war_room_num === undefined || room.id === filters.war_room_num) &&
    (filters.title === undefined || room.title.toLowerCase().includes(filters.title.toLowerCase())) &&
    anyOf(filters.region_code_list, room.regionCodes) &&
    anyOf(filters.incident_levels, incident ? [incident.level] : []) &&
    anyOf(filters.impacted_application_ids, room.applicationIds) &&
    anyOf(filters.admin, [room.admin]) &&
    anyOf(filters.enterprise_project_ids, [room.enterpriseProjectId]) &&
    anyOf(filters.current_users, [room.admin, ...room.participants]) &&
    (triggeredDefault ? room.createTime >= now - 30 * DAY_MS : within(room.createTime, filters.triggered_start_time, filters.triggered_end_time)) &&
    within(occurTime(world, room), filters.occur_start_time, filters.occur_end_time) &&
    within(room.recoverTime, filters.recover_start_time, filters.recover_end_time)
  );
}

function renderWarRoom(world: World, room: WarRoom, now: number): Record<string, unknown> {
  const incident = world.incidents.get(room.incidentNum);
  const status = WAR_ROOM_STATUS_NAMES[room.status];
  const occur = occurTime(world, room);
  const end = room.recoverTime ?? now;
  return {
    id: room.id,
    title: room.title,
    admin: room.admin,
    recover_member: room.participants,
    recover_leader: [room.admin],
    incident: {
      id: room.incidentNum,
      incident_id: room.incidentNum,
      alarm_id: null,
      is_change_event: false,
      source_id: incident?.source ?? null,
      failure_level: incident?.level ?? null,
      incident_url: `https://console.huaweicloud.com/coc/#/incident/detail?incident_num=${room.incidentNum}`,
    },
    source: incident ? (INCIDENT_SOURCES[incident.source]?.en ?? incident.source) : null,
    regions: room.regionCodes.map((code) => ({ code, name: world.regionById(code)?.name ?? code })),
    change_num: null,
    occur_time: occur,
    recover_time: room.recoverTime,
    fault_cause: incident?.cause ?? null,
    create_time: room.createTime,
    first_report_time: room.createTime,
    recovery_notification_time: room.recoverTime,
    fault_impact: incident?.description ?? '',
    description: room.description,
    circular_level: incident?.level ?? null,
    war_room_status: { id: room.status, name_zh: status?.zh ?? room.status, name_en: status?.en ?? room.status, type: 'war_room_status' },
    impacted_application: room.applicationIds.map((id) => ({ id, name: world.applicationName(id) })),
    processing_duration: Math.max(0, Math.floor((end - room.createTime) / 60_000)),
    restoration_duration: Math.max(0, Math.floor((end - occur) / 60_000)),
    war_room_num: room.id,
    enterprise_project_id: room.enterpriseProjectId,
  };
}

function listWarRooms({ body, world }: RouteContext) {
  const filters = validate(listBody, body ?? undefined, 'gom');
  const now = world.now();
  const candidates = world.warRooms
    .all()
    .filter((room) => matchesExceptStatus(world, room, filters, now))
    .sort((a, b) => b.createTime - a.createTime);
  const statusFilter = filters.war_room_nums?.length ? undefined : filters.status;
  const matching = candidates.filter((room) => !statusFilter?.length || statusFilter.includes(room.status));
  const running = candidates.filter((room) => room.status === 'RUNNING').length;
  const counts = { total: matching.length, running_num: running, closed_num: candidates.length - running, total_num: candidates.length };
  if (filters.statistic_flag) return gomResponse({ list: [], ...counts }, world.warRooms.successCode);
  const limit = filters.limit === undefined || filters.limit === 0 ? 10 : filters.limit;
  const offset = filters.offset ?? 0;
  return gomResponse({ list: matching.slice(offset, offset + limit).map((room) => renderWarRoom(world, room, now)), ...counts }, world.warRooms.successCode);
}

export const warRoomRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/external/warrooms', family: 'gom', auth: 'required', handle: createWarRoom },
  { method: 'POST', path: '/v1/external/warrooms/list', family: 'gom', auth: 'required', handle: listWarRooms },
];
