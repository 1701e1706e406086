/**
 * Job (作业平台) components: scripts, OS accounts, the quick script execution and its status and
 * logs. Fields and methods as the reference's `job/*` sections. `get_job_instance_log` names no
 * method there (its 请求方法 line is empty); it is read as GET like its sibling
 * `get_job_instance_status`, whose fields are the same.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

const id = z.number().int();

/** Script types as `fast_execute_script` and `get_script_list` number them (6, SQL, only in the list). */
export const SCRIPT_TYPE_WORDS: Readonly<Record<number, string>> = { 1: 'SHELL', 2: 'BAT', 3: 'PERL', 4: 'PYTHON', 5: 'POWERSHELL', 6: 'SQL' };

/** `script_timeout` in seconds: 取值范围 60-86400 (default 1000 on BlueKing's side). */
export const SCRIPT_TIMEOUT = { min: 60, max: 86_400 } as const;

// ---- get_script_list / get_script_detail ----
export const scriptRow = z.looseObject({
  id,
  name: z.string().nullish(),
  version: z.string().nullish(),
  tag: z.string().nullish(),
  type: z.number().int().nullish(),
  creator: z.string().nullish(),
  public: z.boolean().nullish(),
  bk_biz_id: z.number().int().nullish(),
  create_time: z.string().nullish(),
  last_modify_user: z.string().nullish(),
  last_modify_time: z.string().nullish(),
  content: z.string().nullish(),
});
export type ScriptRow = z.infer<typeof scriptRow>;

export const getScriptListRequest = z.object({
  bk_biz_id: id.optional(),
  is_public: z.boolean().optional(),
  return_script_content: z.boolean().optional(),
  start: z.number().int().min(0).optional(),
  length: z.number().int().min(0).optional(),
  script_type: z.enum(['0', '1', '2', '3', '4', '5', '6']).optional(),
  script_name: z.string().optional(),
});
export const getScriptListData = z.looseObject({
  data: z.array(scriptRow),
  start: z.number().int().nullish(),
  page_size: z.number().int().nullish(),
  total_record_size: z.number().int().nullish(),
});
export type GetScriptListRequest = z.infer<typeof getScriptListRequest>;
export type GetScriptListData = z.infer<typeof getScriptListData>;

export const getScriptList: EsbComponent<GetScriptListRequest, GetScriptListData> = {
  system: 'job',
  name: 'get_script_list',
  method: 'GET',
  write: false,
  request: getScriptListRequest,
  data: getScriptListData,
};

export const getScriptDetailRequest = z.object({ bk_biz_id: id.optional(), id });
/** A script the platform does not know may come back as an empty `data`. */
export const getScriptDetailData = scriptRow.nullable();
export type GetScriptDetailRequest = z.infer<typeof getScriptDetailRequest>;

export const getScriptDetail: EsbComponent<GetScriptDetailRequest, ScriptRow | null> = {
  system: 'job',
  name: 'get_script_detail',
  method: 'GET',
  write: false,
  request: getScriptDetailRequest,
  data: getScriptDetailData,
};

// ---- get_os_account ----
export const getOsAccountRequest = z.object({ bk_biz_id: id });
export const osAccount = z.looseObject({
  id,
  account: z.string(),
  alias: z.string().nullish(),
  os: z.string().nullish(),
  creator: z.string().nullish(),
  bk_biz_id: z.number().int().nullish(),
  create_time: z.string().nullish(),
});
export const getOsAccountData = z.array(osAccount);
export type GetOsAccountRequest = z.infer<typeof getOsAccountRequest>;
export type OsAccount = z.infer<typeof osAccount>;

export const getOsAccount: EsbComponent<GetOsAccountRequest, OsAccount[]> = {
  system: 'job',
  name: 'get_os_account',
  method: 'GET',
  write: false,
  request: getOsAccountRequest,
  data: getOsAccountData,
};

// ---- fast_execute_script (a write) ----
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
export const ipTarget = z.object({ bk_cloud_id: z.number().int().min(0), ip: z.string().min(1) });

export const fastExecuteScriptRequest = z
  .object({
    bk_biz_id: id,
    script_id: id.optional(),
    task_name: z.string().optional(),
    script_content: base64.optional(),
    script_param: base64.optional(),
    script_timeout: z.number().int().min(SCRIPT_TIMEOUT.min).max(SCRIPT_TIMEOUT.max).optional(),
    account: z.string().min(1).optional(),
    is_param_sensitive: z.union([z.literal(0), z.literal(1)]).optional(),
    script_type: z.number().int().min(1).max(5).optional(),
    custom_query_id: z.array(z.string()).optional(),
    ip_list: z.array(ipTarget).optional(),
    bk_callback_url: z.url().optional(),
  })
  .refine((input) => input.script_id !== undefined || input.script_content !== undefined, { message: 'script_id or script_content is required', path: ['script_id'] })
  .refine((input) => (input.ip_list?.length ?? 0) > 0 || (input.custom_query_id?.length ?? 0) > 0, { message: 'ip_list or custom_query_id is required', path: ['ip_list'] });
export const fastExecuteScriptData = z.looseObject({ job_instance_id: id, job_instance_name: z.string().nullish() });
export type FastExecuteScriptRequest = z.infer<typeof fastExecuteScriptRequest>;
export type FastExecuteScriptData = z.infer<typeof fastExecuteScriptData>;

export const fastExecuteScript: EsbComponent<FastExecuteScriptRequest, FastExecuteScriptData> = {
  system: 'job',
  name: 'fast_execute_script',
  method: 'POST',
  write: true,
  request: fastExecuteScriptRequest,
  data: fastExecuteScriptData,
  // A sensitive parameter line is hidden in any text made from the answer, encoded and decoded.
  // So is the callback URL: its token is the only thing that lets a callback in.
  sensitive: (input) => [
    ...(input.is_param_sensitive === 1 && input.script_param ? [input.script_param, Buffer.from(input.script_param, 'base64').toString('utf8')] : []),
    ...(input.bk_callback_url ? [input.bk_callback_url, input.bk_callback_url.split('/').filter(Boolean).at(-1) ?? input.bk_callback_url] : []),
  ],
};

// ---- get_job_instance_status ----
export const jobInstanceRequest = z.object({ bk_biz_id: id, job_instance_id: id });
export const ipStatus = z.looseObject({ ip: z.string(), bk_cloud_id: z.number().int(), status: z.number().int() });
export const getJobInstanceStatusData = z.looseObject({
  is_finished: z.boolean(),
  job_instance: z.looseObject({
    job_instance_id: id.optional(),
    bk_biz_id: z.number().int().optional(),
    name: z.string().nullish(),
    status: z.number().int(),
    operator: z.string().nullish(),
    create_time: z.string().nullish(),
    start_time: z.string().nullish(),
    end_time: z.string().nullish(),
    total_time: z.number().nullish(),
  }),
  blocks: z
    .array(
      z.looseObject({
        step_instances: z
          .array(
            z.looseObject({
              step_instance_id: z.number().int().optional(),
              status: z.number().int().optional(),
              start_time: z.string().nullish(),
              end_time: z.string().nullish(),
              total_time: z.number().nullish(),
              step_ip_status: z.array(ipStatus).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
export type JobInstanceRequest = z.infer<typeof jobInstanceRequest>;
export type GetJobInstanceStatusData = z.infer<typeof getJobInstanceStatusData>;

export const getJobInstanceStatus: EsbComponent<JobInstanceRequest, GetJobInstanceStatusData> = {
  system: 'job',
  name: 'get_job_instance_status',
  method: 'GET',
  write: false,
  request: jobInstanceRequest,
  data: getJobInstanceStatusData,
};

// ---- get_job_instance_log ----
export const ipLog = z.looseObject({
  ip: z.string(),
  bk_cloud_id: z.number().int(),
  log_content: z.string().nullish(),
  exit_code: z.number().int().nullish(),
  error_code: z.number().int().nullish(),
  start_time: z.string().nullish(),
  end_time: z.string().nullish(),
  total_time: z.number().nullish(),
  retry_count: z.number().int().nullish(),
});
export const getJobInstanceLogData = z.array(
  z.looseObject({
    is_finished: z.boolean().nullish(),
    step_instance_id: z.number().int().nullish(),
    name: z.string().nullish(),
    status: z.number().int().nullish(),
    step_results: z
      .array(z.looseObject({ ip_status: z.number().int().nullish(), tag: z.string().nullish(), ip_logs: z.array(ipLog).nullish() }))
      .nullish(),
  }),
);
export type GetJobInstanceLogData = z.infer<typeof getJobInstanceLogData>;

export const getJobInstanceLog: EsbComponent<JobInstanceRequest, GetJobInstanceLogData> = {
  system: 'job',
  name: 'get_job_instance_log',
  method: 'GET',
  write: false,
  request: jobInstanceRequest,
  data: getJobInstanceLogData,
};

// ---- callback_protocol: what Job posts to bk_callback_url ----
export const jobCallbackBody = z.looseObject({
  job_instance_id: id,
  status: z.number().int(),
  step_instances: z.array(z.looseObject({ step_instance_id: z.number().int().optional(), status: z.number().int().optional() })).optional(),
});
export type JobCallbackBody = z.infer<typeof jobCallbackBody>;
