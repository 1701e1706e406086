/**
 * `scripts create | edit | delete`: changing the tenant's scripts from chat, each a four-eyes
 * request that a second admin approves before anything is written (src/script-changes/).
 *
 * Everything is checked before a request is filed — the product's own rules and the platform's
 * request rules (for COC its zod schemas) — and every problem is said at once, by the flag that
 * was typed; nothing is filed then. The request shows the difference from the script as it is,
 * sensitive defaults masked. `scripts create <name>` with what a new script needs missing opens
 * a form (the terminal asks, Slack and Discord show a modal).
 */
import { nativeOf, need, platformName, type ScriptsCapability } from '../src/backends/index.js';
import { arg, choicesOf, defineCommand, formFields, fromForm, limitsOf, type FileText, type FormSource, type KeyValue } from '../src/core/arguments/index.js';
import type { CommandContext, FormDefinition } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { say, type Phrase } from '../src/i18n/phrase.js';
import type { Text } from '../src/i18n/translate.js';
import { resolveScript } from '../src/run/script.js';
import { changesNothing, scriptDiff } from '../src/script-changes/diff.js';
import { composeCreate, composeEdit, draftOf, platformProblems, type ChangeInput, type Composed } from '../src/script-changes/draft.js';
import { requestScriptChange } from '../src/script-changes/request.js';
import { scriptNamed } from '../src/script-changes/named.js';
import { SCRIPT_CHANGE_TEXT as T } from '../src/script-changes/texts.js';

export const SCRIPT_CREATE_FORM = 'scripts:create';

const TEXT = {
  name: { 'en-US': 'Script name', 'zh-CN': '脚本名称' },
  ref: { 'en-US': 'Script name or uuid', 'zh-CN': '脚本名称或 UUID' },
  type: { 'en-US': 'Type', 'zh-CN': '类型' },
  description: { 'en-US': 'Description', 'zh-CN': '说明' },
  file: { 'en-US': 'Content (a file)', 'zh-CN': '内容（文件）' },
  fileLabel: { 'en-US': 'Content', 'zh-CN': '脚本内容' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  param: { 'en-US': 'Parameter name=default', 'zh-CN': '参数 名称=默认值' },
  paramDescription: { 'en-US': 'Parameter name=description', 'zh-CN': '参数 名称=说明' },
  sensitive: { 'en-US': 'Sensitive parameters a,b', 'zh-CN': '敏感参数 a,b' },
  notSensitive: { 'en-US': 'Not sensitive any more a,b', 'zh-CN': '取消敏感 a,b' },
  removeParam: { 'en-US': 'Remove parameters a,b', 'zh-CN': '删除参数 a,b' },
  reviewer: { 'en-US': 'Reviewer iam-name=iam-id (replaces all)', 'zh-CN': '审核人 名称=ID（整体替换）' },
  noReviewers: { 'en-US': 'No reviewers', 'zh-CN': '不设审核人' },
  formTitle: { 'en-US': 'New script', 'zh-CN': '新建脚本' },
  formSubmit: { 'en-US': 'Request approval', 'zh-CN': '提交审批' },
  formNoParams: {
    'en-US': 'A new script needs {flags}. With parameters or a file on the line the form is not offered (it would have to carry them): give everything on one line.',
    'zh-CN': '新脚本需要 {flags}。命令行中带有参数或文件时不提供表单（表单无法携带它们）：请在一行中全部给出。',
  },
  formStale: { 'en-US': 'This form can no longer be used; start again with "scripts create <name>".', 'zh-CN': '此表单已无法使用；请用 "scripts create <名称>" 重新开始。' },
} satisfies Record<string, Text>;

const STRING_MAX = 5000;
const placeholder = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });

/** Flags shared by create and edit; the platform's rules (lengths, characters) are checked on the draft. */
const COMMON_FLAGS = {
  description: arg.string({ max: STRING_MAX, description: TEXT.description, placeholder: placeholder('text', '文本') }),
  // Bytes, generous for multi-byte text: the platform's own rule then says how long a script may be.
  file: arg.file({ maxBytes: 16 * 1024, description: TEXT.file, label: TEXT.fileLabel, placeholder: placeholder('file', '文件') }),
  risk: arg.enum({ choices: (limits) => choicesOf(limits.backend?.scripts?.riskCodes ?? []), description: TEXT.risk }),
  version: arg.string({ max: 64, description: TEXT.version, placeholder: placeholder('1.0.0', '1.0.0') }),
  param: arg.keyValue({ repeatable: true, secretValue: true, description: TEXT.param, placeholder: placeholder('name=default', '名称=默认值') }),
  'param-description': arg.keyValue({ repeatable: true, valueMax: STRING_MAX, description: TEXT.paramDescription, placeholder: placeholder('name=text', '名称=说明') }),
  sensitive: arg.string({ max: STRING_MAX, description: TEXT.sensitive, placeholder: placeholder('name,name', '名称,名称') }),
  reviewer: arg.keyValue({ repeatable: true, description: TEXT.reviewer, placeholder: placeholder('name=id', '名称=ID') }),
};

const typeFlag = arg.enum({ choices: (limits) => choicesOf(limits.backend?.scripts?.typeCodes ?? []), description: TEXT.type });

function cannot(context: CommandContext, problems: readonly Phrase[]): never {
  refuse(context.t(T.cannotRequest), problems.map((problem) => `• ${say(problem, context.t)}`).join('\n'));
}

/** The backend's script management, or the refusal that says this platform does not offer it. */
function managed(context: CommandContext): ScriptsCapability {
  const scripts = need(context.backend, 'scripts');
  if (!scripts.create || !scripts.update || !scripts.remove) refuse(context.t(T.cannotRequest), context.t(T.notManaged, { platform: context.t(platformName(context.backend.name)) }));
  return scripts;
}

interface TypedChange {
  readonly type?: string | undefined;
  readonly description?: string | undefined;
  readonly file?: FileText | undefined;
  readonly risk?: string | undefined;
  readonly version?: string | undefined;
  readonly param: readonly KeyValue[];
  readonly 'param-description': readonly KeyValue[];
  readonly sensitive?: string | undefined;
  readonly 'not-sensitive'?: string | undefined;
  readonly 'remove-param'?: string | undefined;
  readonly reviewer: readonly KeyValue[];
  readonly 'no-reviewers'?: boolean;
}

/** What was typed; the content is the file's text (read by the surface before the handler ran). */
function inputOf(args: TypedChange): ChangeInput {
  return {
    type: args.type,
    description: args.description,
    content: args.file?.text,
    risk: args.risk,
    version: args.version,
    params: args.param,
    paramDescriptions: args['param-description'],
    sensitive: args.sensitive ? [args.sensitive] : [],
    notSensitive: args['not-sensitive'] ? [args['not-sensitive']] : [],
    removeParams: args['remove-param'] ? [args['remove-param']] : [],
    reviewers: args.reviewer,
    noReviewers: args['no-reviewers'] === true,
  };
}

/** The draft, or every problem at once (the product's rules, then the platform's). */
function checked(context: CommandContext, scripts: ScriptsCapability, composed: Composed, action: 'create' | 'update') {
  if ('problems' in composed) cannot(context, composed.problems);
  const problems = platformProblems(scripts, composed.draft, action);
  if (problems.length > 0) cannot(context, problems);
  return composed;
}

/** The script already called `name`, when the list shows one (the approval checks again before writing). */
async function existingNamed(scripts: ScriptsCapability, name: string) {
  const named = await scriptNamed(scripts, name);
  return typeof named === 'object' ? named : undefined;
}

async function create(context: CommandContext, name: string, args: TypedChange): Promise<Message> {
  const scripts = managed(context);
  const input = inputOf(args);
  const composed = checked(context, scripts, composeCreate(name, input), 'create');
  const taken = await existingNamed(scripts, name);
  if (taken) cannot(context, [{ text: T.nameTaken, vars: { platform: { text: platformName(context.backend.name) }, name, uuid: nativeOf(taken.id) } }]);
  return requestScriptChange(context, { action: 'create', name, draft: composed.draft, paramsChanged: composed.paramsChanged, propertiesChanged: true });
}

/** What a new script needs, by flag. */
const FORM_KEYS = ['type', 'description', 'file', 'risk'] as const;

/** The keys of what a new script needs that the line left out. */
function missingForCreate(args: TypedChange): string[] {
  return FORM_KEYS.filter((key) => args[key] === undefined);
}

/** What the create form asks: what a new script needs, declared once with the command's flags. */
const FORM_SOURCE: FormSource = {
  positionals: {},
  flags: { type: typeFlag, risk: COMMON_FLAGS.risk, description: COMMON_FLAGS.description, file: COMMON_FLAGS.file },
};

/** What the form carries from the line (nothing secret: it is offered only to a line without parameters or a file). */
interface Carried {
  readonly name: string;
  readonly type?: string | undefined;
  readonly risk?: string | undefined;
  readonly description?: string | undefined;
  readonly version?: string | undefined;
  readonly reviewer: readonly KeyValue[];
  readonly 'param-description': readonly KeyValue[];
}

function createForm(context: CommandContext, name: string, args: TypedChange, missing: readonly string[]): Message {
  const { t } = context;
  const fields = formFields(FORM_SOURCE, t, { only: missing, limits: limitsOf(context.backend) }).map((field) => ({ ...field, required: true }));
  const carried: Carried = { name, type: args.type, risk: args.risk, description: args.description, version: args.version, reviewer: args.reviewer, 'param-description': args['param-description'] };
  return { title: t(TEXT.formTitle), form: { id: SCRIPT_CREATE_FORM, title: t(TEXT.formTitle), submitLabel: t(TEXT.formSubmit), context: JSON.stringify({ ...carried, missing }), fields }, private: true };
}

export const scriptCreateCommand = defineCommand({
  family: 'scripts',
  words: ['scripts', 'create'],
  discord: { group: 'scripts', name: 'create', localName: { 'en-US': 'create', 'zh-CN': '创建' }, description: { 'en-US': 'Create a script (another admin approves)', 'zh-CN': '创建脚本（另一管理员批准）' } },
  needs: ['scripts', 'scripts.manage'],
  permission: 'admin',
  mutates: true,
  // The form opens only when what a new script needs is missing from a line without parameters or a file.
  mayOpenForm: (raw) => !raw.flags.has('param') && !raw.flags.has('file') && FORM_KEYS.some((key) => !raw.flags.has(key)),
  summary: {
    'en-US': 'Create a custom script: content from a file, type, description, risk, parameters, reviewers; another admin approves before it is written',
    'zh-CN': '创建自定义脚本：内容来自文件，含类型、说明、风险、参数、审核人；须另一位管理员批准后才写入',
  },
  examples: [
    'scripts create rotate_logs --type shell --risk medium --description "Rotate app logs" --file ./rotate_logs.sh',
    'scripts create set_db_password --type shell --risk high --description "Set the DB password" --file ./set_pw.sh --param db_user=app --param new_password=S3cret --sensitive new_password',
    'scripts create rotate_logs',
  ],
  positionals: { name: arg.string({ required: true, max: 1000, description: TEXT.name, placeholder: placeholder('name', '名称') }) },
  flags: { type: typeFlag, ...COMMON_FLAGS },
  async run(context, args) {
    managed(context);
    const missing = missingForCreate(args);
    if (missing.length > 0) {
      const flags = missing.map((key) => `--${key}`).join(', ');
      if (args.param.length > 0 || args.file !== undefined) cannot(context, [{ text: TEXT.formNoParams, vars: { flags } }]);
      return createForm(context, args.name, args, missing);
    }
    return create(context, args.name, args);
  },
});

export const scriptEditCommand = defineCommand({
  family: 'scripts',
  words: ['scripts', 'edit'],
  discord: { group: 'scripts', name: 'edit', localName: { 'en-US': 'edit', 'zh-CN': '修改' }, description: { 'en-US': 'Change a script (another admin approves)', 'zh-CN': '修改脚本（另一管理员批准）' } },
  needs: ['scripts', 'scripts.manage'],
  permission: 'admin',
  mutates: true,
  summary: {
    'en-US': 'Change a custom script: only what is given changes; the request shows the difference, and another admin approves before it is written',
    'zh-CN': '修改自定义脚本：只修改给出的部分；请求会显示差异，须另一位管理员批准后才写入',
  },
  examples: ['scripts edit clear_tmp_files --file ./clear_tmp_files.sh', 'scripts edit clear_tmp_files --risk high --param older_than_days=14', 'scripts edit clear_tmp_files --remove-param older_than_days'],
  positionals: { 'name-or-uuid': arg.string({ required: true, max: 1000, description: TEXT.ref, placeholder: placeholder('name|uuid', 'name|uuid'), suggest: 'custom-scripts' }) },
  flags: {
    ...COMMON_FLAGS,
    'not-sensitive': arg.string({ max: STRING_MAX, description: TEXT.notSensitive, placeholder: placeholder('name,name', '名称,名称') }),
    'remove-param': arg.string({ max: STRING_MAX, description: TEXT.removeParam, placeholder: placeholder('name,name', '名称,名称') }),
    'no-reviewers': arg.boolean({ description: TEXT.noReviewers }),
  },
  async run(context, args) {
    const scripts = managed(context);
    const script = await resolveScript(context, 'custom', args['name-or-uuid']);
    const input = inputOf(args);
    const composed = checked(context, scripts, composeEdit(script, input), 'update');
    const current = draftOf(script);
    if (changesNothing(scriptDiff(current, composed.draft))) cannot(context, [{ text: T.unchanged }]);
    return requestScriptChange(context, { action: 'edit', name: script.name, current: script, currentDraft: current, draft: composed.draft, paramsChanged: composed.paramsChanged, propertiesChanged: composed.propertiesChanged });
  },
});

export const scriptDeleteCommand = defineCommand({
  family: 'scripts',
  words: ['scripts', 'delete'],
  discord: { group: 'scripts', name: 'delete', localName: { 'en-US': 'delete', 'zh-CN': '删除' }, description: { 'en-US': 'Delete a script (another admin approves)', 'zh-CN': '删除脚本（另一管理员批准）' } },
  needs: ['scripts', 'scripts.manage'],
  permission: 'admin',
  mutates: true,
  summary: { 'en-US': 'Delete a custom script; another admin approves before it is deleted', 'zh-CN': '删除自定义脚本；须另一位管理员批准后才删除' },
  examples: ['scripts delete clear_tmp_files'],
  positionals: { 'name-or-uuid': arg.string({ required: true, max: 1000, description: TEXT.ref, placeholder: placeholder('name|uuid', 'name|uuid'), suggest: 'custom-scripts' }) },
  flags: {},
  async run(context, args) {
    managed(context);
    const script = await resolveScript(context, 'custom', args['name-or-uuid']);
    return requestScriptChange(context, { action: 'delete', name: script.name, current: script, currentDraft: draftOf(script), paramsChanged: false, propertiesChanged: false });
  },
});

const keyValues = (value: unknown): KeyValue[] =>
  Array.isArray(value) ? (value as { key?: unknown; value?: unknown }[]).filter((kv) => typeof kv?.key === 'string' && typeof kv?.value === 'string').map((kv) => ({ key: kv.key as string, value: kv.value as string })) : [];
const textOr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The create form, submitted: its fields read by the same declarations as the line, then filed the same way. */
export const SCRIPT_CHANGE_FORMS: readonly FormDefinition[] = [
  {
    id: SCRIPT_CREATE_FORM,
    family: 'scripts',
    permission: 'admin',
    mutates: true,
    run: async (context, values, formContext) => {
      const { t } = context;
      let carried: Record<string, unknown>;
      try {
        carried = JSON.parse(formContext ?? '') as Record<string, unknown>;
      } catch {
        refuse(t(T.cannotRequest), t(TEXT.formStale));
      }
      const name = textOr(carried['name']);
      const missing = Array.isArray(carried['missing']) ? (carried['missing'] as unknown[]).filter((key): key is string => typeof key === 'string') : [];
      if (name === undefined || missing.length === 0) refuse(t(T.cannotRequest), t(TEXT.formStale));
      const read = fromForm(values, FORM_SOURCE, { t, limits: limitsOf(context.backend), only: missing });
      if ('errors' in read) return { title: t(TEXT.formTitle), fieldErrors: read.errors, tone: 'danger', private: true };
      const filled = read.args as { type?: string; risk?: string; description?: string; file?: FileText };
      const args: TypedChange = {
        type: filled.type ?? textOr(carried['type']),
        risk: filled.risk ?? textOr(carried['risk']),
        description: filled.description ?? textOr(carried['description']),
        version: textOr(carried['version']),
        file: filled.file,
        param: [],
        'param-description': keyValues(carried['param-description']),
        reviewer: keyValues(carried['reviewer']),
      };
      return create(context, name, args);
    },
  },
];

export const SCRIPT_CHANGE_COMMANDS = [scriptCreateCommand, scriptEditCommand, scriptDeleteCommand] as const;
