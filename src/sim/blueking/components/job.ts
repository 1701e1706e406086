/**
 * Job: scripts, accounts, fast_execute_script and the instance's status and logs. Times are
 * UTC+8. A job instance is looked up within its business: another business's id is "not found".
 */
import { z } from 'zod';
import { EsbCodes, EsbError, argumentError } from '../errors.js';
import { isJobFinished, type BkJob } from '../state/jobs.js';
import type { BkScript } from '../state/scripts.js';
import type { BkHost } from '../state/topology.js';
import type { BkWorld } from '../state/world.js';
import { bkTime, bkTimeZoned } from '../time.js';
import { array, bool, defineComponent, int, ok, str } from './define.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64 = (what: string) => str().refine((value) => BASE64.test(value), { error: `must be Base64 (${what})` });

function requireBiz(world: BkWorld, id: number): void {
  if (!world.topology.business(id)) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `business [bk_biz_id=${id}] does not exist`);
}

function jobOf(world: BkWorld, bizId: number, id: number): BkJob {
  const job = world.jobEngine.get(id);
  if (!job || job.bk_biz_id !== bizId) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `job instance [${id}] does not exist in business ${bizId}`);
  return job;
}

function scriptRow(script: BkScript, withContent: boolean) {
  return {
    id: script.id,
    name: script.name,
    version: script.version,
    tag: script.tag,
    type: script.type,
    creator: script.creator,
    public: script.public,
    bk_biz_id: script.bk_biz_id ?? 0,
    create_time: bkTime(script.createdAt),
    last_modify_user: script.creator,
    last_modify_time: bkTime(script.createdAt),
    ...(withContent ? { content: script.content } : {}),
  };
}

function elapsed(from: number | undefined, to: number | undefined): number {
  return from === undefined || to === undefined ? 0 : Math.round(to - from) / 1000;
}

const orEmpty = (ms: number | undefined) => (ms === undefined ? '' : bkTimeZoned(ms));

function statusView(job: BkJob) {
  const step = {
    step_id: -1,
    step_instance_id: job.step_instance_id,
    type: 1,
    name: job.name,
    status: job.status,
    operator: job.operator,
    pause: 0,
    order: 1,
    retry_count: 0,
    create_time: bkTimeZoned(job.createdAt),
    start_time: orEmpty(job.startedAt),
    end_time: orEmpty(job.endedAt),
    total_time: elapsed(job.startedAt, job.endedAt),
    operation_list: [],
    step_ip_status: job.hosts.map((run) => ({ ip: run.ip, bk_cloud_id: run.bk_cloud_id, status: run.status })),
  };
  return {
    is_finished: isJobFinished(job.status),
    job_instance: {
      job_instance_id: job.job_instance_id,
      bk_biz_id: job.bk_biz_id,
      name: job.name,
      start_way: 2,
      operator: job.operator,
      bk_job_id: -1,
      create_time: bkTimeZoned(job.createdAt),
      status: job.status,
      start_time: orEmpty(job.startedAt),
      end_time: orEmpty(job.endedAt),
      total_time: elapsed(job.startedAt, job.endedAt),
      current_step_instance_id: job.step_instance_id,
    },
    blocks: [{ type: 1, block_order: 1, block_name: job.name, step_instances: [step] }],
  };
}

/** One entry per step (Job's answer is a list); hosts grouped by ip_status and tag. */
function logView(job: BkJob) {
  const groups = new Map<number, BkJob['hosts']>();
  for (const run of job.hosts) groups.set(run.logStatus, [...(groups.get(run.logStatus) ?? []), run]);
  return [
    {
      is_finished: isJobFinished(job.status),
      step_instance_id: job.step_instance_id,
      name: job.name,
      status: job.status,
      step_results: [...groups].map(([ipStatus, runs]) => ({
        ip_status: ipStatus,
        tag: '',
        ip_logs: runs.map((run) => ({
          retry_count: 0,
          total_time: elapsed(run.startedAt, run.endedAt),
          start_time: run.startedAt === undefined ? '' : bkTime(run.startedAt),
          end_time: run.endedAt === undefined ? '' : bkTime(run.endedAt),
          ip: run.ip,
          bk_cloud_id: run.bk_cloud_id,
          error_code: run.errorCode,
          exit_code: run.exitCode,
          log_content: run.log,
        })),
      })),
    },
  ];
}

/** Result types of get_step_instance_status's analysis, as Job's UI groups hosts. */
const RESULT_TYPES: Readonly<Record<number, { type: number; text: string }>> = {
  1: { type: 1, text: 'Agent abnormal' },
  5: { type: 5, text: 'Waiting' },
  7: { type: 7, text: 'Running' },
  9: { type: 3, text: 'Success' },
  11: { type: 4, text: 'Failed' },
};

function stepView(job: BkJob) {
  const groups = new Map<number, BkJob['hosts']>();
  for (const run of job.hosts) groups.set(run.status, [...(groups.get(run.status) ?? []), run]);
  const count = (status: number) => job.hosts.filter((run) => run.status === status).length;
  const abnormal = job.hosts.filter((run) => run.status === 1);
  return {
    is_finished: isJobFinished(job.status),
    step_instance_analyse_result: [...groups].map(([status, runs]) => ({
      result_type: RESULT_TYPES[status]?.type ?? status,
      result_type_text: RESULT_TYPES[status]?.text ?? String(status),
      count: runs.length,
      ip_list: runs.map((run) => ({ bk_cloud_id: run.bk_cloud_id, ip: run.ip })),
    })),
    step_instance_detail: {
      step_instance_id: job.step_instance_id,
      name: job.name,
      type: 1,
      operator: job.operator,
      status: job.status,
      step_id: -1,
      job_instance_id: job.job_instance_id,
      bk_biz_id: job.bk_biz_id,
      target_ips: job.hosts.map((run) => `${run.bk_cloud_id}:${run.ip}`).join(','),
      abnormal_agent_ips: abnormal.map((run) => `${run.bk_cloud_id}:${run.ip}`).join(','),
      retry_count: 0,
      start_time: job.startedAt === undefined ? '' : bkTime(job.startedAt),
      end_time: job.endedAt === undefined ? '' : bkTime(job.endedAt),
      total_time: elapsed(job.startedAt, job.endedAt),
      total_ip_num: job.hosts.length,
      abnormal_agent_ip_num: abnormal.length,
      running_ip_num: count(7),
      fail_ip_num: count(11),
      success_ip_num: count(9),
    },
  };
}

const fastExecuteParams = z.object({
  bk_biz_id: int(),
  script_id: int().optional(),
  task_name: str().max(512, { error: 'must be at most 512 characters' }).optional(),
  script_content: base64('script_content').optional(),
  script_param: base64('script_param').optional(),
  script_timeout: int()
    .pipe(z.number().min(60, { error: 'must be between 60 and 86400' }).max(86_400, { error: 'must be between 60 and 86400' }))
    .optional(),
  account: str().optional(),
  is_param_sensitive: z.union([z.literal(0), z.literal(1), z.enum(['0', '1']).transform(Number)], { error: 'must be 0 or 1' }).optional(),
  script_type: int()
    .pipe(z.number().min(1, { error: 'must be 1-5' }).max(5, { error: 'must be 1-5' }))
    .optional(),
  custom_query_id: array(z.unknown()).optional(),
  ip_list: array(z.object({ bk_cloud_id: int(), ip: str() })).optional(),
  bk_callback_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
});

export const jobComponents = [
  defineComponent({
    key: 'job/fast_execute_script',
    method: 'POST',
    params: fastExecuteParams,
    handle: ({ params, user, world }) => {
      requireBiz(world, params.bk_biz_id);
      if (params.custom_query_id && params.custom_query_id.length > 0) throw argumentError('custom_query_id: CMDB custom queries are not simulated; give ip_list');
      let script: BkScript | undefined;
      if (params.script_id !== undefined) {
        script = world.scripts.find((entry) => entry.id === params.script_id && (entry.public || entry.bk_biz_id === params.bk_biz_id));
        if (!script) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `script [id=${params.script_id}] does not exist in business ${params.bk_biz_id}`);
      } else if (params.script_content === undefined || params.script_content === '') {
        throw argumentError('script_id or script_content: one of them is required');
      }
      const accountName = params.account ?? 'root';
      const account = world.accounts.find((entry) => entry.bk_biz_id === params.bk_biz_id && (entry.alias === accountName || entry.account === accountName));
      if (!account) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `account [${accountName}] does not exist in business ${params.bk_biz_id}`);
      const seen = new Set<string>();
      const targets: { ref: { bk_cloud_id: number; ip: string }; host: BkHost }[] = [];
      const missing: string[] = [];
      for (const ref of params.ip_list ?? []) {
        const key = `${ref.bk_cloud_id}:${ref.ip}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const host = world.topology.hostByIp(params.bk_biz_id, ref.bk_cloud_id, ref.ip);
        if (host) targets.push({ ref: { bk_cloud_id: ref.bk_cloud_id, ip: ref.ip }, host });
        else missing.push(key);
      }
      if (targets.length === 0 && missing.length === 0) throw argumentError('ip_list: is required (at least one host)');
      if (missing.length > 0) throw new EsbError(EsbCodes.JOB_INVALID, `hosts [${missing.join(', ')}] do not belong to business ${params.bk_biz_id}`);
      const job = world.jobEngine.create({
        bizId: params.bk_biz_id,
        taskName: params.task_name,
        operator: user.bk_username,
        scriptId: script?.id,
        scriptName: script?.name ?? 'script',
        scriptType: script?.type ?? params.script_type ?? 1,
        content: script?.content ?? Buffer.from(params.script_content ?? '', 'base64').toString('utf8'),
        scriptParam: params.script_param === undefined ? '' : Buffer.from(params.script_param, 'base64').toString('utf8'),
        paramSensitive: params.is_param_sensitive === 1,
        timeoutSeconds: params.script_timeout ?? 1000,
        account,
        targets,
        callbackUrl: params.bk_callback_url,
      });
      return ok({ job_instance_name: job.name, job_instance_id: job.job_instance_id });
    },
  }),
  defineComponent({
    key: 'job/get_job_instance_status',
    method: 'GET',
    params: z.object({ bk_biz_id: int(), job_instance_id: int() }),
    handle: ({ params, world }) => ok(statusView(jobOf(world, params.bk_biz_id, params.job_instance_id))),
  }),
  /** The reference names no method for this component; both are accepted. */
  defineComponent({
    key: 'job/get_job_instance_log',
    method: 'ANY',
    params: z.object({ bk_biz_id: int(), job_instance_id: int() }),
    handle: ({ params, world }) => ok(logView(jobOf(world, params.bk_biz_id, params.job_instance_id))),
  }),
  /** The reference gives this component's method (POST) and body but prints no path; the ESB pattern is assumed. */
  defineComponent({
    key: 'job/get_step_instance_status',
    method: 'POST',
    params: z.object({ bk_biz_id: int(), params: z.object({ job_instance_id: int(), step_instance_id: int() }, { error: 'must be an object with job_instance_id and step_instance_id' }) }),
    handle: ({ params, world }) => {
      const job = jobOf(world, params.bk_biz_id, params.params.job_instance_id);
      if (job.step_instance_id !== params.params.step_instance_id) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `step instance [${params.params.step_instance_id}] is not in job instance ${job.job_instance_id}`);
      return ok(stepView(job));
    },
  }),
  defineComponent({
    key: 'job/get_os_account',
    method: 'GET',
    params: z.object({ bk_biz_id: int() }),
    handle: ({ params, world }) => {
      requireBiz(world, params.bk_biz_id);
      return ok(
        world.accounts
          .filter((account) => account.bk_biz_id === params.bk_biz_id)
          .map((account) => ({ id: account.id, account: account.account, creator: account.creator, os: account.os, alias: account.alias, bk_biz_id: account.bk_biz_id, create_time: bkTime(account.createdAt) })),
      );
    },
  }),
  defineComponent({
    key: 'job/get_script_list',
    method: 'GET',
    params: z.object({
      bk_biz_id: int().optional(),
      is_public: bool().optional(),
      return_script_content: bool().optional(),
      start: int().pipe(z.number().min(0, { error: 'must be 0 or more' })).optional(),
      length: int().pipe(z.number().min(0, { error: 'must be 0 or more' })).optional(),
      script_type: z.union([z.enum(['0', '1', '2', '3', '4', '5', '6']).transform(Number), z.number().int().min(0).max(6)], { error: 'must be 0-6' }).optional(),
      script_name: str().optional(),
    }),
    handle: ({ params, world }) => {
      const isPublic = params.is_public ?? false;
      if (!isPublic) {
        if (params.bk_biz_id === undefined) throw argumentError('bk_biz_id: is required unless is_public is true');
        requireBiz(world, params.bk_biz_id);
      }
      const rows = world.scripts.filter(
        (script) =>
          script.public === isPublic &&
          (isPublic || script.bk_biz_id === params.bk_biz_id) &&
          (!params.script_type || script.type === params.script_type) &&
          (!params.script_name || script.name.includes(params.script_name)),
      );
      const start = params.start ?? 0;
      const length = params.length ?? 20;
      const page = length === 0 ? rows.slice(start) : rows.slice(start, start + length);
      return ok({ data: page.map((script) => scriptRow(script, params.return_script_content ?? false)), start, page_size: length, total_record_size: rows.length });
    },
  }),
  defineComponent({
    key: 'job/get_script_detail',
    method: 'GET',
    params: z.object({ bk_biz_id: int().optional(), id: int() }),
    handle: ({ params, world }) => {
      const script = world.scripts.find((entry) => entry.id === params.id && (entry.public || entry.bk_biz_id === params.bk_biz_id));
      if (!script) throw new EsbError(EsbCodes.JOB_NOT_FOUND, `script [id=${params.id}] does not exist${params.bk_biz_id === undefined ? ' among public scripts' : ` in business ${params.bk_biz_id}`}`);
      return ok(scriptRow(script, true));
    },
  }),
];
