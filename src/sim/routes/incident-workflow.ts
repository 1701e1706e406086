/**
 * The v2 incident workflow APIs (coc-api-notes §2.1): `GET /v2/incidents/{incident_id}/tasks`
 * (the nodes and the actions open to whoever asks), `POST /v2/incidents/{incident_id}/actions`
 * (take one: `{task_id, action, params}`) and `POST /v2/incidents/{incident_id}/histories`
 * (what was done, by whom, when). PCE bodies with GOM codes, like the v1 incident APIs; the
 * workflow itself is modelled in state/incident-workflow.ts.
 */
import { z } from 'zod';
import { gomResponse } from '../http/envelopes.js';
import { invalid, jsonBoolean, validate } from '../http/validate.js';
import type { RouteContext, RouteDefinition } from '../http/types.js';
import { enumKeys, INCIDENT_TYPES } from '../state/incident-enums.js';
import { IncidentTransitionRejected } from '../state/incidents.js';
import { HISTORY_ACTION_NAMES, isAutomationAccount, statusName, tasksFor, type Caller } from '../state/incident-workflow.js';
import type { Incident } from '../state/model.js';
import type { World } from '../state/world.js';
import { findIncident } from './incidents.js';

const actionBody = z.object({
  task_id: z.string().min(1).max(255),
  action: z.string().min(1).max(255),
  params: z.record(z.string(), z.unknown()).nullish(),
});

const solutionParams = z.object({
  mtm_type: z.enum(enumKeys(INCIDENT_TYPES)),
  is_service_interrupt: jsonBoolean(),
  cause: z.string().min(1).max(10000),
  solution: z.string().min(1).max(10000),
});

const confirmParams = z.object({
  virtual_confirm_result: jsonBoolean().default(true),
  virtual_confirm_comment: z.string().max(300).default(''),
});

const filter = z.object({
  operator: z.string().min(1).max(32),
  field: z.string().min(1).max(64),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).max(1000).optional(),
  name: z.string().max(64).optional(),
  group: z.string().max(64).optional(),
  match_type: z.string().max(64).optional(),
  priority_type: z.string().max(64).optional(),
});

const historiesBody = z
  .object({
    fields: z.array(z.string()).max(100).optional(),
    string_filters: z.array(filter).max(20).optional(),
    int_filters: z.array(filter).max(20).optional(),
    sort_filter: filter.optional(),
    group_by_filter: filter.optional(),
    count_filters: z.array(z.unknown()).max(20).optional(),
    condition: z.string().max(2000).optional(),
  })
  .nullish();

function callerOf({ identity }: RouteContext): Caller {
  return identity.kind === 'anonymous' ? { userId: '', userName: '' } : { userId: identity.userId, userName: identity.userName };
}

function languageOf({ headers }: RouteContext): 'zh' | 'en' {
  return (headers['x-language'] ?? '').toLowerCase() === 'zh-cn' ? 'zh' : 'en';
}

function showTasks(context: RouteContext) {
  const incident = findIncident(context.world, context.params['incident_id'] ?? '');
  return gomResponse(tasksFor(incident, callerOf(context), languageOf(context)));
}

/** Who the action is recorded for: the automation account may name the person it acts for. */
function operatorOf(world: World, caller: Caller, params: Record<string, unknown>): string {
  const named = params['operator'];
  if (isAutomationAccount(caller) && typeof named === 'string' && named !== '') {
    if (!world.iam.userById(named)) throw invalid('gom', `The field[params.operator] value[${named}] is not a user of this tenant`);
    return named;
  }
  return caller.userId;
}

function takeAction(context: RouteContext) {
  const { world } = context;
  const input = validate(actionBody, context.body, 'gom');
  const incident = findIncident(world, context.params['incident_id'] ?? '');
  const caller = callerOf(context);
  const open = tasksFor(incident, caller, 'en').flatMap((task) => task.operations);
  if (!open.some((operation) => operation.task_id === input.task_id && operation.key === input.action)) {
    throw invalid('gom', `The task [${input.task_id}] has no action [${input.action}] open to you; the incident is ${incident.status}.`);
  }
  const params = input.params ?? {};
  const operator = operatorOf(world, caller, params);
  try {
    act(world, incident, input.action, operator, params);
  } catch (error) {
    if (error instanceof IncidentTransitionRejected) throw invalid('gom', error.message);
    throw error;
  }
  return gomResponse(null);
}

function act(world: World, incident: Incident, action: string, operator: string, params: Record<string, unknown>): void {
  if (action === 'acceptedIncident1') {
    world.incidents.accept(incident, operator);
  } else if (action === 'commitSolution1') {
    const solution = validate(solutionParams, params, 'gom');
    world.incidents.commitSolution(incident, operator, {
      mtmType: solution.mtm_type,
      isServiceInterrupt: solution.is_service_interrupt,
      cause: solution.cause,
      solution: solution.solution,
    });
  } else {
    const verdict = validate(confirmParams, params, 'gom');
    world.incidents.confirm(incident, operator, verdict.virtual_confirm_result, verdict.virtual_confirm_comment);
    if (incident.status === 'INCIDENT_STATUS_COMPLETED' && incident.warroomId) world.warRooms.close(incident.warroomId);
  }
}

interface HistoryRow {
  readonly action: string;
  readonly action_name_zh: string;
  readonly action_name_en: string;
  readonly operator: string;
  readonly status: string;
  /** Epoch ms as a string: the SDK types the times as strings. */
  readonly start_time: string;
  readonly stop_time: string;
  readonly comment: string;
  readonly enum_data_list: { prop_id: string; biz_id: string; name_zh: string; name_en: string }[];
}

function historyRow(world: World, action: string, operator: string, status: string, at: number, comment: string | undefined): HistoryRow {
  const names = HISTORY_ACTION_NAMES[action] ?? { zh: action, en: action };
  const user = world.iam.userById(operator)?.name ?? operator;
  const statusNames = statusName(status);
  return {
    action,
    action_name_zh: names.zh,
    action_name_en: names.en,
    operator,
    status,
    start_time: String(at),
    stop_time: String(at),
    comment: comment ?? '',
    enum_data_list: [
      { prop_id: 'operator', biz_id: operator, name_zh: user, name_en: user },
      { prop_id: 'work_flow_status', biz_id: status, name_zh: statusNames.zh, name_en: statusNames.en },
    ],
  };
}

/** Every change to the incident: its creation, each handling step (v1 or v2), its WarRoom. */
function historyOf(world: World, incident: Incident): HistoryRow[] {
  const rows = [historyRow(world, 'createIncident', incident.creator, 'INCIDENT_STATUS_TRIGGERED', incident.createTime, undefined)];
  for (const entry of incident.history) rows.push(historyRow(world, entry.action, entry.operator, entry.toStatus, entry.at, entry.comment));
  const room = incident.warroomId ? world.warRooms.get(incident.warroomId) : undefined;
  if (room) {
    const statusThen = incident.history.findLast((entry) => entry.at <= room.createTime)?.toStatus ?? 'INCIDENT_STATUS_TRIGGERED';
    rows.push(historyRow(world, 'startWarRoom', room.admin, statusThen, room.createTime, room.title));
  }
  return rows.sort((a, b) => Number(a.start_time) - Number(b.start_time));
}

function matches(row: HistoryRow, rule: z.output<typeof filter>): boolean {
  const value = (row as unknown as Record<string, unknown>)[rule.field];
  if (value === undefined) throw invalid('gom', `The field[string_filters.field] value[${rule.field}] is not supported`);
  const values = (rule.values ?? []).map(String);
  switch (rule.operator) {
    case 'in':
      return values.includes(String(value));
    case '=':
      return String(value) === values[0];
    case '!=':
      return String(value) !== values[0];
    default:
      throw invalid('gom', `The field[string_filters.operator] value[${rule.operator}] is not supported`);
  }
}

function listHistories(context: RouteContext) {
  const { world } = context;
  const input = validate(historiesBody, context.body ?? {}, 'gom') ?? {};
  const incident = findIncident(world, context.params['incident_id'] ?? '');
  let rows = historyOf(world, incident).filter((row) => (input.string_filters ?? []).every((rule) => matches(row, rule)));
  if (input.sort_filter?.field === 'start_time' && input.sort_filter.operator === 'desc') rows = rows.reverse();
  return gomResponse({ total: rows.length, info: rows });
}

export const incidentWorkflowRoutes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/v2/incidents/{incident_id}/tasks', family: 'gom', auth: 'required', handle: showTasks },
  { method: 'POST', path: '/v2/incidents/{incident_id}/actions', family: 'gom', auth: 'required', handle: takeAction },
  { method: 'POST', path: '/v2/incidents/{incident_id}/histories', family: 'gom', auth: 'required', handle: listHistories },
];
