/**
 * Job's script executions. `fast_execute_script` makes one job instance with one script step;
 * each tick moves it one stage: created (1 未执行, hosts 5 等待执行) → running (2, hosts 7 正在执行;
 * a dead agent's host is 1 Agent 异常 at once) → ended (3 执行成功 when every host succeeded, else
 * 4 执行失败; hosts 9 or 11). Outcomes: dead agent; Windows account on Linux or the reverse
 * (log ip_status 311 用户名不存在); a host whose comment or name says flaky, or a script that
 * exits non-zero (104 脚本返回码非零); `sleep N` beyond the timeout (102 脚本执行超时).
 * A sensitive parameter is kept for the run but never written into a log.
 */
import { Random } from '../../prng.js';
import { bkTime } from '../time.js';
import type { BkAccount } from './scripts.js';
import { accountFitsOs } from './scripts.js';
import { isFlaky, type BkHost } from './topology.js';

export const JOB_STATUS = { NOT_STARTED: 1, RUNNING: 2, SUCCESS: 3, FAILED: 4 } as const;
/** `step_ip_status.status` values (get_job_instance_status). */
export const IP_STATUS = { AGENT_ERROR: 1, WAITING: 5, RUNNING: 7, SUCCESS: 9, FAILED: 11 } as const;
/** `step_results.ip_status` values (get_job_instance_log) beyond the shared ones. */
export const LOG_IP_STATUS = { SCRIPT_TIMEOUT: 102, NON_ZERO_EXIT: 104, NO_SUCH_USER: 311 } as const;

export interface IpRef {
  readonly bk_cloud_id: number;
  readonly ip: string;
}

export interface HostRun extends IpRef {
  readonly host: BkHost;
  status: number;
  /** ip_status as get_job_instance_log reports it (finer than `status`). */
  logStatus: number;
  exitCode: number;
  errorCode: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  log: string;
}

export interface CallbackAttempt {
  readonly at: number;
  readonly attempt: number;
  /** HTTP status of the answer; undefined when no answer came (refused, reset, timeout). */
  readonly status: number | undefined;
  readonly error: string | undefined;
}

export interface BkJob {
  readonly job_instance_id: number;
  readonly step_instance_id: number;
  readonly bk_biz_id: number;
  /** The instance name shown by Job: task_name, or "API Quick execution script<ms>". */
  readonly name: string;
  /** task_name exactly as sent (undefined when absent). */
  readonly task_name: string | undefined;
  readonly operator: string;
  readonly scriptId: number | undefined;
  readonly scriptName: string;
  readonly scriptType: number;
  readonly content: string;
  /** Decoded script_param; kept for the run, never rendered. */
  readonly scriptParam: string;
  readonly paramSensitive: boolean;
  readonly timeoutSeconds: number;
  readonly account: BkAccount;
  /** ip_list as sent (after de-duplication). */
  readonly ip_list: readonly IpRef[];
  readonly callbackUrl: string | undefined;
  readonly createdAt: number;
  status: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  readonly hosts: HostRun[];
  readonly callbacks: CallbackAttempt[];
}

export interface NewJob {
  readonly bizId: number;
  readonly taskName: string | undefined;
  readonly operator: string;
  readonly scriptId: number | undefined;
  readonly scriptName: string;
  readonly scriptType: number;
  readonly content: string;
  readonly scriptParam: string;
  readonly paramSensitive: boolean;
  readonly timeoutSeconds: number;
  readonly account: BkAccount;
  readonly targets: readonly { readonly ref: IpRef; readonly host: BkHost }[];
  readonly callbackUrl: string | undefined;
}

export function isJobFinished(status: number): boolean {
  return status !== JOB_STATUS.NOT_STARTED && status !== JOB_STATUS.RUNNING && status !== 7 && status !== 10;
}

export class JobEngine {
  /** Every job instance ever created, oldest first: tests count sends exactly with it. */
  readonly jobs: BkJob[] = [];
  // Ids start from the clock, as a real Job's keep growing: a store that outlives a restart of the
  // simulator must never find its old job id given to a new job.
  private nextJobId: number;
  private nextStepId: number;

  constructor(
    private readonly seed: number,
    private readonly now: () => number,
  ) {
    this.nextJobId = (Math.floor(now() / 1000) % 100_000_000) * 10 + 1;
    this.nextStepId = this.nextJobId + 500_000_000;
  }

  get(id: number): BkJob | undefined {
    return this.jobs.find((job) => job.job_instance_id === id);
  }

  create(spec: NewJob): BkJob {
    const at = this.now();
    const job: BkJob = {
      job_instance_id: this.nextJobId++,
      step_instance_id: this.nextStepId++,
      bk_biz_id: spec.bizId,
      name: spec.taskName ?? `API Quick execution script${at}`,
      task_name: spec.taskName,
      operator: spec.operator,
      scriptId: spec.scriptId,
      scriptName: spec.scriptName,
      scriptType: spec.scriptType,
      content: spec.content,
      scriptParam: spec.scriptParam,
      paramSensitive: spec.paramSensitive,
      timeoutSeconds: spec.timeoutSeconds,
      account: spec.account,
      ip_list: spec.targets.map((target) => target.ref),
      callbackUrl: spec.callbackUrl,
      createdAt: at,
      status: JOB_STATUS.NOT_STARTED,
      startedAt: undefined,
      endedAt: undefined,
      hosts: spec.targets.map((target) => ({
        ...target.ref,
        host: target.host,
        status: IP_STATUS.WAITING,
        logStatus: IP_STATUS.WAITING,
        exitCode: 0,
        errorCode: 0,
        startedAt: undefined,
        endedAt: undefined,
        log: '',
      })),
      callbacks: [],
    };
    this.jobs.push(job);
    return job;
  }

  activeCount(): number {
    return this.jobs.filter((job) => !isJobFinished(job.status)).length;
  }

  /** One step for every unfinished job; returns the jobs that ended in this step. */
  tick(): BkJob[] {
    const ended: BkJob[] = [];
    const at = this.now();
    for (const job of this.jobs) {
      if (job.status === JOB_STATUS.NOT_STARTED) this.start(job, at);
      else if (job.status === JOB_STATUS.RUNNING) {
        this.finish(job, at);
        ended.push(job);
      }
    }
    return ended;
  }

  private start(job: BkJob, at: number): void {
    job.status = JOB_STATUS.RUNNING;
    job.startedAt = at;
    for (const run of job.hosts) {
      run.startedAt = at;
      if (!run.host.agentAlive) {
        run.status = IP_STATUS.AGENT_ERROR;
        run.logStatus = IP_STATUS.AGENT_ERROR;
        run.errorCode = 1;
        run.endedAt = at;
        run.log = '';
      } else {
        run.status = IP_STATUS.RUNNING;
        run.logStatus = IP_STATUS.RUNNING;
      }
    }
  }

  private finish(job: BkJob, at: number): void {
    for (const run of job.hosts) {
      if (run.status !== IP_STATUS.RUNNING) continue;
      const outcome = outcomeOf(job, run.host);
      run.status = outcome.logStatus === IP_STATUS.SUCCESS ? IP_STATUS.SUCCESS : IP_STATUS.FAILED;
      run.logStatus = outcome.logStatus;
      run.exitCode = outcome.exitCode;
      run.errorCode = outcome.logStatus === IP_STATUS.SUCCESS ? 0 : outcome.logStatus;
      run.endedAt = at;
      run.log = renderLog(job, run, outcome, this.seed);
    }
    job.status = job.hosts.every((run) => run.status === IP_STATUS.SUCCESS) ? JOB_STATUS.SUCCESS : JOB_STATUS.FAILED;
    job.endedAt = at;
  }
}

interface Outcome {
  readonly logStatus: number;
  readonly exitCode: number;
  readonly reason: string | undefined;
}

function outcomeOf(job: BkJob, host: BkHost): Outcome {
  if (!accountFitsOs(job.account, host.os)) {
    return { logStatus: LOG_IP_STATUS.NO_SUCH_USER, exitCode: -1, reason: `account ${job.account.account} does not exist on this ${host.os} host` };
  }
  const sleep = /\bsleep\s+(\d+)/.exec(`${job.content}\n${job.scriptParam}`);
  if (sleep && Number(sleep[1]) > job.timeoutSeconds) {
    return { logStatus: LOG_IP_STATUS.SCRIPT_TIMEOUT, exitCode: -1, reason: `script timed out after ${job.timeoutSeconds}s` };
  }
  if (isFlaky(host)) return { logStatus: LOG_IP_STATUS.NON_ZERO_EXIT, exitCode: 1, reason: 'flaky host: the script failed' };
  const exit = /^\s*exit\s+([1-9]\d*)\s*$/m.exec(job.content);
  if (exit) return { logStatus: LOG_IP_STATUS.NON_ZERO_EXIT, exitCode: Number(exit[1]), reason: undefined };
  return { logStatus: IP_STATUS.SUCCESS, exitCode: 0, reason: undefined };
}

/** What the script "printed". Parameters are echoed unless sensitive; then they are masked. */
function renderLog(job: BkJob, run: HostRun, outcome: Outcome, seed: number): string {
  const random = Random.derived(seed, 'job-log', job.job_instance_id, run.ip);
  const shownParam = job.scriptParam === '' ? '' : job.paramSensitive ? ' ******' : ` ${job.scriptParam}`;
  const lines = [
    `[${bkTime(run.startedAt ?? job.createdAt)}] ${job.name} on ${run.host.bk_host_name} (${run.ip}) as ${job.account.account}`,
    `+ ${job.scriptName}${shownParam}`,
  ];
  if (outcome.logStatus === LOG_IP_STATUS.NO_SUCH_USER || outcome.logStatus === LOG_IP_STATUS.SCRIPT_TIMEOUT) {
    lines.push(`error: ${outcome.reason ?? 'failed'}`);
  } else {
    if (/df\s+-h/.test(job.content)) lines.push('Filesystem      Size  Used Avail Use% Mounted on', `/dev/vda1        50G   ${random.int(5, 45)}G   ${random.int(5, 40)}G  ${random.int(10, 95)}% /`);
    else if (/uptime/.test(job.content)) lines.push(` ${bkTime(run.endedAt ?? job.createdAt).slice(11)} up ${random.int(1, 400)} days,  load average: ${random.float().toFixed(2)}, ${random.float().toFixed(2)}, ${random.float().toFixed(2)}`);
    else lines.push(`ok: ${job.scriptName} finished its work`);
    if (outcome.reason) lines.push(`error: ${outcome.reason}`);
  }
  lines.push(`exit code: ${outcome.exitCode}`);
  return `${lines.join('\n')}\n`;
}
