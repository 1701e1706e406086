/**
 * Incidents: create, handle, detail (coc-api-notes §1.15–§1.17) and the v2 list (§2.1).
 */
import { z } from 'zod';
import { int, list, long, oneOf, text } from './fields.js';
import { count, openEnum, optionalBoolean, optionalList, optionalText, requiredId, timestamp, untypedPage } from './common.js';

/** level_10 … level_50 = P1 … P5. */
export const INCIDENT_LEVELS = ['level_10', 'level_20', 'level_30', 'level_40', 'level_50'] as const;

/**
 * Incident types as documented, including both middleware spellings (the English reference
 * writes inc_type_p_middleware_issues, the Chinese one inc_type_p_middlewares) and the
 * documented "ohter" typo, which is the key COC uses.
 */
export const INCIDENT_TYPES = [
  'inc_type_p_security_issues',
  'inc_type_p_function_issues',
  'inc_type_p_reliability_issues',
  'inc_type_p_config_issues',
  'inc_type_p_middleware_issues',
  'inc_type_p_middlewares',
  'inc_type_p_hardware_issues',
  'inc_type_p_networking_issues',
  'inc_type_p_shelter_issues',
  'inc_type_p_monitoring_issues',
  'inc_type_p_consulting_issues',
  'inc_type_p_suppliers_issues',
  'inc_type_p_ohter_issues',
  'inc_type_p_change_issues',
] as const;

export const INCIDENT_SOURCES = ['incident_source_manual', 'incident_source_forwarding', 'incident_source_alarm'] as const;

export const INCIDENT_STATUSES = [
  'incident_draft',
  'INCIDENT_STATUS_TRIGGERED',
  'INCIDENT_STATUS_ACKNOWLEDGED',
  'INCIDENT_STATUS_REJECTED',
  'INCIDENT_STATUS_RESOLVED',
  'INCIDENT_STATUS_COMPLETED',
] as const;

export const INCIDENT_OPERATE_KEYS = ['acceptedIncident1', 'commitSolution1', 'confirm'] as const;

/** Accepts true/false or "true"/"false"; COC's create call wants the string (SDK, notes §3 row 16). */
const serviceInterruptFlag = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: (iss) => (iss.input === undefined ? 'is required' : 'must be true or false') })
  .transform((flag): 'true' | 'false' => (String(flag) === 'true' ? 'true' : 'false'));

const userId = text(1, 255);

// ---- create ----

export const CreateIncidentRequest = z
  .strictObject({
    /** Application id, exactly one. */
    current_cloud_service: list(text(1, 255), 1, 1, { noun: 'application ids', one: 'application id' }).optional(),
    incident_level: oneOf(INCIDENT_LEVELS),
    is_service_interrupt: serviceInterruptFlag,
    incident_type: oneOf(INCIDENT_TYPES),
    incident_title: text(1, 200),
    incident_description: text(0, 600).optional(),
    incident_source: oneOf(INCIDENT_SOURCES),
    /** User id. */
    creator: userId,
    /** One user id; or set assignee_scene and assignee_role instead. */
    incident_assignee: list(userId, 1, 1, { noun: 'assignees', one: 'assignee' }).optional(),
    assignee_scene: text(1, 255).optional(),
    assignee_role: text(1, 255).optional(),
    /** One region code; needed if a WarRoom is started automatically. */
    region: list(text(1, 255), 1, 1, { noun: 'regions', one: 'region' }).optional(),
    enterprise_project: list(text(1, 255), 1, 1, { noun: 'enterprise projects', one: 'enterprise project' }).optional(),
    incident_ownership: text(0, 255).optional(),
    /** Fault start, epoch ms. */
    start_time: long().optional(),
  })
  .superRefine((incident, ctx) => {
    const byUser = incident.incident_assignee !== undefined;
    const scene = incident.assignee_scene !== undefined;
    const role = incident.assignee_role !== undefined;
    if (scene !== role) {
      ctx.addIssue({ code: 'custom', path: [scene ? 'assignee_role' : 'assignee_scene'], message: 'assignee_scene and assignee_role go together: set both or neither' });
    }
    if (byUser && (scene || role)) {
      ctx.addIssue({ code: 'custom', path: ['incident_assignee'], message: 'set either incident_assignee or assignee_scene + assignee_role, not both' });
    } else if (!byUser && !scene && !role) {
      ctx.addIssue({ code: 'custom', path: ['incident_assignee'], message: 'is required unless assignee_scene and assignee_role are set (one user id)' });
    }
  });
export type CreateIncidentInput = z.input<typeof CreateIncidentRequest>;

export const CreatedIncident = z.looseObject({ incident_num: requiredId });
export type CreatedIncident = z.output<typeof CreatedIncident>;

// ---- handle ----

const handleCommon = {
  incident_num: text(1, 255),
  /** User id of whoever acts. */
  operator: userId,
};

export const HandleIncidentRequest = z.discriminatedUnion(
  'operate_key',
  [
    z.strictObject({
      ...handleCommon,
      operate_key: z.literal('acceptedIncident1'),
      parameter: z.strictObject({}).optional(),
    }),
    z.strictObject({
      ...handleCommon,
      operate_key: z.literal('commitSolution1'),
      parameter: z.strictObject({
        /** Incident type key. */
        mtm_type: oneOf(INCIDENT_TYPES),
        is_service_interrupt: z.boolean(),
        cause: text(1, 10_000),
        solution: text(1, 10_000),
      }),
    }),
    z.strictObject({
      ...handleCommon,
      operate_key: z.literal('confirm'),
      parameter: z.strictObject({
        virtual_confirm_result: z.boolean(),
        virtual_confirm_comment: text(0, 300),
      }),
    }),
  ],
  { error: (iss) => (iss.input === undefined ? 'is required' : `must be one of ${INCIDENT_OPERATE_KEYS.join(', ')}`) },
);
export type HandleIncidentInput = z.input<typeof HandleIncidentRequest>;

/** Handle answers with `data: null`. */
export const HandleIncidentResult = z.unknown().transform(() => undefined);

// ---- detail ----

export const IncidentEnumName = z.looseObject({
  /** Field the entry names (sic: "filed"), e.g. level_id, work_flow_status, mtm_type. */
  filed_key: optionalText,
  enum_key: optionalText,
  name_zh: optionalText,
  name_en: optionalText,
});

export const IncidentDetail = z.looseObject({
  incident_num: requiredId,
  region: optionalList(z.string()),
  enterprise_project: optionalList(z.string()),
  current_cloud_service: optionalList(z.string()),
  incident_level: openEnum(INCIDENT_LEVELS).nullish(),
  /** A boolean here, unlike the create call. */
  is_service_interrupt: optionalBoolean,
  incident_type: optionalText,
  incident_title: optionalText,
  incident_description: optionalText,
  incident_source: optionalText,
  incident_assignee: optionalList(z.string()),
  assignee_scene: optionalText,
  assignee_role: optionalText,
  warroom_id: optionalText,
  handle_time: timestamp,
  status: openEnum(INCIDENT_STATUSES).nullish(),
  create_time: timestamp,
  creator: optionalText,
  enum_data_list: optionalList(IncidentEnumName),
  start_time: timestamp,
  fault_recovery_time: timestamp,
  fault_delineation_time: timestamp,
  incident_ownership: optionalText,
});
export type IncidentDetail = z.output<typeof IncidentDetail>;

// ---- v2 list ----

const filterValue = z.union([z.string(), z.number(), z.boolean()]);

/** `{operator, field, values}`: e.g. `{"operator":"in","field":"work_flow_status","values":["INCIDENT_STATUS_TRIGGERED"]}`. */
export const IncidentFilter = z.strictObject({
  /** in, like, startwith, endwith, =, !=, >, <, … */
  operator: text(1, 32),
  field: text(1, 64),
  values: list(filterValue, 0, 1000, { noun: 'values', one: 'value' }),
  /** Name used by `condition`. */
  name: text(1, 64).optional(),
  group: text(0, 64).optional(),
  match_type: text(0, 64).optional(),
  priority_type: text(0, 64).optional(),
});
export type IncidentFilter = z.output<typeof IncidentFilter>;

export const IncidentSortFilter = IncidentFilter.partial({ values: true });

/** The filters the v2 list call and the histories call take alike (`ListTicketParamsV2` without paging). */
const TICKET_FILTERS = {
  fields: list(text(1, 64), 0, 100, { noun: 'fields' }).optional(),
  string_filters: list(IncidentFilter, 0, 20, { noun: 'string filters', one: 'string filter' }).optional(),
  int_filters: list(IncidentFilter, 0, 20, { noun: 'int filters', one: 'int filter' }).optional(),
  sort_filter: IncidentSortFilter.optional(),
  group_by_filter: IncidentSortFilter.optional(),
  count_filters: list(z.strictObject({ name: text(1, 64), filters: list(IncidentFilter, 0, 20, { noun: 'filters' }) }), 0, 20, { noun: 'count filters' }).optional(),
  /** Boolean expression over filter names, e.g. `(f1 & f2) | f3`; without it filters are ANDed. */
  condition: text(1, 2000).optional(),
};

export const ListIncidentsRequest = z.strictObject({
  page: int(1, 1_000_000).optional(),
  per_page: int(1, 200).optional(),
  contain_total: z.boolean().optional(),
  contain_all: z.boolean().optional(),
  contain_sub_ticket: z.boolean().optional(),
  ticket_types: list(text(1, 64), 0, 100, { noun: 'ticket types' }).optional(),
  ...TICKET_FILTERS,
});
export type ListIncidentsInput = z.input<typeof ListIncidentsRequest>;

export const IncidentListItem = z.looseObject({
  ticket_id: requiredId,
  title: optionalText,
  description: optionalText,
  level_id: optionalText,
  work_flow_status: openEnum(INCIDENT_STATUSES).nullish(),
  phase: optionalText,
  assignee: z.union([z.string(), z.array(z.string())]).nullish(),
  creator: optionalText,
  operator: optionalText,
  current_cloud_service_id: optionalText,
  mtm_region: optionalText,
  mtm_type: optionalText,
  source_id: optionalText,
  enterprise_project_id: optionalText,
  is_service_interrupt: optionalBoolean,
  create_time: timestamp,
  update_time: timestamp,
  start_time: timestamp,
  handle_time: timestamp,
  incident_ownership: optionalText,
  enum_data_list: optionalList(z.looseObject({ prop_id: optionalText, biz_id: optionalText, name_zh: optionalText, name_en: optionalText })),
});
export type IncidentListItem = z.output<typeof IncidentListItem>;

const LIST_KEYS = ['list', 'data', 'tickets', 'records', 'items'] as const;

/**
 * The SDK leaves this `data` untyped. Read as `{total, items}` from a bare list or from an
 * object holding the list under one of the usual keys, with `total` (or `count`) beside it.
 */
export const IncidentListPage = z.preprocess(
  untypedPage(LIST_KEYS, ['total', 'count']),
  z.object({ total: count, items: z.array(IncidentListItem) }),
);
export type IncidentListPage = z.output<typeof IncidentListPage>;

// ---- v2 workflow: tasks, actions, histories (coc-api-notes §2.1; SDK CocTaskDetailV2, ExecuteActionParamsV2, CocListHistoryResponseDataV2) ----

/** One action a workflow node offers now (`CocTaskOperationDetailV2`): the task to act on and the action's key. */
export const IncidentTaskOperation = z.looseObject({
  task_id: requiredId,
  key: requiredId,
});
export type IncidentTaskOperation = z.output<typeof IncidentTaskOperation>;

/**
 * One node of the incident's workflow (`CocTaskDetailV2`). The SDK types every field as an
 * optional string and documents no values for `type` and `state` (unverified: read as text).
 */
export const IncidentTask = z.looseObject({
  type: optionalText,
  key: optionalText,
  name: optionalText,
  state: optionalText,
  operations: optionalList(IncidentTaskOperation),
});
export type IncidentTask = z.output<typeof IncidentTask>;

/** `data` of ShowIncidentTask: the nodes; a missing list reads as none. */
export const IncidentTasks = z.array(IncidentTask).nullish().transform((tasks) => tasks ?? []);
export type IncidentTasks = z.output<typeof IncidentTasks>;

/**
 * `ExecuteActionParamsV2`: `task_id` and `action` as the tasks call gave them; `params` is
 * untyped in the SDK (the v1 handle's parameter names are sent in it: unverified).
 */
export const IncidentActionRequest = z.strictObject({
  task_id: text(1, 255),
  action: text(1, 255),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type IncidentActionInput = z.input<typeof IncidentActionRequest>;

/** The action answers PCE without data. */
export const IncidentActionResult = z.unknown().transform(() => undefined);

/** `ListTicketParamsV2`: the list call's filters without paging. */
export const ListIncidentHistoriesRequest = z.strictObject({
  ...TICKET_FILTERS,
});
export type ListIncidentHistoriesInput = z.input<typeof ListIncidentHistoriesRequest>;

/**
 * A history time. The SDK types `start_time`/`stop_time` as strings without a format
 * (unverified): epoch milliseconds as a number or numeric string, or a date text, are read.
 */
const historyTime = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? null : parsed;
}, z.number().nullish());

/** `CocTicketHistoryBaseInfoV2`. */
export const IncidentHistoryItem = z.looseObject({
  action: optionalText,
  action_name_zh: optionalText,
  action_name_en: optionalText,
  /** User id. */
  operator: optionalText,
  status: optionalText,
  start_time: historyTime,
  stop_time: historyTime,
  comment: optionalText,
  enum_data_list: optionalList(z.looseObject({ prop_id: optionalText, biz_id: optionalText, name_zh: optionalText, name_en: optionalText })),
});
export type IncidentHistoryItem = z.output<typeof IncidentHistoryItem>;

/** `CocListHistoryResponseDataV2`: `{total, info[]}`. */
export const IncidentHistories = z
  .looseObject({ total: count.nullish(), info: optionalList(IncidentHistoryItem) })
  .nullish()
  .transform((data) => ({ total: data?.total ?? data?.info.length ?? 0, items: data?.info ?? [] }));
export type IncidentHistories = z.output<typeof IncidentHistories>;
