/**
 * Change tickets through COC's generic ticket APIs with `ticket_type` = `change` (coc-api-notes
 * §2.1, Appendix A), field by field from the SDK models (Go 0.1.179): ListTicketParamsWithPage
 * with ObjectFilter, CocTicketDetailInfoResponseData, ExecuteActionParams,
 * CocUpdateChangeRequestBodyV2. The SDK types the list's `data` and the detail's `_form_info`
 * ("动作信息", action info) as untyped: how they are read here is unverified (README).
 */
import { z } from 'zod';
import { int, list, text } from './fields.js';
import { count, optionalBoolean, optionalList, optionalNumber, optionalText, requiredId, untypedPage } from './common.js';

/** ObjectFilter: every field optional in the SDK; values are strings. */
export const TicketFilter = z.strictObject({
  name: text(1, 64).optional(),
  /** in, like, startwith, endwith, =, !=, >, <, … */
  operator: text(1, 32),
  field: text(1, 64),
  values: list(text(0, 256), 0, 100, { noun: 'values', one: 'value' }),
});
export type TicketFilter = z.input<typeof TicketFilter>;

/** ListTicketParamsWithPage. */
export const ListTicketsRequest = z.strictObject({
  string_filters: list(TicketFilter, 0, 20, { noun: 'filters', one: 'filter' }).optional(),
  sort_filter: TicketFilter.partial({ values: true }).optional(),
  page: int(1, 1_000_000).optional(),
  per_page: int(1, 200).optional(),
  contain_all: z.boolean().optional(),
  contain_total: z.boolean().optional(),
  contain_sub_ticket: z.boolean().optional(),
  ticket_types: list(text(1, 64), 0, 20).optional(),
});
export type ListTicketsInput = z.input<typeof ListTicketsRequest>;

/** A ticket as the list and the detail answer it (the detail's fields the bot reads; the rest passes). */
export const ChangeTicket = z.looseObject({
  ticket_id: requiredId,
  real_ticket_id: optionalText,
  id: optionalText,
  title: optionalText,
  description: optionalText,
  level: optionalText,
  current_cloud_service_id: optionalText,
  regions: optionalText,
  source: optionalText,
  creator: optionalText,
  operator: optionalText,
  assignee: optionalText,
  participator: optionalText,
  work_flow_status: optionalText,
  phase: optionalText,
  ticket_type: optionalText,
  create_time: optionalNumber,
  update_time: optionalNumber,
  is_deleted: optionalBoolean,
  /**
   * "动作信息": untyped in the SDK. Read as the actions the ticket offers now, `{task_id,
   * actions: string[]}` (the simulator's form; unverified live): anything else offers none.
   */
  _form_info: z.unknown().optional(),
});
export type ChangeTicket = z.output<typeof ChangeTicket>;

const LIST_KEYS = ['data', 'list', 'tickets', 'items'] as const;

/** The list's untyped `data`: an array, or a page holding one under a usual key. */
export const ChangeTicketPage = z.preprocess(
  untypedPage(LIST_KEYS, ['total', 'count']),
  z.object({ total: count, items: optionalList(ChangeTicket) }),
);
export type ChangeTicketPage = z.output<typeof ChangeTicketPage>;

/** The actions `_form_info` offers, when it has the simulator's form. */
export const TicketActions = z.object({ task_id: z.string().min(1), actions: z.array(z.string().min(1)) });
export type TicketActions = z.output<typeof TicketActions>;

export function ticketActionsOf(ticket: ChangeTicket): TicketActions | undefined {
  const parsed = TicketActions.safeParse(ticket._form_info);
  return parsed.success ? parsed.data : undefined;
}

/** ExecuteActionParams: every field optional in the SDK; the bot always names ticket, task and action. */
export const TicketActionRequest = z.strictObject({
  user_id: text(1, 128).optional(),
  ticket_id: text(1, 128),
  task_id: text(1, 128),
  action: text(1, 64),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type TicketActionInput = z.input<typeof TicketActionRequest>;

/** CocUpdateChangeRequestBodyV2: a change's phase and status, and the action the history files it under. */
export const UpdateChangeRequest = z.strictObject({
  ticket_info: z.strictObject({ phase: text(1, 64).optional(), work_flow_status: text(1, 64).optional() }).optional(),
  sub_tickets: z.array(z.record(z.string(), z.unknown())).optional(),
  history_info: z.strictObject({ action: text(1, 64).optional() }).optional(),
});
export type UpdateChangeInput = z.input<typeof UpdateChangeRequest>;

/** PCE with no (or untyped) data. */
export const NoPayload = z.unknown().transform(() => undefined);
