/**
 * Type-ahead for the run form (Slack external selects, Discord autocomplete): every script `run`
 * takes by name (`scripts`: the tenant's own, then the platform's public ones under a name no
 * custom script has, as `run` resolves them), the tenant's own only (`custom-scripts`, for
 * `scripts show|edit|delete`), and hosts by name, or by IP when the text looks like one (`hosts`).
 * The platform filters (part of a name, an IP), so a tenant of any size is searchable. Asked
 * once per keystroke, so each answer is kept a few seconds per credential and text (what the
 * platform shows depends on the credential only), and the same question asked again while the
 * first is still running shares it.
 *
 * A host whose UniAgent is not online may be picked; its label says it cannot run a script,
 * and the preview shows it left out.
 *
 * Every host option names exactly one host, as names repeat: its value is the host's name only
 * when no other host has that name (the name search matches by "contains", so a complete
 * answer holds every host of that name), else its id (COC: the resource id), which
 * `run --hosts`, the run form and `alarm --resource` all take. Where names repeat, the labels
 * add the short id next to the region, so the two db-01s can be told apart. A host the platform
 * cannot target (COC: no resource id or region) is not offered.
 */
import { LRUCache } from 'lru-cache';
import { baseOf, label, need, nativeOf, type AgentState, type Backend, type HostQuery } from '../src/backends/index.js';
import type { CommandContext, SuggestionAnswer, SuggestionDefinition } from '../src/core/command.js';
import type { SelectOption } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { ID_PREFIX, shortIds } from '../src/run/host-ids.js';

const TEXT = {
  publicScript: { 'en-US': 'public', 'zh-CN': '公共' },
  noAgent: { 'en-US': 'no UniAgent', 'zh-CN': '无 UniAgent' },
  cannotRun: { 'en-US': 'cannot run scripts now', 'zh-CN': '当前无法执行脚本' },
  notTargetable: { 'en-US': '{platform} gives no id or region to target it by', 'zh-CN': '{platform} 未提供可用于指定它的 ID 或区域' },
} satisfies Record<string, Text>;

/** Slack shows at most 100 options; Discord's autocomplete cuts to 25 itself. */
const MAX_OPTIONS = 100;
const SCRIPT_PAGE = 100;
const HOST_PAGE = 50;
/** Long enough to absorb a burst of keystrokes, short enough that a new host or script shows up soon. */
const TTL_MS = 5_000;
/** The longest filter text the platform takes (COC: 64). */
const MAX_QUERY = 64;
/** A fragment of an IPv4 address: searched by IP, not by name. */
const IP_FRAGMENT = /^\d{1,3}(\.\d{0,3}){1,3}$/;

/** What the labels are made of, without the reader's language: one cache serves every locale. */
interface ScriptHit {
  readonly name: string;
  /** The platform's own risk code. */
  readonly risk: string | undefined;
  /** One of the platform's built-in scripts. */
  readonly publicScript?: boolean;
}
interface HostHit {
  readonly name: string;
  /** The platform's own id of the host (COC: the resource id), as `run --hosts` takes it. */
  readonly id: string;
  readonly agent: { readonly state: AgentState; readonly code: string };
  readonly region: string | undefined;
}

/** The platform's answer to one text: the hosts, and whether it holds every host whose name contains the text. */
interface HostAnswer {
  readonly hits: readonly HostHit[];
  readonly completeByName: boolean;
  /** Whether the platform's page held every host matching the text (by name or IP). */
  readonly complete: boolean;
  /** Names of hosts found that cannot be targeted (not offered). */
  readonly untargetable: readonly string[];
}

/**
 * Answers per backend, then per text. A backend is one credential (the bot's, shared by everyone
 * without their own, or one person's), so this is "per credential" exactly, and a second bot in
 * the same process (another endpoint) never sees these answers.
 */
class AnswersPerCredential<T extends object> {
  readonly #byBackend = new WeakMap<Backend, LRUCache<string, Promise<T>>>();

  /** One read per credential and text while it is fresh; a failed read is not kept. */
  get(context: CommandContext, query: string, read: (backend: Backend) => Promise<T>): Promise<T> {
    const backend = context.backend;
    // Kept per credential: the backend this invocation's was scoped from.
    const credential = baseOf(backend);
    let cache = this.#byBackend.get(credential);
    if (!cache) {
      cache = new LRUCache({ max: 500, ttl: TTL_MS });
      this.#byBackend.set(credential, cache);
    }
    const known = cache.get(query);
    if (known) return known;
    const answer = read(backend);
    cache.set(query, answer);
    answer.catch(() => {
      if (cache.get(query) === answer) cache.delete(query);
    });
    return answer;
  }
}

const scriptAnswers = new AnswersPerCredential<ScriptAnswer>();
const hostAnswers = new AnswersPerCredential<HostAnswer>();

/** Those starting with the text first (the platform matches anywhere in the name), then the rest, order kept. */
function prefixFirst<T>(items: readonly T[], query: string, nameOf: (item: T) => string): T[] {
  const wanted = query.toLowerCase();
  const starts = items.filter((item) => nameOf(item).toLowerCase().startsWith(wanted));
  return [...starts, ...items.filter((item) => !nameOf(item).toLowerCase().startsWith(wanted))];
}

function queryOf(raw: string): string {
  return Array.from(raw.trim()).slice(0, MAX_QUERY).join('');
}

async function customScripts(backend: Backend, query: string): Promise<ScriptAnswer> {
  const { items } = await need(backend, 'scripts').list({ limit: SCRIPT_PAGE, ...(query ? { nameLike: query } : {}) });
  const hits = items.flatMap((script): ScriptHit[] => (script.name ? [{ name: script.name, risk: script.risk.code || undefined }] : []));
  return { hits, complete: items.length < SCRIPT_PAGE };
}

/** Public scripts under names no custom script of `custom` has (`run` takes the custom one first). */
async function publicScripts(backend: Backend, query: string, custom: readonly ScriptHit[]): Promise<ScriptAnswer> {
  const scripts = need(backend, 'scripts');
  if (!scripts.publicScripts || !scripts.listPublic) return { hits: [], complete: true };
  const taken = new Set(custom.map((hit) => hit.name));
  const { items } = await scripts.listPublic({ limit: SCRIPT_PAGE, ...(query ? { nameLike: query } : {}) });
  const hits = items.flatMap((script): ScriptHit[] => (script.name && !taken.has(script.name) ? [{ name: script.name, risk: script.risk.code || undefined, publicScript: true }] : []));
  return { hits, complete: items.length < SCRIPT_PAGE };
}

/** A page of scripts may leave out more that match: `complete` only when no page was full. */
interface ScriptAnswer {
  readonly hits: readonly ScriptHit[];
  readonly complete: boolean;
}

function scriptOptions(context: CommandContext, answer: ScriptAnswer, query: string): SuggestionAnswer {
  const { vocabulary } = context.backend;
  const options = prefixFirst(answer.hits, query, (hit) => hit.name)
    .slice(0, MAX_OPTIONS)
    .map((hit): SelectOption => ({
      label: [hit.name, hit.risk && label(vocabulary, 'riskLevel', hit.risk, context.locale), hit.publicScript && context.t(TEXT.publicScript)].filter(Boolean).join(' · '),
      value: hit.name,
    }));
  return { options, complete: answer.complete && options.length === answer.hits.length };
}

const customScriptAnswers = new AnswersPerCredential<ScriptAnswer>();

export const scriptSuggestions: SuggestionDefinition = {
  id: 'scripts',
  family: 'run',
  permission: 'viewer',
  async search(context, raw) {
    const query = queryOf(raw);
    const answer = await scriptAnswers.get(context, query, async (backend): Promise<ScriptAnswer> => {
      const custom = await customScripts(backend, query);
      // Custom ones first, as run resolves them; public ones fill what is left.
      const publics = await publicScripts(backend, query, custom.hits);
      return { hits: [...custom.hits, ...publics.hits], complete: custom.complete && publics.complete };
    });
    return scriptOptions(context, answer, query);
  },
};

export const customScriptSuggestions: SuggestionDefinition = {
  id: 'custom-scripts',
  family: 'scripts',
  permission: 'viewer',
  async search(context, raw) {
    const query = queryOf(raw);
    return scriptOptions(context, await customScriptAnswers.get(context, query, (backend) => customScripts(backend, query)), query);
  },
};

export const hostSuggestions: SuggestionDefinition = {
  id: 'hosts',
  family: 'run',
  permission: 'viewer',
  async search(context, raw) {
    const query = queryOf(raw);
    const byIp = IP_FRAGMENT.test(query);
    const { hits, completeByName, complete, untargetable } = await hostAnswers.get(context, query, async (backend): Promise<HostAnswer> => {
      const filter: HostQuery = !query ? {} : byIp ? { ip: query } : { name: query };
      const { items: hosts } = await need(backend, 'hosts').list({ ...filter, limit: HOST_PAGE });
      const found = hosts.flatMap((host): HostHit[] => {
        const id = nativeOf(host.id);
        return host.runnable ? [{ name: host.name || id, id, agent: host.agent, region: host.region || undefined }] : [];
      });
      const untargetable = hosts.flatMap((host) => (!host.runnable && host.name ? [host.name] : []));
      const complete = hosts.length < HOST_PAGE;
      return { hits: found, completeByName: !byIp && query !== '' && complete, complete, untargetable };
    });
    const { t, locale } = context;
    const { vocabulary } = context.backend;
    const sameName = new Map<string, number>();
    for (const hit of hits) sameName.set(hit.name.toLowerCase(), (sameName.get(hit.name.toLowerCase()) ?? 0) + 1);
    const repeated = (hit: HostHit) => (sameName.get(hit.name.toLowerCase()) ?? 0) > 1;
    const short = shortIds(hits.map((hit) => hit.id));
    const ordered = byIp ? hits : prefixFirst(hits, query, (hit) => hit.name);
    const options = ordered.slice(0, MAX_OPTIONS).map((hit): SelectOption => {
      const state = hit.agent.code ? label(vocabulary, 'agentState', hit.agent.code, locale) : t(TEXT.noAgent);
      const note = hit.agent.state === 'online' ? state : `${state}, ${t(TEXT.cannotRun)}`;
      const id = repeated(hit) ? `${ID_PREFIX}${short.get(hit.id) ?? hit.id}` : undefined;
      // The name is a host's value only when it is certainly the only host of that name.
      const value = completeByName && !repeated(hit) ? hit.name : hit.id;
      return { label: [hit.name, note, hit.region, id].filter(Boolean).join(' · '), value };
    });
    const exactly = query.toLowerCase();
    const withheld = untargetable
      .filter((name) => name.toLowerCase() === exactly)
      .map((name) => ({ name, why: t(TEXT.notTargetable) }));
    return { options, complete: complete && options.length === ordered.length, ...(withheld.length ? { withheld } : {}) };
  },
};
