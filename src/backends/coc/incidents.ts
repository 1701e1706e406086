/**
 * COC incidents as the neutral incidents group: the v2 list (its filters built here), the
 * detail, create and handle (coc-api-notes §1.15–§1.17, §2.1), the v2 workflow (the actions
 * COC offers now and taking them) and timeline, and the values COC takes for a level, a type
 * and a status (the words people type for them).
 */
import type { CocClient } from '../../coc/client.js';
import {
  INCIDENT_LEVELS,
  INCIDENT_TYPES,
  type CreateIncidentInput,
  type HandleIncidentInput,
  type IncidentDetail,
  type IncidentFilter,
  type IncidentHistoryItem,
  type IncidentListItem as CocIncidentListItem,
  type IncidentTasks,
  type ListIncidentsInput,
} from '../../coc/schemas/incidents.js';
import type { Page } from '../backend.js';
import { isNotFound as isCocNotFound } from '../errors.js';
import { makeId, nativeOf, type IncidentId } from '../ids.js';
import type { Coded } from '../types/coded.js';
import type {
  Incident,
  IncidentAction,
  IncidentActionKind,
  IncidentChoices,
  IncidentHistoryEntry,
  IncidentOffer,
  IncidentWorkflow,
  IncidentListItem,
  IncidentName,
  IncidentNamedField,
  IncidentQuery,
  IncidentsCapability,
  IncidentState,
} from '../types/incidents.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

const STATE_OF_STATUS: Readonly<Record<string, IncidentState>> = {
  incident_draft: 'draft',
  INCIDENT_STATUS_TRIGGERED: 'triggered',
  INCIDENT_STATUS_ACKNOWLEDGED: 'acknowledged',
  INCIDENT_STATUS_REJECTED: 'rejected',
  INCIDENT_STATUS_RESOLVED: 'resolved',
  INCIDENT_STATUS_COMPLETED: 'completed',
};

/** COC's field keys (detail `filed_key`, list `prop_id`) of the values the product names. */
const NAMED_FIELD: Readonly<Record<string, IncidentNamedField>> = {
  level_id: 'level',
  mtm_type: 'type',
  work_flow_status: 'status',
  source_id: 'source',
  assignee: 'assignee',
  creator: 'creator',
  operator: 'operator',
  current_cloud_service_id: 'application',
};

/**
 * Short words for the types. "middleware" sends `inc_type_p_middleware_issues` (the English
 * reference and the pattern of every other key); typing either documented key sends that key
 * unchanged, for a COC that only knows the Chinese reference's `inc_type_p_middlewares`.
 */
const TYPE_BY_WORD: Readonly<Record<string, (typeof INCIDENT_TYPES)[number]>> = {
  security: 'inc_type_p_security_issues',
  function: 'inc_type_p_function_issues',
  reliability: 'inc_type_p_reliability_issues',
  config: 'inc_type_p_config_issues',
  middleware: 'inc_type_p_middleware_issues',
  hardware: 'inc_type_p_hardware_issues',
  networking: 'inc_type_p_networking_issues',
  facility: 'inc_type_p_shelter_issues',
  monitoring: 'inc_type_p_monitoring_issues',
  consulting: 'inc_type_p_consulting_issues',
  supplier: 'inc_type_p_suppliers_issues',
  other: 'inc_type_p_ohter_issues',
  change: 'inc_type_p_change_issues',
};

export const COC_INCIDENT_CHOICES: IncidentChoices = {
  levels: INCIDENT_LEVELS.map((code) => ({ word: code.replace(/^level_(\d)0$/, 'p$1'), code, label: code.replace(/^level_(\d)0$/, 'P$1') })),
  types: Object.entries(TYPE_BY_WORD).map(([word, code]) => ({ word, code })),
  typeAliases: {
    functional: 'inc_type_p_function_issues',
    performance: 'inc_type_p_reliability_issues',
    configuration: 'inc_type_p_config_issues',
    network: 'inc_type_p_networking_issues',
    shelter: 'inc_type_p_shelter_issues',
    datacenter: 'inc_type_p_shelter_issues',
    suppliers: 'inc_type_p_suppliers_issues',
    vendor: 'inc_type_p_suppliers_issues',
  },
  levelCodes: INCIDENT_LEVELS,
  typeCodes: INCIDENT_TYPES,
  statuses: Object.entries(STATE_OF_STATUS).map(([code, word]) => ({ word, code })),
};

function statusOf(code: string | null | undefined): Coded<IncidentState> | undefined {
  if (code === null || code === undefined) return undefined;
  return { state: STATE_OF_STATUS[code] ?? 'other', code };
}

function names(entries: readonly { field?: string | null | undefined; key?: string | null | undefined; zh?: string | null | undefined; en?: string | null | undefined }[]): IncidentName[] {
  const out: IncidentName[] = [];
  for (const entry of entries) {
    const field = entry.field ? NAMED_FIELD[entry.field] : undefined;
    if (!field) continue;
    out.push({ field, key: entry.key ?? '', ...(entry.zh ? { zh: entry.zh } : {}), ...(entry.en ? { en: entry.en } : {}) });
  }
  return out;
}

const defined = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
const opt = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } => (defined(value) ? ({ [key]: value } as { [P in K]: V }) : {});

export function incidentOf(detail: IncidentDetail): Incident {
  const status = statusOf(detail.status);
  return {
    id: makeId('coc', 'incident', detail.incident_num),
    ...opt('title', detail.incident_title),
    ...opt('description', detail.incident_description),
    ...opt('status', status),
    ...opt('level', detail.incident_level),
    ...opt('type', detail.incident_type),
    ...opt('source', detail.incident_source),
    ...opt('serviceInterrupted', detail.is_service_interrupt),
    assignees: detail.incident_assignee,
    ...opt('assigneeScene', detail.assignee_scene),
    ...opt('assigneeRole', detail.assignee_role),
    regions: detail.region,
    enterpriseProjects: detail.enterprise_project,
    applications: detail.current_cloud_service,
    ...opt('creator', detail.creator),
    // COC writes '' for "none".
    ...(detail.warroom_id ? { warRoom: makeId('coc', 'war-room', detail.warroom_id) } : {}),
    ...opt('createdAt', detail.create_time),
    ...opt('startedAt', detail.start_time),
    ...opt('recoveredAt', detail.fault_recovery_time),
    names: names(detail.enum_data_list.map((e) => ({ field: e.filed_key, key: e.enum_key, zh: e.name_zh, en: e.name_en }))),
  };
}

function assigneesOf(item: CocIncidentListItem): string[] {
  const raw = item.assignee;
  if (Array.isArray(raw)) return raw.filter(Boolean);
  return raw ? [raw] : [];
}

export function listItemOf(item: CocIncidentListItem): IncidentListItem {
  return {
    id: makeId('coc', 'incident', item.ticket_id),
    ...opt('title', item.title),
    ...opt('status', statusOf(item.work_flow_status)),
    ...opt('level', item.level_id),
    assignees: assigneesOf(item),
    ...opt('creator', item.creator),
    ...opt('createdAt', item.create_time),
    names: names(item.enum_data_list.map((e) => ({ field: e.prop_id, key: e.biz_id, zh: e.name_zh, en: e.name_en }))),
  };
}

/** The v2 list's request for a neutral query. */
export function listRequestOf(query: IncidentQuery): ListIncidentsInput {
  const strings: IncidentFilter[] = [
    ...(query.statusCodes ? [{ operator: 'in', field: 'work_flow_status', values: [...query.statusCodes] }] : []),
    ...(query.levelCodes ? [{ operator: 'in', field: 'level_id', values: [...query.levelCodes] }] : []),
    ...(query.assignees ? [{ operator: 'in', field: 'assignee', values: [...query.assignees] }] : []),
    ...(query.title !== undefined ? [{ operator: '=', field: 'title', values: [query.title] }] : []),
    ...(query.creator !== undefined ? [{ operator: '=', field: 'creator', values: [query.creator] }] : []),
  ];
  const ints: IncidentFilter[] = [
    ...(query.createdAfter !== undefined ? [{ operator: '>', field: 'create_time', values: [query.createdAfter] }] : []),
    ...(query.createdSince !== undefined ? [{ operator: '>=', field: 'create_time', values: [query.createdSince] }] : []),
  ];
  return {
    page: query.page,
    per_page: query.perPage,
    ...(query.withTotal !== undefined ? { contain_total: query.withTotal } : {}),
    ...(strings.length ? { string_filters: strings } : {}),
    ...(ints.length ? { int_filters: ints } : {}),
    ...(query.order ? { sort_filter: { operator: query.order === 'newest-first' ? 'desc' : 'asc', field: 'create_time' } } : {}),
  };
}

export function handleRequestOf(num: string, operator: string, action: IncidentAction): HandleIncidentInput {
  switch (action.kind) {
    case 'accept':
      return { incident_num: num, operator, operate_key: 'acceptedIncident1', parameter: {} };
    case 'solve':
      return {
        incident_num: num,
        operator,
        operate_key: 'commitSolution1',
        parameter: { mtm_type: action.type as (typeof INCIDENT_TYPES)[number], is_service_interrupt: action.serviceInterrupted, cause: action.cause, solution: action.solution },
      };
    default:
      return {
        incident_num: num,
        operator,
        operate_key: 'confirm',
        parameter: { virtual_confirm_result: action.kind === 'verify', virtual_confirm_comment: action.comment },
      };
  }
}

/**
 * The product's words for COC's action keys. The v2 tasks call documents no keys; these are
 * the handle call's documented operate_keys (notes §1.16), whose parameters the action's
 * `params` carry (unverified). `confirm` is both verify and reject (its result says which).
 */
const OPERATIONS_OF_ACTION: Readonly<Record<string, readonly IncidentActionKind[]>> = {
  acceptedIncident1: ['accept'],
  commitSolution1: ['solve'],
  confirm: ['verify', 'reject'],
};

export function workflowOf(tasks: IncidentTasks): IncidentWorkflow {
  const offers: IncidentOffer[] = [];
  for (const task of tasks) {
    for (const operation of task.operations) {
      offers.push({ taskId: operation.task_id, action: operation.key, ...opt('taskName', task.name), operations: OPERATIONS_OF_ACTION[operation.key] ?? [] });
    }
  }
  return {
    steps: tasks.map((task) => ({ ...opt('key', task.key), ...opt('name', task.name), ...opt('state', task.state) })),
    offers,
  };
}

/** The action's `params`: the v1 handle's parameter, and who acts (`operator`, as the handle call names them). */
export function actionParamsOf(num: string, operator: string, action: IncidentAction): Record<string, unknown> {
  return { ...(handleRequestOf(num, operator, action).parameter ?? {}), operator };
}

export function historyEntryOf(item: IncidentHistoryItem): IncidentHistoryEntry {
  return {
    action: item.action ?? '',
    ...opt('en', item.action_name_en),
    ...opt('zh', item.action_name_zh),
    ...opt('operator', item.operator),
    ...opt('status', item.status),
    ...opt('startedAt', item.start_time),
    ...opt('endedAt', item.stop_time),
    ...(item.comment ? { comment: item.comment } : {}),
    names: names(item.enum_data_list.map((e) => ({ field: e.prop_id, key: e.biz_id, zh: e.name_zh, en: e.name_en }))),
  };
}

/** Oldest first, whatever order COC answers in (entries without a time keep their place at the start). */
function oldestFirst(entries: IncidentHistoryEntry[]): IncidentHistoryEntry[] {
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => (a.entry.startedAt ?? 0) - (b.entry.startedAt ?? 0) || a.index - b.index).map(({ entry }) => entry);
}

export function cocIncidents(client: CocClient): IncidentsCapability {
  return {
    choices: COC_INCIDENT_CHOICES,
    async list(query, options): Promise<Page<IncidentListItem>> {
      const page = await mapped(() => client.listIncidents(listRequestOf(query), cocCallOptions(options)));
      return { items: page.items.map(listItemOf), total: page.total };
    },
    async get(id, options) {
      try {
        return incidentOf(await mapped(() => client.getIncident(nativeOf(id), cocCallOptions(options))));
      } catch (error) {
        if (isCocNotFound(error)) return undefined;
        throw error;
      }
    },
    async create(draft, options): Promise<IncidentId> {
      const input: CreateIncidentInput = {
        current_cloud_service: [draft.application],
        incident_level: draft.level as (typeof INCIDENT_LEVELS)[number],
        is_service_interrupt: draft.serviceInterrupted ? 'true' : 'false',
        incident_type: draft.type as (typeof INCIDENT_TYPES)[number],
        incident_title: draft.title,
        incident_description: draft.description,
        incident_source: 'incident_source_manual',
        creator: draft.creator,
        ...(draft.assignee !== undefined ? { incident_assignee: [draft.assignee] } : {}),
        ...(draft.onCall ? { assignee_scene: draft.onCall.scene, assignee_role: draft.onCall.role } : {}),
        ...(draft.region ? { region: [draft.region] } : {}),
      };
      const num = await mapped(() => client.createIncident(input, cocCallOptions(options)));
      return makeId('coc', 'incident', num);
    },
    async handle(id, action, by, options): Promise<void> {
      await mapped(() => client.handleIncident(handleRequestOf(nativeOf(id), by, action), cocCallOptions(options)));
    },
    async workflow(id, options): Promise<IncidentWorkflow> {
      return workflowOf(await mapped(() => client.showIncidentTasks(nativeOf(id), cocCallOptions(options))));
    },
    async act(id, offer, action, by, options): Promise<void> {
      const num = nativeOf(id);
      await mapped(() => client.actOnIncident(num, { task_id: offer.taskId, action: offer.action, params: actionParamsOf(num, by, action) }, cocCallOptions(options)));
    },
    async timeline(id, options): Promise<readonly IncidentHistoryEntry[]> {
      const histories = await mapped(() => client.listIncidentHistories(nativeOf(id), {}, cocCallOptions(options)));
      return oldestFirst(histories.items.map(historyEntryOf));
    },
  };
}
