/**
 * Standard-operations tasks on BlueKing SOPS: templates of a business, tasks made from them with
 * constants, their state node by node, and pause / resume / revoke. Ids carry the business:
 * `blueking:template:<biz>:<id>`, `blueking:task:<biz>:<id>`.
 */
import type { CallOptions } from '../backend.js';
import { BackendInputError, normalizeError } from '../errors.js';
import { makeId, nativeOf } from '../ids.js';
import type { Coded } from '../types/coded.js';
import type { TaskConstant, TaskId, TaskNode, TaskState, TaskStatus, TaskTemplate, TasksCapability, TemplateId } from '../types/tasks.js';
import { esbOptions } from './call-options.js';
import { mapped } from './errors.js';
import type { EsbCaller } from './esb/component.js';
import {
  CREATE_TASK,
  GET_TASK_DETAIL,
  GET_TASK_NODE_DETAIL,
  GET_TASK_STATUS,
  GET_TEMPLATE_INFO,
  GET_TEMPLATE_LIST,
  OPERATE_TASK,
  START_TASK,
  type SopsConstant,
  type TaskDetail,
  type TaskStateNode,
  type TemplateInfo,
  type TemplateListItem,
} from './esb/sops.js';
import { isMissing } from './missing.js';
import type { BluekingSettings } from './settings.js';
import { parseBluekingTime } from './time-text.js';

const STATES: Readonly<Record<string, TaskState>> = {
  CREATED: 'created',
  READY: 'created',
  RUNNING: 'running',
  SUSPENDED: 'paused',
  NODE_SUSPENDED: 'paused',
  FINISHED: 'succeeded',
  FAILED: 'failed',
  REVOKED: 'revoked',
};

export function taskStateOf(code: string | null | undefined): Coded<TaskState> {
  const platform = code ?? '';
  return { state: STATES[platform] ?? 'other', code: platform };
}

/** `<biz>:<id>` of a template or task id; throws an input error for anything else (nothing is sent). */
function bizAndId(id: string, what: 'template' | 'task'): { biz: string; id: string } {
  const match = /^(\d+):(\d+)$/.exec(nativeOf(id));
  if (!match) {
    throw new BackendInputError(`not a BlueKing ${what} id: ${JSON.stringify(id)}`, 'blueking', undefined, { problems: [{ path: what, message: `expected <business>:<${what} id>` }] }, false);
  }
  return { biz: match[1]!, id: match[2]! };
}

const constantKey = (key: string): string => (/^\$\{.+\}$/.test(key) ? key : `\${${key}}`);

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The constants a person fills in: shown ones, not those that carry a node's output. */
export function constantsOf(constants: Readonly<Record<string, SopsConstant>> | null | undefined): TaskConstant[] {
  return Object.entries(constants ?? {})
    .filter(([, constant]) => constant.show_type !== 'hide' && constant.source_type !== 'component_outputs')
    .sort(([, a], [, b]) => (a.index ?? 0) - (b.index ?? 0))
    .map(([key, constant]) => {
      const defaultValue = textOf(constant.value);
      return {
        key: constant.key || key,
        ...(constant.name ? { name: constant.name } : {}),
        ...(defaultValue !== undefined && defaultValue !== '' ? { defaultValue } : {}),
        ...(constant.desc ? { description: constant.desc } : {}),
      };
    });
}

export function templateOf(item: TemplateListItem | TemplateInfo, biz: string): TaskTemplate {
  const modifiedAt = parseBluekingTime(item.edit_time ?? item.create_time);
  const pipeline = (item as Partial<TemplateInfo>).pipeline_tree;
  return {
    id: makeId('blueking', 'template', `${String(item.bk_biz_id ?? biz)}:${item.id}`),
    name: item.name,
    ...(item.category ? { category: item.category } : {}),
    ...(item.creator ? { creator: item.creator } : {}),
    ...(item.editor ? { editor: item.editor } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    ...(pipeline ? { constants: constantsOf(pipeline.constants) } : {}),
  };
}

/** Start and end events and gateways are the flow's plumbing, not steps a person follows. */
function isStep(node: TaskStateNode): boolean {
  return !/Event'?>?$|Gateway/.test(node.name ?? '');
}

function nodeOf(key: string, node: TaskStateNode, name: string | undefined): TaskNode {
  const startedAt = parseBluekingTime(node.start_time);
  const finishedAt = parseBluekingTime(node.finish_time);
  return {
    id: node.id || key,
    ...(name ? { name } : {}),
    status: taskStateOf(node.state),
    ...(startedAt !== undefined ? { startedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
  };
}

/** A node's failure in one line (ex_data is JSON, HTML or plain text). */
function errorText(exData: unknown): string | undefined {
  const text = textOf(exData)?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, 500) : undefined;
}

/** Task details kept: a task's name, link and node names do not change once it is made. */
const DETAILS_KEPT = 200;

/** Task details by `biz:id`; null: the platform refused the detail (no such component, no right): not asked again. */
export type KeptTaskDetails = Map<string, TaskDetail | null>;

/**
 * `details`: what is kept, shared by the views of one caller made for each invocation
 * (`Backend.within`), so a detail read by one command is not read again by the next.
 */
export function bluekingTasks(caller: EsbCaller, settings: BluekingSettings, details: KeptTaskDetails = new Map()): TasksCapability {
  const defaultBiz = String(settings.defaultBiz);

  async function detailOf(ref: { biz: string; id: string }, options?: CallOptions): Promise<TaskDetail | undefined> {
    const key = `${ref.biz}:${ref.id}`;
    const kept = details.get(key);
    if (kept !== undefined) return kept ?? undefined;
    let detail: TaskDetail | null;
    try {
      detail = await mapped(() => caller.call(GET_TASK_DETAIL, { bk_biz_id: ref.biz, task_id: ref.id }, esbOptions(options)));
    } catch (error) {
      // Names and the link are a courtesy: a lost answer is asked again next time, a refusal not.
      const kind = normalizeError(error)?.kind;
      if (kind !== 'refused' && kind !== 'not-found') return undefined;
      detail = null;
    }
    details.set(key, detail);
    if (details.size > DETAILS_KEPT) details.delete(details.keys().next().value!);
    return detail ?? undefined;
  }

  async function failureOf(ref: { biz: string; id: string }, nodeId: string, options?: CallOptions): Promise<string | undefined> {
    // The reason is a detail: the state is known without it, so a failed read leaves it out.
    try {
      const detail = await mapped(() => caller.call(GET_TASK_NODE_DETAIL, { bk_biz_id: ref.biz, task_id: ref.id, node_id: nodeId }, esbOptions(options)));
      return errorText(detail.ex_data);
    } catch {
      return undefined;
    }
  }

  return {
    async templates(query, options) {
      const list = await mapped(() => caller.call(GET_TEMPLATE_LIST, { bk_biz_id: defaultBiz }, esbOptions(options)));
      const wanted = query.name?.trim().toLowerCase();
      const matching = wanted ? list.filter((item) => item.name.toLowerCase().includes(wanted)) : list;
      // get_template_list has no paging of its own: the cursor is an offset into its answer.
      const offset = query.after !== undefined && /^\d+$/.test(query.after) ? Number(query.after) : 0;
      const end = offset + query.limit;
      const items = matching.slice(offset, end).map((item) => templateOf(item, defaultBiz));
      return { items, total: matching.length, ...(end < matching.length ? { next: String(end) } : {}) };
    },

    async template(id: TemplateId, options) {
      const ref = bizAndId(id, 'template');
      try {
        const info = await mapped(() => caller.call(GET_TEMPLATE_INFO, { bk_biz_id: ref.biz, template_id: ref.id }, esbOptions(options)));
        return templateOf(info, ref.biz);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async create(input, options) {
      const ref = bizAndId(input.template, 'template');
      const constants = Object.fromEntries(Object.entries(input.constants).map(([key, value]) => [constantKey(key), value]));
      const created = await mapped(() =>
        caller.call(CREATE_TASK, { bk_biz_id: ref.biz, template_id: ref.id, name: input.name, constants }, esbOptions(options)),
      );
      const id: TaskId = makeId('blueking', 'task', `${ref.biz}:${created.task_id}`);
      return created.task_url ? { id, url: created.task_url } : { id };
    },

    async start(id, options) {
      const ref = bizAndId(id, 'task');
      await mapped(() => caller.call(START_TASK, { bk_biz_id: ref.biz, task_id: ref.id }, esbOptions(options)));
    },

    async status(id, options): Promise<TaskStatus | undefined> {
      const ref = bizAndId(id, 'task');
      let root: TaskStateNode;
      try {
        root = await mapped(() => caller.call(GET_TASK_STATUS, { bk_biz_id: ref.biz, task_id: ref.id }, esbOptions(options)));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const detail = await detailOf(ref, options);
      const activities = detail?.pipeline_tree?.activities ?? {};
      const nodes: TaskNode[] = [];
      for (const [key, child] of Object.entries(root.children ?? {})) {
        if (!isStep(child)) continue;
        const node = nodeOf(key, child, activities[key]?.name ?? activities[child.id ?? '']?.name ?? undefined);
        const error = node.status.state === 'failed' ? await failureOf(ref, node.id, options) : undefined;
        nodes.push(error ? { ...node, error } : node);
      }
      const startedAt = parseBluekingTime(root.start_time);
      const finishedAt = parseBluekingTime(root.finish_time);
      const name = detail?.name ?? detail?.instance_name;
      return {
        id,
        ...(name ? { name } : {}),
        status: taskStateOf(root.state),
        ...(startedAt !== undefined ? { startedAt } : {}),
        ...(finishedAt !== undefined ? { finishedAt } : {}),
        nodes,
        ...(detail?.task_url ? { url: detail.task_url } : {}),
      };
    },

    async operate(id, operation, options) {
      const ref = bizAndId(id, 'task');
      await mapped(() => caller.call(OPERATE_TASK, { bk_biz_id: ref.biz, task_id: ref.id, action: operation }, esbOptions(options)));
    },
  };
}

