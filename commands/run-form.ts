/**
 * `run` as forms (Slack modals, Discord modals, the terminal's questions); `run` with nothing
 * after it opens the first one.
 *
 * 1. `run:form`: the script and the hosts (searched as you type), or a tag instead of hosts,
 *    and the run options with the flags' defaults. Checked like the flags; then the script is
 *    looked up, and if it takes parameters the hosts are resolved too, so a wrong host or batch
 *    size is shown under its own field before the next form.
 * 2. `run:params`, only for a script with parameters: one field per parameter of the script's
 *    own definition (its name the label, its description the hint), defaults filled in (never
 *    for sensitive ones). On submit every value is checked against the script's definitions as
 *    COC has them then, each problem under its own field. It carries form 1's values in its
 *    context, which holds no parameter at all, so never a secret, and is re-checked on submit
 *    like anything typed.
 *
 * Either way the end is `previewRun`, exactly as `run … --hosts …`: what is wrong comes back
 * under its field and nothing is planned (COC is only read); otherwise the preview with
 * Run / Cancel. No problem ever echoes a parameter value.
 */
import { z } from 'zod';
import type { CommandContext, FormDefinition } from '../src/core/command.js';
import type { Form, FormField, Message } from '../src/core/message.js';
import { formDefaults, formFields, fromForm, limitsOf, type BackendLimits, type FormSource } from '../src/core/arguments/index.js';
import { label, nativeOf, need, type Script, type ScriptParam } from '../src/backends/index.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import type { HostSelector } from '../src/run/hosts.js';
import { paramProblems, PlanProblem } from '../src/run/plan.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { planHosts, previewRun, topologyFlags } from '../src/run/preview.js';
import type { RunRequest } from '../src/run/request.js';
import { resolveRunnableScript } from '../src/run/script.js';
import { requestOf, RUN_FLAGS, RUN_ONE_OF, RUN_POSITIONALS } from './run-arguments.js';

export const RUN_FORM_IDS = { request: 'run:form', params: 'run:params' } as const;

const TEXT = {
  title: { 'en-US': 'Run a script', 'zh-CN': '执行脚本' },
  paramsTitle: { 'en-US': 'Script parameters', 'zh-CN': '脚本参数' },
  next: { 'en-US': 'Next', 'zh-CN': '下一步' },
  preview: { 'en-US': 'Preview', 'zh-CN': '预览' },
  intro: {
    'en-US': 'Pick the script and the hosts (or a tag); the preview shows what would run before anything does.',
    'zh-CN': '请选择脚本和主机（或标签）；执行前会先显示预览。',
  },
  paramsIntro: {
    'en-US': '{script} ({risk}) on {hosts}: its parameters. Defaults are filled in; sensitive values are never shown again.',
    'zh-CN': '{script}（{risk}）于 {hosts}：请填写参数。已填入默认值；敏感值不会再次显示。',
  },
  neededHint: { 'en-US': 'Needed: the script has no default.', 'zh-CN': '必填：脚本没有默认值。' },
  longDefaultHint: {
    'en-US': 'Left empty, the script\'s default is used ({count} characters, too long to show here).',
    'zh-CN': '留空则使用脚本的默认值（{count} 个字符，过长无法在此显示）。',
  },
  valueNeeded: { 'en-US': 'needed: the script has no default for it', 'zh-CN': '必填：脚本没有默认值' },
  secretNeeded: {
    'en-US': 'needed: a sensitive value is always typed in, never taken from the script',
    'zh-CN': '必填：敏感参数必须填写，不会使用脚本中的值',
  },
  hostsOrTag: { 'en-US': 'pick hosts, or give a tag (key=value): one of the two', 'zh-CN': '请选择主机或填写标签（key=value），二选一' },
  hostsAndTag: { 'en-US': 'give hosts or a tag, not both', 'zh-CN': '主机和标签只能填写一个' },
  longList: {
    'en-US': 'too long a list for the form; use a tag, or type run {script} --hosts …',
    'zh-CN': '列表过长，表单无法容纳；请使用标签，或输入 run {script} --hosts …',
  },
  unknownHosts: { 'en-US': '{platform} knows no host called {names}', 'zh-CN': '{platform} 中没有名为 {names} 的主机' },
  noMatch: { 'en-US': 'no host matches {selection}', 'zh-CN': '没有主机匹配 {selection}' },
  noRunnable: {
    'en-US': '{matched:host matches|hosts match}, none with a running {agent} ({excluded})',
    'zh-CN': '匹配到 {matched} 台主机，但没有 {agent} 在线的主机（{excluded}）',
  },
  notPlanned: { 'en-US': 'Nothing was planned: please fix the form', 'zh-CN': '未生成计划：请修改表单' },
  cannotPlan: { 'en-US': 'This run cannot be planned', 'zh-CN': '无法生成执行计划' },
  startAgain: { 'en-US': '{problem} Nothing was planned; start again with "run".', 'zh-CN': '{problem} 未生成计划；请用 "run" 重新开始。' },
  formStale: { 'en-US': 'This form can no longer be used', 'zh-CN': '此表单已无法使用' },
  formStaleText: { 'en-US': 'Nothing was planned; start again with "run".', 'zh-CN': '未生成计划；请用 "run" 重新开始。' },
} satisfies Record<string, Text>;

/** What form 1 asks of the run's arguments: all but --query and --param (form 2 asks the parameters). */
const RUN_SOURCE: FormSource<typeof RUN_POSITIONALS, typeof RUN_FLAGS> = { positionals: RUN_POSITIONALS, flags: RUN_FLAGS, oneOf: RUN_ONE_OF };
const REQUEST_ASKED = ['script', 'hosts', 'tag', 'batch-size', 'rotation', 'timeout', 'success-rate', 'canary', 'user'] as const;

/**
 * Form 1's values, which form 2 carries in its context (defaults left out) and re-checks on
 * submit. Well within Slack's private_metadata; Discord keeps the whole form on the server.
 */
const CONTEXT_MAX = 2_000;
const carriedText = z.string().max(CONTEXT_MAX).optional();
const RequestValues = z.strictObject({
  script: carriedText,
  hosts: carriedText,
  tag: carriedText,
  'batch-size': carriedText,
  rotation: carriedText,
  timeout: carriedText,
  'success-rate': carriedText,
  canary: carriedText,
  user: carriedText,
});
type RequestValues = z.infer<typeof RequestValues>;
/** Form 1's fields, in order. */
const REQUEST_FIELDS = RequestValues.keyof().options;

const PARAM_FIELD_PREFIX = 'param:';
/** COC takes a parameter value of at most 4096 characters; adapters cut this to what their inputs allow. */
const PARAM_MAX = 4096;
/**
 * A default longer than the smallest chat input (Slack's 3000 characters) is not filled in, as
 * it would be cut there and sent cut: left empty, the script's default is used in full.
 */
const LONG_DEFAULT = 3000;

function requestForm(t: Translate, limits: BackendLimits): Form {
  return {
    id: RUN_FORM_IDS.request,
    title: t(TEXT.title),
    submitLabel: t(TEXT.next),
    fields: formFields(RUN_SOURCE, t, { only: REQUEST_ASKED, limits }),
  };
}

/** What `run` with nothing after it answers. */
export function runFormReply(context: CommandContext): Message {
  return { text: context.t(TEXT.intro), form: requestForm(context.t, limitsOf(context.backend)), private: true };
}

function refused(t: Translate, fieldErrors: Record<string, string>): Message {
  return { title: t(TEXT.notPlanned), fieldErrors, tone: 'danger', private: true };
}

/**
 * Form 1's values as a RunRequest (without parameters), or what is wrong with each field: read
 * by the run command's own kinds, with the hosts given one way, picked or by tag.
 */
function readRequest(t: Translate, limits: BackendLimits, values: RequestValues): { request: RunRequest } | { errors: Record<string, string> } {
  const picked = (values.hosts ?? '').trim() !== '';
  const tagged = (values.tag ?? '').trim() !== '';
  const chosen: Record<string, string> = {};
  if (picked && tagged) chosen['hosts'] = chosen['tag'] = t(TEXT.hostsAndTag);
  if (!picked && !tagged) chosen['hosts'] = chosen['tag'] = t(TEXT.hostsOrTag);
  const read = fromForm(values, RUN_SOURCE, { t, limits, only: REQUEST_ASKED });
  const errors = { ...('errors' in read ? read.errors : {}), ...chosen };
  if ('errors' in read || Object.keys(errors).length > 0) return { errors };
  const { args } = read;
  const hosts: HostSelector = args.hosts ? { kind: 'names', names: args.hosts } : { kind: 'tag', key: args.tag!.key, value: args.tag!.value };
  return { request: requestOf(args.script, hosts, args) };
}

/** The form field that shows a plan problem, among those the form has; undefined = none does. */
function fieldOf(problem: PlanProblem, request: RunRequest, fields: ReadonlySet<string>): string | undefined {
  const named = problem.field === 'hosts' && request.hosts.kind === 'tag' ? 'tag' : problem.field;
  if (fields.has(named)) return named;
  // Only form 1 has a script field: COC's own limits and anything unforeseen are shown there.
  return fields.has('script') ? 'script' : undefined;
}

function selectionText(selector: HostSelector): string {
  if (selector.kind === 'names') return selector.names.join(', ');
  if (selector.kind === 'tag') return `${selector.key}=${selector.value}`;
  if (selector.kind === 'topology') return topologyFlags(selector.topology);
  return selector.text;
}

/**
 * The hosts of a run checked before its parameters are asked (COC is only read), in the form's
 * words. The preview checks it all again.
 */
async function checkHosts(context: CommandContext, request: RunRequest): Promise<void> {
  await planHosts(context, request, {
    unknownHosts: TEXT.unknownHosts,
    noMatch: TEXT.noMatch,
    noRunnable: TEXT.noRunnable,
    selection: shown(selectionText(request.hosts), 80),
  });
}

/** Form 1's values worth carrying: the defaults are left out, so the context stays small. */
function carried(values: RequestValues, limits: BackendLimits): string {
  const initial: Readonly<Record<string, string>> = formDefaults(RUN_SOURCE, { only: REQUEST_ASKED, limits });
  const kept = REQUEST_FIELDS.flatMap((id) => {
    const value = (values[id] ?? '').trim();
    return value && value !== initial[id] ? [[id, value] as const] : [];
  });
  return JSON.stringify(Object.fromEntries(kept));
}

/**
 * One parameter as a field: its name as the label, its description as the hint. A default is
 * filled in, never a sensitive one (a default written into a script is not a secret: always
 * asked); a parameter without a default is needed. Left empty, an optional field keeps the
 * script's default.
 */
function paramField(t: Translate, param: ScriptParam): FormField {
  const id = `${PARAM_FIELD_PREFIX}${param.name}`;
  const description = (param.description ?? '').trim();
  const hint = (...notes: (string | undefined)[]) => {
    const text = [description, ...notes].filter(Boolean).join(' — ');
    return text ? { hint: text } : {};
  };
  if (param.sensitive) return { id, label: param.name, kind: 'text', required: true, secret: true, ...hint(), maxLength: PARAM_MAX };
  const fallback = param.defaultValue ?? '';
  const kind = fallback.includes('\n') ? 'multiline' : 'text';
  if (fallback === '') return { id, label: param.name, kind, required: true, ...hint(t(TEXT.neededHint)), maxLength: PARAM_MAX };
  if (Array.from(fallback).length > LONG_DEFAULT) {
    return { id, label: param.name, kind, required: false, ...hint(t(TEXT.longDefaultHint, { count: Array.from(fallback).length })), maxLength: PARAM_MAX };
  }
  return { id, label: param.name, kind, required: false, initial: fallback, ...hint(), maxLength: PARAM_MAX };
}

function paramsReply(context: CommandContext, detail: Script, request: RunRequest, values: RequestValues): Message {
  const { t, locale } = context;
  const params = [...detail.params].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const script = detail.name || request.script;
  const risk = label(context.backend.vocabulary, 'riskLevel', detail.risk.code || 'HIGH', locale);
  return {
    text: t(TEXT.paramsIntro, { script, risk, hosts: shown(selectionText(request.hosts), 120) }),
    form: {
      id: RUN_FORM_IDS.params,
      title: t(TEXT.paramsTitle),
      submitLabel: t(TEXT.preview),
      fields: params.map((param) => paramField(t, param)),
      context: carried({ ...values, script }, limitsOf(context.backend)),
    },
    private: true,
  };
}

/** The preview, or the problem under its field (or, with no field to show it, a refusal). */
async function preview(context: CommandContext, request: RunRequest, fields: ReadonlySet<string>, detail: Script): Promise<Message> {
  const { t } = context;
  try {
    return await previewRun(context, request, detail);
  } catch (error) {
    if (!(error instanceof PlanProblem)) throw error;
    const field = fieldOf(error, request, fields);
    if (field) return refused(t, { [field]: error.in(t) });
    return { title: t(TEXT.cannotPlan), text: t(TEXT.startAgain, { problem: error.in(t) }), tone: 'danger', private: true };
  }
}

const REQUEST_FIELD_SET: ReadonlySet<string> = new Set(REQUEST_FIELDS);

/** Form 1: what is wrong under its field, else the parameters form, or the preview when there are none. */
async function submitRequest(context: CommandContext, submitted: Readonly<Record<string, string>>): Promise<Message> {
  const { t } = context;
  const values: RequestValues = {};
  for (const id of REQUEST_FIELDS) if (submitted[id] !== undefined) values[id] = submitted[id];
  const parsed = readRequest(t, limitsOf(context.backend), values);
  if ('errors' in parsed) return refused(t, parsed.errors);
  const { request } = parsed;
  if (carried(values, limitsOf(context.backend)).length > CONTEXT_MAX) return refused(t, { hosts: t(TEXT.longList, { script: shown(request.script, 64) }) });
  let detail: Script;
  try {
    detail = await resolveRunnableScript(context, request.script);
  } catch (error) {
    if (error instanceof Refusal) return refused(t, { script: [error.reply.title, error.reply.text].filter(Boolean).join(': ') });
    throw error;
  }
  context.audit.target = detail.name || nativeOf(detail.id);
  // Nothing to ask: straight to the preview.
  if (detail.params.length === 0) return preview(context, request, REQUEST_FIELD_SET, detail);
  try {
    await checkHosts(context, request);
  } catch (error) {
    if (!(error instanceof PlanProblem)) throw error;
    return refused(t, { [fieldOf(error, request, REQUEST_FIELD_SET) ?? 'script']: error.in(t) });
  }
  return paramsReply(context, detail, request, values);
}

const requestFormDefinition: FormDefinition = {
  id: RUN_FORM_IDS.request,
  family: 'run',
  permission: 'operator',
  mutates: true,
  mayOpenForm: true,
  run: async (context, submitted) => submitRequest(context, submitted),
};

function stale(t: Translate): Message {
  return { title: t(TEXT.formStale), text: t(TEXT.formStaleText), tone: 'danger', private: true };
}

/**
 * Form 2's values against the script's parameters as COC has them now, every field's problem
 * at once (a needed one said in the form's words, not the flags'); empty = none.
 */
function paramErrors(context: CommandContext, detail: Script, params: Readonly<Record<string, string>>): Record<string, string> {
  const { t } = context;
  const errors: Record<string, string> = {};
  for (const param of detail.params) {
    const given = Object.hasOwn(params, param.name) ? params[param.name] : undefined;
    if (given !== undefined && given !== '') continue;
    if (param.sensitive) errors[`${PARAM_FIELD_PREFIX}${param.name}`] = t(TEXT.secretNeeded);
    else if (!param.defaultValue) errors[`${PARAM_FIELD_PREFIX}${param.name}`] = t(TEXT.valueNeeded);
  }
  for (const problem of paramProblems(detail.params, params, need(context.backend, 'scripts').paramRules)) errors[problem.field] ??= problem.in(t);
  return errors;
}

/** Form 2: what is wrong under its field, else the preview; a form whose carried values do not check is stale. */
async function submitParams(context: CommandContext, submitted: Readonly<Record<string, string>>, formContext: string | undefined): Promise<Message> {
  const { t } = context;
  let values: RequestValues;
  try {
    values = RequestValues.parse(JSON.parse(formContext ?? ''));
  } catch {
    return stale(t);
  }
  // Carried state is re-checked like anything typed: it came back from a chat platform.
  const parsed = readRequest(t, limitsOf(context.backend), values);
  if ('errors' in parsed) return stale(t);
  const params: Record<string, string> = {};
  for (const [id, value] of Object.entries(submitted)) {
    // Left empty: the script's default (refused below where there is none).
    if (id.startsWith(PARAM_FIELD_PREFIX) && value !== '') params[id.slice(PARAM_FIELD_PREFIX.length)] = value;
  }
  let detail: Script;
  try {
    detail = await resolveRunnableScript(context, parsed.request.script);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const problem = [error.reply.title, error.reply.text].filter(Boolean).join(': ');
    return { title: t(TEXT.cannotPlan), text: t(TEXT.startAgain, { problem }), tone: 'danger', private: true };
  }
  context.audit.target = detail.name || nativeOf(detail.id);
  const errors = paramErrors(context, detail, params);
  if (Object.keys(errors).length > 0) return refused(t, errors);
  const fields = new Set(Object.keys(submitted).filter((id) => id.startsWith(PARAM_FIELD_PREFIX)));
  return preview(context, { ...parsed.request, params }, fields, detail);
}

const paramsFormDefinition: FormDefinition = {
  id: RUN_FORM_IDS.params,
  family: 'run',
  permission: 'operator',
  mutates: true,
  run: async (context, submitted, formContext) => submitParams(context, submitted, formContext),
};

export const RUN_FORMS: readonly FormDefinition[] = [requestFormDefinition, paramsFormDefinition];
