/**
 * One order as a card for `order show`, `order <uuid>` and the card's Refresh button: read from
 * the person's backend (or the snapshot cache), with one batch's hosts or one host's output; and
 * finding one host of an order by what a person typed (name, IP, resource id or instance id).
 */
import { nativeOf } from '../backends/index.js';
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { Refusal } from '../core/refusal.js';
import type { Text, Translate } from '../i18n/translate.js';
import { EXAMPLE_ORDER_ID } from './example-id.js';
import { rememberedRunStart } from './started-by.js';
import { hostName, loadOrderSnapshot, NoSuchBatch, orderCard, readOrderWithProgress, type LocatedHostRun, type OrderSnapshot } from './order-card.js';

const TEXT = {
  notFound: { 'en-US': 'No order {uuid} in {platform}', 'zh-CN': '{platform} 中没有工单 {uuid}' },
  notFoundText: {
    'en-US': 'Check the order id (it looks like {example}); "orders" lists recent ones.',
    'zh-CN': '请检查工单 ID（形如 {example}）；“orders”可列出最近的工单。',
  },
  noBatch: { 'en-US': 'Order {uuid} has no batch {batch}', 'zh-CN': '工单 {uuid} 没有第 {batch} 批' },
  noBatchText: { 'en-US': 'It has {count} batches: give --batch 1 to {count}.', 'zh-CN': '它共有 {count} 批：--batch 取 1 到 {count}。' },
  noBatchOnlyOne: { 'en-US': 'It has one batch: give --batch 1, or leave --batch out.', 'zh-CN': '它只有 1 批：--batch 取 1，或省略 --batch。' },
  noHost: { 'en-US': 'No host "{host}" in order {uuid}', 'zh-CN': '工单 {uuid} 中没有主机“{host}”' },
  noHostText: { 'en-US': 'Give a host name, IP, resource id or instance id. Its hosts: {hosts}.', 'zh-CN': '请给出主机名、IP、资源 ID 或实例 ID。该工单的主机：{hosts}。' },
  manyHosts: { 'en-US': '"{host}" matches {count:host|hosts} of order {uuid}', 'zh-CN': '“{host}”匹配工单 {uuid} 中的 {count} 台主机' },
  manyHostsText: { 'en-US': 'Give the instance id instead: {ids}.', 'zh-CN': '请改用实例 ID：{ids}。' },
} satisfies Record<string, Text>;

/** What a person typed, echoed back: at most 60 characters, control characters removed. */
function echoed(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

export interface ShowOptions {
  readonly batch?: number;
  readonly lines?: number;
  readonly logHost?: string;
}

/** The order card (also the Refresh button's reply, which asks for a fresh read). */
export async function showOrder(context: CommandContext, uuid: string, options: ShowOptions & { readonly fresh?: boolean } = {}): Promise<Message> {
  const { t, locale, services, identity, backend } = context;
  const run = backend.parseId('run', uuid);
  if (!run) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText, { example: EXAMPLE_ORDER_ID[backend.name] }));
  const key = { credential: identity.credentialRef, run, batch: options.batch, allBatches: options.logHost !== undefined };
  const read = async (): Promise<OrderSnapshot> => {
    const found = await readOrderWithProgress(backend, run);
    if (!found) throw new Refusal(t(TEXT.notFound, { uuid }), t(TEXT.notFoundText, { example: EXAMPLE_ORDER_ID[backend.name] }));
    try {
      return await loadOrderSnapshot(
        backend,
        found.run,
        { ...(options.batch !== undefined ? { batch: options.batch } : {}), allBatches: options.logHost !== undefined },
        found.prefetched,
      );
    } catch (error) {
      if (error instanceof NoSuchBatch) throw new Refusal(t(TEXT.noBatch, { uuid, batch: error.batch }), error.count === 1 ? t(TEXT.noBatchOnlyOne) : t(TEXT.noBatchText, { count: error.count }));
      throw error;
    }
  };
  // People looking at one order at the same moment share one read (a fresh look reads its own).
  let snapshot: OrderSnapshot;
  if (options.fresh) {
    snapshot = await read();
    services.orderSnapshots.set(key, snapshot);
  } else snapshot = await services.orderSnapshots.getOrRead(key, read);
  const logOf = options.logHost !== undefined ? findHost(snapshot.all ?? [], options.logHost, uuid, t) : undefined;
  // Who started it from chat, when the bot did: the store's record, not the platform's creator alone.
  const start = await rememberedRunStart(services.db, run);
  const cardKey = JSON.stringify([locale, options.lines ?? null, logOf ? [logOf.batchIndex, logOf.host.ref] : null, start ?? null]);
  let made = cardsOf.get(snapshot);
  const kept = made?.get(cardKey);
  if (kept) return kept;
  const card = orderCard(snapshot, { t, locale, ...(logOf ? { logOf } : {}), ...(options.lines !== undefined ? { lines: options.lines } : {}), ...(start ? { start } : {}) });
  if (!made || made.size >= CARDS_PER_SNAPSHOT) cardsOf.set(snapshot, (made = new Map()));
  made.set(cardKey, card);
  return card;
}

/**
 * Cards made from a snapshot, by what else they depend on (the reader's language, the lines of
 * output asked for, the host whose output is shown, who started the run): people viewing one
 * order share its snapshot, and the card — a pure function of these, immutable — is made once
 * for all of them. Kept as long as the snapshot is, and only a few per snapshot.
 */
const cardsOf = new WeakMap<OrderSnapshot, Map<string, Message>>();
const CARDS_PER_SNAPSHOT = 8;

/** A host of the order by name, IP, resource id or instance id; refuses none or several. */
export function findHost(all: readonly LocatedHostRun[], wanted: string, uuid: string, t: Translate): LocatedHostRun {
  const key = wanted.trim().toLowerCase();
  const matches = all.filter(({ host }) =>
    [nativeOf(host.ref), hostName(host), host.host.id !== undefined ? nativeOf(host.host.id) : undefined, host.host.ip, host.host.floatingIp]
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .some((value) => value.toLowerCase() === key),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const hosts = all.slice(0, 12).map(({ host }) => hostName(host));
    throw new Refusal(t(TEXT.noHost, { host: echoed(wanted), uuid }), t(TEXT.noHostText, { hosts: `${hosts.join(', ')}${all.length > 12 ? ', …' : ''}` }));
  }
  throw new Refusal(
    t(TEXT.manyHosts, { host: echoed(wanted), uuid, count: matches.length }),
    t(TEXT.manyHostsText, { ids: matches.map(({ host, batchIndex }) => `${nativeOf(host.ref)} (${hostName(host)}, #${batchIndex})`).join(', ') }),
  );
}
