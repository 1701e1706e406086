/**
 * SOPS (standard operations): templates, tasks, their status and node details, and task
 * operations. `bk_biz_id`, `template_id` and `task_id` are strings in the reference; numbers
 * are accepted too. Answers carry `result`, `data` (and `message` when refused).
 */
import { z } from 'zod';
import { EsbCodes, EsbError, argumentError } from '../errors.js';
import { SopsError, type SopsTask, type SopsTemplate, type TaskNode } from '../state/sops.js';
import type { BkWorld } from '../state/world.js';
import { bkTimeZoned } from '../time.js';
import { array, defineComponent, int, nonEmpty, ok, record, str } from './define.js';

const source = z.enum(['business', 'common'], { error: 'must be business or common' });

function templateOf(world: BkWorld, bizId: number, id: number, templateSource: 'business' | 'common'): SopsTemplate {
  const template = world.sops.templates.find((entry) => entry.id === id && (templateSource === 'common' ? entry.bk_biz_id === undefined : entry.bk_biz_id === bizId));
  if (!template) throw new EsbError(EsbCodes.SOPS_NOT_FOUND, `template[id=${id}] of ${templateSource === 'common' ? 'common templates' : `business[${bizId}]`} does not exist`);
  return template;
}

function taskOf(world: BkWorld, bizId: number, id: number): SopsTask {
  const task = world.sops.get(bizId, id);
  if (!task) throw new EsbError(EsbCodes.SOPS_NOT_FOUND, `task[id=${id}] of business[${bizId}] does not exist`);
  return task;
}

function requireBiz(world: BkWorld, id: number): void {
  if (!world.topology.business(id)) throw new EsbError(EsbCodes.SOPS_NOT_FOUND, `business[${id}] does not exist`);
}

function summary(world: BkWorld, template: SopsTemplate, bizId: number) {
  return {
    bk_biz_id: String(template.bk_biz_id ?? bizId),
    bk_biz_name: world.topology.business(template.bk_biz_id ?? bizId)?.bk_biz_name ?? '',
    id: template.id,
    name: template.name,
    category: template.category,
    creator: template.creator,
    create_time: bkTimeZoned(template.createdAt),
    editor: template.editor,
    edit_time: bkTimeZoned(template.createdAt),
  };
}

/** The pipeline tree: start → activities in order → end, one flow between each pair. */
function pipelineTree(template: SopsTemplate, constants?: Readonly<Record<string, unknown>>) {
  const chain = [template.startId, ...template.nodes.map((node) => node.id), template.endId];
  const flows: Record<string, unknown> = {};
  template.flowIds.forEach((id, index) => {
    flows[id] = { id, source: chain[index], target: chain[index + 1], is_default: false };
  });
  const incoming = (index: number) => template.flowIds[index - 1] ?? '';
  const outgoing = (index: number) => template.flowIds[index] ?? '';
  const activities: Record<string, unknown> = {};
  template.nodes.forEach((node, index) => {
    activities[node.id] = {
      id: node.id,
      type: 'ServiceActivity',
      name: node.name,
      stage_name: node.stage,
      component: { code: node.code, data: {} },
      incoming: incoming(index + 1),
      outgoing: outgoing(index + 1),
      error_ignorable: false,
      optional: node.optional,
      can_retry: true,
      isSkipped: true,
      loop: null,
    };
  });
  return {
    start_event: { id: template.startId, type: 'EmptyStartEvent', name: '', incoming: '', outgoing: outgoing(0) },
    end_event: { id: template.endId, type: 'EmptyEndEvent', name: '', incoming: incoming(chain.length - 1), outgoing: '' },
    activities,
    gateways: {},
    flows,
    constants: Object.fromEntries(template.constants.map((constant) => [constant.key, { ...constant, value: constants?.[constant.key] ?? constant.value, source_tag: '', source_info: {} }])),
    outputs: [],
  };
}

function nodeStatus(node: TaskNode) {
  return {
    id: node.template.id,
    name: "<class 'pipeline.core.flow.activity.ServiceActivity'>",
    state: node.state,
    skip: node.skip,
    retry: 0,
    loop: 1,
    version: '',
    start_time: node.startedAt === undefined ? '' : bkTimeZoned(node.startedAt),
    finish_time: node.finishedAt === undefined ? '' : bkTimeZoned(node.finishedAt),
    children: {},
  };
}

const bizParam = () => int();

function operate(world: BkWorld, task: SopsTask, action: 'start' | 'pause' | 'resume' | 'revoke', operator: string) {
  try {
    world.sops.operate(task, action, operator);
  } catch (error) {
    if (error instanceof SopsError) throw new EsbError(EsbCodes.SOPS_INVALID_STATE, error.message);
    throw error;
  }
  return ok({});
}

export const sopsComponents = [
  defineComponent({
    key: 'sops/get_template_list',
    method: 'GET',
    params: z.object({ bk_biz_id: bizParam(), template_source: source.optional() }),
    handle: ({ params, world }) => {
      requireBiz(world, params.bk_biz_id);
      const common = params.template_source === 'common';
      return ok(world.sops.templates.filter((template) => (common ? template.bk_biz_id === undefined : template.bk_biz_id === params.bk_biz_id)).map((template) => summary(world, template, params.bk_biz_id)));
    },
  }),
  defineComponent({
    key: 'sops/get_template_info',
    method: 'GET',
    params: z.object({ bk_biz_id: bizParam(), template_id: int(), template_source: source.optional() }),
    handle: ({ params, world }) => {
      requireBiz(world, params.bk_biz_id);
      const template = templateOf(world, params.bk_biz_id, params.template_id, params.template_source ?? 'business');
      return ok({ ...summary(world, template, params.bk_biz_id), pipeline_tree: pipelineTree(template) });
    },
  }),
  defineComponent({
    key: 'sops/create_task',
    method: 'POST',
    params: z.object({
      bk_biz_id: bizParam(),
      template_id: int(),
      template_source: source.optional(),
      name: nonEmpty().max(128, { error: 'must be at most 128 characters' }),
      flow_type: z.enum(['common', 'common_func'], { error: 'must be common or common_func' }).optional(),
      constants: record().optional(),
      exclude_task_nodes_id: array(str()).optional(),
    }),
    handle: ({ params, user, world }) => {
      requireBiz(world, params.bk_biz_id);
      const templateSource = params.template_source ?? 'business';
      const template = templateOf(world, params.bk_biz_id, params.template_id, templateSource);
      const known = new Set(template.constants.map((constant) => constant.key));
      const unknown = Object.keys(params.constants ?? {}).filter((key) => !known.has(key));
      if (unknown.length > 0) throw argumentError(`constants: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a constant of template ${template.id} (${[...known].join(', ')})`);
      const nodeIds = new Set(template.nodes.map((node) => node.id));
      const badNodes = (params.exclude_task_nodes_id ?? []).filter((id) => !nodeIds.has(id));
      if (badNodes.length > 0) throw argumentError(`exclude_task_nodes_id: ${badNodes.join(', ')} not in template ${template.id}`);
      const task = world.sops.create({
        bizId: params.bk_biz_id,
        template,
        templateSource,
        name: params.name,
        flowType: params.flow_type ?? 'common',
        creator: user.bk_username,
        constants: params.constants ?? {},
        excludeNodes: params.exclude_task_nodes_id ?? [],
      });
      return ok({ task_id: task.task_id, task_url: `http://paas.sim.invalid/o/bk_sops/taskflow/execute/${task.bk_biz_id}/?instance_id=${task.task_id}`, pipeline_tree: pipelineTree(template, task.constants) });
    },
  }),
  defineComponent({
    key: 'sops/start_task',
    method: 'POST',
    params: z.object({ bk_biz_id: bizParam(), task_id: int() }),
    handle: ({ params, user, world }) => operate(world, taskOf(world, params.bk_biz_id, params.task_id), 'start', user.bk_username),
  }),
  defineComponent({
    key: 'sops/operate_task',
    method: 'POST',
    params: z.object({ bk_biz_id: bizParam(), task_id: int(), action: z.enum(['start', 'pause', 'resume', 'revoke'], { error: 'must be one of start, pause, resume, revoke' }) }),
    handle: ({ params, user, world }) => operate(world, taskOf(world, params.bk_biz_id, params.task_id), params.action, user.bk_username),
  }),
  defineComponent({
    key: 'sops/get_task_status',
    method: 'GET',
    params: z.object({ bk_biz_id: bizParam(), task_id: int() }),
    handle: ({ params, world }) => {
      const task = taskOf(world, params.bk_biz_id, params.task_id);
      const children = Object.fromEntries(task.nodes.filter((node) => node.state !== 'CREATED').map((node) => [node.template.id, nodeStatus(node)]));
      return ok({
        id: task.runtimeId,
        name: "<class 'pipeline.core.pipeline.Pipeline'>",
        state: task.state,
        skip: false,
        retry: 0,
        loop: 1,
        version: '',
        start_time: task.startedAt === undefined ? '' : bkTimeZoned(task.startedAt),
        finish_time: task.finishedAt === undefined ? '' : bkTimeZoned(task.finishedAt),
        children,
      });
    },
  }),
  defineComponent({
    key: 'sops/get_task_node_detail',
    method: 'GET',
    params: z.object({ bk_biz_id: bizParam(), task_id: int(), node_id: nonEmpty(), component_code: str().optional(), subprocess_stack: str().optional() }),
    handle: ({ params, world }) => {
      const task = taskOf(world, params.bk_biz_id, params.task_id);
      const node = task.nodes.find((entry) => entry.template.id === params.node_id);
      if (!node) throw new EsbError(EsbCodes.SOPS_NOT_FOUND, `node[${params.node_id}] is not in task[${task.task_id}]`);
      const elapsed = node.startedAt === undefined ? 0 : Math.round(((node.finishedAt ?? world.now()) - node.startedAt) / 1000);
      return ok({
        ...nodeStatus(node),
        elapsed_time: elapsed,
        inputs: node.template.code === 'sleep_timer' ? { bk_timing: '2' } : { job_account: 'root', job_script_source: 'manual', job_ip_list: String(task.constants['${ip_list}'] ?? '') },
        outputs: node.outputs,
        ex_data: node.exData,
        histories: [],
      });
    },
  }),
];
