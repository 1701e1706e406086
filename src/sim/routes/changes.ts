/**
 * Change tickets through the generic ticket APIs (`ticket_type` = `change`; coc-api-notes §2.1)
 * and the v2 change update. PCE answers with GOM codes like the other ticket APIs. The list's
 * `data` (`{total, data: [...]}`), the tickets' `plan_start_time`/`plan_end_time` and the
 * detail's `_form_info` (`{task_id, actions}`) are the simulator's reading of what the SDK leaves
 * untyped; the workflow is the simulator's own (state/changes.ts). Only `change` tickets live here.
 */
import { z } from 'zod';
import { gomResponse } from '../http/envelopes.js';
import { ErrorCodes } from '../http/error-codes.js';
import { jsonBoolean, jsonInt, validate } from '../http/validate.js';
import { SimError, type Identity, type RouteContext, type RouteDefinition } from '../http/types.js';
import { changesOf, type ChangeBoard, type ChangeTicketState } from '../state/changes.js';
import type { World } from '../state/world.js';

/** Fields the list filters on, as the ticket JSON names them. */
const FILTER_FIELDS: Readonly<Record<string, (ticket: ChangeTicketState) => string>> = {
  ticket_id: (ticket) => ticket.ticketId,
  current_cloud_service_id: (ticket) => ticket.application,
  work_flow_status: (ticket) => ticket.status,
  phase: (ticket) => ticket.phase,
  assignee: (ticket) => ticket.assignee,
  creator: (ticket) => ticket.creator,
  level: (ticket) => ticket.level,
};

const filter = z.object({
  name: z.string().max(64).optional(),
  operator: z.string().min(1).max(32),
  field: z.string().min(1).max(64),
  values: z.array(z.string().max(256)).max(100).optional(),
});

const listBody = z.object({
  string_filters: z.array(filter).max(20).optional(),
  sort_filter: filter.partial().optional(),
  page: jsonInt(1, 1_000_000).optional(),
  per_page: jsonInt(1, 200).optional(),
  contain_all: jsonBoolean().optional(),
  contain_total: jsonBoolean().optional(),
  contain_sub_ticket: jsonBoolean().optional(),
  ticket_types: z.array(z.string()).optional(),
});

function changeType(params: Readonly<Record<string, string>>): void {
  if (params['ticket_type'] !== 'change') throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, `The simulator holds change tickets only, not ${params['ticket_type']}.`);
}

function userOf(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'anonymous' : identity.userName;
}

export function ticketJson(board: ChangeBoard, ticket: ChangeTicketState, detail: boolean) {
  return {
    ticket_id: ticket.ticketId,
    real_ticket_id: ticket.ticketId,
    id: ticket.ticketId,
    ticket_type: 'change',
    title: ticket.title,
    description: ticket.description,
    level: ticket.level,
    current_cloud_service_id: ticket.application,
    regions: ticket.region,
    creator: ticket.creator,
    assignee: ticket.assignee,
    work_flow_status: ticket.status,
    phase: ticket.phase,
    create_time: ticket.createTime,
    update_time: ticket.updateTime,
    plan_start_time: ticket.plannedStart,
    plan_end_time: ticket.plannedEnd,
    is_deleted: false,
    ...(detail ? { _form_info: { task_id: ticket.taskId, actions: board.actionsOf(ticket) } } : {}),
  };
}

function matches(ticket: ChangeTicketState, conditions: readonly z.infer<typeof filter>[]): boolean {
  return conditions.every((condition) => {
    const read = FILTER_FIELDS[condition.field];
    if (!read) throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, `string_filters: the field ${condition.field} cannot be filtered on.`);
    const value = read(ticket);
    const values = condition.values ?? [];
    if (condition.operator === 'in') return values.includes(value);
    if (condition.operator === '=') return values[0] === value;
    if (condition.operator === '!=') return values[0] !== value;
    throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, `string_filters: the operator ${condition.operator} is not supported on ${condition.field}.`);
  });
}

function listTickets({ params, body, world }: RouteContext) {
  changeType(params);
  const input = validate(listBody, body ?? {}, 'gom');
  const board = changesOf(world);
  const found = board
    .all()
    .filter((ticket) => matches(ticket, input.string_filters ?? []))
    .sort((a, b) => a.plannedStart - b.plannedStart);
  const perPage = input.per_page ?? 10;
  const page = input.page ?? 1;
  const items = found.slice((page - 1) * perPage, page * perPage).map((ticket) => ticketJson(board, ticket, false));
  return gomResponse({ total: input.contain_total === false ? undefined : found.length, data: items });
}

function ticketOf(world: World, id: string): ChangeTicketState {
  const ticket = changesOf(world).get(id);
  if (!ticket) throw new SimError(404, ErrorCodes.GOM_NOT_FOUND, `The change ticket ${id} does not exist.`);
  return ticket;
}

function showTicket({ params, world }: RouteContext) {
  changeType(params);
  return gomResponse(ticketJson(changesOf(world), ticketOf(world, params['ticket_id'] ?? ''), true));
}

const actionBody = z.object({
  user_id: z.string().max(128).optional(),
  ticket_id: z.string().min(1).max(128),
  task_id: z.string().min(1).max(128),
  action: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).optional(),
});

function actOnTicket({ params, body, world, identity }: RouteContext) {
  changeType(params);
  const input = validate(actionBody, body, 'gom');
  const board = changesOf(world);
  const ticket = ticketOf(world, input.ticket_id);
  if (input.task_id !== ticket.taskId) throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, `The task ${input.task_id} is not the ticket's current task.`);
  if (!board.act(ticket, input.action, userOf(identity))) {
    throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, `The action ${input.action} does not fit a ticket in ${ticket.status}.`);
  }
  return gomResponse(null);
}

const updateBody = z.object({
  ticket_info: z.object({ phase: z.string().min(1).max(64).optional(), work_flow_status: z.string().min(1).max(64).optional() }).optional(),
  sub_tickets: z.array(z.record(z.string(), z.unknown())).optional(),
  history_info: z.object({ action: z.string().min(1).max(64).optional() }).optional(),
});

function updateChange({ params, body, world, identity }: RouteContext) {
  const input = validate(updateBody, body, 'gom');
  const board = changesOf(world);
  const ticket = ticketOf(world, params['change_id'] ?? '');
  const status = input.ticket_info?.work_flow_status;
  if (status === undefined && input.ticket_info?.phase === undefined) throw new SimError(400, ErrorCodes.GOM_INVALID_PARAM, 'ticket_info: give work_flow_status or phase.');
  board.move(ticket, input.history_info?.action ?? 'update', userOf(identity), status ?? ticket.status, input.ticket_info?.phase);
  return gomResponse(null);
}

export const changeRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/{ticket_type}/list-tickets', family: 'gom', auth: 'required', handle: listTickets },
  { method: 'GET', path: '/v1/{ticket_type}/tickets/{ticket_id}', family: 'gom', auth: 'required', handle: showTicket },
  { method: 'POST', path: '/v1/{ticket_type}/actions', family: 'gom', auth: 'required', handle: actOnTicket },
  { method: 'PUT', path: '/v2/changes/{change_id}', family: 'gom', auth: 'required', handle: updateChange },
];
