/**
 * CMDB (配置平台) components: businesses, hosts, sets and modules. Fields and methods as the
 * reference's `cc/search_business`, `cc/search_host`, `cc/search_set`, `cc/search_module`
 * sections; strict on what the backend reads, lenient (loose objects) on everything else.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

/** Most rows one page may hold (the reference: `limit` … 最大 200). */
export const CC_PAGE_MAX = 200;

const page = z.object({
  start: z.number().int().min(0),
  limit: z.number().int().min(1).max(CC_PAGE_MAX),
  sort: z.string().optional(),
});

/** One condition of `search_host`: `$eq`, `$neq`, `$in`, `$nin` as the reference lists them. */
const hostCondition = z.object({
  field: z.string(),
  operator: z.enum(['$eq', '$neq', '$in', '$nin']),
  value: z.unknown(),
});

const id = z.number().int();
const nameOf = z.string().nullish();

// ---- search_business ----
export const searchBusinessRequest = z.object({
  bk_supplier_account: z.string().optional(),
  fields: z.array(z.string()).optional(),
  condition: z.record(z.string(), z.unknown()).optional(),
  page: page.optional(),
});
export const business = z.looseObject({ bk_biz_id: id, bk_biz_name: z.string() });
export const searchBusinessData = z.looseObject({ count: z.number().int(), info: z.array(business) });
export type SearchBusinessRequest = z.infer<typeof searchBusinessRequest>;
export type SearchBusinessData = z.infer<typeof searchBusinessData>;

export const searchBusiness: EsbComponent<SearchBusinessRequest, SearchBusinessData> = {
  system: 'cc',
  name: 'search_business',
  method: 'POST',
  write: false,
  request: searchBusinessRequest,
  data: searchBusinessData,
};

// ---- search_host ----
export const searchHostRequest = z.object({
  bk_supplier_account: z.string().optional(),
  bk_biz_id: id.optional(),
  ip: z
    .object({
      data: z.array(z.string()),
      exact: z.union([z.literal(0), z.literal(1)]).optional(),
      flag: z.string().optional(),
    })
    .optional(),
  condition: z
    .array(
      z.object({
        bk_obj_id: z.enum(['biz', 'set', 'module', 'host', 'object']),
        fields: z.array(z.string()),
        condition: z.array(hostCondition),
      }),
    )
    .optional(),
  page: page.optional(),
  pattern: z.string().optional(),
});

/**
 * `bk_cloud_id` comes as a number in most versions and, in the reference's own example, as a list
 * of plat instances (`[{ bk_inst_id: 0, id: "0", … }]`): both are read as the number.
 */
export const cloudId = z.union([
  z.number().int(),
  z.string().regex(/^\d+$/).transform(Number),
  z.array(z.looseObject({ bk_inst_id: z.number().int().optional(), id: z.union([z.string(), z.number()]).optional() })),
]);

export const cmdbHost = z.looseObject({
  bk_host_id: id,
  bk_host_name: nameOf,
  bk_host_innerip: z.string().nullish(),
  bk_cloud_id: cloudId.nullish(),
  bk_os_name: z.string().nullish(),
  bk_os_type: z.string().nullish(),
});
export const searchHostData = z.looseObject({
  count: z.number().int(),
  info: z.array(
    z.looseObject({
      host: cmdbHost,
      biz: z.array(z.looseObject({ bk_biz_id: id.optional(), bk_biz_name: nameOf })).nullish(),
      set: z.array(z.looseObject({ bk_set_id: id.optional(), bk_set_name: nameOf })).nullish(),
      module: z.array(z.looseObject({ bk_module_id: id.optional(), bk_module_name: nameOf })).nullish(),
    }),
  ),
});
export type SearchHostRequest = z.infer<typeof searchHostRequest>;
export type SearchHostData = z.infer<typeof searchHostData>;
export type CmdbHostRow = SearchHostData['info'][number];

export const searchHost: EsbComponent<SearchHostRequest, SearchHostData> = {
  system: 'cc',
  name: 'search_host',
  method: 'POST',
  write: false,
  request: searchHostRequest,
  data: searchHostData,
};

// ---- search_set ----
export const searchSetRequest = z.object({
  bk_supplier_account: z.string().optional(),
  bk_biz_id: id,
  fields: z.array(z.string()),
  condition: z.record(z.string(), z.unknown()),
  page,
});
export const searchSetData = z.looseObject({ count: z.number().int(), info: z.array(z.looseObject({ bk_set_id: id, bk_set_name: z.string() })) });
export type SearchSetRequest = z.infer<typeof searchSetRequest>;
export type SearchSetData = z.infer<typeof searchSetData>;

export const searchSet: EsbComponent<SearchSetRequest, SearchSetData> = {
  system: 'cc',
  name: 'search_set',
  method: 'POST',
  write: false,
  request: searchSetRequest,
  data: searchSetData,
};

// ---- search_module ----
export const searchModuleRequest = z.object({
  bk_supplier_account: z.string().optional(),
  bk_biz_id: id,
  bk_set_id: id,
  fields: z.array(z.string()),
  condition: z.record(z.string(), z.unknown()),
  page,
});
export const searchModuleData = z.looseObject({
  count: z.number().int(),
  info: z.array(z.looseObject({ bk_module_id: id, bk_module_name: z.string() })),
});
export type SearchModuleRequest = z.infer<typeof searchModuleRequest>;
export type SearchModuleData = z.infer<typeof searchModuleData>;

export const searchModule: EsbComponent<SearchModuleRequest, SearchModuleData> = {
  system: 'cc',
  name: 'search_module',
  method: 'POST',
  write: false,
  request: searchModuleRequest,
  data: searchModuleData,
};
