/**
 * Type-ahead for execution orders (`orders`): the 50 newest orders, matched on their execute
 * uuid or script name, newest first. Discord autocompletes `order show <execute-uuid>` and
 * friends from it. Read-only and frequent, so each IAM user's list is cached for 15 seconds.
 */
import { LRUCache } from 'lru-cache';
import { label, nativeOf, type RunSummary } from '../src/backends/index.js';
import type { SuggestionDefinition } from '../src/core/command.js';
import type { SelectOption } from '../src/core/message.js';

const RECENT = 50;
const SHOWN = 25;

const recent = new LRUCache<string, readonly RunSummary[]>({ max: 500, ttl: 15_000 });

export const orderSuggestions: SuggestionDefinition = {
  id: 'orders',
  family: 'orders',
  permission: 'viewer',
  async search(context, query) {
    const key = context.identity.iamUserName;
    let orders = recent.get(key);
    if (!orders) {
      const runs = context.backend.runs;
      if (!runs?.list) return { options: [], complete: true };
      orders = (await runs.list({ limit: RECENT })).items;
      recent.set(key, orders);
    }
    const wanted = query.trim().toLowerCase();
    const options: SelectOption[] = [];
    // Only the newest are searched: a full page may leave out older orders that match.
    let complete = orders.length < RECENT;
    for (const order of orders) {
      const uuid = nativeOf(order.id);
      const name = order.label ?? '';
      if (wanted && !uuid.toLowerCase().includes(wanted) && !name.toLowerCase().includes(wanted)) continue;
      const status = label(context.backend.vocabulary, 'runStatus', order.status.code, context.locale);
      options.push({ label: [uuid, name, status].filter(Boolean).join(' · '), value: uuid });
      if (options.length === SHOWN) {
        complete = false;
        break;
      }
    }
    return { options, complete };
  },
};
