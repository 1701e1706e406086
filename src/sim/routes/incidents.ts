/**
 * External incident APIs (coc-api-notes §1.15–§1.17). Assignees and operators must be IAM
 * users of the tenant; errors are PCE bodies with GOM codes.
 */
import { z } from 'zod';
import { ErrorCodes } from '../http/error-codes.js';
import { gomResponse } from '../http/envelopes.js';
import { invalid, jsonBoolean, jsonInt, validate } from '../http/validate.js';
import { SimError, type RouteContext, type RouteDefinition } from '../http/types.js';
import { enumKeys, INCIDENT_LEVELS, INCIDENT_SOURCES, INCIDENT_STATUS_NAMES, INCIDENT_TYPES } from '../state/incident-enums.js';
import { IncidentTransitionRejected, OPERATE_KEYS, type OperateKey } from '../state/incidents.js';
import type { Incident } from '../state/model.js';
import type { World } from '../state/world.js';

const createBody = z.object({
  current_cloud_service: z.array(z.string().min(1).max(255)).max(1).optional(),
  incident_level: z.enum(enumKeys(INCIDENT_LEVELS)),
  is_service_interrupt: jsonBoolean(),
  incident_type: z.enum(enumKeys(INCIDENT_TYPES)),
  incident_title: z.string().min(1).max(200),
  incident_description: z.string().max(600).optional(),
  incident_source: z.enum(enumKeys(INCIDENT_SOURCES)),
  creator: z.string().min(1).max(255),
  incident_assignee: z.array(z.string().min(1).max(255)).max(1).optional(),
  assignee_scene: z.string().max(255).optional(),
  assignee_role: z.string().max(255).optional(),
  region: z.array(z.string().max(255)).max(1).optional(),
  enterprise_project: z.array(z.string().max(255)).max(1).optional(),
  incident_ownership: z.string().max(255).optional(),
  start_time: jsonInt(0, Number.MAX_SAFE_INTEGER).optional(),
});

const handleBody = z.object({
  incident_num: z.string().min(1).max(255),
  operator: z.string().min(1).max(255),
  operate_key: z.string().min(1).max(64),
  parameter: z.record(z.string(), z.unknown()).nullish(),
});

const solutionParameter = z.object({
  mtm_type: z.enum(enumKeys(INCIDENT_TYPES)),
  is_service_interrupt: jsonBoolean(),
  cause: z.string().min(1).max(10000),
  solution: z.string().min(1).max(10000),
});

const confirmParameter = z.object({
  virtual_confirm_result: jsonBoolean().default(true),
  virtual_confirm_comment: z.string().max(300),
});

export function findIncident(world: World, incidentNum: string): Incident {
  const incident = world.incidents.get(incidentNum);
  if (!incident) throw new SimError(404, ErrorCodes.GOM_NOT_FOUND, `The incident ${incidentNum} does not exist.`);
  return incident;
}

function requireUser(world: World, field: string, userId: string): void {
  if (!world.iam.userById(userId)) throw invalid('gom', `The field[${field}] value[${userId}] is not a user of this tenant`);
}

function userName(world: World, userId: string): string {
  return world.iam.userById(userId)?.name ?? userId;
}

export function renderIncidentDetail(world: World, incident: Incident): Record<string, unknown> {
  const named = (filedKey: string, enumKey: string, zh: string, en: string) => ({ filed_key: filedKey, enum_key: enumKey, name_zh: zh, name_en: en });
  const level = INCIDENT_LEVELS[incident.level];
  const type = INCIDENT_TYPES[incident.type];
  const source = INCIDENT_SOURCES[incident.source];
  const status = INCIDENT_STATUS_NAMES[incident.status];
  const enumDataList = [
    ...incident.currentCloudService.map((id) => named('current_cloud_service_id', id, world.applicationName(id), world.applicationName(id))),
    named('creator', incident.creator, userName(world, incident.creator), userName(world, incident.creator)),
    named('level_id', incident.level, level?.zh ?? incident.level, level?.en ?? incident.level),
    named('work_flow_status', incident.status, status?.zh ?? incident.status, status?.en ?? incident.status),
    named('mtm_type', incident.type, type?.zh ?? incident.type, type?.en ?? incident.type),
    named('source_id', incident.source, source?.zh ?? incident.source, source?.en ?? incident.source),
    ...incident.assignee.map((id) => named('assignee', id, userName(world, id), userName(world, id))),
  ];
  return {
    incident_num: incident.incidentNum,
    region: incident.region,
    enterprise_project: incident.enterpriseProject,
    current_cloud_service: incident.currentCloudService,
    incident_level: incident.level,
    is_service_interrupt: incident.isServiceInterrupt,
    incident_type: incident.type,
    incident_title: incident.title,
    incident_description: incident.description,
    incident_source: incident.source,
    incident_assignee: incident.assignee,
    assignee_scene: incident.assigneeScene,
    assignee_role: incident.assigneeRole,
    warroom_id: incident.warroomId,
    handle_time: incident.handleTime,
    status: incident.status,
    create_time: incident.createTime,
    creator: incident.creator,
    start_time: incident.startTime,
    fault_recovery_time: incident.faultRecoveryTime,
    fault_delineation_time: null,
    incident_ownership: incident.ownership,
    enum_data_list: enumDataList,
  };
}

function createIncident({ body, world }: RouteContext) {
  const input = validate(createBody, body, 'gom');
  const assignees = input.incident_assignee ?? [];
  const scene = input.assignee_scene ?? '';
  const role = input.assignee_role ?? '';
  if (assignees.length > 0) {
    for (const assignee of assignees) requireUser(world, 'incident_assignee', assignee);
  } else if (scene === '' || role === '') {
    throw invalid('gom', 'Either incident_assignee or both assignee_scene and assignee_role must be set');
  }
  if ((scene === '') !== (role === '')) throw invalid('gom', 'assignee_scene and assignee_role must be set together');
  const incident = world.incidents.create({
    region: input.region ?? [],
    enterpriseProject: input.enterprise_project ?? ['0'],
    currentCloudService: input.current_cloud_service ?? [],
    level: input.incident_level,
    isServiceInterrupt: input.is_service_interrupt,
    type: input.incident_type,
    title: input.incident_title,
    description: input.incident_description ?? '',
    source: input.incident_source,
    assignee: assignees,
    assigneeScene: scene,
    assigneeRole: role,
    creator: input.creator,
    startTime: input.start_time ?? null,
    ownership: input.incident_ownership ?? '',
  });
  return gomResponse({ incident_num: incident.incidentNum });
}

function handleIncident({ body, world }: RouteContext) {
  const input = validate(handleBody, body, 'gom');
  if (!(OPERATE_KEYS as readonly string[]).includes(input.operate_key)) throw invalid('gom', `The field[operate_key] value[${input.operate_key}] invalid`);
  const key = input.operate_key as OperateKey;
  const incident = findIncident(world, input.incident_num);
  requireUser(world, 'operator', input.operator);
  const parameter = input.parameter ?? {};
  try {
    world.incidents.assertCanHandle(incident, key);
    if (key === 'acceptedIncident1') {
      world.incidents.accept(incident, input.operator);
    } else if (key === 'commitSolution1') {
      const { parameter: solution } = validate(z.object({ parameter: solutionParameter }), { parameter }, 'gom');
      world.incidents.commitSolution(incident, input.operator, {
        mtmType: solution.mtm_type,
        isServiceInterrupt: solution.is_service_interrupt,
        cause: solution.cause,
        solution: solution.solution,
      });
    } else {
      const { parameter: verdict } = validate(z.object({ parameter: confirmParameter }), { parameter }, 'gom');
      world.incidents.confirm(incident, input.operator, verdict.virtual_confirm_result, verdict.virtual_confirm_comment);
      if (incident.status === 'INCIDENT_STATUS_COMPLETED' && incident.warroomId) world.warRooms.close(incident.warroomId);
    }
  } catch (error) {
    if (error instanceof IncidentTransitionRejected) throw invalid('gom', error.message);
    throw error;
  }
  return gomResponse(null);
}

export const incidentRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/external/incident/create', family: 'gom', auth: 'required', handle: createIncident },
  { method: 'POST', path: '/v1/external/incident/handle', family: 'gom', auth: 'required', handle: handleIncident },
  {
    method: 'GET',
    path: '/v1/external/incident/{incident_num}',
    family: 'gom',
    auth: 'required',
    handle: ({ params, world }) => gomResponse(renderIncidentDetail(world, findIncident(world, params['incident_num'] ?? ''))),
  },
];
