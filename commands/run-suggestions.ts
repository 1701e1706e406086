/**
 * Type-ahead for the run form (Slack external selects, Discord autocomplete): custom scripts
 * by name (`scripts`) and hosts by name or IP (`hosts`). Read-only and asked once per
 * keystroke, so each IAM user's list is read from COC at most once per 15 seconds and
 * filtered here. A host shows its UniAgent state: one that is not online can be picked, and the
 * preview then shows it left out.
 */
import { LRUCache } from 'lru-cache';
import type { Resource } from '../src/coc/schemas/resources.js';
import type { ScriptListItem } from '../src/coc/schemas/scripts.js';
import type { CommandContext, SuggestionDefinition } from '../src/core/command.js';
import type { SelectOption } from '../src/core/message.js';
import { enumName } from '../src/i18n/coc-enums.js';

/** What one answer offers (Discord's autocomplete takes 25). */
const SHOWN = 25;
const PAGE = 100;
/** Pages read for one list: enough for a large tenant, bounded for a keystroke. */
const MAX_PAGES = 5;

const scriptLists = new LRUCache<string, readonly ScriptListItem[]>({ max: 500, ttl: 15_000 });
const hostLists = new LRUCache<string, readonly Resource[]>({ max: 500, ttl: 15_000 });

/** Prefix matches first, then the rest that contain the text; case does not matter. */
function ranked<T>(items: readonly T[], query: string, keys: (item: T) => readonly (string | undefined | null)[]): T[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return [...items];
  const starts: T[] = [];
  const contains: T[] = [];
  for (const item of items) {
    const values = keys(item).map((value) => (value ?? '').toLowerCase());
    if (values.some((value) => value.startsWith(wanted))) starts.push(item);
    else if (values.some((value) => value.includes(wanted))) contains.push(item);
  }
  return [...starts, ...contains];
}

async function scripts(context: CommandContext): Promise<readonly ScriptListItem[]> {
  const key = context.identity.iamUserName;
  const cached = scriptLists.get(key);
  if (cached) return cached;
  const all: ScriptListItem[] = [];
  let marker: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data } = await context.coc.listScripts({ limit: PAGE, ...(marker !== undefined ? { marker } : {}) });
    all.push(...data);
    const last = data.at(-1)?.id;
    if (data.length < PAGE || last === undefined || last === null) break;
    marker = last;
  }
  scriptLists.set(key, all);
  return all;
}

async function hosts(context: CommandContext): Promise<readonly Resource[]> {
  const key = context.identity.iamUserName;
  const cached = hostLists.get(key);
  if (cached) return cached;
  const all: Resource[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data = await context.coc.listResources({ provider: 'ecs', type: 'cloudservers', limit: PAGE, ...(marker ? { marker } : {}) });
    all.push(...data);
    const last = data.at(-1);
    if (data.length < PAGE || !last) break;
    marker = last.id;
  }
  hostLists.set(key, all);
  return all;
}

export const scriptSuggestions: SuggestionDefinition = {
  id: 'scripts',
  family: 'scripts',
  permission: 'viewer',
  async search(context, query) {
    const options: SelectOption[] = [];
    for (const script of ranked(await scripts(context), query, (s) => [s.name])) {
      if (!script.name) continue;
      const risk = script.properties?.risk_level ? enumName('riskLevel', script.properties.risk_level, context.locale) : undefined;
      options.push({ label: [script.name, risk].filter(Boolean).join(' · '), value: script.name });
      if (options.length === SHOWN) break;
    }
    return options;
  },
};

export const hostSuggestions: SuggestionDefinition = {
  id: 'hosts',
  family: 'hosts',
  permission: 'viewer',
  async search(context, query) {
    const options: SelectOption[] = [];
    for (const host of ranked(await hosts(context), query, (h) => [h.name, h.inner_ip])) {
      // The run resolves a host by its name, else its resource id.
      const value = host.name ?? host.resource_id;
      if (!value) continue;
      const state = enumName('agentState', host.agent_state ?? 'NO_AGENT', context.locale);
      options.push({ label: [host.name ?? host.resource_id, host.inner_ip, state].filter(Boolean).join(' · '), value });
      if (options.length === SHOWN) break;
    }
    return options;
  },
};
