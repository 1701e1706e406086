/**
 * Standard operations (SOPS): flow templates with global constants, and tasks made from them.
 * A started task runs node by node, one node per tick. pause holds it (SUSPENDED), resume lets
 * it go on, revoke ends it (REVOKED). A constant whose value is exactly `fail` makes the
 * template's second node fail (task FAILED), so tests can see a partial run.
 */
import { Random } from '../../prng.js';

export type TaskState = 'CREATED' | 'RUNNING' | 'SUSPENDED' | 'FINISHED' | 'FAILED' | 'REVOKED';
export type NodeState = 'CREATED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'REVOKED';

export interface TemplateConstant {
  readonly key: string;
  readonly name: string;
  readonly index: number;
  readonly desc: string;
  readonly source_type: 'custom';
  readonly custom_type: 'input' | 'textarea' | 'int';
  readonly value: string | number;
  readonly show_type: 'show';
  readonly validation: string;
}

export interface TemplateNode {
  readonly id: string;
  readonly name: string;
  readonly code: 'job_fast_execute_script' | 'sleep_timer';
  readonly stage: string;
  readonly optional: boolean;
}

export interface SopsTemplate {
  readonly id: number;
  readonly name: string;
  /** Absent for common (public) templates. */
  readonly bk_biz_id: number | undefined;
  readonly category: string;
  readonly creator: string;
  readonly editor: string | null;
  readonly createdAt: number;
  readonly nodes: readonly TemplateNode[];
  readonly constants: readonly TemplateConstant[];
  /** Ids of the pipeline's start and end events and of its flows, stable per template. */
  readonly startId: string;
  readonly endId: string;
  readonly flowIds: readonly string[];
}

export interface TaskNode {
  readonly template: TemplateNode;
  state: NodeState;
  skip: boolean;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  exData: string | null;
  outputs: { name: string; key: string; value: unknown; preset: boolean }[];
}

export interface SopsTask {
  readonly task_id: number;
  /** The pipeline's runtime id (`get_task_status` id, "不等于 task_id"). */
  readonly runtimeId: string;
  readonly bk_biz_id: number;
  readonly template: SopsTemplate;
  readonly templateSource: 'business' | 'common';
  readonly name: string;
  readonly flowType: string;
  readonly creator: string;
  readonly constants: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  state: TaskState;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  readonly nodes: TaskNode[];
  /** Every operate_task/start_task accepted, in order (for tests). */
  readonly operations: { readonly action: string; readonly operator: string; readonly at: number }[];
}

interface TemplateSeed {
  readonly id: number;
  readonly name: string;
  readonly biz?: number;
  readonly category: string;
  readonly nodes: readonly [string, TemplateNode['code']][];
  readonly constants: readonly [key: string, name: string, type: TemplateConstant['custom_type'], value: string | number][];
}

const TEMPLATE_SEEDS: readonly TemplateSeed[] = [
  {
    id: 1,
    biz: 3,
    name: 'restart_service',
    category: 'OpsTools',
    nodes: [
      ['precheck', 'job_fast_execute_script'],
      ['restart', 'job_fast_execute_script'],
      ['wait', 'sleep_timer'],
      ['verify', 'job_fast_execute_script'],
    ],
    constants: [
      ['${service}', '服务名', 'input', 'nginx'],
      ['${ip_list}', '目标 IP', 'textarea', ''],
      ['${script_timeout}', '超时时间', 'int', 600],
    ],
  },
  {
    id: 2,
    biz: 3,
    name: 'rotate_logs',
    category: 'OpsTools',
    nodes: [
      ['rotate', 'job_fast_execute_script'],
      ['verify', 'job_fast_execute_script'],
    ],
    constants: [['${days}', '保留天数', 'int', 7]],
  },
  {
    id: 3,
    biz: 4,
    name: 'pay_failover',
    category: 'OpsTools',
    nodes: [
      ['drain', 'job_fast_execute_script'],
      ['switch', 'job_fast_execute_script'],
      ['verify', 'job_fast_execute_script'],
    ],
    constants: [['${target}', '目标集群', 'input', 'pay-app']],
  },
  {
    id: 1001,
    name: 'common_health_check',
    category: 'MonitorAlarm',
    nodes: [
      ['check', 'job_fast_execute_script'],
      ['report', 'job_fast_execute_script'],
    ],
    constants: [['${ip_list}', '目标 IP', 'textarea', '']],
  },
];

function nodeId(random: Random): string {
  return `node${random.hex(28)}`;
}

export function seedTemplates(seed: number, createdAt: number): SopsTemplate[] {
  return TEMPLATE_SEEDS.map((spec) => {
    const random = Random.derived(seed, 'sops-template', spec.id);
    const nodes = spec.nodes.map(([name, code], index) => ({ id: nodeId(random), name, code, stage: `步骤${index + 1}`, optional: false }));
    return {
      id: spec.id,
      name: spec.name,
      bk_biz_id: spec.biz,
      category: spec.category,
      creator: 'admin',
      editor: 'admin',
      createdAt,
      nodes,
      constants: spec.constants.map(([key, name, type, value], index) => ({
        key,
        name,
        index,
        desc: '',
        source_type: 'custom' as const,
        custom_type: type,
        value,
        show_type: 'show' as const,
        validation: '^.*$',
      })),
      startId: nodeId(random),
      endId: nodeId(random),
      flowIds: Array.from({ length: nodes.length + 1 }, () => `line${random.hex(28)}`),
    };
  });
}

export class SopsError extends Error {
  constructor(
    readonly kind: 'not-found' | 'invalid-state',
    message: string,
  ) {
    super(message);
  }
}

export class SopsEngine {
  readonly tasks: SopsTask[] = [];
  private nextTaskId = 1;
  private readonly random: Random;

  constructor(
    seed: number,
    readonly templates: readonly SopsTemplate[],
    private readonly now: () => number,
  ) {
    this.random = Random.derived(seed, 'sops-tasks');
  }

  get(bizId: number, taskId: number): SopsTask | undefined {
    return this.tasks.find((task) => task.task_id === taskId && task.bk_biz_id === bizId);
  }

  create(spec: {
    bizId: number;
    template: SopsTemplate;
    templateSource: 'business' | 'common';
    name: string;
    flowType: string;
    creator: string;
    constants: Record<string, unknown>;
    excludeNodes: readonly string[];
  }): SopsTask {
    const merged: Record<string, unknown> = {};
    for (const constant of spec.template.constants) merged[constant.key] = spec.constants[constant.key] ?? constant.value;
    const task: SopsTask = {
      task_id: this.nextTaskId++,
      runtimeId: this.random.hex(32),
      bk_biz_id: spec.bizId,
      template: spec.template,
      templateSource: spec.templateSource,
      name: spec.name,
      flowType: spec.flowType,
      creator: spec.creator,
      constants: merged,
      createdAt: this.now(),
      state: 'CREATED',
      startedAt: undefined,
      finishedAt: undefined,
      nodes: spec.template.nodes.map((node) => ({
        template: node,
        state: 'CREATED',
        skip: spec.excludeNodes.includes(node.id),
        startedAt: undefined,
        finishedAt: undefined,
        exData: null,
        outputs: [],
      })),
      operations: [],
    };
    this.tasks.push(task);
    return task;
  }

  operate(task: SopsTask, action: 'start' | 'pause' | 'resume' | 'revoke', operator: string): void {
    const at = this.now();
    switch (action) {
      case 'start':
        if (task.state !== 'CREATED') throw new SopsError('invalid-state', `task ${task.task_id} is ${task.state}; only a CREATED task can be started`);
        task.state = 'RUNNING';
        task.startedAt = at;
        this.startNext(task, at);
        break;
      case 'pause':
        if (task.state !== 'RUNNING') throw new SopsError('invalid-state', `task ${task.task_id} is ${task.state}; only a RUNNING task can be paused`);
        task.state = 'SUSPENDED';
        break;
      case 'resume':
        if (task.state !== 'SUSPENDED') throw new SopsError('invalid-state', `task ${task.task_id} is ${task.state}; only a SUSPENDED task can be resumed`);
        task.state = 'RUNNING';
        break;
      case 'revoke':
        if (task.state !== 'CREATED' && task.state !== 'RUNNING' && task.state !== 'SUSPENDED') {
          throw new SopsError('invalid-state', `task ${task.task_id} is ${task.state}; it has already ended`);
        }
        task.state = 'REVOKED';
        task.finishedAt = at;
        for (const node of task.nodes) {
          if (node.state === 'RUNNING') {
            node.state = 'REVOKED';
            node.finishedAt = at;
          }
        }
        break;
    }
    task.operations.push({ action, operator, at });
  }

  activeCount(): number {
    return this.tasks.filter((task) => task.state === 'RUNNING').length;
  }

  /** One node step for every RUNNING task: the running node ends, the next one starts. */
  tick(): void {
    const at = this.now();
    for (const task of this.tasks) {
      if (task.state !== 'RUNNING') continue;
      const running = task.nodes.find((node) => node.state === 'RUNNING');
      if (!running) {
        this.startNext(task, at);
        continue;
      }
      running.finishedAt = at;
      const index = task.nodes.indexOf(running);
      const failing = index === 1 && Object.values(task.constants).some((value) => value === 'fail');
      if (failing) {
        running.state = 'FAILED';
        running.exData = `node ${running.template.name} failed: a constant asked it to (value "fail")`;
        running.outputs = [{ name: '执行结果', key: '_result', value: false, preset: true }];
        task.state = 'FAILED';
        task.finishedAt = at;
        continue;
      }
      running.state = 'FINISHED';
      running.outputs = [{ name: '执行结果', key: '_result', value: true, preset: true }];
      this.startNext(task, at);
    }
  }

  private startNext(task: SopsTask, at: number): void {
    const next = task.nodes.find((node) => node.state === 'CREATED' && !node.skip);
    if (!next) {
      for (const node of task.nodes) if (node.skip && node.state === 'CREATED') node.state = 'FINISHED';
      task.state = 'FINISHED';
      task.finishedAt = at;
      return;
    }
    next.state = 'RUNNING';
    next.startedAt = at;
  }
}
