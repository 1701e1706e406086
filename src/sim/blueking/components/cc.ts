/**
 * CMDB (cc): businesses, sets, modules and hosts. `condition` dicts match a field's value
 * exactly, or by `{"$in": [...]}`, `{"$regex": "..."}`, `{"$neq": v}`; `search_host`'s condition
 * array takes `$eq $neq $in $nin` per object (biz, set, module, host). Pages are `start`/`limit`
 * with limit at most 200; `sort` is a field name, `-field` descending.
 */
import { z } from 'zod';
import { EsbCodes, EsbError, argumentError } from '../errors.js';
import { ccTime } from '../time.js';
import type { BkHost } from '../state/topology.js';
import type { BkWorld } from '../state/world.js';
import { BK_SIM_SUPPLIER_ACCOUNT } from '../defaults.js';
import { array, defineComponent, int, ok, record, str } from './define.js';

const MAX_LIMIT = 200;

const page = (maxLimit: number | undefined) =>
  z.object({
    start: int().pipe(z.number().min(0, { error: 'must be 0 or more' })),
    limit: maxLimit === undefined ? int().pipe(z.number().min(1, { error: 'must be 1 or more' })) : int().pipe(z.number().min(1, { error: 'must be 1 or more' }).max(maxLimit, { error: `must be at most ${maxLimit}` })),
    sort: str().optional(),
  });

type Row = Record<string, unknown>;

function matchesValue(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const ops = expected as Record<string, unknown>;
    return Object.entries(ops).every(([op, value]) => {
      switch (op) {
        case '$eq':
          return actual === value;
        case '$ne':
        case '$neq':
          return actual !== value;
        case '$in':
          return Array.isArray(value) && value.includes(actual);
        case '$nin':
          return Array.isArray(value) && !value.includes(actual);
        case '$regex':
          return typeof value === 'string' && typeof actual === 'string' && safeRegex(value).test(actual);
        default:
          throw argumentError(`condition operator ${op} is not supported`);
      }
    });
  }
  return actual === expected;
}

function safeRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw argumentError(`condition $regex ${JSON.stringify(pattern)} is not a valid regular expression`);
  }
}

function matchesCondition(row: Row, condition: Record<string, unknown>): boolean {
  return Object.entries(condition).every(([field, expected]) => matchesValue(row[field], expected));
}

function project(row: Row, fields: readonly string[] | undefined): Row {
  if (!fields || fields.length === 0) return row;
  return Object.fromEntries(fields.filter((field) => field in row).map((field) => [field, row[field]]));
}

function paged<T extends Row>(rows: T[], pageSpec: { start: number; limit: number; sort?: string | undefined } | undefined): T[] {
  let sorted = rows;
  const sort = pageSpec?.sort;
  if (sort) {
    const descending = sort.startsWith('-');
    const field = descending ? sort.slice(1) : sort;
    sorted = [...rows].sort((a, b) => {
      const left = a[field] as string | number | undefined;
      const right = b[field] as string | number | undefined;
      const order = left === right ? 0 : left === undefined ? 1 : right === undefined ? -1 : left < right ? -1 : 1;
      return descending ? -order : order;
    });
  }
  if (!pageSpec) return sorted;
  return sorted.slice(pageSpec.start, pageSpec.start + pageSpec.limit);
}

function bizRow(world: BkWorld, id: number): Row {
  const biz = world.topology.business(id);
  return biz ? { ...biz, bk_supplier_account: BK_SIM_SUPPLIER_ACCOUNT, bk_supplier_id: 0, operator: '', create_time: ccTime(world.now() - 30 * 86_400_000), last_time: ccTime(world.now() - 86_400_000) } : {};
}

function setRow(world: BkWorld, id: number): Row {
  const set = world.topology.setById(id);
  return set ? { ...set, bk_parent_id: set.bk_biz_id, bk_capacity: null, bk_set_desc: '', description: '', bk_supplier_account: BK_SIM_SUPPLIER_ACCOUNT } : {};
}

function moduleRow(world: BkWorld, id: number): Row {
  const module = world.topology.moduleById(id);
  return module ? { ...module, bk_parent_id: module.bk_set_id, bk_supplier_account: BK_SIM_SUPPLIER_ACCOUNT } : {};
}

function hostRow(host: BkHost): Row {
  return {
    bk_host_id: host.bk_host_id,
    bk_host_name: host.bk_host_name,
    bk_host_innerip: host.bk_host_innerip,
    bk_host_outerip: host.bk_host_outerip,
    bk_cloud_id: [{ bk_obj_name: '', id: String(host.bk_cloud_id), bk_obj_id: 'plat', bk_obj_icon: '', bk_inst_id: host.bk_cloud_id, bk_inst_name: 'default area' }],
    bk_os_type: host.os === 'windows' ? '2' : '1',
    bk_os_name: host.bk_os_name,
    bk_os_version: host.bk_os_version,
    bk_os_bit: '64-bit',
    bk_cpu: host.bk_cpu,
    bk_cpu_mhz: 2534,
    bk_cpu_module: 'Intel(R)',
    bk_mem: host.bk_mem,
    bk_disk: host.bk_disk,
    bk_mac: '00:00:00:00:00:00',
    bk_outer_mac: '',
    bk_comment: host.bk_comment,
    operator: host.operator,
    bk_bak_operator: host.bk_bak_operator,
    bk_sla: '',
    bk_sn: '',
    bk_asset_id: '',
    bk_service_term: null,
    bk_input_from: 'agent',
    import_from: '',
    create_time: ccTime(host.createdAt),
  };
}

/** What a condition on `host` compares: bk_cloud_id as the plain number it is stored as. */
function hostMatchRow(host: BkHost): Row {
  return { ...hostRow(host), bk_cloud_id: host.bk_cloud_id, bk_biz_id: host.bk_biz_id, bk_set_id: host.bk_set_id, bk_module_id: host.bk_module_id };
}

const conditionItem = z.object({ field: str(), operator: z.enum(['$eq', '$neq', '$ne', '$in', '$nin'], { error: 'must be one of $eq, $neq, $in, $nin' }), value: z.unknown() });
const objectCondition = z.object({
  bk_obj_id: z.enum(['biz', 'set', 'module', 'host', 'object'], { error: 'must be one of biz, set, module, host, object' }),
  fields: array(str()).optional(),
  condition: array(conditionItem).optional(),
});

function fitsItems(row: Row, items: readonly z.output<typeof conditionItem>[]): boolean {
  return items.every((item) => {
    const op = item.operator === '$ne' ? '$neq' : item.operator;
    return matchesValue(row[item.field], { [op]: item.value });
  });
}

function requireBiz(world: BkWorld, id: number): void {
  if (!world.topology.business(id)) throw new EsbError(EsbCodes.CC_NOT_FOUND, `business [bk_biz_id=${id}] does not exist`);
}

export const ccComponents = [
  defineComponent({
    key: 'cc/search_business',
    method: 'POST',
    params: z.object({ bk_supplier_account: str().optional(), fields: array(str()).optional(), condition: record().optional(), page: page(MAX_LIMIT).optional() }),
    handle: ({ params, world }) => {
      const rows = world.topology.businesses.map((biz) => bizRow(world, biz.bk_biz_id)).filter((row) => matchesCondition(row, params.condition ?? {}));
      return ok({ count: rows.length, info: paged(rows, params.page).map((row) => project(row, params.fields)) });
    },
  }),
  defineComponent({
    key: 'cc/search_set',
    method: 'POST',
    params: z.object({ bk_supplier_account: str().optional(), bk_biz_id: int(), fields: array(str()), condition: record(), page: page(MAX_LIMIT) }),
    handle: ({ params, world }) => {
      requireBiz(world, params.bk_biz_id);
      const rows = world.topology.sets.filter((set) => set.bk_biz_id === params.bk_biz_id).map((set) => setRow(world, set.bk_set_id)).filter((row) => matchesCondition(row, params.condition));
      return ok({ count: rows.length, info: paged(rows, params.page).map((row) => project(row, params.fields)) });
    },
  }),
  defineComponent({
    key: 'cc/search_module',
    method: 'POST',
    params: z.object({ bk_supplier_account: str().optional(), bk_biz_id: int(), bk_set_id: int(), fields: array(str()), condition: record(), page: page(undefined) }),
    handle: ({ params, world }) => {
      requireBiz(world, params.bk_biz_id);
      const set = world.topology.setById(params.bk_set_id);
      if (!set || set.bk_biz_id !== params.bk_biz_id) throw new EsbError(EsbCodes.CC_NOT_FOUND, `set [bk_set_id=${params.bk_set_id}] does not exist in business ${params.bk_biz_id}`);
      const rows = world.topology.modules
        .filter((module) => module.bk_set_id === params.bk_set_id)
        .map((module) => moduleRow(world, module.bk_module_id))
        .filter((row) => matchesCondition(row, params.condition));
      return ok({ count: rows.length, info: paged(rows, params.page).map((row) => project(row, params.fields)) });
    },
  }),
  defineComponent({
    key: 'cc/search_host',
    method: 'POST',
    params: z.object({
      bk_supplier_account: str().optional(),
      bk_biz_id: int().optional(),
      ip: z.object({ data: array(str()).optional(), exact: int().optional(), flag: str().optional() }).optional(),
      condition: array(objectCondition).optional(),
      page: page(MAX_LIMIT).optional(),
      pattern: str().optional(),
    }),
    handle: ({ params, world }) => {
      if (params.bk_biz_id !== undefined) requireBiz(world, params.bk_biz_id);
      const ips = params.ip?.data ?? [];
      const exact = (params.ip?.exact ?? 1) === 1;
      const flag = params.ip?.flag ?? 'bk_host_innerip';
      const byObject = new Map<string, z.output<typeof objectCondition>>();
      for (const entry of params.condition ?? []) byObject.set(entry.bk_obj_id, entry);
      const matches = world.topology.hosts.filter((host) => {
        if (params.bk_biz_id !== undefined && host.bk_biz_id !== params.bk_biz_id) return false;
        if (ips.length > 0) {
          const candidates = [flag.includes('bk_host_innerip') ? host.bk_host_innerip : undefined, flag.includes('bk_host_outerip') ? host.bk_host_outerip : undefined].filter((value): value is string => !!value);
          if (!ips.some((ip) => candidates.some((candidate) => (exact ? candidate === ip : candidate.includes(ip))))) return false;
        }
        const checks: [string, Row][] = [
          ['host', hostMatchRow(host)],
          ['biz', bizRow(world, host.bk_biz_id)],
          ['set', setRow(world, host.bk_set_id)],
          ['module', moduleRow(world, host.bk_module_id)],
        ];
        return checks.every(([object, row]) => fitsItems(row, byObject.get(object)?.condition ?? []));
      });
      const hostPage = params.page ?? { start: 0, limit: MAX_LIMIT, sort: 'bk_host_id' };
      const byId = new Map(matches.map((host) => [host.bk_host_id, host]));
      const pageHosts = paged(matches.map(hostMatchRow), hostPage).map((row) => byId.get(row['bk_host_id'] as number) as BkHost);
      const fieldsOf = (object: string) => byObject.get(object)?.fields;
      return ok({
        count: matches.length,
        info: pageHosts.map((host) => ({
          host: project(hostRow(host), fieldsOf('host')),
          biz: [project(bizRow(world, host.bk_biz_id), fieldsOf('biz'))],
          set: [project(setRow(world, host.bk_set_id), fieldsOf('set'))],
          module: [project(moduleRow(world, host.bk_module_id), fieldsOf('module'))],
        })),
      });
    },
  }),
];
