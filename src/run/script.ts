/**
 * The script a person names, by name or by the platform's id: `run` and `scripts show` take
 * either. A name is looked up in the script list (a few pages); when nothing fits, the refusal
 * suggests close names, names containing the text, or the same name among the other kind
 * (custom or public), which is an easy slip.
 *
 * `run` takes either kind (`resolveRunnableScript`): the tenant's own script of that name first,
 * else the platform's public one; the id the plan keeps says which kind it is, so every later read
 * of the script (the pin re-checked before sending, `scriptById`) reads the same kind.
 */
import { BackendCapabilityMissingError, isIdOf, need, type Backend, type IdKind, type Script, type ScriptId, type ScriptQuery, type ScriptSummary, type ScriptsCapability } from '../backends/index.js';
import { suggest } from '../core/args.js';
import { shown } from '../core/arguments/schema.js';
import { refuse } from '../core/refusal.js';
import type { Text, Translate } from '../i18n/translate.js';

/** A tenant's own scripts, or the platform's built-in (public) ones. */
export type ScriptKind = 'custom' | 'public';

/** What resolving needs of a command's context: the person's backend and their language. */
export interface ScriptLookup {
  readonly backend: Backend;
  readonly t: Translate;
}

export const SCRIPT_LOOKUP_TEXT = {
  badRef: { 'en-US': '"{value}" is not a script name or uuid', 'zh-CN': '“{value}”不是脚本名称或 UUID' },
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
  listBoth: { 'en-US': 'List them with "scripts" or "public scripts".', 'zh-CN': '可用 “scripts” 或 “public scripts” 列出全部。' },
  customInstead: {
    'en-US': 'There is a custom script of that name: "scripts show {name}".',
    'zh-CN': '有同名的自定义脚本：“scripts show {name}”。',
  },
} satisfies Record<string, Text>;
const TEXT = SCRIPT_LOOKUP_TEXT;

/** How many pages are read to find a name or suggest one, and how big they are. */
const MAX_LOOKUP_PAGES = 5;
const LOOKUP_PAGE = 100;

/** The list and get of one kind; undefined when the backend has no public scripts. */
interface Source {
  readonly idKind: IdKind & ('script' | 'public-script');
  list(query: ScriptQuery): Promise<{ readonly items: readonly ScriptSummary[]; readonly next?: string }>;
  get(id: ScriptId): Promise<Script | undefined>;
}

function sourceOf(scripts: ScriptsCapability, kind: ScriptKind): Source | undefined {
  if (kind === 'custom') return { idKind: 'script', list: (query) => scripts.list(query), get: (id) => scripts.get(id) };
  const { listPublic, getPublic } = scripts;
  if (!scripts.publicScripts || !listPublic || !getPublic) return undefined;
  return { idKind: 'public-script', list: (query) => listPublic.call(scripts, query), get: (id) => getPublic.call(scripts, id) };
}

/** Every listed script (at most MAX_LOOKUP_PAGES pages), optionally narrowed by name. */
async function listAll(source: Source, name?: string): Promise<ScriptSummary[]> {
  const all: ScriptSummary[] = [];
  let after: string | undefined;
  for (let i = 0; i < MAX_LOOKUP_PAGES; i++) {
    const page = await source.list({ limit: LOOKUP_PAGE, ...(after !== undefined ? { after } : {}), ...(name ? { name } : {}) });
    all.push(...page.items);
    if (page.items.length < LOOKUP_PAGE || page.next === undefined) break;
    after = page.next;
  }
  return all;
}

/** The script of exactly that name, else the only one of that name in another case. */
async function findByName(source: Source, name: string): Promise<ScriptSummary | undefined> {
  const candidates = await listAll(source, name);
  return candidates.find((script) => script.name === name) ?? onlyOne(candidates.filter((script) => script.name.toLowerCase() === name.toLowerCase()));
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** The script `ref` names (a name or the platform's id), or a refusal that says what there is instead. */
export async function resolveScript(context: ScriptLookup, kind: ScriptKind, ref: string): Promise<Script> {
  const { t, backend } = context;
  const scripts = need(backend, 'scripts');
  const source = sourceOf(scripts, kind);
  // Public scripts are asked for only where the command set offers them.
  if (!source) throw new BackendCapabilityMissingError(backend.name, 'scripts.public');
  const looksLikeId = scripts.refs.id.test(ref);
  const looksLikeName = scripts.refs.name.test(ref);
  if (!looksLikeId && !looksLikeName) refuse(t(TEXT.badRef, { value: shown(ref) }), t(scripts.refs.says));
  const id = looksLikeId ? backend.parseId(source.idKind, ref) : undefined;
  if (id !== undefined) {
    const script = await source.get(id);
    if (script) return script;
  }
  const match = looksLikeName ? await findByName(source, ref) : undefined;
  if (match) {
    const script = await source.get(match.id);
    if (script) return script;
  }
  return notFound(context, scripts, kind, source, ref, looksLikeId);
}

async function notFound(context: ScriptLookup, scripts: ScriptsCapability, kind: ScriptKind, source: Source, ref: string, looksLikeId: boolean): Promise<never> {
  const { t } = context;
  const listCommand = kind === 'custom' ? 'scripts' : 'public scripts';
  if (looksLikeId) {
    refuse(t(kind === 'custom' ? TEXT.notFoundUuid : TEXT.notFoundPublicUuid, { uuid: ref }), t(TEXT.listThem, { command: listCommand }));
  }
  const names = (await listAll(source)).map((script) => script.name).filter(Boolean);
  const hint = suggest(ref, names);
  const containing = names.filter((name) => name !== hint && name.toLowerCase().includes(ref.toLowerCase())).slice(0, 5);
  const lines = [hint ? t(TEXT.didYouMean, { name: hint }) : undefined, containing.length ? t(TEXT.similar, { text: ref, names: containing.join(', ') }) : undefined];
  // Asking for a custom script by a public script's name (or the other way round) is an easy slip.
  const other: ScriptKind = kind === 'custom' ? 'public' : 'custom';
  const otherSource = sourceOf(scripts, other);
  if (!hint && containing.length === 0 && otherSource) {
    const elsewhere = await findByName(otherSource, ref).catch(() => undefined);
    if (elsewhere) lines.push(t(other === 'public' ? TEXT.publicInstead : TEXT.customInstead, { name: elsewhere.name || ref }));
  }
  lines.push(t(TEXT.listThem, { command: listCommand }));
  refuse(t(kind === 'custom' ? TEXT.notFound : TEXT.notFoundPublic, { name: shown(ref, 64) }), lines.filter(Boolean).join(' '));
}

/** Whether `id` names one of the platform's public (built-in) scripts rather than a custom one. */
export function isPublicScriptId(id: ScriptId): boolean {
  return isIdOf(id, 'public-script');
}

/**
 * The script an id names, read from the API of its own kind (custom or public); undefined when the
 * platform no longer has it. What a plan pinned is re-read through here before anything is sent.
 */
export async function scriptById(backend: Backend, id: ScriptId): Promise<Script | undefined> {
  const scripts = need(backend, 'scripts');
  if (!isPublicScriptId(id)) return scripts.get(id);
  const source = sourceOf(scripts, 'public');
  // A plan of a public script on a backend that has none: the script is gone as far as it can tell.
  return source ? source.get(id) : undefined;
}

/**
 * The script `run` means by `ref`: a custom script of that name or id, else a public one (a
 * tenant's own script shadows a built-in of the same name, as in the platform's console). The
 * refusal looks at both kinds for close names and points at the list where they are.
 */
export async function resolveRunnableScript(context: ScriptLookup, ref: string): Promise<Script> {
  const { t, backend } = context;
  const scripts = need(backend, 'scripts');
  const sources = (['custom', 'public'] as const).flatMap((kind) => {
    const source = sourceOf(scripts, kind);
    return source ? [{ kind, source }] : [];
  });
  const looksLikeId = scripts.refs.id.test(ref);
  const looksLikeName = scripts.refs.name.test(ref);
  if (!looksLikeId && !looksLikeName) refuse(t(TEXT.badRef, { value: shown(ref) }), t(scripts.refs.says));
  for (const { source } of sources) {
    const id = looksLikeId ? backend.parseId(source.idKind, ref) : undefined;
    if (id === undefined) continue;
    const script = await source.get(id);
    if (script) return script;
  }
  if (looksLikeName) {
    for (const { source } of sources) {
      const match = await findByName(source, ref);
      const script = match ? await source.get(match.id) : undefined;
      if (script) return script;
    }
  }
  return notFoundAnywhere(context, sources, ref, looksLikeId);
}

async function notFoundAnywhere(context: ScriptLookup, sources: readonly { kind: ScriptKind; source: Source }[], ref: string, looksLikeId: boolean): Promise<never> {
  const { t } = context;
  const hasPublic = sources.some((entry) => entry.kind === 'public');
  if (looksLikeId) refuse(t(TEXT.notFoundUuid, { uuid: ref }), t(hasPublic ? TEXT.listBoth : TEXT.listThem, { command: 'scripts' }));
  const named: { kind: ScriptKind; name: string }[] = [];
  for (const { kind, source } of sources) for (const script of await listAll(source)) if (script.name) named.push({ kind, name: script.name });
  const names = named.map((entry) => entry.name);
  const hint = suggest(ref, names);
  const containing = [...new Set(names.filter((name) => name !== hint && name.toLowerCase().includes(ref.toLowerCase())))].slice(0, 5);
  // Where the names offered are: the list to look at is that one (public scripts have their own).
  const offered = new Set(named.filter((entry) => entry.name === hint || containing.includes(entry.name)).map((entry) => entry.kind));
  const list = offered.size === 1 || !hasPublic ? TEXT.listThem : TEXT.listBoth;
  const command = offered.size === 1 && offered.has('public') ? 'public scripts' : 'scripts';
  const lines = [
    hint ? t(TEXT.didYouMean, { name: hint }) : undefined,
    containing.length ? t(TEXT.similar, { text: ref, names: containing.join(', ') }) : undefined,
    t(list, { command }),
  ];
  refuse(t(TEXT.notFound, { name: shown(ref, 64) }), lines.filter(Boolean).join(' '));
}
