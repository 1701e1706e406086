/**
 * Reading a bot-driven run: composed from its plan, its batch rows and each sent batch's
 * execution on the platform. Batches that ended are read from their stored counts; only the batch
 * running now is read live (the tracker's cheap per-round read stays one platform call).
 */
import {
  makeId,
  nativeOf,
  type BatchHosts,
  type BatchSummary,
  type ExecutionId,
  type ExecutionsCapability,
  type HostExecution,
  type HostId,
  type HostRun,
  type HostRunState,
  type RunId,
  type RunProgress,
  type RunSummary,
} from '../backends/index.js';
import type { RunBatchRow } from '../store/run-batches.js';
import { batchLabel, type BotBatchDeps } from './deps.js';
import { positionOf, type RunView } from './view.js';
import { hostCodeOf, hostStatus, runStatus, type BotHostCode } from './vocabulary.js';

type PlanBatch = RunView['details']['batches'][number];

function planBatch(view: RunView, index: number): PlanBatch | undefined {
  return view.details.batches.find((batch) => batch.index === index);
}

export function summaryOf(id: RunId, view: RunView): RunSummary {
  const { plan, details, rows } = view;
  const position = positionOf(rows);
  const sent = rows.map((row) => row.sentAt?.getTime()).filter((at): at is number => at !== undefined);
  const createdAt = sent.length ? Math.min(...sent) : (plan.executeSentAt?.getTime() ?? undefined);
  const ends = rows.map((row) => row.finishedAt?.getTime()).filter((at): at is number => at !== undefined);
  const finishedAt = position.ended && ends.length ? Math.max(...ends) : undefined;
  return {
    id,
    status: runStatus(position.code),
    currentBatch: position.current,
    script: { id: plan.scriptId, name: plan.scriptName },
    // As the plan shows them: sensitive values are masked there already.
    params: Object.entries(details.shownParams).map(([name, value]) => ({ name, value })),
    timeoutSeconds: details.options.timeout,
    successRate: details.options.successRate,
    runAs: details.options.executeUser,
    creator: plan.requesterIamUser,
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt, ...(createdAt !== undefined ? { durationMs: finishedAt - createdAt } : {}) } : {}),
    // The platform's name of the batch the run is at: what a person looks for by hand.
    label: batchLabel(plan.id, position.current),
  };
}

export function batchesOf(view: RunView): BatchSummary[] {
  return view.details.batches.map((batch) => ({
    index: batch.index,
    hostCount: batch.hosts.length,
    rotation: { state: batch.rotation === 'PAUSE' ? 'pause' : 'continue', code: batch.rotation },
  }));
}

/** The bot's code for every host of a batch that has no live execution to read. */
function unsentHostCode(row: RunBatchRow): BotHostCode {
  switch (row.state) {
    case 'waiting':
    case 'claimed':
    case 'sending':
      return 'WAITING';
    case 'unknown':
      return 'UNKNOWN';
    case 'skipped':
      return 'SKIPPED';
    case 'canceled':
      return 'CANCELED';
    case 'not-run':
      return 'NOT_RUN';
    case 'failed':
      return 'NOT_STARTED';
    default:
      return 'OTHER';
  }
}

class Counter {
  readonly #counts = new Map<BotHostCode, { count: number; batches: Set<number> }>();
  add(code: BotHostCode, count: number, batch: number): void {
    if (count <= 0) return;
    const entry = this.#counts.get(code) ?? { count: 0, batches: new Set<number>() };
    entry.count += count;
    entry.batches.add(batch);
    this.#counts.set(code, entry);
  }
  progress(total: number): RunProgress {
    return {
      total,
      counts: [...this.#counts].map(([code, entry]) => ({ status: hostStatus(code), count: entry.count, batches: [...entry.batches].sort((a, b) => a - b) })),
    };
  }
}

/** Hosts of the execution by the plan's host ids; a host the platform does not list yet is absent. */
function byHost(hosts: readonly HostExecution[]): Map<string, HostExecution> {
  const found = new Map<string, HostExecution>();
  for (const host of hosts) if (host.host.id) found.set(host.host.id, host);
  return found;
}

export async function progressOf(view: RunView, executions: ExecutionsCapability): Promise<RunProgress> {
  const counter = new Counter();
  let total = 0;
  for (const batch of view.details.batches) {
    const size = batch.hosts.length;
    total += size;
    const row = view.rows.find((r) => r.batchIndex === batch.index);
    if (!row) {
      counter.add('WAITING', size, batch.index);
      continue;
    }
    if (row.succeeded !== null || row.failed !== null) {
      const succeeded = row.succeeded ?? 0;
      counter.add('SUCCEEDED', succeeded, batch.index);
      counter.add('FAILED', Math.max(0, size - succeeded), batch.index);
      continue;
    }
    if (row.state === 'running' && row.executionId) {
      const status = await executions.read(row.executionId as ExecutionId);
      const live = byHost(status?.hosts ?? []);
      for (const host of batch.hosts) counter.add(live.has(host.id) ? hostCodeOf(live.get(host.id)!.status.state) : 'WAITING', 1, batch.index);
      continue;
    }
    counter.add(unsentHostCode(row), size, batch.index);
  }
  return counter.progress(total);
}

export interface BatchQuery {
  readonly state?: HostRunState;
  readonly limit?: number;
  readonly after?: string;
}

const DEFAULT_LIMIT = 50;

export async function batchOf(deps: Pick<BotBatchDeps, 'backend' | 'log'>, view: RunView, executions: ExecutionsCapability, index: number, query: BatchQuery): Promise<BatchHosts> {
  const batch = planBatch(view, index);
  if (!batch) return { index, hostCount: 0, hosts: [] };
  const row = view.rows.find((r) => r.batchIndex === index);
  const ref = (host: HostId) => makeId(deps.backend, 'host-run', `${view.plan.id}/${index}/${nativeOf(host)}`);
  let hosts: HostRun[];
  const executionId = row?.executionId ? (row.executionId as ExecutionId) : undefined;
  if (executionId) {
    const status = await executions.read(executionId);
    const live = byHost(status?.hosts ?? []);
    hosts = batch.hosts.map((target) => {
      const found = live.get(target.id);
      return {
        ref: ref(target.id),
        host: { id: target.id, name: target.name, ...(found?.host.ip ? { ip: found.host.ip } : {}) },
        status: found ? found.status : hostStatus(status?.finished ? 'OTHER' : 'WAITING'),
        ...(found?.startedAt !== undefined ? { startedAt: found.startedAt } : {}),
        ...(found?.finishedAt !== undefined ? { finishedAt: found.finishedAt } : {}),
        ...(found?.durationMs !== undefined ? { durationMs: found.durationMs } : {}),
      };
    });
  } else {
    const code = row ? unsentHostCode(row) : 'WAITING';
    hosts = batch.hosts.map((target) => ({ ref: ref(target.id), host: { id: target.id, name: target.name }, status: hostStatus(code) }));
  }
  const filtered = query.state ? hosts.filter((host) => host.status.state === query.state) : hosts;
  const start = query.after !== undefined && /^\d+$/.test(query.after) ? Number(query.after) : 0;
  const page = filtered.slice(start, start + (query.limit ?? DEFAULT_LIMIT));
  const withOutput = executionId ? await withOutputs(deps, executions, executionId, page) : page;
  return { index, hostCount: batch.hosts.length, hosts: withOutput };
}

/** The hosts' output where the platform has it; a failed read leaves the statuses shown without it. */
async function withOutputs(deps: Pick<BotBatchDeps, 'log'>, executions: ExecutionsCapability, execution: ExecutionId, hosts: readonly HostRun[]): Promise<HostRun[]> {
  const started = hosts.filter((host) => host.status.state !== 'waiting' && host.host.id !== undefined);
  if (started.length === 0) return [...hosts];
  let outputs: ReadonlyMap<HostId, string>;
  try {
    outputs = await executions.output(execution, started.map((host) => host.host.id!));
  } catch (error) {
    deps.log?.warn({ err: error, execution }, 'could not read the output of a batch’s hosts');
    return [...hosts];
  }
  return hosts.map((host) => {
    const output = host.host.id ? outputs.get(host.host.id) : undefined;
    return output === undefined ? host : { ...host, output };
  });
}
