/**
 * COC's change tickets: the generic ticket APIs with ticket type `change` (coc-api-notes §2.1).
 * What the SDK leaves untyped is read as the simulator answers it (the list's page, planned
 * times, `_form_info` as the actions offered now) and said so in the README; a ticket whose
 * detail offers no readable actions offers none from chat.
 */
import * as api from '../../coc/api/changes.js';
import type { CocClient } from '../../coc/client.js';
import { ticketActionsOf, type ChangeTicket as CocChangeTicket, type TicketFilter } from '../../coc/schemas/changes.js';
import type { ChangeTicket, ChangesCapability } from '../types/changes.js';
import { isNotFound } from '../errors.js';
import { makeId, nativeOf } from '../ids.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

/** The simulator's codes of a planned and a running change (COC documents none; unverified live). */
export const CHANGE_OPEN_STATUSES = { scheduled: 'CHANGE_SCHEDULED', running: 'CHANGE_RUNNING' } as const;

function numberField(ticket: CocChangeTicket, key: string): number | undefined {
  const value = (ticket as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

export function changeOf(ticket: CocChangeTicket, withOffers: boolean): ChangeTicket {
  const offers = withOffers ? ticketActionsOf(ticket) : undefined;
  const plannedStart = numberField(ticket, 'plan_start_time');
  const plannedEnd = numberField(ticket, 'plan_end_time');
  return {
    id: makeId('coc', 'ticket', ticket.ticket_id),
    title: ticket.title ?? ticket.ticket_id,
    statusCode: ticket.work_flow_status ?? '',
    ...(ticket.description ? { description: ticket.description } : {}),
    ...(ticket.phase ? { phase: ticket.phase } : {}),
    ...(ticket.level ? { level: ticket.level } : {}),
    ...(ticket.current_cloud_service_id ? { application: ticket.current_cloud_service_id } : {}),
    ...(ticket.regions ? { region: ticket.regions } : {}),
    ...(ticket.creator ? { creator: ticket.creator } : {}),
    ...(ticket.assignee ? { assignee: ticket.assignee } : {}),
    ...(typeof ticket.create_time === 'number' ? { createdAt: ticket.create_time } : {}),
    ...(typeof ticket.update_time === 'number' ? { updatedAt: ticket.update_time } : {}),
    ...(plannedStart !== undefined ? { plannedStart } : {}),
    ...(plannedEnd !== undefined ? { plannedEnd } : {}),
    ...(offers ? { offers: { task: offers.task_id, actions: offers.actions } } : {}),
  };
}

export function cocChanges(client: CocClient): ChangesCapability {
  return {
    openStatusCodes: CHANGE_OPEN_STATUSES,
    async list(query, options) {
      const filters: TicketFilter[] = [
        ...(query.application ? [{ operator: 'in', field: 'current_cloud_service_id', values: [query.application] }] : []),
        ...(query.statusCodes?.length ? [{ operator: 'in', field: 'work_flow_status', values: [...query.statusCodes] }] : []),
      ];
      const page = query.page ?? 1;
      const answer = await mapped(() =>
        api.listChangeTickets(
          client.http,
          { page, per_page: query.limit, contain_total: true, ticket_types: ['change'], ...(filters.length ? { string_filters: filters } : {}) },
          cocCallOptions(options),
        ),
      );
      const more = page * query.limit < answer.total;
      return { items: answer.items.map((ticket) => changeOf(ticket, false)), total: answer.total, ...(more ? { next: String(page + 1) } : {}) };
    },
    async get(id, options) {
      try {
        return changeOf(await mapped(() => api.getChangeTicket(client.http, nativeOf(id), cocCallOptions(options))), true);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async act(request, options) {
      await mapped(() => api.actOnChangeTicket(client.http, { ticket_id: nativeOf(request.id), task_id: request.task, action: request.action }, cocCallOptions(options)));
    },
  };
}
