/**
 * Type-ahead for execution orders (`orders`): the 50 newest orders, matched on their execute
 * uuid or script name, newest first. Discord autocompletes `order show <execute-uuid>` and
 * friends from it. Read-only and frequent, so each IAM user's list is cached for 15 seconds.
 */
import { LRUCache } from 'lru-cache';
import type { ScriptOrderListItem } from '../src/coc/schemas/orders.js';
import type { SuggestionDefinition } from '../src/core/command.js';
import type { SelectOption } from '../src/core/message.js';
import { enumName } from '../src/i18n/coc-enums.js';

const RECENT = 50;
const SHOWN = 25;

const recent = new LRUCache<string, readonly ScriptOrderListItem[]>({ max: 500, ttl: 15_000 });

export const orderSuggestions: SuggestionDefinition = {
  id: 'orders',
  family: 'orders',
  permission: 'viewer',
  async search(context, query) {
    const key = context.identity.iamUserName;
    let orders = recent.get(key);
    if (!orders) {
      orders = (await context.coc.listScriptOrders({ limit: RECENT })).data;
      recent.set(key, orders);
    }
    const wanted = query.trim().toLowerCase();
    const options: SelectOption[] = [];
    for (const order of orders) {
      const name = order.order_name ?? '';
      if (wanted && !order.execute_uuid.toLowerCase().includes(wanted) && !name.toLowerCase().includes(wanted)) continue;
      const status = enumName('orderStatus', order.status, context.locale);
      options.push({ label: [order.execute_uuid, name, status].filter(Boolean).join(' · '), value: order.execute_uuid });
      if (options.length === SHOWN) break;
    }
    return options;
  },
};
