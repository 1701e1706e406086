/**
 * COC's alarm management (coc-api-notes §2.2; SDK models AlarmInfoDto, AlarmToIncidentRequestBody,
 * ClearAlarmRequestBody, AutoHandlerAlarmRequestBody, ListAlarmHandleHistoriesResponse). Alarms
 * live in the world's alarm centre (state/alarms.ts): linking one opens an incident in the
 * world's incident desk, clearing one records who and why, auto-process records a handling.
 * Error codes are the simulator's own (COC documents none for these APIs), in the `{error_code,
 * error_msg}` form of the `{data: …}` APIs.
 */
import { z } from 'zod';
import { startOfUtcDay } from '../clock.js';
import { SIM_DOMAIN_ID, stableHexId } from '../defaults.js';
import { bareResponse, dataResponse } from '../http/envelopes.js';
import { jsonBoolean, jsonInt, queryInt, validate } from '../http/validate.js';
import { SimError, type Identity, type RouteContext, type RouteDefinition } from '../http/types.js';
import { ALARM_SEEDS, type AlarmBoard, type AlarmSeed, type ManagedAlarm } from '../state/alarms.js';
import { enumKeys, INCIDENT_LEVELS, INCIDENT_TYPES } from '../state/incident-enums.js';
import { RUNBOOK_SEEDS, runbooksOf } from '../state/runbooks.js';
import { parametersFor } from './runbooks.js';
import type { World } from '../state/world.js';

/** The simulator's own codes (sim), in COC's `COC.` family so a client classifies them as COC's. */
export const ALARM_ERROR_CODES = {
  NOT_FOUND: 'COC.00060404',
  INVALID: 'COC.00060400',
  /** Already linked to an incident, already cleared, or no such linked task. */
  CONFLICT: 'COC.00060409',
} as const;

const DAY_MS = 86_400_000;

/** A managed alarm as COC's alarm centre would hold it, created `minutesAgo` before `at`. */
function buildAlarm(world: World, spec: AlarmSeed, at: number, id: string): ManagedAlarm {
  const app = world.applications.find((candidate) => candidate.name === spec.appName);
  const script = spec.task?.type === 'SCRIPT' ? [...world.scripts.values()].find((candidate) => candidate.name === spec.task?.name) : undefined;
  // A runbook-linked alarm names one of the simulator's own runbooks, so `runbook run <id>` finds it.
  const runbook = spec.task?.type === 'RUNBOOK' ? RUNBOOK_SEEDS.find((candidate) => candidate.name === spec.task?.name) : undefined;
  const created = at - spec.minutesAgo * 60_000;
  return {
    id,
    name: spec.name,
    importance: spec.importance,
    comeFrom: '云监控',
    comeFromEn: 'Cloud Eye',
    app: app?.id ?? spec.appName,
    status: spec.status,
    owner: stableHexId('user', 'alice'),
    ownerName: 'alice',
    convergeCount: 1 + (spec.minutesAgo % 7),
    associateEventId: undefined,
    createTime: created,
    updateTime: created,
    remarks: undefined,
    region: spec.region,
    task: spec.task
      ? { type: spec.task.type, kind: 'CUSTOMIZATION', id: script?.scriptUuid ?? runbook?.documentId ?? stableHexId('runbook', spec.task.name, 32), name: spec.task.name }
      : undefined,
    handlings: [],
    resolved: spec.status === 'resolved' ? { time: created + 600_000, by: 'alice', remarks: 'Recovered by itself' } : undefined,
  };
}

function seedAlarms(world: World, board: AlarmBoard): void {
  // Seeded relative to midday of the current UTC day (or now, if earlier), so the same seed gives the same alarms all day.
  const at = Math.min(startOfUtcDay(world.now()) + DAY_MS / 2, world.now());
  for (const spec of ALARM_SEEDS) board.add(buildAlarm(world, spec, at, stableHexId('alarm', spec.name, 24)));
}

/** Raises one more alarm in the alarm centre (tests, demos): as the monitoring would, now. */
export function raiseManagedAlarm(world: World, spec: AlarmSeed): ManagedAlarm {
  const board = boardOf(world);
  const alarm = buildAlarm(world, spec, world.now(), world.ids.hex(24));
  board.add(alarm);
  return alarm;
}

function boardOf(world: World): AlarmBoard {
  return world.alarms.managed((board) => seedAlarms(world, board));
}

function alarmOf(world: World, id: string): ManagedAlarm {
  const alarm = boardOf(world).get(id);
  if (!alarm) throw new SimError(404, ALARM_ERROR_CODES.NOT_FOUND, `The alarm ${id} does not exist.`);
  return alarm;
}

function userOf(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'anonymous' : identity.userName;
}

/** Every id of a comma-separated `alarm_ids`, each of which must exist. */
function alarmsNamed(world: World, alarmIds: string): ManagedAlarm[] {
  return alarmIds.split(',').map((id) => alarmOf(world, id));
}

/** AlarmInfoDto. */
export function alarmInfo(alarm: ManagedAlarm, domainId: string) {
  return {
    id: alarm.id,
    name: alarm.name,
    importance: alarm.importance,
    come_from: alarm.comeFrom,
    come_from_en: alarm.comeFromEn,
    transfer_rule: null,
    transfer_rule_name: null,
    app: alarm.app,
    status: alarm.status,
    owner: alarm.owner,
    owner_name: alarm.ownerName,
    owner_alias: alarm.ownerName,
    converge_count: alarm.convergeCount,
    associate_event_id: alarm.associateEventId ?? null,
    domain_id: domainId,
    creator: 'system',
    creator_name: 'system',
    create_time: alarm.createTime,
    update_time: alarm.updateTime,
    remarks: alarm.remarks ?? null,
    region: alarm.region,
    task_type: alarm.task?.type ?? null,
    associated_task_type: alarm.task?.kind ?? null,
    associated_task_id: alarm.task?.id ?? null,
    associated_task_name: alarm.task?.name ?? null,
  };
}

function showAlarm({ params, world }: RouteContext) {
  return dataResponse(alarmInfo(alarmOf(world, params['alarm_id'] ?? ''), SIM_DOMAIN_ID));
}

const alarmIds = z.string().min(1).max(4096);

const linkBody = z.object({
  alarm_ids: alarmIds,
  enterprise_project_id: z.string().max(64).optional(),
  assignee: z.string().max(128).optional(),
  assignee_role: z.string().max(128).optional(),
  assignee_scene: z.string().max(128).optional(),
  attachment: z.string().max(1024).optional(),
  current_cloud_service_id: z.string().min(1).max(128),
  description: z.string().min(1).max(2000),
  is_change_event: jsonBoolean().optional(),
  is_service_interrupt: jsonBoolean(),
  level_id: z.enum(enumKeys(INCIDENT_LEVELS)),
  mtm_region: z.string().max(64).optional(),
  mtm_type: z.enum(enumKeys(INCIDENT_TYPES)),
  source_id: z.string().max(128).optional(),
  title: z.string().min(1).max(200),
});

function linkToIncident({ body, world, identity }: RouteContext) {
  const input = validate(linkBody, body, 'coc');
  const alarms = alarmsNamed(world, input.alarm_ids);
  const linked = alarms.find((alarm) => alarm.associateEventId !== undefined);
  if (linked) throw new SimError(400, ALARM_ERROR_CODES.CONFLICT, `The alarm ${linked.id} is already linked to incident ${linked.associateEventId}.`);
  const creator = userOf(identity);
  const incident = world.incidents.create({
    region: [input.mtm_region ?? alarms[0]!.region],
    enterpriseProject: [input.enterprise_project_id ?? '0'],
    currentCloudService: [input.current_cloud_service_id],
    level: input.level_id,
    isServiceInterrupt: input.is_service_interrupt,
    type: input.mtm_type,
    title: input.title,
    description: input.description,
    source: 'incident_source_alarm',
    assignee: input.assignee ? [input.assignee] : [],
    assigneeScene: input.assignee_scene ?? '',
    assigneeRole: input.assignee_role ?? '',
    creator,
    startTime: Math.min(...alarms.map((alarm) => alarm.createTime)),
    ownership: '',
  });
  const now = world.now();
  for (const alarm of alarms) {
    alarm.associateEventId = incident.incidentNum;
    alarm.updateTime = now;
  }
  return dataResponse([incident.incidentNum]);
}

const clearBody = z.object({
  remarks: z.string().max(1000).optional(),
  alarm_ids: alarmIds,
  is_service_interrupt: jsonBoolean().optional(),
  start_time: jsonInt(0, Number.MAX_SAFE_INTEGER).optional(),
  fault_recovery_time: jsonInt(0, Number.MAX_SAFE_INTEGER).optional(),
});

function clearAlarms({ body, world, identity }: RouteContext) {
  const input = validate(clearBody, body, 'coc');
  const alarms = alarmsNamed(world, input.alarm_ids);
  const cleared = alarms.find((alarm) => alarm.status === 'resolved');
  if (cleared) throw new SimError(400, ALARM_ERROR_CODES.CONFLICT, `The alarm ${cleared.id} is already resolved.`);
  const now = world.now();
  for (const alarm of alarms) {
    alarm.status = 'resolved';
    alarm.updateTime = now;
    alarm.remarks = input.remarks;
    alarm.resolved = { time: input.fault_recovery_time ?? now, by: userOf(identity), remarks: input.remarks };
  }
  return dataResponse(alarms.map((alarm) => alarm.id));
}

const historiesQuery = z.object({ offset: queryInt(0, 1_000_000), limit: queryInt(1, 100) });

function handleHistories({ params, query, world }: RouteContext) {
  const alarm = alarmOf(world, params['alarm_id'] ?? '');
  const page = validate(historiesQuery, query.toObject(), 'coc', { subject: 'query' });
  const newestFirst = [...alarm.handlings].reverse();
  return bareResponse({
    count: newestFirst.length,
    alarm_handle_histories: newestFirst.slice(page.offset, page.offset + page.limit).map((handling) => ({
      work_order_id: handling.workOrderId,
      create_name: handling.createName,
      create_alias: handling.createName,
      task_type: handling.taskType,
      start_time: handling.startTime,
      end_time: handling.endTime,
      duration: handling.endTime - handling.startTime,
      status: handling.status,
      associated_task_id: handling.associatedTaskId,
      associated_task_name: handling.associatedTaskName,
      sub_task_info: null,
    })),
    resolved_record: alarm.resolved ? { resolved_time: alarm.resolved.time, create_name: alarm.resolved.by, remarks: alarm.resolved.remarks ?? null } : null,
  });
}

const autoProcessBody = z.object({
  task_type: z.enum(['SCRIPT', 'RUNBOOK']),
  associated_task_id: z.string().min(1).max(128),
  associated_task_type: z.enum(['CUSTOMIZATION', 'COMMUNAL']),
  associated_task_name: z.string().min(1).max(256),
  associated_task_enterprise_project_id: z.string().max(64).optional(),
  runbook_instance_mode: z.string().max(64).optional(),
  input_param: z.record(z.string(), z.string()),
  target_instances: z.array(z.unknown()).optional(),
  region_id: z.string().max(64).optional(),
  sub_task_info: z.unknown().optional(),
});

/**
 * Runs the linked task: the simulator records a finished handling and answers its work order id.
 * A linked runbook is also executed, as its document, with `input_param` as its values (checked
 * against its definitions as an execute is): its execution is in GET /v1/executions like any other.
 */
function autoProcess({ params, body, world, identity }: RouteContext) {
  const alarm = alarmOf(world, params['alarm_id'] ?? '');
  const input = validate(autoProcessBody, body, 'coc');
  const task = alarm.task;
  if (!task || task.id !== input.associated_task_id || task.type !== input.task_type) {
    throw new SimError(400, ALARM_ERROR_CODES.CONFLICT, `The alarm ${alarm.id} has no linked ${input.task_type.toLowerCase()} ${input.associated_task_id}.`);
  }
  const document = task.type === 'RUNBOOK' ? runbooksOf(world).document(task.id) : undefined;
  if (document) {
    const values = parametersFor(document, Object.entries(input.input_param).map(([key, value]) => ({ key, value })));
    runbooksOf(world).execute(document, values, userOf(identity), `alarm ${alarm.id}`);
  }
  const now = world.now();
  const workOrderId = `WO${world.ids.hex(16)}`;
  alarm.handlings.push({
    workOrderId,
    createName: userOf(identity),
    taskType: task.type,
    startTime: now,
    endTime: now,
    status: 'FINISHED',
    associatedTaskId: task.id,
    associatedTaskName: task.name,
  });
  alarm.updateTime = now;
  return dataResponse(workOrderId);
}

export const alarmRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v1/alarm-mgmt/alarm/{alarm_id}', family: 'coc', auth: 'required', handle: showAlarm },
  { method: 'POST', path: '/v1/alarm-mgmt/alarms-linked-incident', family: 'coc', auth: 'required', handle: linkToIncident },
  { method: 'POST', path: '/v1/alarm-mgmt/alarms/cancel', family: 'coc', auth: 'required', handle: clearAlarms },
  { method: 'GET', path: '/v1/alarm-mgmt/alarm/{alarm_id}/handle-histories', family: 'coc', auth: 'required', handle: handleHistories },
  { method: 'POST', path: '/v1/alarm-mgmt/alarm/{alarm_id}/auto-process', family: 'coc', auth: 'required', handle: autoProcess },
];

/** The seeded alarms' ids, for tests and the simulator's summary. */
export function seededAlarmIds(world: World): string[] {
  return boardOf(world).all().map((alarm) => alarm.id);
}
