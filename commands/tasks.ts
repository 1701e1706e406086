/**
 * Standard-operations tasks (BlueKing SOPS): `tasks templates`, `tasks start <template>` (made
 * from the template with its constants and started), `tasks show <id>` (a card: status and
 * nodes), and `tasks pause|resume|revoke <id>` — also the buttons of the card.
 *
 * Starting checks the constants before anything is sent: a constant the template lacks, or one
 * it needs without a default, is refused with the template's own list. Writes are sent once and
 * never retried: a refusal (the platform said no before acting) is said as one; a lost answer is
 * an unknown outcome — the task is read back, and what cannot be told from it stays unknown.
 * Constant values may be secrets: they are masked in the audit trail and never echoed.
 */
import {
  ENDED_TASK_STATES,
  nativeOf,
  need,
  normalizeError,
  parseId,
  writeFailureOf,
  type TaskConstant,
  type TaskId,
  type TaskOperation,
  type TaskState,
  type TaskStatus,
  type TaskTemplate,
  type TasksCapability,
} from '../src/backends/index.js';
import { suggest } from '../src/core/args.js';
import { arg, defineCommand, type KeyValue } from '../src/core/arguments/index.js';
import { targetOf } from '../src/core/chat-surface.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import type { Message } from '../src/core/message.js';
import { KeyedQueue } from '../src/core/queue.js';
import { Refusal } from '../src/core/refusal.js';
import { nextPageHint } from '../src/core/reply.js';
import { cell, shown, utcTime } from '../src/i18n/format.js';
import { translator, type Text } from '../src/i18n/translate.js';
import { operationFits, TASK_ACTION_IDS, taskCard, taskStateWords } from '../src/tasks/task-card.js';
import { taskTrackerOf } from '../src/tasks/task-tracker.js';
import { limitArg } from './list-args.js';

const TEXT = {
  // templates
  templatesTitle: { 'en-US': 'Task templates in {platform} ({shown})', 'zh-CN': '{platform} 中的任务模板（{shown} 个）' },
  templatesTitleTotal: { 'en-US': 'Task templates in {platform} ({shown} of {total})', 'zh-CN': '{platform} 中的任务模板（显示 {shown} 个，共 {total} 个）' },
  noTemplates: { 'en-US': 'No template matches.', 'zh-CN': '没有匹配的模板。' },
  colId: { 'en-US': 'ID', 'zh-CN': 'ID' },
  colName: { 'en-US': 'NAME', 'zh-CN': '名称' },
  colCategory: { 'en-US': 'CATEGORY', 'zh-CN': '分类' },
  colEditor: { 'en-US': 'EDITED BY', 'zh-CN': '修改人' },
  colModified: { 'en-US': 'MODIFIED', 'zh-CN': '修改时间' },
  startHint: { 'en-US': 'Start one: tasks start <id or name> --const key=value', 'zh-CN': '启动任务：tasks start <ID 或名称> --const key=value' },
  // finding a template
  noTemplate: { 'en-US': 'No task template "{template}" in {platform}', 'zh-CN': '{platform} 中没有任务模板“{template}”' },
  noTemplateText: { 'en-US': 'Nothing was sent.{hint} "tasks templates" lists them.', 'zh-CN': '未发送任何内容。{hint}“tasks templates”可列出模板。' },
  didYouMean: { 'en-US': ' Did you mean "{name}"?', 'zh-CN': '您是不是想找“{name}”？' },
  manyTemplates: { 'en-US': 'Several task templates are called "{template}"', 'zh-CN': '有多个任务模板名为“{template}”' },
  manyTemplatesText: { 'en-US': 'Nothing was sent. Give one of these ids: {ids}.', 'zh-CN': '未发送任何内容。请给出以下 ID 之一：{ids}。' },
  // constants
  unknownConstants: { 'en-US': 'Template "{template}" has no constant {keys}', 'zh-CN': '模板“{template}”没有常量 {keys}' },
  missingConstants: { 'en-US': 'Template "{template}" needs {keys}', 'zh-CN': '模板“{template}”需要 {keys}' },
  twiceConstants: { 'en-US': '{keys} given twice', 'zh-CN': '{keys} 重复给出' },
  constantsText: {
    'en-US': 'Nothing was sent. Give each as --const key=value. Its constants:\n{list}',
    'zh-CN': '未发送任何内容。每个常量用 --const key=value 给出。该模板的常量：\n{list}',
  },
  noConstantsText: { 'en-US': 'Nothing was sent. It takes no constants.', 'zh-CN': '未发送任何内容。该模板不需要常量。' },
  constantLine: { 'en-US': '• {key}{name}{default}', 'zh-CN': '• {key}{name}{default}' },
  constantDefault: { 'en-US': ' (default: {value})', 'zh-CN': '（默认：{value}）' },
  constantRequired: { 'en-US': ' (required)', 'zh-CN': '（必填）' },
  // start
  started: { 'en-US': 'Task {id} started from template "{template}"', 'zh-CN': '已从模板“{template}”启动任务 {id}' },
  startedText: { 'en-US': 'Its live card is posted in this channel and updates itself until the task ends.', 'zh-CN': '实时卡片已发布在本频道，会自动更新直到任务结束。' },
  startedNoCard: { 'en-US': 'Its live card could not be posted here; "tasks show {id}" shows how it is doing.', 'zh-CN': '实时卡片无法发布在此处；用“tasks show {id}”查看进展。' },
  constantsGiven: { 'en-US': 'Constants', 'zh-CN': '常量' },
  createRefused: { 'en-US': '{platform} refused to create a task from "{template}"', 'zh-CN': '{platform} 拒绝从“{template}”创建任务' },
  createUnknown: { 'en-US': 'Outcome unknown: a task from "{template}" may have been created', 'zh-CN': '结果未知：可能已从“{template}”创建任务' },
  createUnknownText: {
    'en-US': '{platform}’s answer was lost ({answer}). It was not retried and nothing was started. Look for the task in {platform} before trying again.',
    'zh-CN': '{platform} 的响应丢失（{answer}）。未重试，也未启动任何任务。再次尝试前请先在 {platform} 中查找该任务。',
  },
  startRefused: { 'en-US': 'Task {id} was created but {platform} refused to start it', 'zh-CN': '任务 {id} 已创建，但 {platform} 拒绝启动' },
  startRefusedText: { 'en-US': '{reason}. Nothing was retried; the task waits, not started, in {platform}.', 'zh-CN': '{reason}。未重试；该任务已创建但未启动，保留在 {platform} 中。' },
  startUnknown: { 'en-US': 'Outcome unknown: task {id} may have started', 'zh-CN': '结果未知：任务 {id} 可能已启动' },
  startUnknownText: {
    'en-US': 'It was created; {platform}’s answer to starting it was lost ({answer}). It was not retried. "tasks show {id}" tells whether it runs.',
    'zh-CN': '任务已创建；启动请求的响应丢失（{answer}）。未重试。用“tasks show {id}”确认其是否在运行。',
  },
  refusedText: { 'en-US': '{reason}. Nothing was retried.', 'zh-CN': '{reason}。未重试。' },
  noReason: { 'en-US': 'no reason given', 'zh-CN': '未说明原因' },
  // show and operations
  notFound: { 'en-US': 'No task {id} in {platform}', 'zh-CN': '{platform} 中没有任务 {id}' },
  notFoundText: { 'en-US': 'Nothing was sent. Check the task id (the one its card shows).', 'zh-CN': '未发送任何操作。请检查任务 ID（见任务卡片）。' },
  ended: { 'en-US': 'Task {id} has ended ({status}); nothing to {operation}', 'zh-CN': '任务 {id} 已结束（{status}），无法{operation}' },
  already: {
    pause: { 'en-US': 'Task {id} is already paused', 'zh-CN': '任务 {id} 已处于暂停状态' },
    resume: { 'en-US': 'Task {id} is already running', 'zh-CN': '任务 {id} 已在执行中' },
    revoke: { 'en-US': 'Task {id} is already revoked', 'zh-CN': '任务 {id} 已终止' },
  } satisfies Record<TaskOperation, Text>,
  doesNotFit: { 'en-US': 'Task {id} is {status}; nothing to {operation}', 'zh-CN': '任务 {id} 为{status}状态，无法{operation}' },
  nothingSent: { 'en-US': 'Nothing was sent.', 'zh-CN': '未发送任何操作。' },
  done: {
    pause: { 'en-US': 'Task {id} paused', 'zh-CN': '任务 {id} 已暂停' },
    resume: { 'en-US': 'Task {id} resumed', 'zh-CN': '任务 {id} 已继续' },
    revoke: { 'en-US': 'Task {id} revoked', 'zh-CN': '任务 {id} 已终止' },
  } satisfies Record<TaskOperation, Text>,
  statusNow: { 'en-US': 'Status now: {status}.', 'zh-CN': '当前状态：{status}。' },
  statusUnread: { 'en-US': '{platform} accepted it; its new status could not be read yet: "tasks show {id}".', 'zh-CN': '{platform} 已接受；暂时无法读取新状态，请用“tasks show {id}”查看。' },
  operationRefused: { 'en-US': '{platform} refused to {operation} task {id}', 'zh-CN': '{platform} 拒绝{operation}任务 {id}' },
  confirmed: {
    'en-US': 'Confirmed by reading the task after {platform}’s answer was lost ({answer}); it was not sent again. Status now: {status}.',
    'zh-CN': '{platform} 的响应丢失（{answer}），之后读取任务确认已生效；未重复发送。当前状态：{status}。',
  },
  operationUnknown: { 'en-US': 'Outcome unknown: the {operation} of task {id}', 'zh-CN': '结果未知：对任务 {id} 的{operation}操作' },
  operationUnknownText: {
    'en-US': '{platform}’s answer was lost ({answer}) and reading the task back cannot tell whether it took effect (it is {status}). It was not retried. Check with "tasks show {id}" before trying again.',
    'zh-CN': '{platform} 的响应丢失（{answer}），读取任务也无法判断操作是否生效（当前状态 {status}）。未重试。再次尝试前请先用“tasks show {id}”确认。',
  },
  unknownNow: { 'en-US': 'unknown (it could not be read)', 'zh-CN': '未知（无法读取）' },
  operationName: {
    pause: { 'en-US': 'pause', 'zh-CN': '暂停' },
    resume: { 'en-US': 'resume', 'zh-CN': '继续' },
    revoke: { 'en-US': 'revoke', 'zh-CN': '终止' },
  } satisfies Record<TaskOperation, Text>,
  badValue: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badValueText: { 'en-US': 'Nothing was sent. Run "tasks show <id>" for a fresh card.', 'zh-CN': '未发送任何操作。请运行“tasks show <ID>”获取新的卡片。' },
  // arguments
  nameFlag: { 'en-US': 'Part of the template name', 'zh-CN': '模板名称的一部分' },
  afterFlag: { 'en-US': 'Where the next page starts (from "More:")', 'zh-CN': '下一页的起点（见“下一页：”）' },
  afterSays: { 'en-US': 'give the value printed after --after in "More:" on the previous page', 'zh-CN': '请给出上一页“下一页：”中 --after 后的值' },
  templateArg: { 'en-US': 'Template id or exact name', 'zh-CN': '模板 ID 或完整名称' },
  constFlag: { 'en-US': 'A constant of the template, key=value (repeat for several)', 'zh-CN': '模板常量 key=value（可重复）' },
  taskNameFlag: { 'en-US': 'Name of the new task (default: the template’s, with the time)', 'zh-CN': '新任务名称（默认：模板名加时间）' },
  taskIdWhat: { 'en-US': 'a task id', 'zh-CN': '任务 ID' },
  taskIdDescription: { 'en-US': 'Task id (its card shows it)', 'zh-CN': '任务 ID（见任务卡片）' },
} satisfies Record<string, unknown>;

/** The audit trail is written in one language, whoever acted. */
const EN = translator('en-US');

/** Platform ids and cursors are opaque: this only keeps obviously wrong input from leaving. */
const OPAQUE = /^[A-Za-z0-9_.:=-]{1,128}$/;
/** `name`, or `${name}` as templates write them. */
const CONSTANT_KEY = /^(?:\$\{[A-Za-z0-9_.-]{1,64}\}|[A-Za-z0-9_.-]{1,64})$/;
const MAX_TASK_NAME = 100;
/** Templates read while looking for one by name. */
const NAME_SEARCH = 100;

const TASK_ID_ARG = arg.id({
  required: true,
  what: TEXT.taskIdWhat,
  example: '10042',
  pattern: OPAQUE,
  description: TEXT.taskIdDescription,
  placeholder: { 'en-US': 'task-id', 'zh-CN': 'task-id' },
  discordName: 'task-id',
  localName: { 'en-US': 'task-id', 'zh-CN': '任务id' },
});

function platformOf(context: CommandContext): string {
  return context.t(context.backend.displayName);
}

// ---- templates -------------------------------------------------------------------------------

export const taskTemplatesCommand = defineCommand({
  family: 'tasks',
  words: ['tasks', 'templates'],
  discord: {
    group: 'tasks',
    name: 'templates',
    localName: { 'en-US': 'templates', 'zh-CN': '模板' },
    description: { 'en-US': 'Templates a task can be started from', 'zh-CN': '可用于启动任务的模板' },
  },
  needs: ['tasks'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'List the standard-operations templates a task can be started from', 'zh-CN': '列出可用于启动标准运维任务的模板' },
  examples: ['tasks templates', 'tasks templates --name restart'],
  positionals: {},
  flags: {
    name: arg.string({ max: 128, description: TEXT.nameFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    limit: limitArg(20),
    after: arg.string({ max: 128, pattern: { re: OPAQUE, says: TEXT.afterSays }, description: TEXT.afterFlag, placeholder: { 'en-US': 'cursor', 'zh-CN': 'cursor' } }),
  },
  async run(context, args, raw): Promise<Message> {
    const { t } = context;
    const tasks = need(context.backend, 'tasks');
    const page = await tasks.templates({ limit: args.limit, ...(args.name ? { name: args.name } : {}), ...(args.after ? { after: args.after } : {}) });
    const platform = platformOf(context);
    const items = page.items;
    const title = page.total !== undefined ? t(TEXT.templatesTitleTotal, { platform, shown: items.length, total: page.total }) : t(TEXT.templatesTitle, { platform, shown: items.length });
    if (items.length === 0) return { title, text: t(TEXT.noTemplates), tone: 'info' };
    const footer = [t(TEXT.startHint), page.next !== undefined ? nextPageHint(t, 'tasks templates', raw, 'after', page.next) : undefined].filter(Boolean).join('\n');
    return {
      title,
      table: {
        columns: [t(TEXT.colId), t(TEXT.colName), t(TEXT.colCategory), t(TEXT.colEditor), t(TEXT.colModified)],
        rows: items.map((template) => [nativeOf(template.id), cell(template.name, 60), cell(template.category, 30), cell(template.editor ?? template.creator, 30), utcTime(template.modifiedAt)]),
      },
      footer,
    };
  },
});

// ---- start -----------------------------------------------------------------------------------

/** The template a person named: by id when the platform reads it as one, else by its exact name. */
async function resolveTemplate(context: CommandContext, tasks: TasksCapability, typed: string): Promise<TaskTemplate> {
  const { t } = context;
  const platform = platformOf(context);
  const id = OPAQUE.test(typed) ? context.backend.parseId('template', typed) : undefined;
  if (id !== undefined) {
    const byId = await tasks.template(id);
    if (byId) return byId;
  }
  const candidates = (await tasks.templates({ name: typed, limit: NAME_SEARCH })).items;
  const named = candidates.filter((template) => template.name.toLowerCase() === typed.toLowerCase());
  if (named.length > 1) throw new Refusal(t(TEXT.manyTemplates, { template: shown(typed, 64) }), t(TEXT.manyTemplatesText, { ids: named.map((template) => nativeOf(template.id)).join(', ') }));
  const found = named.length === 1 ? await tasks.template(named[0]!.id) : undefined;
  if (found) return found;
  const close = suggest(typed, (candidates.length > 0 ? candidates : (await tasks.templates({ limit: NAME_SEARCH })).items).map((template) => template.name));
  throw new Refusal(t(TEXT.noTemplate, { template: shown(typed, 64), platform }), t(TEXT.noTemplateText, { hint: close ? t(TEXT.didYouMean, { name: close }) : '' }));
}

/** `${name}` as the template keys it, for what a person typed (`name` or `${name}`). */
function templateKeyOf(typed: string, constants: readonly TaskConstant[]): string | undefined {
  const keys = constants.map((constant) => constant.key);
  if (keys.includes(typed)) return typed;
  const wrapped = `\${${typed}}`;
  return keys.includes(wrapped) ? wrapped : undefined;
}

function constantList(context: CommandContext, constants: readonly TaskConstant[]): string {
  const { t } = context;
  return constants
    .map((constant) =>
      t(TEXT.constantLine, {
        key: constant.key,
        name: constant.name && constant.name !== constant.key ? ` — ${cell(constant.name, 40)}` : '',
        default: constant.defaultValue !== undefined && constant.defaultValue !== '' ? t(TEXT.constantDefault, { value: cell(constant.defaultValue, 40) }) : t(TEXT.constantRequired),
      }),
    )
    .join('\n');
}

/** The constants to send, keyed as the template keys them; refuses unknown, repeated and missing ones, listing the template's. */
export function checkConstants(context: CommandContext, template: TaskTemplate, given: readonly KeyValue[]): Record<string, string> {
  const { t } = context;
  const constants = template.constants ?? [];
  const name = shown(template.name, 64);
  const explain = (): string => (constants.length > 0 ? t(TEXT.constantsText, { list: constantList(context, constants) }) : t(TEXT.noConstantsText));
  const unknown = given.filter((pair) => templateKeyOf(pair.key, constants) === undefined).map((pair) => shown(pair.key, 40));
  if (unknown.length > 0) throw new Refusal(t(TEXT.unknownConstants, { template: name, keys: [...new Set(unknown)].join(', ') }), explain());
  const values: Record<string, string> = {};
  const twice = new Set<string>();
  for (const pair of given) {
    const key = templateKeyOf(pair.key, constants)!;
    if (Object.hasOwn(values, key)) twice.add(key);
    values[key] = pair.value;
  }
  if (twice.size > 0) throw new Refusal(t(TEXT.twiceConstants, { keys: [...twice].join(', ') }), explain());
  const missing = constants.filter((constant) => !Object.hasOwn(values, constant.key) && (constant.defaultValue === undefined || constant.defaultValue === '')).map((constant) => constant.key);
  if (missing.length > 0) throw new Refusal(t(TEXT.missingConstants, { template: name, keys: missing.join(', ') }), explain());
  return values;
}

/** The platform's reason for a refusal, as safe to show (never a body or a parameter). */
function reasonOf(context: CommandContext, error: unknown): string {
  const detail = normalizeError(error)?.detail;
  const reason = detail?.platformMessage ? shown(detail.platformMessage, 200) : context.t(TEXT.noReason);
  return detail?.code ? `${reason} (${detail.code})` : reason;
}

function defaultTaskName(template: TaskTemplate, now: Date): string {
  const when = now.toISOString().slice(0, 16).replace('T', ' ');
  const suffix = ` ${when}`;
  return `${Array.from(template.name).slice(0, MAX_TASK_NAME - suffix.length).join('')}${suffix}`;
}

export const taskStartCommand = defineCommand({
  family: 'tasks',
  words: ['tasks', 'start'],
  discord: {
    group: 'tasks',
    name: 'start',
    localName: { 'en-US': 'start', 'zh-CN': '启动' },
    description: { 'en-US': 'Create a task from a template and start it', 'zh-CN': '从模板创建任务并启动' },
  },
  needs: ['tasks'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Create a standard-operations task from a template with its constants, start it, and post its live card',
    'zh-CN': '用模板及其常量创建标准运维任务并启动，发布实时卡片',
  },
  examples: ['tasks start restart_service --const service=nginx --const ip_list=10.0.1.12', 'tasks start rotate_logs --const days=14 --name "Rotate logs, keep 14 days"'],
  positionals: {
    template: arg.string({ required: true, max: 128, description: TEXT.templateArg, placeholder: { 'en-US': 'template', 'zh-CN': '模板' }, localName: { 'en-US': 'template', 'zh-CN': '模板' } }),
  },
  flags: {
    const: arg.keyValue({ repeatable: true, secretValue: true, keyPattern: CONSTANT_KEY, valueMax: 4096, description: TEXT.constFlag, localName: { 'en-US': 'const', 'zh-CN': '常量' } }),
    name: arg.string({ max: MAX_TASK_NAME, description: TEXT.taskNameFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
  },
  async run(context, args): Promise<Message> {
    const { t, services, actor, place, locale } = context;
    const tasks = need(context.backend, 'tasks');
    const platform = platformOf(context);
    const template = await resolveTemplate(context, tasks, args.template);
    context.audit.target = `template ${template.name} (${nativeOf(template.id)})`;
    const constants = checkConstants(context, template, args.const);
    const name = args.name ?? defaultTaskName(template, services.now());
    const templateName = shown(template.name, 64);

    let task: TaskId;
    try {
      task = (await tasks.create({ template: template.id, name, constants })).id;
    } catch (error) {
      if (writeFailureOf(error) === 'refused') {
        return { title: t(TEXT.createRefused, { platform, template: templateName }), text: t(TEXT.refusedText, { reason: reasonOf(context, error) }), tone: 'danger' };
      }
      context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `create unknown (${lostAnswer(error, EN)})` };
      return { title: t(TEXT.createUnknown, { template: templateName }), text: t(TEXT.createUnknownText, { platform, answer: lostAnswer(error, t) }), tone: 'warning', outcome: 'failed' };
    }
    const id = nativeOf(task);
    context.audit.maskedParameters = { ...context.audit.maskedParameters, task: id };

    try {
      await tasks.start(task);
    } catch (error) {
      if (writeFailureOf(error) === 'refused') {
        return { title: t(TEXT.startRefused, { id, platform }), text: t(TEXT.startRefusedText, { reason: reasonOf(context, error), platform }), tone: 'danger' };
      }
      context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `start unknown (${lostAnswer(error, EN)})` };
      return { title: t(TEXT.startUnknown, { id }), text: t(TEXT.startUnknownText, { platform, answer: lostAnswer(error, t), id }), tone: 'warning', outcome: 'failed' };
    }

    const status = await tasks.status(task).catch(() => undefined);
    const posted = await taskTrackerOf(services)
      .follow({ task, target: targetOf(actor, place), locale, ...(status ? { status } : {}) })
      .catch((error: unknown) => {
        services.log.warn({ err: error }, 'the live card of a task could not be posted');
        return undefined;
      });
    const given = Object.keys(constants);
    return {
      title: t(TEXT.started, { id, template: templateName }),
      text: posted ? t(TEXT.startedText) : t(TEXT.startedNoCard, { id }),
      tone: 'success',
      // Keys only: a constant's value may be a secret.
      ...(given.length > 0 ? { fields: [{ label: t(TEXT.constantsGiven), value: given.join(', ') }] } : {}),
    };
  },
});

// ---- show ------------------------------------------------------------------------------------

/** The task a person (or a button) named, read now; a refusal when the platform does not know it. */
async function readTask(context: CommandContext, tasks: TasksCapability, task: TaskId | undefined, typed: string): Promise<TaskStatus> {
  const status = task === undefined ? undefined : await tasks.status(task);
  if (!status) throw noSuchTask(context, typed);
  return status;
}

function noSuchTask(context: CommandContext, typed: string): Refusal {
  return new Refusal(context.t(TEXT.notFound, { id: shown(typed, 64), platform: platformOf(context) }), context.t(TEXT.notFoundText));
}

export const taskShowCommand = defineCommand({
  family: 'tasks',
  words: ['tasks', 'show'],
  discord: {
    group: 'tasks',
    name: 'show',
    localName: { 'en-US': 'show', 'zh-CN': '详情' },
    description: { 'en-US': 'One task: status, nodes, buttons', 'zh-CN': '单个任务：状态、节点、操作按钮' },
  },
  needs: ['tasks'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One task: its status, its nodes, and buttons to pause, resume or revoke it', 'zh-CN': '单个任务：状态、节点，以及暂停、继续或终止的按钮' },
  examples: ['tasks show 10042'],
  positionals: { id: TASK_ID_ARG },
  flags: {},
  async run(context, args): Promise<Message> {
    const tasks = need(context.backend, 'tasks');
    context.audit.target = `task ${args.id}`;
    const status = await readTask(context, tasks, context.backend.parseId('task', args.id), args.id);
    return taskCard(status, { locale: context.locale, platform: platformOf(context) });
  },
});

// ---- pause, resume, revoke -------------------------------------------------------------------

/** One change at a time per task within this process: a double click sends at most one request. */
const changes = new KeyedQueue();

/** The state a task is in once the operation took effect. */
const REACHED: Readonly<Record<TaskOperation, TaskState>> = { pause: 'paused', resume: 'running', revoke: 'revoked' };

async function operate(context: CommandContext, task: TaskId, operation: TaskOperation, typed: string): Promise<Message> {
  const { t } = context;
  const tasks = need(context.backend, 'tasks');
  const platform = platformOf(context);
  context.audit.target = `task ${nativeOf(task)}`;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, operation };
  return changes.run(task, async (): Promise<Message> => {
    const before = await readTask(context, tasks, task, typed);
    const id = nativeOf(before.id);
    const state = before.status.state;
    const operationName = t(TEXT.operationName[operation]);
    const status = taskStateWords(before.status, t);
    if (state === REACHED[operation]) return { title: t(TEXT.already[operation], { id }), text: t(TEXT.nothingSent), tone: 'info' };
    if (ENDED_TASK_STATES.has(state)) return { title: t(TEXT.ended, { id, status, operation: operationName }), text: t(TEXT.nothingSent), tone: 'info' };
    if (!operationFits(operation, state)) return { title: t(TEXT.doesNotFit, { id, status, operation: operationName }), text: t(TEXT.nothingSent), tone: 'info' };
    const tracker = taskTrackerOf(context.services);
    try {
      await tasks.operate(task, operation);
    } catch (error) {
      const now = await tasks.status(task).catch(() => undefined);
      const nowWords = now ? taskStateWords(now.status, t) : t(TEXT.unknownNow);
      if (writeFailureOf(error) === 'refused') {
        return { title: t(TEXT.operationRefused, { platform, operation: operationName, id }), text: `${t(TEXT.refusedText, { reason: reasonOf(context, error) })} ${t(TEXT.statusNow, { status: nowWords })}`, tone: 'danger' };
      }
      const answer = lostAnswer(error, t);
      if (now?.status.state === REACHED[operation]) {
        context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `done (read back after a lost answer: ${lostAnswer(error, EN)})` };
        await tracker.nudge(task);
        return { title: t(TEXT.done[operation], { id }), text: t(TEXT.confirmed, { platform, answer, status: nowWords }), tone: 'success' };
      }
      context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `unknown (read back after a lost answer: ${lostAnswer(error, EN)})` };
      return { title: t(TEXT.operationUnknown, { operation: operationName, id }), text: t(TEXT.operationUnknownText, { platform, answer, status: nowWords, id }), tone: 'warning', outcome: 'failed' };
    }
    await tracker.nudge(task);
    const after = await tasks.status(task).catch(() => undefined);
    return {
      title: t(TEXT.done[operation], { id }),
      text: after ? t(TEXT.statusNow, { status: taskStateWords(after.status, t) }) : t(TEXT.statusUnread, { platform, id }),
      tone: 'success',
    };
  });
}

function operationCommand(operation: TaskOperation, summary: Text, localName: Text) {
  return defineCommand({
    family: 'tasks',
    words: ['tasks', operation],
    discord: { group: 'tasks', name: operation, localName, description: summary },
    needs: ['tasks'],
    permission: 'operator',
    mutates: true,
    summary,
    examples: [`tasks ${operation} 10042`],
    positionals: { id: TASK_ID_ARG },
    flags: {},
    run: (context, args) => {
      const task = context.backend.parseId('task', args.id);
      if (task === undefined) throw noSuchTask(context, args.id);
      return operate(context, task, operation, args.id);
    },
  });
}

export const taskPauseCommand = operationCommand('pause', { 'en-US': 'Pause a running task', 'zh-CN': '暂停执行中的任务' }, { 'en-US': 'pause', 'zh-CN': '暂停' });
export const taskResumeCommand = operationCommand('resume', { 'en-US': 'Resume a paused task', 'zh-CN': '继续已暂停的任务' }, { 'en-US': 'resume', 'zh-CN': '继续' });
export const taskRevokeCommand = operationCommand('revoke', { 'en-US': 'Revoke a task: it stops for good', 'zh-CN': '终止任务（不可恢复）' }, { 'en-US': 'revoke', 'zh-CN': '终止' });

/** A card's button: the value is the task's id as the card was made; anything else is refused, nothing sent. */
function taskButton(operation: TaskOperation): ActionDefinition {
  return {
    id: TASK_ACTION_IDS[operation],
    family: 'tasks',
    permission: 'operator',
    mutates: true,
    run: (context, value) => {
      const parsed = parseId(value);
      if (!parsed || parsed.kind !== 'task' || parsed.backend !== context.backend.name) throw new Refusal(context.t(TEXT.badValue), context.t(TEXT.badValueText));
      return operate(context, value as TaskId, operation, parsed.native);
    },
  };
}

export const TASK_COMMANDS = [taskTemplatesCommand, taskStartCommand, taskShowCommand, taskPauseCommand, taskResumeCommand, taskRevokeCommand] as const;

export const TASK_ACTIONS: readonly ActionDefinition[] = [taskButton('pause'), taskButton('resume'), taskButton('revoke')];
