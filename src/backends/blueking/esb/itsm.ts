/**
 * BlueKing ITSM components (reference: "ITSM API 文档简介"): the service a ticket is opened on,
 * the ticket itself, its approval node and its log. Tickets are named by their `sn`.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

const text = z.string();
const optionalText = z.string().nullish();
/** ITSM answers `data: []` for an operation that returns nothing (operate_node, operate_ticket). */
const nothing = z.unknown();

// ---- get_service_detail (GET) ----

export const ServiceFieldSchema = z.looseObject({
  id: z.number().int().nullish(),
  key: text,
  /** STRING, TEXT, INT, SELECT, RADIO, RICHTEXT, CUSTOMTABLE… */
  type: text,
  name: optionalText,
  desc: optionalText,
  choice: z.array(z.looseObject({ key: z.union([text, z.number()]), name: optionalText })).nullish(),
  /** REQUIRE or OPTION. */
  validate_type: optionalText,
});
export type ServiceField = z.infer<typeof ServiceFieldSchema>;

export const ServiceDetailSchema = z.looseObject({
  service_id: z.number().int().nullish(),
  workflow_id: z.number().int().nullish(),
  name: optionalText,
  service_type: optionalText,
  fields: z.array(ServiceFieldSchema),
});
export type ServiceDetail = z.infer<typeof ServiceDetailSchema>;

export const GET_SERVICE_DETAIL: EsbComponent<{ service_id: number }, ServiceDetail> = {
  system: 'itsm',
  name: 'get_service_detail',
  // The reference leaves its method blank; the request example carries only query-style fields
  // and every other ITSM read (get_ticket_status, get_ticket_info, get_ticket_logs) is GET.
  method: 'GET',
  write: false,
  request: z.strictObject({ service_id: z.number().int().positive() }),
  data: ServiceDetailSchema,
};

// ---- create_ticket (POST, write) ----

/** One submitted field: the service field's `key` and the value as text. */
export const TicketFieldValueSchema = z.strictObject({ key: text.min(1), value: z.string() });
export type TicketFieldValue = z.infer<typeof TicketFieldValueSchema>;

export const CreateTicketRequestSchema = z.strictObject({
  service_id: z.number().int().positive(),
  creator: text.min(1),
  fields: z.array(TicketFieldValueSchema).min(1),
});
export type CreateTicketRequest = z.infer<typeof CreateTicketRequestSchema>;

export const CreatedTicketSchema = z.looseObject({ sn: text.min(1) });

export const CREATE_TICKET: EsbComponent<CreateTicketRequest, z.infer<typeof CreatedTicketSchema>> = {
  system: 'itsm',
  name: 'create_ticket',
  method: 'POST',
  write: true,
  request: CreateTicketRequestSchema,
  data: CreatedTicketSchema,
};

// ---- get_ticket_status (GET) ----

export const OperationSchema = z.looseObject({ key: text, name: optionalText, can_operate: z.union([z.boolean(), text]).nullish() });

export const StepFieldSchema = z.looseObject({
  key: text,
  type: text,
  name: optionalText,
  choice: z.array(z.looseObject({ key: z.union([text, z.number()]), name: optionalText })).nullish(),
  validate_type: optionalText,
});
export type StepField = z.infer<typeof StepFieldSchema>;

export const TicketStepSchema = z.looseObject({
  name: optionalText,
  /** The node: what operate_node names as `state_id`. */
  state_id: z.number().int(),
  /** WAIT, RUNNING, RECEIVING, DISTRIBUTING, TERMINATED, FINISHED, FAILED, SUSPEND. */
  status: optionalText,
  /** TRANSITION (approval), DISTRIBUTE, CLAIM, AUTOMATIC. */
  action_type: optionalText,
  processors: optionalText,
  processors_type: optionalText,
  operations: z.array(OperationSchema).nullish(),
  fields: z.array(StepFieldSchema).nullish(),
});
export type TicketStep = z.infer<typeof TicketStepSchema>;

export const TicketStatusSchema = z.looseObject({
  /** RUNNING, FINISHED, TERMINATED, SUSPENDED (and REVOKED once withdrawn). */
  current_status: text,
  current_steps: z.array(TicketStepSchema).nullish(),
  operations: z.array(OperationSchema).nullish(),
  is_commented: z.boolean().nullish(),
  ticket_url: optionalText,
});
export type TicketStatusData = z.infer<typeof TicketStatusSchema>;

export const GET_TICKET_STATUS: EsbComponent<{ sn: string }, TicketStatusData> = {
  system: 'itsm',
  name: 'get_ticket_status',
  method: 'GET',
  write: false,
  request: z.strictObject({ sn: text.min(1) }),
  data: TicketStatusSchema,
};

// ---- get_ticket_logs (GET) ----

export const TicketLogSchema = z.looseObject({
  operator: optionalText,
  message: optionalText,
  operate_at: optionalText,
  /** WEB, MOBILE, API, SYS. */
  source: optionalText,
});
export type TicketLog = z.infer<typeof TicketLogSchema>;

export const TicketLogsSchema = z.looseObject({
  sn: optionalText,
  title: optionalText,
  create_at: optionalText,
  creator: optionalText,
  logs: z.array(TicketLogSchema),
});
export type TicketLogs = z.infer<typeof TicketLogsSchema>;

export const GET_TICKET_LOGS: EsbComponent<{ sn: string }, TicketLogs> = {
  system: 'itsm',
  name: 'get_ticket_logs',
  method: 'GET',
  write: false,
  request: z.strictObject({ sn: text.min(1) }),
  data: TicketLogsSchema,
};

// ---- operate_node (POST, write) ----

export const NODE_ACTIONS = ['TRANSITION', 'CLAIM', 'DISTRIBUTE', 'DELIVER', 'TERMINATE'] as const;

export const OperateNodeRequestSchema = z.strictObject({
  sn: text.min(1),
  operator: text.min(1),
  state_id: z.number().int(),
  action_type: z.enum(NODE_ACTIONS),
  /** The approval form (required for TRANSITION). */
  fields: z.array(TicketFieldValueSchema).optional(),
  processors_type: z.enum(['GENERAL', 'PERSON']).optional(),
  processors: text.optional(),
  /** Required for DELIVER and TERMINATE. */
  action_message: text.optional(),
});
export type OperateNodeRequest = z.infer<typeof OperateNodeRequestSchema>;

export const OPERATE_NODE: EsbComponent<OperateNodeRequest, unknown> = {
  system: 'itsm',
  name: 'operate_node',
  method: 'POST',
  write: true,
  request: OperateNodeRequestSchema,
  data: nothing,
};

// ---- operate_ticket (POST, write) ----

export const TICKET_ACTIONS = ['SUSPEND', 'UNSUSPEND', 'WITHDRAW', 'TERMINATE'] as const;

export const OperateTicketRequestSchema = z.strictObject({
  sn: text.min(1),
  operator: text.min(1),
  action_type: z.enum(TICKET_ACTIONS),
  action_message: text.optional(),
});
export type OperateTicketRequest = z.infer<typeof OperateTicketRequestSchema>;

export const OPERATE_TICKET: EsbComponent<OperateTicketRequest, unknown> = {
  system: 'itsm',
  name: 'operate_ticket',
  method: 'POST',
  write: true,
  request: OperateTicketRequestSchema,
  data: nothing,
};
