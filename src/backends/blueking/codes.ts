/**
 * BlueKing's own codes and the product's states they mean: Job's status of a job instance
 * (callback_protocol, get_job_instance_status), the per-host `ip_status` (get_job_instance_status
 * `step_ip_status`, get_job_instance_log `step_results`), GSE's `bk_agent_alive`.
 */
import type { AgentState } from '../types/hosts.js';
import type { HostRunState, RunState } from '../types/runs.js';
import type { Coded } from '../types/coded.js';

/** Job status 1–12: 1 未执行, 2 正在执行, 3 执行成功, 4 执行失败, 5 跳过, 6 忽略错误, 7 等待用户, 8 手动结束, 9 状态异常, 10–12 强制终止中/成功/失败. */
const JOB_STATES: Readonly<Record<number, RunState>> = {
  1: 'waiting',
  2: 'running',
  3: 'succeeded',
  4: 'failed',
  5: 'canceled',
  6: 'succeeded',
  7: 'paused',
  8: 'canceled',
  9: 'error',
  10: 'running',
  11: 'canceled',
  12: 'error',
};

/**
 * ip_status: 5 等待执行 and 7 正在执行 are under way, 3 上次已成功 and 9 执行成功 succeeded, 403
 * 任务强制终止成功 and 103 脚本执行被终止 were stopped; every other documented code is a failure.
 */
const HOST_STATES: Readonly<Record<number, HostRunState>> = {
  1: 'failed',
  3: 'succeeded',
  5: 'waiting',
  7: 'running',
  9: 'succeeded',
  11: 'failed',
  12: 'failed',
  13: 'failed',
  15: 'failed',
  101: 'failed',
  102: 'failed',
  103: 'canceled',
  104: 'failed',
  202: 'failed',
  203: 'failed',
  310: 'failed',
  311: 'failed',
  320: 'failed',
  321: 'failed',
  329: 'failed',
  399: 'failed',
  403: 'canceled',
  404: 'failed',
};

export function jobStatusOf(code: number | null | undefined): Coded<RunState> {
  if (code === null || code === undefined) return { state: 'other', code: '' };
  return { state: JOB_STATES[code] ?? 'other', code: String(code) };
}

export function ipStatusOf(code: number | null | undefined): Coded<HostRunState> {
  if (code === null || code === undefined) return { state: 'other', code: '' };
  return { state: HOST_STATES[code] ?? 'other', code: String(code) };
}

/** The agent codes a filter may name, in GSE's order: `1` alive, `0` not. */
export const AGENT_CODES = ['1', '0'] as const;
/** The code shown when GSE's answer says nothing of a host. */
export const AGENT_UNKNOWN = 'UNKNOWN';

export function agentOf(alive: number | undefined): Coded<AgentState> {
  if (alive === 1) return { state: 'online', code: '1' };
  if (alive === 0) return { state: 'offline', code: '0' };
  return { state: 'unknown', code: AGENT_UNKNOWN };
}

export const RISK_CODES = ['LOW', 'MEDIUM', 'HIGH', 'UNCLASSIFIED'] as const;
