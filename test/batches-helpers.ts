/**
 * For the bot-driven batch tests: an in-memory ExecutionsCapability that counts starts per batch
 * label and lets a test end executions and lose answers, and a stored plan started the way
 * src/run/start.ts starts one (claimed, stamped sent, the run's start, adopted as started).
 */
import {
  BackendRefusedError,
  BackendUnavailableError,
  makeId,
  type ExecutionId,
  type ExecutionStatus,
  type ExecutionsCapability,
  type HostExecution,
  type HostId,
  type RunId,
  type RunsCapability,
  type SingleExecutionRequest,
} from '../src/backends/index.js';
import type { Rotation } from '../src/backends/index.js';
import type { BotBatchDeps } from '../src/batches/index.js';
import { botBatchedRuns } from '../src/batches/index.js';
import { executionRequestOf, planDetails, type PlanDetails } from '../src/run/plan-details.js';
import type { Db } from '../src/store/db.js';
import { insertRunPlan, markRunPlanSent, moveRunPlan, type RunPlanRow } from '../src/store/run-plans.js';

const START = { backend: 'blueking', method: 'POST', route: 'job/fast_execute_script', write: true } as const;

interface FakeExecution {
  readonly id: ExecutionId;
  readonly request: SingleExecutionRequest;
  finished: boolean;
  readonly hosts: Map<HostId, HostExecution['status']>;
}

/** What the next start does: acts and answers, refuses before acting, or acts and loses its answer. */
export type StartFate = 'answer' | 'refuse' | 'lose';

export class FakeExecutions implements ExecutionsCapability {
  readonly limits = {
    maxHosts: 500,
    maxHostsPerBatch: 100,
    maxBatches: 50,
    timeoutSeconds: { min: 60, max: 86_400, default: 600 },
    successRate: { min: 1, max: 100, default: 100 },
    runAs: { default: 'root', maxLength: 32 },
  };
  readonly startOperation = START;
  readonly executions = new Map<string, FakeExecution>();
  /** Every start that reached "the platform", in order (a refused one did not act, but is counted as a request). */
  readonly requests: SingleExecutionRequest[] = [];
  readonly fates: StartFate[] = [];
  #next = 10_000;

  check(): readonly { path: string; message: string }[] {
    return [];
  }

  /** Requests per batch label (`chatops-<plan8>-b<n>`). */
  startsOf(label: string): number {
    return this.requests.filter((request) => request.label === label).length;
  }

  byLabel(label: string): FakeExecution {
    const found = [...this.executions.values()].find((execution) => execution.request.label === label);
    if (!found) throw new Error(`no execution ${label}`);
    return found;
  }

  async start(request: SingleExecutionRequest): Promise<ExecutionId> {
    // Lets concurrent callers interleave, as a network call would.
    await new Promise((resolve) => setImmediate(resolve));
    this.requests.push(request);
    const fate = this.fates.shift() ?? 'answer';
    if (fate === 'refuse') throw new BackendRefusedError('refused', 'blueking', START, { code: '1240002', platformMessage: 'account not allowed' }, false);
    const id = makeId('blueking', 'execution', `3:${this.#next++}`) as ExecutionId;
    this.executions.set(id, { id, request, finished: false, hosts: new Map(request.hosts.map((host) => [host.id, { state: 'running', code: '7' }])) });
    if (fate === 'lose') throw new BackendUnavailableError('timeout', 'blueking', START, { lost: 'timeout', timeoutMs: 1000 }, true);
    return id;
  }

  /** Ends an execution: every host succeeds except the named ones, which fail. */
  finish(label: string, failing: readonly string[] = []): ExecutionId {
    const execution = this.byLabel(label);
    execution.finished = true;
    for (const host of execution.hosts.keys()) {
      const name = execution.request.hosts.find((h) => h.id === host)?.name ?? '';
      execution.hosts.set(host, failing.includes(name) ? { state: 'failed', code: '4' } : { state: 'succeeded', code: '9' });
    }
    return execution.id;
  }

  async read(id: ExecutionId): Promise<ExecutionStatus | undefined> {
    const execution = this.executions.get(id);
    if (!execution) return undefined;
    return {
      id,
      status: execution.finished ? { state: 'succeeded', code: '3' } : { state: 'running', code: '2' },
      finished: execution.finished,
      hosts: [...execution.hosts].map(([host, status]) => ({ host: { id: host, ip: host.split(':').at(-1)! }, status })),
    };
  }

  async output(id: ExecutionId, hosts: readonly HostId[]): Promise<ReadonlyMap<HostId, string>> {
    return new Map(hosts.map((host) => [host, `output of ${host} in ${id}`]));
  }

  parseCallback(body: unknown): { id: ExecutionId; finished: boolean } | undefined {
    if (typeof body !== 'object' || body === null || typeof (body as { job_instance_id?: unknown }).job_instance_id !== 'number') return undefined;
    return { id: makeId('blueking', 'execution', `3:${(body as { job_instance_id: number }).job_instance_id}`) as ExecutionId, finished: true };
  }
}

export function hostOf(name: string, n: number): { id: HostId; name: string; region: string } {
  return { id: makeId('blueking', 'host', `0:10.0.0.${n}`), name, region: '' };
}

/** Batches of `size` hosts named web-1…web-n. */
export function planBatches(count: number, size: number, rotation: Rotation): PlanDetails['batches'] {
  return Array.from({ length: count }, (_, b) => ({
    index: b + 1,
    rotation,
    hosts: Array.from({ length: size }, (_, h) => hostOf(`web-${b * size + h + 1}`, b * size + h + 1)),
  }));
}

export interface PlanOptions {
  readonly batches: PlanDetails['batches'];
  readonly successRate?: number;
  readonly sensitive?: readonly string[];
  readonly plainParams?: Readonly<Record<string, string>>;
}

let counter = 0;

export async function insertPlan(db: Db, options: PlanOptions): Promise<RunPlanRow> {
  const details: PlanDetails = {
    batches: options.batches,
    options: { timeout: 600, successRate: options.successRate ?? 100, executeUser: 'root' },
    sensitive: [...(options.sensitive ?? [])],
    shownParams: { ...(options.plainParams ?? {}), ...Object.fromEntries((options.sensitive ?? []).map((name) => [name, '••••••'])) },
    plainParams: { ...(options.plainParams ?? {}) },
    excluded: [],
    canary: false,
    selection: 'hosts',
  };
  return insertRunPlan(db, {
    idempotencyKey: `batches-test-${process.pid}-${++counter}-${Math.random()}`,
    platform: 'shell',
    workspaceId: 'local',
    channelId: 'terminal',
    threadRef: null,
    requesterChatUserId: 'alice',
    requesterIamUser: 'alice',
    requesterLocale: 'en-US',
    credentialRef: null,
    scriptId: makeId('blueking', 'script', '3:1'),
    scriptName: 'restart_nginx',
    riskLevel: 'LOW',
    scriptContentHash: 'hash',
    scriptModifiedAt: 0,
    plan: details,
    sealedParams: null,
    expiresAt: new Date(Date.UTC(2030, 0, 1)),
  });
}

/**
 * As start.ts does: the plan claimed ('starting') and stamped sent, the run's start, then the plan
 * 'started' with the run. Returns the run id, or the start's error.
 */
export async function startPlan(db: Db, runs: RunsCapability, plan: RunPlanRow, values: Readonly<Record<string, string>> = {}): Promise<{ run?: RunId; error?: unknown }> {
  await moveRunPlan(db, plan.id, ['previewed'], 'starting');
  const sending = await markRunPlanSent(db, plan.id);
  if (!sending) throw new Error('could not stamp the plan');
  try {
    const run = await runs.start(executionRequestOf(sending, { ...planDetails(sending).plainParams, ...values }));
    await moveRunPlan(db, plan.id, ['starting'], 'started', { runId: run });
    return { run };
  } catch (error) {
    return { error };
  }
}

export interface Harness {
  readonly fake: FakeExecutions;
  readonly deps: BotBatchDeps;
  readonly runs: RunsCapability;
  clock: number;
}

export function harness(db: Db, overrides: Partial<BotBatchDeps> = {}): Harness {
  const fake = new FakeExecutions();
  const h: Harness = {
    fake,
    clock: Date.UTC(2026, 11, 6, 9, 0),
    deps: undefined as unknown as BotBatchDeps,
    runs: undefined as unknown as RunsCapability,
  };
  const deps: BotBatchDeps = {
    db,
    executions: fake,
    backend: 'blueking',
    now: () => new Date(h.clock),
    replicaId: 'replica-a',
    callbackBaseUrl: 'https://bot.example/',
    ...overrides,
  };
  Object.assign(h, { deps, runs: botBatchedRuns(deps) });
  return h;
}

/** The callback token the platform was given for a request. */
export function tokenOf(request: SingleExecutionRequest): string {
  const token = request.callback?.split('/bk/job-done/')[1];
  if (!token) throw new Error('the request had no callback');
  return token;
}
