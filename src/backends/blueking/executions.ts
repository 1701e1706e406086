/**
 * BlueKing Job's quick script execution as the product's single executions: one
 * `job/fast_execute_script` per batch (the bot drives the batches, src/batches), read back with
 * `job/get_job_instance_status` and `job/get_job_instance_log`. Job has no pause or cancel
 * component and no list of job instances: a start whose answer was lost is never resent.
 *
 * Execution ids are `blueking:execution:<biz>:<job_instance_id>`.
 */
import type { CallOptions } from '../backend.js';
import { BackendInputError, type FieldProblem } from '../errors.js';
import { makeId, parseId, type HostId } from '../ids.js';
import type { ExecutionId, ExecutionStatus, ExecutionsCapability, HostExecution, SingleExecutionRequest } from '../types/executions.js';
import type { RunLimits } from '../types/runs.js';
import { esbOptions, operationOf } from './call-options.js';
import { ipStatusOf, jobStatusOf } from './codes.js';
import type { EsbCaller } from './esb/component.js';
import {
  fastExecuteScript,
  getJobInstanceLog,
  getJobInstanceStatus,
  jobCallbackBody,
  SCRIPT_TIMEOUT,
  type FastExecuteScriptRequest,
  type GetJobInstanceStatusData,
} from './esb/job.js';
import { mapped } from './errors.js';
import { hostIdOf, targetOf } from './hosts.js';
import { isMissingJobInstance } from './missing.js';
import { ARGS_PARAM, MAX_ARGS_LENGTH, scriptRefOf } from './scripts.js';
import type { BluekingSettings } from './settings.js';
import { parseBluekingTime } from './time-text.js';

/** Longest OS account name taken (Job's account aliases are short; the reference gives no limit). */
const MAX_ACCOUNT_LENGTH = 64;
/** Longest `task_name` sent (the bot's labels are `chatops-<plan8>-b<n>`). */
const MAX_LABEL_LENGTH = 128;

export function bluekingRunLimits(settings: BluekingSettings): RunLimits {
  return {
    maxHosts: 500,
    maxHostsPerBatch: 100,
    maxBatches: 50,
    timeoutSeconds: { min: SCRIPT_TIMEOUT.min, max: SCRIPT_TIMEOUT.max, default: 600 },
    successRate: { min: 0, max: 100, default: 100 },
    runAs: { default: settings.defaultAccount, maxLength: MAX_ACCOUNT_LENGTH },
  };
}

/** Job states after which an execution no longer changes (callback_protocol status codes). */
const ENDED_JOB_CODES = new Set([3, 4, 5, 6, 8, 9, 11, 12]);

/** The business and job instance an execution id names; undefined when it is not one. */
export function executionRefOf(id: ExecutionId): { readonly biz: number; readonly job: number } | undefined {
  const parsed = parseId(id);
  if (parsed?.backend !== 'blueking' || parsed.kind !== 'execution') return undefined;
  const match = /^(\d+):(\d+)$/.exec(parsed.native);
  return match ? { biz: Number(match[1]), job: Number(match[2]) } : undefined;
}

export function executionIdOf(biz: number, job: number): ExecutionId {
  return makeId('blueking', 'execution', `${biz}:${job}`);
}

const seconds = (value: number | null | undefined) => (value === null || value === undefined ? undefined : Math.round(value * 1000));

/** The last state each host reached across the job's steps (a quick execution has one). */
function hostsOf(data: GetJobInstanceStatusData): HostExecution[] {
  const byHost = new Map<string, HostExecution>();
  for (const block of data.blocks ?? []) {
    for (const step of block.step_instances ?? []) {
      const startedAt = parseBluekingTime(step.start_time);
      const finishedAt = parseBluekingTime(step.end_time);
      for (const ip of step.step_ip_status ?? []) {
        byHost.set(`${ip.bk_cloud_id}:${ip.ip}`, {
          host: { id: hostIdOf(ip.bk_cloud_id, ip.ip), ip: ip.ip },
          status: ipStatusOf(ip.status),
          ...(startedAt !== undefined ? { startedAt } : {}),
          ...(finishedAt !== undefined && ENDED_HOST.has(ip.status) ? { finishedAt } : {}),
        });
      }
    }
  }
  return [...byHost.values()];
}

const ENDED_HOST = new Set([1, 3, 9, 11, 12, 13, 15, 101, 102, 103, 104, 202, 203, 310, 311, 320, 321, 329, 399, 403, 404]);

export function bluekingExecutions(caller: EsbCaller, settings: BluekingSettings): ExecutionsCapability {
  const limits = bluekingRunLimits(settings);

  function check(request: SingleExecutionRequest): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const script = scriptRefOf(request.script.id);
    if (!script) problems.push({ path: 'script.id', message: 'not a BlueKing Job script id' });
    // Job's callback names the job instance but not its business: executions stay in the default
    // business, so the id a callback gives is the id the start returned.
    else if (script.biz !== undefined && script.biz !== settings.defaultBiz) {
      problems.push({ path: 'script.id', message: `a script of business ${script.biz}; executions run in the default business ${settings.defaultBiz}` });
    }
    if (request.hosts.length === 0) problems.push({ path: 'hosts', message: 'at least one host is needed' });
    if (request.hosts.length > limits.maxHostsPerBatch) problems.push({ path: 'hosts', message: `at most ${limits.maxHostsPerBatch} hosts in one execution` });
    request.hosts.forEach((host, index) => {
      if (!targetOf(host.id)) problems.push({ path: `hosts.${index}.id`, message: 'not a BlueKing host (<cloud area>:<inner IP>)' });
    });
    const ids = request.hosts.map((host) => host.id);
    if (new Set(ids).size !== ids.length) problems.push({ path: 'hosts', message: 'a host is named twice' });
    const { min, max } = limits.timeoutSeconds;
    if (!Number.isInteger(request.timeoutSeconds) || request.timeoutSeconds < min || request.timeoutSeconds > max) {
      problems.push({ path: 'timeoutSeconds', message: `a whole number of seconds from ${min} to ${max}` });
    }
    if (request.runAs.trim() === '' || request.runAs.length > MAX_ACCOUNT_LENGTH) problems.push({ path: 'runAs', message: `an OS account of 1-${MAX_ACCOUNT_LENGTH} characters` });
    for (const name of Object.keys(request.params)) {
      if (name !== ARGS_PARAM) problems.push({ path: `params.${name}`, message: `BlueKing scripts take one parameter line, ${ARGS_PARAM}` });
    }
    const args = request.params[ARGS_PARAM];
    if (args !== undefined && args.length > MAX_ARGS_LENGTH) problems.push({ path: `params.${ARGS_PARAM}`, message: `at most ${MAX_ARGS_LENGTH} characters` });
    if (args !== undefined && /[\u0000\r\n]/.test(args)) problems.push({ path: `params.${ARGS_PARAM}`, message: 'one line, without line breaks' });
    if (request.label.length === 0 || request.label.length > MAX_LABEL_LENGTH) problems.push({ path: 'label', message: `1-${MAX_LABEL_LENGTH} characters` });
    if (request.callback !== undefined && !URL.canParse(request.callback)) problems.push({ path: 'callback', message: 'not a URL' });
    return problems;
  }

  /** The request fast_execute_script takes; the parameter line goes base64-encoded as a whole. */
  function wireOf(request: SingleExecutionRequest): FastExecuteScriptRequest {
    const script = scriptRefOf(request.script.id)!;
    const args = request.params[ARGS_PARAM] ?? '';
    const sensitive = request.sensitive?.includes(ARGS_PARAM) === true;
    return {
      bk_biz_id: settings.defaultBiz,
      script_id: script.id,
      task_name: request.label,
      ...(args !== '' ? { script_param: Buffer.from(args, 'utf8').toString('base64') } : {}),
      is_param_sensitive: sensitive ? 1 : 0,
      script_timeout: request.timeoutSeconds,
      account: request.runAs,
      ip_list: request.hosts.map((host) => targetOf(host.id)!),
      ...(request.callback !== undefined ? { bk_callback_url: request.callback } : {}),
    };
  }

  async function read(id: ExecutionId, options?: CallOptions): Promise<ExecutionStatus | undefined> {
    const ref = executionRefOf(id);
    if (!ref) return undefined;
    let data: GetJobInstanceStatusData;
    try {
      data = await mapped(() => caller.call(getJobInstanceStatus, { bk_biz_id: ref.biz, job_instance_id: ref.job }, esbOptions(options)));
    } catch (error) {
      // Only Job's own "no such job instance": anything else (a bare 404, a refusal that some
      // other thing is missing) is a failed read, the job may well still run.
      if (isMissingJobInstance(error)) return undefined;
      throw error;
    }
    const job = data.job_instance;
    const startedAt = parseBluekingTime(job.start_time);
    const finishedAt = parseBluekingTime(job.end_time);
    const durationMs = seconds(job.total_time);
    return {
      id,
      status: jobStatusOf(job.status),
      finished: data.is_finished,
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(finishedAt !== undefined && data.is_finished ? { finishedAt } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      hosts: hostsOf(data),
    };
  }

  async function output(id: ExecutionId, hosts: readonly HostId[], options?: CallOptions): Promise<ReadonlyMap<HostId, string>> {
    const ref = executionRefOf(id);
    const logs = new Map<HostId, string>();
    if (!ref || hosts.length === 0) return logs;
    const wanted = new Set(hosts);
    const steps = await mapped(() => caller.call(getJobInstanceLog, { bk_biz_id: ref.biz, job_instance_id: ref.job }, esbOptions(options)));
    for (const step of steps) {
      for (const result of step.step_results ?? []) {
        for (const log of result.ip_logs ?? []) {
          const host = hostIdOf(log.bk_cloud_id, log.ip);
          if (!wanted.has(host) || log.log_content === null || log.log_content === undefined) continue;
          const before = logs.get(host);
          logs.set(host, before === undefined ? log.log_content : `${before}\n${log.log_content}`);
        }
      }
    }
    return logs;
  }

  return {
    limits,
    startOperation: operationOf(fastExecuteScript),
    check,
    async start(request, options) {
      const problems = check(request);
      if (problems.length > 0) {
        throw new BackendInputError(`BlueKing ${operationOf(fastExecuteScript).route}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, 'blueking', operationOf(fastExecuteScript), { problems }, false);
      }
      const wire = wireOf(request);
      const started = await mapped(() => caller.call(fastExecuteScript, wire, esbOptions(options)));
      return executionIdOf(wire.bk_biz_id, started.job_instance_id);
    },
    read,
    output,
    /**
     * Job's callback (callback_protocol) names the job instance and its status but not the
     * business: the id is made in the default business, where every execution runs (check).
     */
    parseCallback(body) {
      const parsed = jobCallbackBody.safeParse(body);
      if (!parsed.success) return undefined;
      return { id: executionIdOf(settings.defaultBiz, parsed.data.job_instance_id), finished: ENDED_JOB_CODES.has(parsed.data.status) };
    },
  };
}
