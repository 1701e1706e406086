/**
 * BlueKing SOPS (standard operations) components (reference: "标准运维 API 文档简介"): templates,
 * tasks made from them, their state node by node, and operations on a task. The ESB v2 components
 * take every id as a field (the reference's tables list `bk_biz_id`, `template_id`, `task_id` as
 * string fields), none in the path.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

const text = z.string();
const optionalText = z.string().nullish();
/** Ids the reference types as string fields (`"bk_biz_id": "2"`); answers carry them as numbers or strings. */
const idText = z.string().regex(/^\d+$/, 'digits');
const answeredId = z.union([z.number().int(), text]);

export const TEMPLATE_SOURCES = ['business', 'common'] as const;

// ---- get_template_list (GET) ----

export const TemplateListItemSchema = z.looseObject({
  id: z.number().int(),
  name: text,
  bk_biz_id: answeredId.nullish(),
  bk_biz_name: optionalText,
  /** OpsTools, MonitorAlarm, ConfManage, DevTools, EnterpriseIT, OfficeApp, Other. */
  category: optionalText,
  creator: optionalText,
  editor: optionalText,
  create_time: optionalText,
  edit_time: optionalText,
});
export type TemplateListItem = z.infer<typeof TemplateListItemSchema>;

export const GET_TEMPLATE_LIST: EsbComponent<{ bk_biz_id: string; template_source?: (typeof TEMPLATE_SOURCES)[number] }, TemplateListItem[]> = {
  system: 'sops',
  name: 'get_template_list',
  method: 'GET',
  write: false,
  request: z.strictObject({ bk_biz_id: idText, template_source: z.enum(TEMPLATE_SOURCES).optional() }),
  data: z.array(TemplateListItemSchema),
};

// ---- get_template_info (GET) ----

export const ConstantSchema = z.looseObject({
  /** `${name}`, the same as the constants map's key. */
  key: text,
  name: optionalText,
  index: z.number().nullish(),
  desc: optionalText,
  /** custom, component_inputs, component_outputs. */
  source_type: optionalText,
  custom_type: optionalText,
  /** show or hide. */
  show_type: optionalText,
  value: z.unknown().optional(),
});
export type SopsConstant = z.infer<typeof ConstantSchema>;

export const PipelineTreeSchema = z.looseObject({
  constants: z.record(z.string(), ConstantSchema).nullish(),
  activities: z.record(z.string(), z.looseObject({ name: optionalText, type: optionalText })).nullish(),
});

export const TemplateInfoSchema = TemplateListItemSchema.extend({ pipeline_tree: PipelineTreeSchema.nullish() });
export type TemplateInfo = z.infer<typeof TemplateInfoSchema>;

export const GET_TEMPLATE_INFO: EsbComponent<{ bk_biz_id: string; template_id: string; template_source?: (typeof TEMPLATE_SOURCES)[number] }, TemplateInfo> = {
  system: 'sops',
  name: 'get_template_info',
  method: 'GET',
  write: false,
  request: z.strictObject({ bk_biz_id: idText, template_id: idText, template_source: z.enum(TEMPLATE_SOURCES).optional() }),
  data: TemplateInfoSchema,
};

// ---- create_task (POST, write) ----

export const CreateTaskRequestSchema = z.strictObject({
  bk_biz_id: idText,
  template_id: idText,
  template_source: z.enum(TEMPLATE_SOURCES).optional(),
  name: text.min(1),
  flow_type: z.enum(['common', 'common_func']).optional(),
  /** `${key}` → value. */
  constants: z.record(z.string().regex(/^\$\{.+\}$/, '${key}'), z.unknown()).optional(),
  exclude_task_nodes_id: z.array(text).optional(),
});
export type CreateTaskRequest = z.infer<typeof CreateTaskRequestSchema>;

export const CreatedTaskSchema = z.looseObject({
  task_id: z.number().int(),
  task_url: optionalText,
  pipeline_tree: z.unknown().optional(),
});

export const CREATE_TASK: EsbComponent<CreateTaskRequest, z.infer<typeof CreatedTaskSchema>> = {
  system: 'sops',
  name: 'create_task',
  method: 'POST',
  write: true,
  request: CreateTaskRequestSchema,
  data: CreatedTaskSchema,
};

// ---- start_task (POST, write) ----

const TaskRef = z.strictObject({ bk_biz_id: idText, task_id: idText });
export type TaskRef = z.infer<typeof TaskRef>;

export const START_TASK: EsbComponent<TaskRef, unknown> = {
  system: 'sops',
  name: 'start_task',
  method: 'POST',
  write: true,
  request: TaskRef,
  data: z.unknown(),
};

// ---- get_task_status (GET) ----

export interface TaskStateNode {
  /** CREATED, RUNNING, FAILED, SUSPENDED, REVOKED, FINISHED (nodes also NODE_SUSPENDED). */
  readonly state: string;
  readonly id?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly skip?: boolean | null | undefined;
  readonly retry?: number | null | undefined;
  readonly start_time?: string | null | undefined;
  readonly finish_time?: string | null | undefined;
  readonly children?: Readonly<Record<string, TaskStateNode>> | null | undefined;
}

export const TaskStateSchema: z.ZodType<TaskStateNode> = z.lazy(() =>
  z.looseObject({
    state: text,
    id: optionalText,
    name: optionalText,
    skip: z.boolean().nullish(),
    retry: z.number().nullish(),
    start_time: optionalText,
    finish_time: optionalText,
    children: z.record(z.string(), TaskStateSchema).nullish(),
  }),
);

export const GET_TASK_STATUS: EsbComponent<TaskRef, TaskStateNode> = {
  system: 'sops',
  name: 'get_task_status',
  method: 'GET',
  write: false,
  request: TaskRef,
  data: TaskStateSchema,
};

// ---- get_task_detail (GET) ----

export const TaskDetailSchema = z.looseObject({
  id: answeredId.nullish(),
  /** The table names it `name`; the example carries `instance_name`. */
  name: optionalText,
  instance_name: optionalText,
  task_url: optionalText,
  creator: optionalText,
  executor: optionalText,
  start_time: optionalText,
  finish_time: optionalText,
  /** The task's own tree: its activities are the nodes get_task_status reports, by the same ids. */
  pipeline_tree: PipelineTreeSchema.nullish(),
});
export type TaskDetail = z.infer<typeof TaskDetailSchema>;

export const GET_TASK_DETAIL: EsbComponent<TaskRef, TaskDetail> = {
  system: 'sops',
  name: 'get_task_detail',
  method: 'GET',
  write: false,
  request: TaskRef,
  data: TaskDetailSchema,
};

// ---- get_task_node_detail (GET) ----

export const NodeDetailSchema = z.looseObject({
  id: optionalText,
  state: optionalText,
  start_time: optionalText,
  finish_time: optionalText,
  elapsed_time: z.number().nullish(),
  skip: z.boolean().nullish(),
  retry: z.number().nullish(),
  /** Why the node failed: JSON, HTML or plain text. */
  ex_data: z.unknown().optional(),
  inputs: z.unknown().optional(),
  outputs: z.unknown().optional(),
});
export type NodeDetail = z.infer<typeof NodeDetailSchema>;

export const NodeDetailRequestSchema = z.strictObject({
  bk_biz_id: idText,
  task_id: idText,
  node_id: text.min(1),
  component_code: text.optional(),
  /** A JSON list of subprocess node ids. */
  subprocess_stack: text.optional(),
});

export const GET_TASK_NODE_DETAIL: EsbComponent<z.infer<typeof NodeDetailRequestSchema>, NodeDetail> = {
  system: 'sops',
  name: 'get_task_node_detail',
  method: 'GET',
  write: false,
  request: NodeDetailRequestSchema,
  data: NodeDetailSchema,
};

// ---- operate_task (POST, write) ----

export const TASK_ACTIONS = ['start', 'pause', 'resume', 'revoke'] as const;

export const OperateTaskRequestSchema = TaskRef.extend({ action: z.enum(TASK_ACTIONS) });

export const OPERATE_TASK: EsbComponent<z.infer<typeof OperateTaskRequestSchema>, unknown> = {
  system: 'sops',
  name: 'operate_task',
  method: 'POST',
  write: true,
  request: OperateTaskRequestSchema,
  data: z.unknown(),
};
