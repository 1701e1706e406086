/**
 * `scripts`, `scripts show`: the tenant's custom scripts (coc-api-notes §1.4, §1.7);
 * `public scripts`, `public script show`: COC's built-in scripts (§2.6).
 *
 * Sensitive parameter defaults are never shown: they read `••••••` and are marked sensitive,
 * and the content preview is left out when a sensitive default appears in the content.
 */
import type { ParsedArgs } from '../src/core/args.js';
import { suggest } from '../src/core/args.js';
import type { CocClient } from '../src/coc/client.js';
import { CocApiError } from '../src/coc/errors.js';
import { RISK_LEVELS, SCRIPT_TYPES, type PublicScriptListItem, type ScriptDetail, type ScriptListItem, type ScriptParam } from '../src/coc/schemas/scripts.js';
import type { CommandContext, CommandDefinition } from '../src/core/command.js';
import { flagValue } from '../src/core/flags.js';
import type { Message, MessageField } from '../src/core/message.js';
import { enumName } from '../src/i18n/coc-enums.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { choice, guarded, MASK, nextPageHint, noWords, oneTarget, refuse, riskBadge, shown, TEXT as COMMON, textFlag, utcTime, wholeNumber } from './coc-common.js';

const TEXT = {
  listTitle: { 'en-US': 'Scripts ({shown} of {total})', 'zh-CN': '脚本（显示 {shown} 个，共 {total} 个）' },
  listTitleNoTotal: { 'en-US': 'Scripts ({shown})', 'zh-CN': '脚本（{shown} 个）' },
  publicListTitle: { 'en-US': 'COC public scripts ({shown} of {total})', 'zh-CN': 'COC 公共脚本（显示 {shown} 个，共 {total} 个）' },
  publicListTitleNoTotal: { 'en-US': 'COC public scripts ({shown})', 'zh-CN': 'COC 公共脚本（{shown} 个）' },
  noMatch: { 'en-US': 'No script matches.', 'zh-CN': '没有匹配的脚本。' },
  noMatchFiltered: { 'en-US': 'No script matches these filters. Try fewer of them.', 'zh-CN': '没有符合这些筛选条件的脚本，请减少筛选条件。' },
  colName: { 'en-US': 'NAME', 'zh-CN': '名称' },
  colRisk: { 'en-US': 'RISK', 'zh-CN': '风险' },
  colType: { 'en-US': 'TYPE', 'zh-CN': '类型' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colUuid: { 'en-US': 'UUID', 'zh-CN': 'UUID' },
  colDescription: { 'en-US': 'DESCRIPTION', 'zh-CN': '描述' },
  colDefault: { 'en-US': 'DEFAULT', 'zh-CN': '默认值' },
  showHint: { 'en-US': 'Details: {command} <name>', 'zh-CN': '查看详情：{command} <名称>' },
  badAfter: {
    'en-US': '--after must be the id of the last script of the previous page (a whole number, as printed after "More:"), got "{value}".',
    'zh-CN': '--after 必须是上一页最后一个脚本的 ID（整数，即“下一页：”后给出的值），收到的是“{value}”。',
  },
  showInstead: { 'en-US': 'Did you mean "{command}"?', 'zh-CN': '您是不是想输入“{command}”？' },
  scriptWhat: { 'en-US': 'script (its name or uuid)', 'zh-CN': '脚本（名称或 UUID）' },
  badRef: { 'en-US': '"{value}" is not a script name or uuid', 'zh-CN': '“{value}”不是脚本名称或 UUID' },
  badRefText: {
    'en-US': 'Script names are 1-64 letters, digits, _ or Chinese characters (for example rotate_db_password); uuids look like SC2025042712313288f27db14.',
    'zh-CN': '脚本名称为 1-64 个字母、数字、下划线或汉字（例如 rotate_db_password）；UUID 形如 SC2025042712313288f27db14。',
  },
  notFound: { 'en-US': 'No script called "{name}"', 'zh-CN': '没有名为“{name}”的脚本' },
  notFoundPublic: { 'en-US': 'No public script called "{name}"', 'zh-CN': '没有名为“{name}”的公共脚本' },
  notFoundUuid: { 'en-US': 'No script has the uuid {uuid}', 'zh-CN': '没有 UUID 为 {uuid} 的脚本' },
  notFoundPublicUuid: { 'en-US': 'No public script has the uuid {uuid}', 'zh-CN': '没有 UUID 为 {uuid} 的公共脚本' },
  didYouMean: { 'en-US': 'Did you mean "{name}"?', 'zh-CN': '您是不是想找“{name}”？' },
  similar: { 'en-US': 'Names containing "{text}": {names}.', 'zh-CN': '名称包含“{text}”的有：{names}。' },
  listThem: { 'en-US': 'List them with "{command}".', 'zh-CN': '可用 “{command}” 列出全部。' },
  publicInstead: {
    'en-US': 'There is a public (built-in) script of that name: "public script show {name}".',
    'zh-CN': '有同名的公共（内置）脚本：“public script show {name}”。',
  },
  customInstead: {
    'en-US': 'There is a custom script of that name: "scripts show {name}".',
    'zh-CN': '有同名的自定义脚本：“scripts show {name}”。',
  },
  detailTitle: { 'en-US': 'Script {name} · {risk}', 'zh-CN': '脚本 {name} · {risk}' },
  publicDetailTitle: { 'en-US': 'Public script {name} · {risk}', 'zh-CN': '公共脚本 {name} · {risk}' },
  risk: { 'en-US': 'Risk', 'zh-CN': '风险等级' },
  highRiskNote: { 'en-US': '{badge}: every run needs a second person\'s approval', 'zh-CN': '{badge}：每次执行都需要另一人审批' },
  type: { 'en-US': 'Type', 'zh-CN': '类型' },
  version: { 'en-US': 'Version', 'zh-CN': '版本' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  reviewers: { 'en-US': 'Reviewers in COC', 'zh-CN': 'COC 审核人' },
  noReviewers: { 'en-US': 'none', 'zh-CN': '无' },
  created: { 'en-US': 'Created', 'zh-CN': '创建' },
  modified: { 'en-US': 'Last modified', 'zh-CN': '最后修改' },
  byWhom: { 'en-US': '{time} by {who}', 'zh-CN': '{time}，{who}' },
  uuid: { 'en-US': 'UUID', 'zh-CN': 'UUID' },
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

/** What COC accepts as a script name (coc-api-notes §1.3, zh reference). */
const SCRIPT_NAME = /^[A-Za-z0-9_\p{Script=Han}]{1,64}$/u;
/** `SC` + creation time (14 digits) + random hex, e.g. SC2023102521413701c4a8a62. */
const SCRIPT_UUID = /^SC\d{14}[0-9A-Za-z]{4,32}$/;
/** How many pages of 100 are read to find a name or suggest one. */
const MAX_LOOKUP_PAGES = 5;
const PREVIEW_LINES = 8;
const PREVIEW_LINE_WIDTH = 100;

const listFlags = [
  { name: 'name', takesValue: true, description: 'part of the script name' },
  { name: 'risk', takesValue: true, description: 'low, medium or high' },
  { name: 'type', takesValue: true, description: 'shell, python or bat' },
  { name: 'limit', takesValue: true, description: 'how many to show, 1-100 (default 20)' },
  { name: 'after', takesValue: true, description: 'the id of the last script of the previous page (printed after "More:")' },
] as const;

interface ListFilters {
  readonly limit: number;
  readonly after: number | undefined;
  readonly name: string | undefined;
  readonly risk: (typeof RISK_LEVELS)[number] | undefined;
  readonly type: (typeof SCRIPT_TYPES)[number] | undefined;
}

function listFilters(t: Translate, args: ParsedArgs, command: string): ListFilters {
  noWords(t, args, command);
  const rawAfter = flagValue(args, 'after');
  if (rawAfter !== undefined && !/^\d{1,15}$/.test(rawAfter.trim())) refuse(t(COMMON.notRight), t(TEXT.badAfter, { value: shown(rawAfter) }));
  return {
    limit: wholeNumber(t, args, 'limit', 1, 100, 20),
    after: rawAfter === undefined ? undefined : Number(rawAfter.trim()),
    name: textFlag(t, args, 'name', 64),
    risk: choice(t, args, 'risk', RISK_LEVELS),
    type: choice(t, args, 'type', SCRIPT_TYPES),
  };
}

function listReply(
  context: CommandContext,
  args: ParsedArgs,
  options: { command: string; showCommand: string; titles: { total: Text; noTotal: Text }; withDescription: boolean },
  page: { total?: number | undefined; items: readonly (ScriptListItem | PublicScriptListItem)[] },
  limit: number,
): Message {
  const { t, locale } = context;
  const { items, total } = page;
  const last = items.at(-1);
  const more = last?.id !== undefined && last.id !== null && items.length === limit && (total === undefined || total > limit);
  const columns = [t(TEXT.colName), t(TEXT.colRisk), t(TEXT.colType), t(TEXT.colStatus), ...(options.withDescription ? [t(TEXT.colDescription)] : []), t(TEXT.colUuid)];
  const reply: Message = {
    title: total === undefined ? t(options.titles.noTotal, { shown: items.length }) : t(options.titles.total, { shown: items.length, total }),
    ...(items.length === 0 ? { text: args.flags.size > 0 ? t(TEXT.noMatchFiltered) : t(TEXT.noMatch) } : {}),
    ...(items.length > 0
      ? {
          table: {
            columns,
            rows: items.map((script) => [
              script.name ?? '',
              riskBadge(script.properties?.risk_level, locale),
              script.type ?? '',
              enumName('scriptStatus', script.status, locale),
              ...(options.withDescription ? [shown(descriptionOf(script), 60)] : []),
              script.script_uuid,
            ]),
          },
        }
      : {}),
  };
  const footer = [more && last?.id != null ? nextPageHint(t, options.command, args, 'after', last.id) : undefined, items.length > 0 ? t(TEXT.showHint, { command: options.showCommand }) : undefined]
    .filter(Boolean)
    .join('\n');
  return footer ? { ...reply, footer } : reply;
}

function descriptionOf(script: ScriptListItem | PublicScriptListItem): string {
  const description: unknown = (script as { description?: unknown }).description;
  return typeof description === 'string' ? description : '';
}

// ---- resolving a name or uuid ----

export type Kind = 'custom' | 'public';

export interface Resolved {
  readonly detail: ScriptDetail;
}

function isNotFound(error: unknown): boolean {
  return error instanceof CocApiError && error.status === 404;
}

async function getDetail(coc: CocClient, kind: Kind, uuid: string): Promise<ScriptDetail | undefined> {
  try {
    return kind === 'custom' ? await coc.getScript(uuid) : await coc.getPublicScript(uuid);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function listPage(coc: CocClient, kind: Kind, query: { limit: number; marker?: number; name_like?: string; name?: string }) {
  const page = kind === 'custom' ? await coc.listScripts(query) : await coc.listPublicScripts(query);
  return page.data;
}

/** Every listed script (at most MAX_LOOKUP_PAGES pages), optionally narrowed by name_like. */
async function listAll(coc: CocClient, kind: Kind, nameLike?: string): Promise<(ScriptListItem | PublicScriptListItem)[]> {
  const all: (ScriptListItem | PublicScriptListItem)[] = [];
  let marker: number | undefined;
  for (let i = 0; i < MAX_LOOKUP_PAGES; i++) {
    const items = await listPage(coc, kind, { limit: 100, ...(marker !== undefined ? { marker } : {}), ...(nameLike ? { name_like: nameLike } : {}) });
    all.push(...items);
    const last = items.at(-1)?.id;
    if (items.length < 100 || last === undefined || last === null) break;
    marker = last;
  }
  return all;
}

async function findByName(coc: CocClient, kind: Kind, name: string): Promise<ScriptListItem | PublicScriptListItem | undefined> {
  // Public scripts have an exact-name filter; custom ones only a fuzzy one.
  const candidates = kind === 'public' ? await listPage(coc, kind, { limit: 100, name }) : await listAll(coc, kind, name);
  return candidates.find((script) => script.name === name) ?? onlyOne(candidates.filter((script) => script.name?.toLowerCase() === name.toLowerCase()));
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

export async function resolveScript(context: CommandContext, kind: Kind, ref: string): Promise<Resolved> {
  const { coc, t } = context;
  const looksLikeUuid = SCRIPT_UUID.test(ref);
  if (!looksLikeUuid && !SCRIPT_NAME.test(ref)) refuse(t(TEXT.badRef, { value: shown(ref) }), t(TEXT.badRefText));
  if (looksLikeUuid) {
    const detail = await getDetail(coc, kind, ref);
    if (detail) return { detail };
  }
  const match = SCRIPT_NAME.test(ref) ? await findByName(coc, kind, ref) : undefined;
  if (match) {
    const detail = await getDetail(coc, kind, match.script_uuid);
    if (detail) return { detail };
  }
  return notFound(context, kind, ref, looksLikeUuid);
}

async function notFound(context: CommandContext, kind: Kind, ref: string, looksLikeUuid: boolean): Promise<never> {
  const { coc, t } = context;
  const listCommand = kind === 'custom' ? 'scripts' : 'public scripts';
  if (looksLikeUuid) {
    refuse(t(kind === 'custom' ? TEXT.notFoundUuid : TEXT.notFoundPublicUuid, { uuid: ref }), t(TEXT.listThem, { command: listCommand }));
  }
  const names = (await listAll(coc, kind)).map((script) => script.name ?? '').filter(Boolean);
  const hint = suggest(ref, names);
  const containing = names.filter((name) => name !== hint && name.toLowerCase().includes(ref.toLowerCase())).slice(0, 5);
  const lines = [hint ? t(TEXT.didYouMean, { name: hint }) : undefined, containing.length ? t(TEXT.similar, { text: ref, names: containing.join(', ') }) : undefined];
  // Asking for a custom script by a public script's name (or the other way round) is an easy slip.
  if (!hint && containing.length === 0) {
    const other: Kind = kind === 'custom' ? 'public' : 'custom';
    const elsewhere = await findByName(coc, other, ref).catch(() => undefined);
    if (elsewhere) lines.push(t(other === 'public' ? TEXT.publicInstead : TEXT.customInstead, { name: elsewhere.name ?? ref }));
  }
  lines.push(t(TEXT.listThem, { command: listCommand }));
  refuse(t(kind === 'custom' ? TEXT.notFound : TEXT.notFoundPublic, { name: shown(ref, 64) }), lines.filter(Boolean).join(' '));
}

// ---- showing one script ----

/** Values that must not appear anywhere in a reply: the defaults of sensitive parameters. */
function sensitiveValues(params: readonly ScriptParam[]): string[] {
  return params.filter((p) => p.sensitive === true && p.param_value).map((p) => p.param_value!);
}

/** Literal values after password=, token: and the like (not `${placeholders}`), in case a script hard-codes one. */
const SECRET_ASSIGNMENT = /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key)["']?\s*[=:]\s*)(["']?)([^\s"'$`{][^\s"'`]*)/gi;

function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  // Longest first, so a value containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join(MASK);
  return result;
}

function contentPreview(t: Translate, content: string | null | undefined, secrets: readonly string[]): { title: string; text: string } | undefined {
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

function detailReply(context: CommandContext, kind: Kind, script: ScriptDetail): Message {
  const { t, locale } = context;
  const params = script.script_params;
  const secrets = sensitiveValues(params);
  const clean = (text: string) => scrub(text, secrets);
  const level = script.properties?.risk_level;
  const badge = riskBadge(level, locale);
  const reviewers = (script.properties?.reviewers ?? []).map((r) => r.reviewer_name ?? r.reviewer_id ?? '').filter(Boolean);
  const version = script.properties?.version ?? script.version;
  const fields: MessageField[] = [
    { label: t(TEXT.risk), value: level === 'HIGH' ? t(TEXT.highRiskNote, { badge }) : badge },
    { label: t(TEXT.type), value: script.type ?? t(COMMON.none) },
    ...(version ? [{ label: t(TEXT.version), value: clean(version) }] : []),
    ...(script.status ? [{ label: t(TEXT.status), value: enumName('scriptStatus', script.status, locale) }] : []),
    ...(kind === 'custom' ? [{ label: t(TEXT.reviewers), value: reviewers.length ? reviewers.join(', ') : t(TEXT.noReviewers) }] : []),
    ...(script.gmt_created
      ? [{ label: t(TEXT.created), value: script.creator ? t(TEXT.byWhom, { time: utcTime(script.gmt_created, t), who: script.creator }) : utcTime(script.gmt_created, t) }]
      : []),
    {
      label: t(TEXT.modified),
      value: script.operator && script.gmt_modified ? t(TEXT.byWhom, { time: utcTime(script.gmt_modified, t), who: script.operator }) : utcTime(script.gmt_modified, t),
    },
    { label: t(TEXT.uuid), value: script.script_uuid },
    ...(params.length === 0 ? [{ label: t(TEXT.parameters), value: t(TEXT.noParameters) }] : []),
  ];
  const preview = contentPreview(t, script.content, secrets);
  const name = script.name ?? script.script_uuid;
  return {
    title: t(kind === 'custom' ? TEXT.detailTitle : TEXT.publicDetailTitle, { name, risk: badge }),
    tone: level === 'HIGH' ? 'warning' : 'info',
    text: clean(script.description || t(TEXT.noDescription)),
    fields,
    ...(params.length > 0
      ? {
          table: {
            columns: [t(TEXT.parameters).toUpperCase(), t(TEXT.colDefault), t(TEXT.colDescription)],
            rows: params.map((param) => [
              param.param_name,
              param.sensitive === true ? t(TEXT.sensitive, { mask: MASK }) : param.param_value ? clean(shown(param.param_value, 60)) : t(TEXT.emptyDefault),
              clean(shown(param.param_description ?? '', 80)),
            ]),
          },
        }
      : {}),
    ...(preview ? { sections: [{ title: preview.title, text: preview.text }] } : {}),
    ...(params.some((param) => param.sensitive === true) ? { footer: t(TEXT.sensitiveFooter) } : {}),
  };
}

async function show(context: CommandContext, args: ParsedArgs, kind: Kind, usage: string): Promise<Message> {
  const { t } = context;
  const ref = oneTarget(t, args, TEXT.scriptWhat, usage);
  const { detail } = await resolveScript(context, kind, ref);
  context.audit.target = `${kind === 'custom' ? 'script' : 'public script'} ${detail.name ? `${detail.name} (${detail.script_uuid})` : detail.script_uuid}`;
  return detailReply(context, kind, detail);
}

// ---- the commands ----

export const scriptsCommand: CommandDefinition = {
  family: 'scripts',
  words: ['scripts'],
  permission: 'viewer',
  mutates: false,
  summary: 'List the custom scripts in COC, with their risk level',
  usage: 'scripts [--name text] [--risk low|medium|high] [--type shell|python|bat] [--limit 1-100] [--after id]',
  examples: ['scripts', 'scripts --risk high', 'scripts --name nginx'],
  flags: listFlags,
  run: guarded(async (context, args) => {
    const filters = listFilters(context.t, args, 'scripts');
    const page = await context.coc.listScripts({
      limit: filters.limit,
      ...(filters.after !== undefined ? { marker: filters.after } : {}),
      ...(filters.name ? { name_like: filters.name } : {}),
      ...(filters.risk ? { risk_level: filters.risk } : {}),
      ...(filters.type ? { type: filters.type } : {}),
    });
    return listReply(
      context,
      args,
      { command: 'scripts', showCommand: 'scripts show', titles: { total: TEXT.listTitle, noTotal: TEXT.listTitleNoTotal }, withDescription: false },
      { total: page.total, items: page.data },
      filters.limit,
    );
  }),
};

const SHOW_USAGE = 'scripts show <name|uuid>';

export const scriptShowCommand: CommandDefinition = {
  family: 'scripts',
  words: ['scripts', 'show'],
  permission: 'viewer',
  mutates: false,
  summary: 'One custom script: description, risk, reviewers, parameters (sensitive defaults masked), first lines',
  usage: SHOW_USAGE,
  examples: ['scripts show rotate_db_password', 'scripts show SC2025042712313288f27db14'],
  flags: [],
  run: guarded((context, args) => show(context, args, 'custom', SHOW_USAGE)),
};

export const publicScriptsCommand: CommandDefinition = {
  family: 'scripts',
  words: ['public', 'scripts'],
  permission: 'viewer',
  mutates: false,
  summary: "List COC's public (built-in) scripts",
  usage: 'public scripts [--name prefix] [--risk low|medium|high] [--type shell|python|bat] [--limit 1-100] [--after id]',
  examples: ['public scripts', 'public scripts --name COC_Check', 'public scripts --risk low'],
  flags: [{ ...listFlags[0], description: 'the start of the script name' }, ...listFlags.slice(1)],
  run: guarded(async (context, args) => {
    const [first, second] = args.positionals;
    if (first === 'show' && second !== undefined) refuse(context.t(COMMON.notRight), context.t(TEXT.showInstead, { command: `public script show ${shown(second, 64)}` }));
    const filters = listFilters(context.t, args, 'public scripts');
    const page = await context.coc.listPublicScripts({
      limit: filters.limit,
      ...(filters.after !== undefined ? { marker: filters.after } : {}),
      ...(filters.name ? { name_like: filters.name } : {}),
      ...(filters.risk ? { risk_level: filters.risk } : {}),
      ...(filters.type ? { type: filters.type } : {}),
    });
    return listReply(
      context,
      args,
      {
        command: 'public scripts',
        showCommand: 'public script show',
        titles: { total: TEXT.publicListTitle, noTotal: TEXT.publicListTitleNoTotal },
        withDescription: true,
      },
      { total: page.total, items: page.data },
      filters.limit,
    );
  }),
};

const PUBLIC_SHOW_USAGE = 'public script show <name|uuid>';

export const publicScriptShowCommand: CommandDefinition = {
  family: 'scripts',
  words: ['public', 'script', 'show'],
  permission: 'viewer',
  mutates: false,
  summary: 'One public (built-in) script: description, risk, parameters, first lines',
  usage: PUBLIC_SHOW_USAGE,
  examples: ['public script show COC_Check_System_Load'],
  flags: [],
  run: guarded((context, args) => show(context, args, 'public', PUBLIC_SHOW_USAGE)),
};

export const SCRIPTS_COMMANDS: readonly CommandDefinition[] = [scriptsCommand, scriptShowCommand, publicScriptsCommand, publicScriptShowCommand];
