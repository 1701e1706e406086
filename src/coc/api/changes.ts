/** Change tickets: the generic ticket APIs with `ticket_type` = `change`, and the v2 change update (coc-api-notes §2.1). */
import type { CallOptions, CocHttp } from '../http.js';
import { ChangeTicket, ChangeTicketPage, ListTicketsRequest, NoPayload, TicketActionRequest, UpdateChangeRequest, type ListTicketsInput, type TicketActionInput, type UpdateChangeInput } from '../schemas/changes.js';
import { validateInput } from '../schemas/problems.js';
import { operation, requestFor } from './operation.js';

export const CHANGE_TICKET_TYPE = 'change';

export const CHANGE_OPERATIONS = {
  list: operation('POST', '/v1/{ticket_type}/list-tickets'),
  get: operation('GET', '/v1/{ticket_type}/tickets/{ticket_id}'),
  act: operation('POST', '/v1/{ticket_type}/actions'),
  update: operation('PUT', '/v2/changes/{change_id}'),
} as const;

/** Lists change tickets with filters. A POST that only reads; sent once like every POST. */
export async function listChangeTickets(http: CocHttp, input: ListTicketsInput = {}, options?: CallOptions): Promise<ChangeTicketPage> {
  const body = validateInput(ListTicketsRequest, input, CHANGE_OPERATIONS.list);
  return http.call(requestFor(CHANGE_OPERATIONS.list, { pathParams: { ticket_type: CHANGE_TICKET_TYPE }, body, envelope: 'pce', response: ChangeTicketPage }), options);
}

export async function getChangeTicket(http: CocHttp, ticketId: string, options?: CallOptions): Promise<ChangeTicket> {
  return http.call(requestFor(CHANGE_OPERATIONS.get, { pathParams: { ticket_type: CHANGE_TICKET_TYPE, ticket_id: ticketId }, envelope: 'pce', response: ChangeTicket }), options);
}

/** Takes one of the actions the ticket offers. Never retried. */
export async function actOnChangeTicket(http: CocHttp, input: TicketActionInput, options?: CallOptions): Promise<void> {
  const body = validateInput(TicketActionRequest, input, CHANGE_OPERATIONS.act);
  await http.call(requestFor(CHANGE_OPERATIONS.act, { pathParams: { ticket_type: CHANGE_TICKET_TYPE }, body, envelope: 'pce', response: NoPayload }), options);
}

/** Sets a change's phase and status (v2). Never retried. */
export async function updateChange(http: CocHttp, changeId: string, input: UpdateChangeInput, options?: CallOptions): Promise<void> {
  const body = validateInput(UpdateChangeRequest, input, CHANGE_OPERATIONS.update);
  await http.call(requestFor(CHANGE_OPERATIONS.update, { pathParams: { change_id: changeId }, body, envelope: 'pce', response: NoPayload }), options);
}
