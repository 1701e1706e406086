/**
 * Standard-operations tasks (BlueKing SOPS): a flow made from a template with its constants,
 * started, watched node by node, paused, resumed or revoked.
 */
import type { CallOptions, Page } from '../backend.js';
import type { Id } from '../ids.js';
import type { Coded } from './coded.js';

/** `blueking:task:<biz>:<task_id>`. */
export type TaskId = Id<'task'>;
/** `blueking:template:<biz>:<template_id>`. */
export type TemplateId = Id<'template'>;

export const TASK_STATES = ['created', 'running', 'paused', 'succeeded', 'failed', 'revoked', 'other'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const ENDED_TASK_STATES: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'revoked']);

export interface TaskConstant {
  /** As the template names it: `${name}`. */
  readonly key: string;
  readonly name?: string;
  readonly defaultValue?: string;
  readonly description?: string;
}

export interface TaskTemplate {
  readonly id: TemplateId;
  readonly name: string;
  readonly category?: string;
  readonly creator?: string;
  readonly editor?: string;
  readonly modifiedAt?: number;
  /** Known only from a detail read (list rows carry none). */
  readonly constants?: readonly TaskConstant[];
}

export interface TaskNode {
  readonly id: string;
  readonly name?: string;
  readonly status: Coded<TaskState>;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly error?: string;
}

export interface TaskStatus {
  readonly id: TaskId;
  readonly name?: string;
  readonly status: Coded<TaskState>;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly nodes: readonly TaskNode[];
  /** Where a person opens the task on the platform. */
  readonly url?: string;
}

export type TaskOperation = 'pause' | 'resume' | 'revoke';

export interface TasksCapability {
  templates(query: { readonly name?: string; readonly limit: number; readonly after?: string }, options?: CallOptions): Promise<Page<TaskTemplate>>;
  /** The template with its constants; undefined = no such template. */
  template(id: TemplateId, options?: CallOptions): Promise<TaskTemplate | undefined>;
  /** A write: makes a task from the template (not started). */
  create(input: { readonly template: TemplateId; readonly name: string; readonly constants: Readonly<Record<string, string>> }, options?: CallOptions): Promise<{ readonly id: TaskId; readonly url?: string }>;
  /** A write. */
  start(id: TaskId, options?: CallOptions): Promise<void>;
  /** undefined = the platform does not know the task. */
  status(id: TaskId, options?: CallOptions): Promise<TaskStatus | undefined>;
  /** A write. */
  operate(id: TaskId, operation: TaskOperation, options?: CallOptions): Promise<void>;
}
