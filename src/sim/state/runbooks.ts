/**
 * Runbooks as COC holds them: documents (jobs) with parameter definitions and a risk level, and
 * their executions. The SDK types a document and an execution's detail as untyped, so their
 * shapes and the execution's life are the simulator's own (named here, read by its routes):
 *
 *   PROCESSING: steps run one after another, each for its `durationMs` of the simulator's clock;
 *     a step marked `confirm` stops the execution in PAUSED until RESUME;
 *     a step marked `failsOnce` ends its first attempt ABNORMAL (RETRY runs it again, SKIP_BATCH
 *     skips it and goes on);
 *   TERMINATE ends any execution not yet ended as CANCELED; after the last step it is FINISHED.
 *
 * Time is read lazily: an execution is brought up to the clock whenever it is read or operated.
 * Seeded once per world, with fixed ids (help's examples name them).
 */
import type { World } from './world.js';

export interface DocumentParameterDefinition {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  readonly default_value?: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly max_length?: number;
}

export interface DocumentStepDefinition {
  readonly name: string;
  readonly action: string;
  readonly durationMs: number;
  /** Pauses the execution for a person's go-ahead before it runs. */
  readonly confirm?: boolean;
  /** Its first attempt fails (a retry or a skip moves on). */
  readonly failsOnce?: boolean;
}

export interface RunbookDocument {
  readonly documentId: string;
  readonly name: string;
  readonly description: string;
  readonly riskLevel: 'LOW' | 'MEDIUM' | 'HIGH';
  readonly version: string;
  readonly creator: string;
  readonly createTime: number;
  readonly parameters: readonly DocumentParameterDefinition[];
  readonly steps: readonly DocumentStepDefinition[];
}

export type StepStatus = 'READY' | 'PROCESSING' | 'PAUSED' | 'ABNORMAL' | 'FINISHED' | 'SKIPPED' | 'CANCELED';
export type ExecutionStatus = 'PROCESSING' | 'PAUSED' | 'ABNORMAL' | 'CANCELED' | 'FINISHED';
export const EXECUTION_OPERATE_TYPES = ['RESUME', 'TERMINATE', 'RETRY', 'SKIP_BATCH'] as const;
export type OperateType = (typeof EXECUTION_OPERATE_TYPES)[number];

export interface ExecutionStepState {
  readonly stepId: string;
  readonly definition: DocumentStepDefinition;
  status: StepStatus;
  startTime?: number;
  endTime?: number;
  message?: string;
  confirmed: boolean;
  failuresLeft: number;
}

export interface ExecutionState {
  readonly executionId: string;
  readonly document: RunbookDocument;
  readonly creator: string;
  readonly description: string;
  readonly parameters: readonly { readonly key: string; readonly value: string }[];
  readonly startTime: number;
  status: ExecutionStatus;
  endTime?: number;
  updateTime: number;
  /** Index of the step under way (or next). */
  current: number;
  /** When the current step may begin (the previous one's end, or the operation that moved it on). */
  cursor: number;
  readonly steps: ExecutionStepState[];
  /** Every operation accepted, in order (what tests count). */
  readonly operations: { readonly type: OperateType; readonly operator: string; readonly at: number }[];
}

const SECOND = 1000;

/** The seeded finished execution's id (help's example names it). */
export const SEEDED_EXECUTION_ID = 'EXE20250601000000000001';

export const RUNBOOK_SEEDS: readonly Omit<RunbookDocument, 'createTime'>[] = [
  {
    documentId: 'DOC-restart-web-service',
    name: 'Restart web service',
    description: 'Drains, restarts and checks a web service on the storefront hosts.',
    riskLevel: 'LOW',
    version: 'v1',
    creator: 'alice',
    parameters: [
      { name: 'service', description: 'Service to restart', required: true, enum: ['nginx', 'httpd'], default_value: 'nginx' },
      { name: 'drain_seconds', description: 'Seconds to drain before restarting', required: false, pattern: '^[0-9]{1,3}$', default_value: '30' },
    ],
    steps: [
      { name: 'Drain traffic', action: 'hwc:lb:drain', durationMs: 10 * SECOND },
      { name: 'Confirm the restart', action: 'hwc:manual:confirm', durationMs: 5 * SECOND, confirm: true },
      { name: 'Restart service', action: 'hwc:job:script', durationMs: 10 * SECOND },
      { name: 'Health check', action: 'hwc:job:script', durationMs: 10 * SECOND },
    ],
  },
  {
    documentId: 'DOC-rotate-logs',
    name: 'Rotate and archive logs',
    description: 'Rotates application logs and archives them to OBS; a flaky archive step.',
    riskLevel: 'MEDIUM',
    version: 'v3',
    creator: 'bob',
    parameters: [{ name: 'retention_days', description: 'Days of logs to keep', required: true, pattern: '^[0-9]{1,3}$' }],
    steps: [
      { name: 'Rotate logs', action: 'hwc:job:script', durationMs: 10 * SECOND },
      { name: 'Archive to OBS', action: 'hwc:obs:upload', durationMs: 10 * SECOND, failsOnce: true },
    ],
  },
  {
    documentId: 'DOC-db-failover',
    name: 'Fail the orders database over',
    description: 'Switches the orders database to its standby after a person confirms.',
    riskLevel: 'HIGH',
    version: 'v2',
    creator: 'alice',
    parameters: [
      { name: 'cluster', description: 'Database cluster name', required: true, pattern: '^[a-z][a-z0-9-]{2,31}$', max_length: 32 },
      { name: 'reason', description: 'Why the failover is needed', required: false, max_length: 128 },
    ],
    steps: [
      { name: 'Check replication lag', action: 'hwc:rds:check', durationMs: 10 * SECOND },
      { name: 'Confirm the switch', action: 'hwc:manual:confirm', durationMs: 5 * SECOND, confirm: true },
      { name: 'Switch to standby', action: 'hwc:rds:switchover', durationMs: 20 * SECOND },
      { name: 'Verify writes', action: 'hwc:rds:check', durationMs: 10 * SECOND },
    ],
  },
  {
    // The runbook the seeded "Session cache hit rate below 60%" alarm is linked to (src/sim/routes/alarms.ts).
    documentId: 'DOC-flush-session-cache',
    name: 'Flush session cache',
    description: 'Flushes the sessions service cache and checks the hit rate recovers.',
    riskLevel: 'LOW',
    version: 'v1',
    creator: 'alice',
    parameters: [],
    steps: [
      { name: 'Flush cache', action: 'hwc:job:script', durationMs: 5 * SECOND },
      { name: 'Check hit rate', action: 'hwc:job:script', durationMs: 10 * SECOND },
    ],
  },
];

const ENDED: ReadonlySet<ExecutionStatus> = new Set(['CANCELED', 'FINISHED']);

export class RunbookBoard {
  private readonly documents = new Map<string, RunbookDocument>();
  private readonly executions = new Map<string, ExecutionState>();
  private readonly ordered: ExecutionState[] = [];

  constructor(private readonly world: World) {}

  addDocument(document: RunbookDocument): void {
    this.documents.set(document.documentId, document);
  }

  allDocuments(): readonly RunbookDocument[] {
    return [...this.documents.values()];
  }

  document(id: string): RunbookDocument | undefined {
    return this.documents.get(id);
  }

  /** Starts an execution at the clock's now. */
  execute(document: RunbookDocument, parameters: readonly { key: string; value: string }[], creator: string, description: string): ExecutionState {
    const now = this.world.now();
    const executionId = `EXE${this.world.ids.hex(20)}`;
    const execution: ExecutionState = {
      executionId,
      document,
      creator,
      description,
      parameters,
      startTime: now,
      status: 'PROCESSING',
      updateTime: now,
      current: 0,
      cursor: now,
      steps: document.steps.map((definition, index) => ({
        stepId: `${executionId}-step-${index + 1}`,
        definition,
        status: 'READY',
        confirmed: false,
        failuresLeft: definition.failsOnce ? 1 : 0,
      })),
      operations: [],
    };
    this.executions.set(executionId, execution);
    this.ordered.push(execution);
    return execution;
  }

  /** An execution that ran to its end at `startTime` plus its steps' durations, every step confirmed. */
  seedFinished(document: RunbookDocument, executionId: string, startTime: number, parameters: readonly { key: string; value: string }[]): void {
    let at = startTime;
    const steps: ExecutionStepState[] = document.steps.map((definition, index) => {
      const step: ExecutionStepState = { stepId: `${executionId}-step-${index + 1}`, definition, status: 'FINISHED', startTime: at, endTime: at + definition.durationMs, confirmed: true, failuresLeft: 0 };
      at += definition.durationMs;
      return step;
    });
    const execution: ExecutionState = { executionId, document, creator: 'alice', description: '', parameters, startTime, status: 'FINISHED', endTime: at, updateTime: at, current: steps.length, cursor: at, steps, operations: [] };
    this.executions.set(executionId, execution);
    this.ordered.push(execution);
  }

  /** The execution brought up to the clock; undefined for none. */
  execution(id: string): ExecutionState | undefined {
    const execution = this.executions.get(id);
    if (execution) this.settle(execution);
    return execution;
  }

  /** COC no longer keeps the execution (its record expired, say): every later read of it answers 404. */
  forget(id: string): boolean {
    const execution = this.executions.get(id);
    if (!execution) return false;
    this.executions.delete(id);
    this.ordered.splice(this.ordered.indexOf(execution), 1);
    return true;
  }

  /** Every execution, oldest first, each brought up to the clock. */
  allExecutions(): readonly ExecutionState[] {
    for (const execution of this.ordered) this.settle(execution);
    return this.ordered;
  }

  /** Applies an operation; false when it does not fit the execution's state. */
  operate(execution: ExecutionState, type: OperateType, operator: string): boolean {
    this.settle(execution);
    const now = this.world.now();
    const step = execution.steps[execution.current];
    switch (type) {
      case 'RESUME':
        if (execution.status !== 'PAUSED' || !step) return false;
        step.confirmed = true;
        step.status = 'READY';
        break;
      case 'RETRY':
        if (execution.status !== 'ABNORMAL' || !step) return false;
        step.status = 'READY';
        delete step.message;
        break;
      case 'SKIP_BATCH':
        if (execution.status !== 'ABNORMAL' || !step) return false;
        step.status = 'SKIPPED';
        step.endTime = now;
        execution.current += 1;
        break;
      case 'TERMINATE':
        if (ENDED.has(execution.status)) return false;
        if (step && step.status !== 'READY') {
          step.status = 'CANCELED';
          step.endTime = now;
        }
        execution.status = 'CANCELED';
        execution.endTime = now;
        break;
    }
    if (type !== 'TERMINATE') execution.status = 'PROCESSING';
    execution.cursor = now;
    execution.updateTime = now;
    execution.operations.push({ type, operator, at: now });
    this.settle(execution);
    return true;
  }

  /** Moves the execution through the steps whose time has come. */
  private settle(execution: ExecutionState): void {
    const now = this.world.now();
    while (execution.status === 'PROCESSING') {
      const step = execution.steps[execution.current];
      if (!step) {
        execution.status = 'FINISHED';
        execution.endTime = execution.cursor;
        execution.updateTime = execution.cursor;
        return;
      }
      if (step.status === 'READY') {
        step.startTime = execution.cursor;
        if (step.definition.confirm && !step.confirmed) {
          step.status = 'PAUSED';
          step.message = 'Waiting for a person to confirm.';
          execution.status = 'PAUSED';
          execution.updateTime = execution.cursor;
          return;
        }
        step.status = 'PROCESSING';
        delete step.message;
      }
      const end = (step.startTime ?? execution.cursor) + step.definition.durationMs;
      if (end > now) return;
      step.endTime = end;
      execution.updateTime = end;
      if (step.failuresLeft > 0) {
        step.failuresLeft -= 1;
        step.status = 'ABNORMAL';
        step.message = `${step.definition.name} failed: the target did not answer.`;
        execution.status = 'ABNORMAL';
        return;
      }
      step.status = 'FINISHED';
      execution.cursor = end;
      execution.current += 1;
    }
  }
}

const boards = new WeakMap<World, RunbookBoard>();

/** The world's runbooks, seeded on first use. */
export function runbooksOf(world: World): RunbookBoard {
  let board = boards.get(world);
  if (!board) {
    board = new RunbookBoard(world);
    boards.set(world, board);
    const created = world.now() - 30 * 24 * 3_600_000;
    for (const seed of RUNBOOK_SEEDS) board.addDocument({ ...seed, createTime: created });
    // One execution that ended yesterday, with a fixed id (help's example shows it).
    const restart = board.document('DOC-restart-web-service')!;
    board.seedFinished(restart, SEEDED_EXECUTION_ID, world.now() - 24 * 3_600_000, [{ key: 'service', value: 'nginx' }, { key: 'drain_seconds', value: '30' }]);
  }
  return board;
}
