/**
 * POST /v2/incidents/list (coc-api-notes §2.1). Items have the CocIncidentDataV2 shape; the
 * PCE `data` is `{total, list}` (the SDK leaves it untyped; this is the simulator's choice).
 *
 * Filters: `string_filters` over ticket_id, title, description, level_id, work_flow_status,
 * phase, assignee, creator, operator, current_cloud_service_id, mtm_region, mtm_type,
 * source_id, enterprise_project_id, is_service_interrupt, incident_ownership with operators
 * in, not_in, like, startwith, endwith, =, !=; `int_filters` over create_time, update_time,
 * start_time, handle_time (ms) with =, !=, >, <, >=, <=, in, between. Filters are ANDed unless
 * `condition` combines their `name`s with &, | and parentheses. `sort_filter` takes a field
 * and `operator` (or `values[0]`) asc|desc; default create_time desc.
 */
import { z } from 'zod';
import { gomResponse } from '../http/envelopes.js';
import { invalid, jsonBoolean, jsonInt, validate } from '../http/validate.js';
import type { RouteContext, RouteDefinition } from '../http/types.js';
import { INCIDENT_LEVELS, INCIDENT_SOURCES, INCIDENT_STATUS_NAMES, INCIDENT_TYPES } from '../state/incident-enums.js';
import type { Incident } from '../state/model.js';
import type { World } from '../state/world.js';
import { incidentWorkflowRoutes } from './incident-workflow.js';

const filterSchema = z.object({
  operator: z.string().min(1).max(32),
  field: z.string().min(1).max(64),
  values: z.array(z.unknown()).max(1000),
  name: z.string().max(64).optional(),
  group: z.string().max(64).optional(),
  match_type: z.string().max(64).optional(),
  priority_type: z.string().max(64).optional(),
});

const listBody = z
  .object({
    page: jsonInt(1, 1_000_000).default(1),
    per_page: jsonInt(1, 200).default(10),
    contain_total: jsonBoolean().optional(),
    contain_all: jsonBoolean().optional(),
    contain_sub_ticket: jsonBoolean().optional(),
    ticket_types: z.array(z.string()).optional(),
    fields: z.array(z.string()).optional(),
    string_filters: z.array(filterSchema).max(20).optional(),
    int_filters: z.array(filterSchema).max(20).optional(),
    sort_filter: filterSchema.partial().optional(),
    group_by_filter: z.unknown().optional(),
    count_filters: z.unknown().optional(),
    condition: z.string().max(2000).optional(),
  })
  .default({ page: 1, per_page: 10 });

type Filter = z.output<typeof filterSchema>;
type Row = Record<string, unknown> & { enum_data_list: unknown[] };

const STRING_FIELDS = [
  'ticket_id',
  'title',
  'description',
  'level_id',
  'work_flow_status',
  'phase',
  'assignee',
  'creator',
  'operator',
  'current_cloud_service_id',
  'mtm_region',
  'mtm_type',
  'source_id',
  'enterprise_project_id',
  'is_service_interrupt',
  'incident_ownership',
] as const;
const INT_FIELDS = ['create_time', 'update_time', 'start_time', 'handle_time'] as const;

function msText(value: number | null): string {
  return value === null ? '' : String(value);
}

function toRow(world: World, incident: Incident): Row {
  const name = (propId: string, bizId: string, table: Readonly<Record<string, { zh: string; en: string }>>) => ({
    prop_id: propId,
    biz_id: bizId,
    name_zh: table[bizId]?.zh ?? bizId,
    name_en: table[bizId]?.en ?? bizId,
  });
  const user = (id: string) => world.iam.userById(id)?.name ?? id;
  return {
    ticket_id: incident.incidentNum,
    title: incident.title,
    description: incident.description,
    level_id: incident.level,
    work_flow_status: incident.status,
    phase: incident.status,
    assignee: incident.assignee[0] ?? '',
    creator: incident.creator,
    operator: incident.lastOperator,
    current_cloud_service_id: incident.currentCloudService[0] ?? '',
    mtm_region: incident.region[0] ?? '',
    mtm_type: incident.type,
    source_id: incident.source,
    enterprise_project_id: incident.enterpriseProject[0] ?? '0',
    is_service_interrupt: String(incident.isServiceInterrupt),
    create_time: msText(incident.createTime),
    update_time: msText(incident.updateTime),
    start_time: msText(incident.startTime),
    handle_time: msText(incident.handleTime),
    incident_ownership: incident.ownership,
    enum_data_list: [
      name('level_id', incident.level, INCIDENT_LEVELS),
      name('work_flow_status', incident.status, INCIDENT_STATUS_NAMES),
      name('mtm_type', incident.type, INCIDENT_TYPES),
      name('source_id', incident.source, INCIDENT_SOURCES),
      ...incident.assignee.map((id) => ({ prop_id: 'assignee', biz_id: id, name_zh: user(id), name_en: user(id) })),
      ...incident.currentCloudService.map((id) => ({ prop_id: 'current_cloud_service_id', biz_id: id, name_zh: world.applicationName(id), name_en: world.applicationName(id) })),
    ],
  };
}

type Predicate = (row: Row) => boolean;

function stringPredicate(filter: Filter): Predicate {
  if (!(STRING_FIELDS as readonly string[]).includes(filter.field)) throw invalid('gom', `string_filters field [${filter.field}] is not supported`);
  const values = filter.values.map(String);
  const first = values[0] ?? '';
  const read = (row: Row) => String(row[filter.field] ?? '');
  switch (filter.operator.toLowerCase()) {
    case 'in':
      return (row) => values.includes(read(row));
    case 'not_in':
    case 'not in':
      return (row) => !values.includes(read(row));
    case '=':
      return (row) => read(row) === first;
    case '!=':
      return (row) => read(row) !== first;
    case 'like':
      return (row) => values.some((value) => read(row).toLowerCase().includes(value.toLowerCase()));
    case 'startwith':
      return (row) => values.some((value) => read(row).startsWith(value));
    case 'endwith':
      return (row) => values.some((value) => read(row).endsWith(value));
    default:
      throw invalid('gom', `string_filters operator [${filter.operator}] is not supported`);
  }
}

function intPredicate(filter: Filter): Predicate {
  if (!(INT_FIELDS as readonly string[]).includes(filter.field)) throw invalid('gom', `int_filters field [${filter.field}] is not supported`);
  const values = filter.values.map(Number);
  if (values.some(Number.isNaN)) throw invalid('gom', `int_filters values for [${filter.field}] must be numbers`);
  const first = values[0] ?? 0;
  const read = (row: Row): number | undefined => {
    const text = String(row[filter.field] ?? '');
    return text === '' ? undefined : Number(text);
  };
  const compare = (test: (value: number) => boolean): Predicate => (row) => {
    const value = read(row);
    return value !== undefined && test(value);
  };
  switch (filter.operator.toLowerCase()) {
    case '=':
      return compare((value) => value === first);
    case '!=':
      return (row) => read(row) !== first;
    case '>':
      return compare((value) => value > first);
    case '<':
      return compare((value) => value < first);
    case '>=':
      return compare((value) => value >= first);
    case '<=':
      return compare((value) => value <= first);
    case 'in':
      return compare((value) => values.includes(value));
    case 'between':
      return compare((value) => value >= first && value <= (values[1] ?? first));
    default:
      throw invalid('gom', `int_filters operator [${filter.operator}] is not supported`);
  }
}

/** Parses `(a & b) | c` over named predicates. */
function parseCondition(condition: string, named: ReadonlyMap<string, Predicate>): Predicate {
  const tokens = condition.match(/\(|\)|&|\||[^\s()&|]+/g) ?? [];
  let position = 0;
  const fail = (why: string): never => {
    throw invalid('gom', `condition [${condition}] is invalid: ${why}`);
  };
  const primary = (): Predicate => {
    const token = tokens[position++];
    if (token === undefined) return fail('it ends too early');
    if (token === '(') {
      const inner = orExpression();
      if (tokens[position++] !== ')') fail('a ")" is missing');
      return inner;
    }
    const predicate = named.get(token);
    if (!predicate) return fail(`no filter is named ${token}`);
    return predicate;
  };
  const andExpression = (): Predicate => {
    let left = primary();
    while (tokens[position] === '&') {
      position++;
      const l = left;
      const r = primary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const orExpression = (): Predicate => {
    let left = andExpression();
    while (tokens[position] === '|') {
      position++;
      const l = left;
      const r = andExpression();
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const result = orExpression();
  if (position !== tokens.length) fail(`unexpected ${tokens[position] ?? ''}`);
  return result;
}

function buildPredicate(input: z.output<typeof listBody>): Predicate {
  const entries: { name: string | undefined; predicate: Predicate }[] = [
    ...(input.string_filters ?? []).map((filter) => ({ name: filter.name, predicate: stringPredicate(filter) })),
    ...(input.int_filters ?? []).map((filter) => ({ name: filter.name, predicate: intPredicate(filter) })),
  ];
  if (input.condition !== undefined && input.condition.trim() !== '') {
    const named = new Map<string, Predicate>();
    for (const entry of entries) if (entry.name !== undefined) named.set(entry.name, entry.predicate);
    return parseCondition(input.condition, named);
  }
  return (row) => entries.every((entry) => entry.predicate(row));
}

function sorter(sort: Partial<Filter> | undefined): (a: Row, b: Row) => number {
  const field = sort?.field ?? 'create_time';
  if (![...STRING_FIELDS, ...INT_FIELDS].includes(field as never)) throw invalid('gom', `sort_filter field [${field}] is not supported`);
  const direction = String(sort?.operator ?? sort?.values?.[0] ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
  const numeric = (INT_FIELDS as readonly string[]).includes(field);
  return (a, b) => {
    const left = String(a[field] ?? '');
    const right = String(b[field] ?? '');
    const order = numeric ? Number(left || 0) - Number(right || 0) : left.localeCompare(right);
    return order * direction;
  };
}

function listIncidents({ body, world }: RouteContext) {
  const input = validate(listBody, body ?? undefined, 'gom');
  const predicate = buildPredicate(input);
  const rows = world.incidents
    .all()
    .map((incident) => toRow(world, incident))
    .filter(predicate)
    .sort(sorter(input.sort_filter));
  const start = (input.page - 1) * input.per_page;
  return gomResponse({ total: rows.length, list: rows.slice(start, start + input.per_page) });
}

export const incidentListRoutes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v2/incidents/list', family: 'gom', auth: 'required', handle: listIncidents },
  // The v2 workflow (tasks, actions, histories) lives beside the v2 list.
  ...incidentWorkflowRoutes,
];
