/**
 * `run` as a form (Slack modal, Discord modal, the terminal's questions): `run` with nothing
 * after it opens it. The script and the hosts are searched as you type (`scripts`, `hosts`);
 * the rest has the flags' defaults. A submission is checked like the flags (ranges, name=value
 * lines), then planned exactly as `run … --hosts …` is: what is wrong comes back under its
 * field and nothing is planned; otherwise the answer is the same preview with Run / Cancel.
 *
 * Parameter values may be secrets: that field is never pre-filled, and no value is ever echoed
 * in a problem (only the line number and the name).
 */
import type { CommandContext, FormDefinition } from '../src/core/command.js';
import type { Form, Message } from '../src/core/message.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { EXECUTE_LIMITS } from '../src/coc/schemas/orders.js';
import { PlanProblem } from '../src/run/plan.js';
import { guarded, Refusal, shown } from './coc-common.js';
import { previewRun, type RunRequest } from './run.js';
import { resolveScript } from './scripts.js';

export const RUN_FORM_ID = 'run:plan';

const TEXT = {
  title: { 'en-US': 'Run a script', 'zh-CN': '执行脚本' },
  submit: { 'en-US': 'Preview', 'zh-CN': '预览' },
  intro: {
    'en-US': 'Pick the script and the hosts; the preview shows what would run before anything does.',
    'zh-CN': '请选择脚本和主机；执行前会先显示预览。',
  },
  script: { 'en-US': 'Script', 'zh-CN': '脚本' },
  scriptHint: { 'en-US': 'Type part of its name.', 'zh-CN': '输入名称的一部分。' },
  hosts: { 'en-US': 'Hosts', 'zh-CN': '主机' },
  hostsHint: { 'en-US': 'Type part of a name or IP. Hosts whose UniAgent is not online are left out.', 'zh-CN': '输入名称或 IP 的一部分。UniAgent 不在线的主机会被排除。' },
  batchSize: { 'en-US': 'Hosts per batch', 'zh-CN': '每批主机数' },
  rotation: { 'en-US': 'After each batch', 'zh-CN': '每批之后' },
  continue: { 'en-US': 'Continue', 'zh-CN': '继续' },
  pause: { 'en-US': 'Pause', 'zh-CN': '暂停' },
  timeout: { 'en-US': 'Timeout per host (seconds)', 'zh-CN': '每台主机超时（秒）' },
  successRate: { 'en-US': 'Success rate needed (%)', 'zh-CN': '所需成功率（%）' },
  params: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  paramsHint: {
    'en-US': 'One name=value a line. Sensitive values are never shown again.',
    'zh-CN': '每行一个 name=value。敏感值不会再次显示。',
  },
  canary: { 'en-US': 'Canary', 'zh-CN': '金丝雀' },
  canaryYes: { 'en-US': 'Yes: first batch is one host, then pause', 'zh-CN': '是：第一批仅一台主机，然后暂停' },
  canaryNo: { 'en-US': 'No', 'zh-CN': '否' },
  user: { 'en-US': 'Run as (OS user)', 'zh-CN': '执行用户（操作系统）' },
  range: { 'en-US': 'a whole number from {min} to {max}', 'zh-CN': '{min} 到 {max} 之间的整数' },
  required: { 'en-US': 'needed', 'zh-CN': '必填' },
  oneOf: { 'en-US': 'one of: {values}', 'zh-CN': '可选值：{values}' },
  userRule: { 'en-US': 'at most 32 characters, no spaces', 'zh-CN': '最多 32 个字符，不含空格' },
  paramLine: { 'en-US': 'line {line} is not name=value', 'zh-CN': '第 {line} 行不是 name=value 格式' },
  paramTwice: { 'en-US': '"{name}" is given twice', 'zh-CN': '“{name}” 重复' },
  notPlanned: { 'en-US': 'Nothing was planned: please fix the form', 'zh-CN': '未生成计划：请修改表单' },
} satisfies Record<string, Text>;

const DEFAULTS = { batchSize: 10, timeout: 300, successRate: 100, executeUser: 'root' } as const;
/** Flags that PlanProblem names, and the form field showing each. */
const FIELD_OF: Readonly<Record<string, string>> = { hosts: 'hosts', 'batch-size': 'batch-size', timeout: 'timeout', 'success-rate': 'success-rate', user: 'user' };

export function runForm(t: Translate): Form {
  return {
    id: RUN_FORM_ID,
    title: t(TEXT.title),
    submitLabel: t(TEXT.submit),
    fields: [
      { id: 'script', label: t(TEXT.script), kind: 'select', required: true, searchId: 'scripts', hint: t(TEXT.scriptHint) },
      { id: 'hosts', label: t(TEXT.hosts), kind: 'multiselect', required: true, searchId: 'hosts', hint: t(TEXT.hostsHint) },
      { id: 'batch-size', label: t(TEXT.batchSize), kind: 'text', required: false, initial: String(DEFAULTS.batchSize), hint: t(TEXT.range, { min: 1, max: EXECUTE_LIMITS.maxHostsPerBatch }), maxLength: 4 },
      {
        id: 'rotation',
        label: t(TEXT.rotation),
        kind: 'select',
        required: false,
        initial: 'continue',
        options: [
          { label: t(TEXT.continue), value: 'continue' },
          { label: t(TEXT.pause), value: 'pause' },
        ],
      },
      { id: 'timeout', label: t(TEXT.timeout), kind: 'text', required: false, initial: String(DEFAULTS.timeout), hint: t(TEXT.range, { min: EXECUTE_LIMITS.minTimeoutSeconds, max: EXECUTE_LIMITS.maxTimeoutSeconds }), maxLength: 5 },
      { id: 'success-rate', label: t(TEXT.successRate), kind: 'text', required: false, initial: String(DEFAULTS.successRate), hint: t(TEXT.range, { min: 1, max: 100 }), maxLength: 4 },
      { id: 'params', label: t(TEXT.params), kind: 'multiline', required: false, secret: true, hint: t(TEXT.paramsHint), maxLength: 3000 },
      {
        id: 'canary',
        label: t(TEXT.canary),
        kind: 'select',
        required: false,
        initial: 'no',
        options: [
          { label: t(TEXT.canaryNo), value: 'no' },
          { label: t(TEXT.canaryYes), value: 'yes' },
        ],
      },
      { id: 'user', label: t(TEXT.user), kind: 'text', required: false, initial: DEFAULTS.executeUser, maxLength: 32 },
    ],
  };
}

/** What `run` with nothing after it answers. */
export function runFormReply(context: CommandContext): Message {
  return { text: context.t(TEXT.intro), form: runForm(context.t), private: true };
}

function refused(t: Translate, fieldErrors: Record<string, string>): Message {
  return { title: t(TEXT.notPlanned), fieldErrors, tone: 'danger', private: true };
}

/** The submitted values as a RunRequest, or what is wrong with each field. */
function requestFrom(t: Translate, values: Readonly<Record<string, string>>): { request: RunRequest } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const script = (values['script'] ?? '').trim();
  if (!script) errors['script'] = t(TEXT.required);
  const names = (values['hosts'] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) errors['hosts'] = t(TEXT.required);
  const number = (id: string, min: number, max: number, fallback: number): number => {
    const raw = (values[id] ?? '').trim();
    if (raw === '') return fallback;
    const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(value >= min && value <= max)) errors[id] = t(TEXT.range, { min, max });
    return value;
  };
  const batchSize = number('batch-size', 1, EXECUTE_LIMITS.maxHostsPerBatch, DEFAULTS.batchSize);
  const timeout = number('timeout', EXECUTE_LIMITS.minTimeoutSeconds, EXECUTE_LIMITS.maxTimeoutSeconds, DEFAULTS.timeout);
  const successRate = number('success-rate', 1, 100, DEFAULTS.successRate);
  const rotation = values['rotation'] ?? 'continue';
  if (rotation !== 'continue' && rotation !== 'pause') errors['rotation'] = t(TEXT.oneOf, { values: 'continue, pause' });
  const canary = values['canary'] ?? 'no';
  if (canary !== 'yes' && canary !== 'no') errors['canary'] = t(TEXT.oneOf, { values: 'yes, no' });
  const executeUser = (values['user'] ?? '').trim() || DEFAULTS.executeUser;
  if (Array.from(executeUser).length > 32 || /\s/.test(executeUser)) errors['user'] = t(TEXT.userRule);
  const params: Record<string, string> = {};
  (values['params'] ?? '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || errors['params']) return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!name) errors['params'] = t(TEXT.paramLine, { line: index + 1 });
    else if (name in params) errors['params'] = t(TEXT.paramTwice, { name: shown(name, 40) });
    else params[name] = line.slice(eq + 1);
  });
  if (Object.keys(errors).length > 0) return { errors };
  return {
    request: {
      script,
      hosts: { kind: 'names', names },
      batchSize,
      rotation: rotation === 'pause' ? 'PAUSE' : 'CONTINUE',
      timeout,
      successRate,
      executeUser,
      params,
      canary: canary === 'yes',
    },
  };
}

export const runPlanForm: FormDefinition = {
  id: RUN_FORM_ID,
  family: 'run',
  permission: 'operator',
  mutates: true,
  run: guarded(async (context: CommandContext, values: Readonly<Record<string, string>>) => {
    const { t } = context;
    const parsed = requestFrom(t, values);
    if ('errors' in parsed) return refused(t, parsed.errors);
    const { request } = parsed;
    try {
      await resolveScript(context, 'custom', request.script);
    } catch (error) {
      if (error instanceof Refusal) return refused(t, { script: [error.reply.title, error.reply.text].filter(Boolean).join(': ') });
      throw error;
    }
    try {
      return await previewRun(context, request);
    } catch (error) {
      if (!(error instanceof PlanProblem)) throw error;
      const field = error.field.startsWith('param:') ? 'params' : (FIELD_OF[error.field] ?? 'script');
      return refused(t, { [field]: error.in(t) });
    }
  }),
};
