/**
 * `scripts`, `scripts show`: the tenant's custom scripts (coc-api-notes §1.4, §1.7);
 * `public scripts`, `public script show`: COC's built-in scripts (§2.6).
 *
 * Sensitive parameter defaults are never shown: they read `••••••` and are marked sensitive,
 * and the content preview is left out when a sensitive default appears in the content.
 */
import { BackendCapabilityMissingError, label, SCRIPT_ID_WORDS, need, nativeOf, type Page, type Script, type ScriptParam, type ScriptSummary } from '../src/backends/index.js';
import { arg, choicesOf, defineCommand } from '../src/core/arguments/index.js';
import type { ParsedArgs } from '../src/core/args.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message, MessageField } from '../src/core/message.js';
import { phrase } from '../src/i18n/phrase.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { resolveScript, type ScriptKind } from '../src/run/script.js';
import { MASK } from '../src/core/mask.js';
import { nextPageHint, REPLY_TEXT as COMMON, riskBadge } from '../src/core/reply.js';
import { orNone, shown, utcTime } from '../src/i18n/format.js';
import { limitArg } from './list-args.js';
import { SCRIPT_CHANGE_COMMANDS } from './scripts-changes.js';

const TEXT = {
  listTitle: { 'en-US': 'Scripts ({shown} of {total})', 'zh-CN': '脚本（显示 {shown} 个，共 {total} 个）' },
  listTitleNoTotal: { 'en-US': 'Scripts ({shown})', 'zh-CN': '脚本（{shown} 个）' },
  publicListTitle: { 'en-US': '{platform} public scripts ({shown} of {total})', 'zh-CN': '{platform} 公共脚本（显示 {shown} 个，共 {total} 个）' },
  publicListTitleNoTotal: { 'en-US': '{platform} public scripts ({shown})', 'zh-CN': '{platform} 公共脚本（{shown} 个）' },
  noMatch: { 'en-US': 'No script matches.', 'zh-CN': '没有匹配的脚本。' },
  noMatchFiltered: { 'en-US': 'No script matches these filters. Try fewer of them.', 'zh-CN': '没有符合这些筛选条件的脚本，请减少筛选条件。' },
  colName: { 'en-US': 'NAME', 'zh-CN': '名称' },
  colRisk: { 'en-US': 'RISK', 'zh-CN': '风险' },
  colType: { 'en-US': 'TYPE', 'zh-CN': '类型' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colDescription: { 'en-US': 'DESCRIPTION', 'zh-CN': '描述' },
  colDefault: { 'en-US': 'DEFAULT', 'zh-CN': '默认值' },
  showHint: { 'en-US': 'Details: {command} <name>', 'zh-CN': '查看详情：{command} <名称>' },
  afterSays: {
    'en-US': 'give the id of the last script of the previous page (a whole number, as printed after "More:")',
    'zh-CN': '请给出上一页最后一个脚本的 ID（整数，即“下一页：”后给出的值）',
  },
  nameFlag: { 'en-US': 'Part of the script name', 'zh-CN': '脚本名称的一部分' },
  publicNameFlag: { 'en-US': 'Start of the script name', 'zh-CN': '脚本名称的开头' },
  riskFlag: { 'en-US': 'Risk level', 'zh-CN': '风险等级' },
  typeFlag: { 'en-US': 'Script type', 'zh-CN': '脚本类型' },
  afterFlag: { 'en-US': 'Last id of the previous page', 'zh-CN': '上一页最后一个 id' },
  scriptRef: { 'en-US': 'script (its name or uuid)', 'zh-CN': '脚本（名称或 UUID）' },
  showInstead: { 'en-US': 'Did you mean "{command}"?', 'zh-CN': '您是不是想输入“{command}”？' },
  detailTitle: { 'en-US': 'Script {name} · {risk}', 'zh-CN': '脚本 {name} · {risk}' },
  publicDetailTitle: { 'en-US': 'Public script {name} · {risk}', 'zh-CN': '公共脚本 {name} · {risk}' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险等级' },
  highRiskNote: { 'en-US': '{badge}: every run needs a second person\'s approval', 'zh-CN': '{badge}：每次执行都需要另一人审批' },
  unclassifiedNote: {
    'en-US': '{badge}: no risk rule matches it, so it counts as HIGH: every run needs a second person\'s approval',
    'zh-CN': '{badge}：没有匹配的风险规则，因此按高风险处理：每次执行都需要另一人审批',
  },
  type: { 'en-US': 'Type', 'zh-CN': '类型' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  reviewers: { 'en-US': 'Reviewers in {platform}', 'zh-CN': '{platform} 审核人' },
  noReviewers: { 'en-US': 'none', 'zh-CN': '无' },
  created: { 'en-US': 'Created', 'zh-CN': '创建' },
  modified: { 'en-US': 'Last modified', 'zh-CN': '最后修改' },
  byWhom: { 'en-US': '{time} by {who}', 'zh-CN': '{time}，{who}' },
  parameters: { 'en-US': 'Parameters', 'zh-CN': '参数' },
  noParameters: { 'en-US': 'none', 'zh-CN': '无' },
  sensitive: { 'en-US': '{mask} (sensitive)', 'zh-CN': '{mask}（敏感）' },
  emptyDefault: { 'en-US': '(empty)', 'zh-CN': '（空）' },
  noDescription: { 'en-US': '(no description)', 'zh-CN': '（无描述）' },
  content: { 'en-US': 'Content', 'zh-CN': '内容' },
  preview: { 'en-US': 'Content, first {shown} of {total} lines', 'zh-CN': '内容（前 {shown} 行，共 {total} 行）' },
  previewAll: { 'en-US': 'Content ({total} lines)', 'zh-CN': '内容（共 {total} 行）' },
  previewHidden: {
    'en-US': 'Content not shown: it contains the default value of a sensitive parameter.',
    'zh-CN': '不显示内容：其中包含敏感参数的默认值。',
  },
  sensitiveFooter: {
    'en-US': 'Sensitive defaults are never shown; give a value when you run the script.',
    'zh-CN': '敏感参数的默认值从不显示；执行脚本时请自行提供取值。',
  },
} satisfies Record<string, Text>;

const PREVIEW_LINES = 8;
const PREVIEW_LINE_WIDTH = 100;

/** The list filters both lists take; `name` says how the name is matched. */
function listFlags(name: Text) {
  return {
    name: arg.string({ max: 64, description: name, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    // The platform's own risk levels and script types, read from the backend.
    risk: arg.enum({ choices: (limits) => choicesOf(limits.backend?.scripts?.riskCodes ?? []), description: TEXT.riskFlag }),
    type: arg.enum({ choices: (limits) => choicesOf(limits.backend?.scripts?.typeCodes ?? []), description: TEXT.typeFlag }),
    limit: limitArg(20),
    after: arg.string({ max: 15, pattern: { re: /^\d{1,15}$/, says: TEXT.afterSays }, description: TEXT.afterFlag, placeholder: { 'en-US': 'id', 'zh-CN': 'id' } }),
  };
}

interface ListFilters {
  readonly limit: number;
  readonly after: string | undefined;
  readonly name: string | undefined;
  /** The platform's own codes. */
  readonly risk: string | undefined;
  readonly type: string | undefined;
}

/** The list query of the filters: a name is matched as part of it. */
function listQuery(filters: ListFilters) {
  return {
    limit: filters.limit,
    // Ids are whole numbers: `007` is asked for as `7`.
    ...(filters.after !== undefined ? { after: String(Number(filters.after)) } : {}),
    ...(filters.name ? { nameLike: filters.name } : {}),
    ...(filters.risk ? { risk: filters.risk } : {}),
    ...(filters.type ? { type: filters.type } : {}),
  };
}

function listReply(
  context: CommandContext,
  args: ParsedArgs,
  options: { command: string; showCommand: string; titles: { total: Text; noTotal: Text }; withDescription: boolean },
  page: Page<ScriptSummary>,
  limit: number,
): Message {
  const { t, locale } = context;
  const { vocabulary } = context.backend;
  const { items, total, next } = page;
  const more = next !== undefined && (total === undefined || total > limit);
  const columns = [t(TEXT.colName), t(TEXT.colRisk), t(TEXT.colType), t(TEXT.colStatus), ...(options.withDescription ? [t(TEXT.colDescription)] : []), t(SCRIPT_ID_WORDS[context.backend.name])];
  const reply: Message = {
    title: total === undefined ? t(options.titles.noTotal, { shown: items.length }) : t(options.titles.total, { shown: items.length, total }),
    ...(items.length === 0 ? { text: args.flags.size > 0 ? t(TEXT.noMatchFiltered) : t(TEXT.noMatch) } : {}),
    ...(items.length > 0
      ? {
          table: {
            columns,
            rows: items.map((script) => [
              script.name,
              riskBadge(vocabulary, script.risk, locale),
              script.type ?? '',
              label(vocabulary, 'scriptStatus', script.status?.code, locale),
              ...(options.withDescription ? [shown(script.description ?? '', 60)] : []),
              nativeOf(script.id),
            ]),
          },
        }
      : {}),
  };
  const footer = [more ? nextPageHint(t, options.command, args, 'after', next) : undefined, items.length > 0 ? t(TEXT.showHint, { command: options.showCommand }) : undefined]
    .filter(Boolean)
    .join('\n');
  return footer ? { ...reply, footer } : reply;
}

/** Custom or public. */
type Kind = ScriptKind;

// ---- showing one script ----

/** Values that must not appear anywhere in a reply: the defaults of sensitive parameters. */
function sensitiveValues(params: readonly ScriptParam[]): string[] {
  return params.filter((p) => p.sensitive && p.defaultValue).map((p) => p.defaultValue!);
}

/** Literal values after password=, token: and the like (not `${placeholders}`), in case a script hard-codes one. */
const SECRET_ASSIGNMENT = /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key)["']?\s*[=:]\s*)(["']?)([^\s"'$`{][^\s"'`]*)/gi;

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a value containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join(MASK);
  return result;
}

function contentPreview(t: Translate, content: string | undefined, secrets: readonly string[]): { title: string; text: string } | undefined {
  if (!content) return undefined;
  if (secrets.some((secret) => content.includes(secret))) return { title: t(TEXT.content), text: t(TEXT.previewHidden) };
  const lines = content.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const shownLines = lines.slice(0, PREVIEW_LINES).map((line) => {
    const masked = line.replace(SECRET_ASSIGNMENT, (_whole, lead: string, quote: string) => `${lead}${quote}${MASK}`);
    return `  ${shown(masked, PREVIEW_LINE_WIDTH)}`;
  });
  const title = lines.length > PREVIEW_LINES ? t(TEXT.preview, { shown: PREVIEW_LINES, total: lines.length }) : t(TEXT.previewAll, { total: lines.length });
  return { title, text: shownLines.join('\n') };
}

function detailReply(context: CommandContext, kind: Kind, script: Script): Message {
  const { t, locale } = context;
  const { vocabulary } = context.backend;
  const { params } = script;
  const secrets = sensitiveValues(params);
  const clean = (text: string) => scrub(text, secrets);
  const high = script.risk.state === 'high';
  // Runs treat a script no rule classifies as HIGH (src/run/risk-policy.ts): the reader is told so.
  const unclassified = script.risk.state === 'unclassified';
  const badge = riskBadge(vocabulary, script.risk, locale);
  const uuid = nativeOf(script.id);
  const fields: MessageField[] = [
    { label: t(TEXT.risk), value: high ? t(TEXT.highRiskNote, { badge }) : unclassified ? t(TEXT.unclassifiedNote, { badge }) : badge },
    { label: t(TEXT.type), value: script.type ?? t(COMMON.none) },
    ...(script.version ? [{ label: t(TEXT.version), value: clean(script.version) }] : []),
    ...(script.status?.code ? [{ label: t(TEXT.status), value: label(vocabulary, 'scriptStatus', script.status.code, locale) }] : []),
    ...(kind === 'custom' ? [{ label: t(TEXT.reviewers), value: script.reviewers.length ? script.reviewers.join(', ') : t(TEXT.noReviewers) }] : []),
    ...(script.createdAt
      ? [{ label: t(TEXT.created), value: script.owner ? t(TEXT.byWhom, { time: orNone(utcTime(script.createdAt), t), who: script.owner }) : orNone(utcTime(script.createdAt), t) }]
      : []),
    {
      label: t(TEXT.modified),
      value: script.modifiedBy && script.modifiedAt ? t(TEXT.byWhom, { time: orNone(utcTime(script.modifiedAt), t), who: script.modifiedBy }) : orNone(utcTime(script.modifiedAt), t),
    },
    { label: t(SCRIPT_ID_WORDS[context.backend.name]), value: uuid },
    ...(params.length === 0 ? [{ label: t(TEXT.parameters), value: t(TEXT.noParameters) }] : []),
  ];
  const preview = contentPreview(t, script.content, secrets);
  const name = script.name || uuid;
  return {
    title: t(kind === 'custom' ? TEXT.detailTitle : TEXT.publicDetailTitle, { name, risk: badge }),
    tone: high ? 'warning' : 'info',
    text: clean(script.description || t(TEXT.noDescription)),
    fields,
    ...(params.length > 0
      ? {
          table: {
            columns: [t(TEXT.parameters).toUpperCase(), t(TEXT.colDefault), t(TEXT.colDescription)],
            rows: params.map((param) => [
              param.name,
              param.sensitive ? t(TEXT.sensitive, { mask: MASK }) : param.defaultValue ? clean(shown(param.defaultValue, 60)) : t(TEXT.emptyDefault),
              clean(shown(param.description ?? '', 80)),
            ]),
          },
        }
      : {}),
    ...(preview ? { sections: [{ title: preview.title, text: preview.text }] } : {}),
    ...(params.some((param) => param.sensitive) ? { footer: t(TEXT.sensitiveFooter) } : {}),
  };
}

async function show(context: CommandContext, ref: string, kind: Kind): Promise<Message> {
  const script = await resolveScript(context, kind, ref);
  const uuid = nativeOf(script.id);
  context.audit.target = `${kind === 'custom' ? 'script' : 'public script'} ${script.name ? `${script.name} (${uuid})` : uuid}`;
  return detailReply(context, kind, script);
}

/** A name or id as typed: long enough that the handler's own check, which says what one looks like, refuses first. */
const REF_MAX = 1000;

/** The script one names: the tenant's own ones are searched as one types. */
function scriptRef(kind: Kind) {
  return arg.string({ required: true, max: REF_MAX, description: TEXT.scriptRef, placeholder: { 'en-US': 'name|uuid', 'zh-CN': 'name|uuid' }, ...(kind === 'custom' ? { suggest: 'custom-scripts' as const } : {}) });
}

// ---- the commands ----

export const scriptsCommand = defineCommand({
  family: 'scripts',
  words: ['scripts'],
  discord: {
    group: 'scripts',
    name: 'list',
    localName: { 'en-US': 'list', 'zh-CN': '列表' },
    description: { 'en-US': 'List custom scripts with their risk', 'zh-CN': '列出自定义脚本及其风险等级' },
  },
  needs: ['scripts'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'List the custom scripts in {platform}, with their risk level', 'zh-CN': '列出 {platform} 中的自定义脚本及其风险等级' },
  examples: ['scripts', 'scripts --risk high', 'scripts --name nginx'],
  positionals: {},
  flags: listFlags(TEXT.nameFlag),
  async run(context, args, raw) {
    const scripts = need(context.backend, 'scripts');
    const page = await scripts.list(listQuery(args));
    return listReply(
      context,
      raw,
      { command: 'scripts', showCommand: 'scripts show', titles: { total: TEXT.listTitle, noTotal: TEXT.listTitleNoTotal }, withDescription: false },
      page,
      args.limit,
    );
  },
});

export const scriptShowCommand = defineCommand({
  family: 'scripts',
  words: ['scripts', 'show'],
  discord: {
    group: 'scripts',
    name: 'show',
    localName: { 'en-US': 'show', 'zh-CN': '详情' },
    description: { 'en-US': 'One script: risk, reviewers, parameters, first lines', 'zh-CN': '单个脚本：风险、审核人、参数、开头几行' },
  },
  needs: ['scripts'],
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'One custom script: description, risk, reviewers, parameters (sensitive defaults masked), first lines',
    'zh-CN': '单个自定义脚本：描述、风险、审核人、参数（敏感默认值已遮盖）、开头几行',
  },
  examples: ['scripts show rotate_db_password', 'scripts show SC2025042712313288f27db14'],
  examplesOn: { blueking: ['scripts show rotate_password', 'scripts show check_disk'] },
  positionals: { 'name-or-uuid': scriptRef('custom') },
  flags: {},
  run: (context, args) => show(context, args['name-or-uuid'], 'custom'),
});

export const publicScriptsCommand = defineCommand({
  family: 'scripts',
  words: ['public', 'scripts'],
  discord: {
    group: 'public',
    name: 'scripts',
    localName: { 'en-US': 'scripts', 'zh-CN': '脚本' },
    description: { 'en-US': 'List public scripts', 'zh-CN': '列出公共脚本' },
  },
  // Offered only where the backend has public scripts.
  needs: ['scripts', 'scripts.public'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': "List {platform}'s public (built-in) scripts", 'zh-CN': '列出 {platform} 的公共（内置）脚本' },
  examples: ['public scripts', 'public scripts --name COC_Check', 'public scripts --risk low'],
  examplesOn: { blueking: ['public scripts', 'public scripts --name ping', 'public scripts --risk low'] },
  positionals: {},
  flags: listFlags(TEXT.publicNameFlag),
  plainWords: (words) => (words[0] === 'show' && words[1] !== undefined ? { text: phrase(TEXT.showInstead, { command: `public script show ${shown(words[1], 64)}` }) } : undefined),
  async run(context, args, raw) {
    const scripts = need(context.backend, 'scripts');
    if (!scripts.listPublic) throw new BackendCapabilityMissingError(context.backend.name, 'scripts.public');
    const page = await scripts.listPublic(listQuery(args));
    return listReply(
      context,
      raw,
      {
        command: 'public scripts',
        showCommand: 'public script show',
        titles: { total: TEXT.publicListTitle, noTotal: TEXT.publicListTitleNoTotal },
        withDescription: true,
      },
      page,
      args.limit,
    );
  },
});

export const publicScriptShowCommand = defineCommand({
  family: 'scripts',
  words: ['public', 'script', 'show'],
  discord: {
    group: 'public',
    name: 'script-show',
    localName: { 'en-US': 'script-show', 'zh-CN': '脚本详情' },
    description: { 'en-US': 'One public script: risk, parameters, first lines', 'zh-CN': '单个公共脚本：风险、参数、开头几行' },
  },
  needs: ['scripts', 'scripts.public'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One public (built-in) script: description, risk, parameters, first lines', 'zh-CN': '单个公共（内置）脚本：描述、风险、参数、开头几行' },
  examples: ['public script show COC_Check_System_Load'],
  examplesOn: { blueking: ['public script show ping_check'] },
  positionals: { 'name-or-uuid': scriptRef('public') },
  flags: {},
  run: (context, args) => show(context, args['name-or-uuid'], 'public'),
});

export const SCRIPTS_COMMANDS = [scriptsCommand, scriptShowCommand, publicScriptsCommand, publicScriptShowCommand, ...SCRIPT_CHANGE_COMMANDS] as const;
