/** COC WarRooms as the neutral WarRooms group: create and list (coc-api-notes §1.18, §1.19). */
import type { CocClient } from '../../coc/client.js';
import type { CreateWarRoomInput, ListWarRoomsInput, WarRoomInfo } from '../../coc/schemas/warrooms.js';
import { makeId, nativeOf, type WarRoomId } from '../ids.js';
import type { WarRoom, WarRoomPage, WarRoomQuery, WarRoomsCapability, WarRoomStatusChoice } from '../types/warrooms.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

const defined = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
const opt = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } => (defined(value) ? ({ [key]: value } as { [P in K]: V }) : {});

export function warRoomOf(room: WarRoomInfo): WarRoom {
  const status = room.war_room_status;
  const incidentNumber = room.incident?.incident_id ?? room.incident?.id;
  const level = room.incident?.failure_level;
  return {
    ...(room.id ? { id: makeId('coc', 'war-room', room.id) } : {}),
    ...opt('number', room.war_room_num),
    ...opt('title', room.title),
    ...opt('description', room.description),
    ...opt('admin', room.admin),
    leaders: room.recover_leader,
    members: room.recover_member,
    ...(room.incident ? { incident: { ...opt('number', incidentNumber), ...opt('level', level) } } : {}),
    ...(status ? { status: { ...opt('code', status.id), ...opt('en', status.name_en), ...opt('zh', status.name_zh) } } : {}),
    regions: room.regions.map((r) => ({ ...opt('code', r.code), ...opt('name', r.name) })),
    applications: room.impacted_application.map((a) => ({ ...opt('id', a.id), ...opt('name', a.name) })),
    ...opt('occurredAt', room.occur_time),
    ...opt('createdAt', room.create_time),
    ...opt('recoveredAt', room.recover_time),
    ...opt('processingMinutes', room.processing_duration),
    ...opt('restorationMinutes', room.restoration_duration),
    ...opt('faultCause', room.fault_cause),
    ...opt('faultImpact', room.fault_impact),
  };
}

/**
 * The statuses of `war_room_status.id`. The references name the field (at most 10 characters)
 * but list no values; these are the ids COC's console filters by.
 */
export const COC_WAR_ROOM_STATUSES: readonly WarRoomStatusChoice[] = [
  { word: 'running', code: 'RUNNING' },
  { word: 'closed', code: 'CLOSED' },
];

/** The SDK's request (notes §3 rows 22-23): `limit` is the page size, `offset` the first row. */
export function warRoomListRequestOf(query: WarRoomQuery): ListWarRoomsInput {
  const list = (values: readonly string[] | undefined) => (values?.length ? [...values] : undefined);
  return {
    ...(query.incident !== undefined ? { incident_num: nativeOf(query.incident) } : {}),
    ...(query.rooms ? { war_room_nums: [...query.rooms] } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
    ...opt('status', list(query.statusCodes)),
    ...opt('incident_levels', list(query.levelCodes)),
    ...opt('impacted_application_ids', list(query.applications)),
    ...opt('region_code_list', list(query.regions)),
    ...(query.startedFrom !== undefined ? { triggered_start_time: query.startedFrom } : {}),
    ...(query.startedTo !== undefined ? { triggered_end_time: query.startedTo } : {}),
  };
}

export function cocWarRooms(client: CocClient): WarRoomsCapability {
  return {
    statuses: COC_WAR_ROOM_STATUSES,
    async create(draft, options): Promise<WarRoomId> {
      const input: CreateWarRoomInput = {
        war_room_name: draft.name,
        ...(draft.description !== undefined ? { description: draft.description } : {}),
        application_id_list: [...draft.applications],
        incident_number: nativeOf(draft.incident),
        // Required by the reference, empty when no on-call group is pulled in.
        schedule_group: (draft.scheduleGroups ?? []).map((group) => ({ scene_id: group.scene, role_id: group.role })),
        war_room_admin: draft.admin,
        // COC's default enterprise project.
        enterprise_project_id: draft.enterpriseProject ?? '0',
        ...(draft.regions?.length ? { region_code_list: [...draft.regions] } : {}),
        ...(draft.participants?.length ? { participant: [...draft.participants] } : {}),
      };
      const id = await mapped(() => client.createWarRoom(input, cocCallOptions(options)));
      return makeId('coc', 'war-room', id);
    },
    async list(query, options): Promise<WarRoomPage> {
      const page = await mapped(() => client.listWarRooms(warRoomListRequestOf(query), cocCallOptions(options)));
      return { items: page.list.map(warRoomOf), ...opt('total', page.total), ...opt('running', page.running_num), ...opt('closed', page.closed_num) };
    },
    async counts(options) {
      const page = await mapped(() => client.listWarRooms({ statistic_flag: true }, cocCallOptions(options)));
      return { ...opt('running', page.running_num), ...opt('closed', page.closed_num) };
    },
  };
}
