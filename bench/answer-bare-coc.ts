/**
 * What the bare baselines of the answer benches (bench/slack-answer-side.ts,
 * bench/discord-answer-side.ts) read from COC to answer `order <uuid>`, so that they are measured
 * doing the work the bot's answer needs and no less: the same five signed GETs the bot's first
 * look makes (the order, its batches, its statistics, then the script definition and the shown
 * batch's hosts), through one kept-alive undici pool, without the bot's client, schemas or card.
 *
 * The bot lets everyone looking at one order share one read of it (a running order's snapshot
 * is reused for 2 s, src/orders/snapshot-cache.ts); the bare app does the same, so both sides send
 * COC the same requests under a burst and neither is measured waiting on the other's load of
 * the simulator. What it answers is a plain line of text.
 */
import { Pool } from 'undici';
import { signRequest } from '../src/coc/auth/signer.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/server.js';

/** As long as the bot reuses a running order's snapshot. */
const REUSE_MS = 2_000;

interface Envelope {
  readonly data?: Record<string, unknown>;
}

export interface BareOrderReader {
  /** The order's answer text, read from COC (or the read under way / kept for REUSE_MS). */
  answer(uuid: string): Promise<string>;
  /** GETs sent to COC so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

export function bareOrderReader(cocUrl: string): BareOrderReader {
  const origin = new URL(cocUrl).origin;
  const host = new URL(cocUrl).host;
  const pool = new Pool(origin, { connections: 16 });
  let requests = 0;
  const get = async (path: string): Promise<Record<string, unknown>> => {
    requests += 1;
    const headers = signRequest({ method: 'GET', url: `${origin}${path}`, headers: { Host: host } }, { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK });
    const response = await pool.request({ method: 'GET', path, headers });
    const body = (await response.body.json()) as Envelope;
    if (response.statusCode !== 200) throw new Error(`COC answered ${response.statusCode} to GET ${path}`);
    return body.data ?? {};
  };
  const read = async (uuid: string): Promise<string> => {
    const base = `/v1/job/script/orders/${encodeURIComponent(uuid)}`;
    const [order, , statistics] = await Promise.all([get(base), get(`${base}/batches`), get(`${base}/statistics`)]);
    const properties = (order['properties'] ?? {}) as { script_uuid?: string; script_name?: string; current_execute_batch_index?: number };
    const batch = properties.current_execute_batch_index ?? 1;
    const [, hosts] = await Promise.all([
      properties.script_uuid ? get(`/v1/job/scripts/${encodeURIComponent(properties.script_uuid)}`) : Promise.resolve({}),
      get(`${base}/batches/${batch}?limit=50`),
    ]);
    const instances = Array.isArray(hosts['execute_instances']) ? hosts['execute_instances'].length : 0;
    return `Order ${uuid}: ${String(order['status'])}, ${properties.script_name ?? '?'}, batch ${batch} (${instances} hosts), ${String(statistics['total_instance'] ?? '?')} hosts in all`;
  };
  const kept = new Map<string, { readonly promise: Promise<string>; at: number | undefined }>();
  return {
    answer(uuid) {
      const entry = kept.get(uuid);
      if (entry && (entry.at === undefined || performance.now() - entry.at < REUSE_MS)) return entry.promise;
      const fresh: { promise: Promise<string>; at: number | undefined } = { promise: read(uuid), at: undefined };
      kept.set(uuid, fresh);
      fresh.promise.then(
        () => void (fresh.at = performance.now()),
        () => void (kept.get(uuid) === fresh && kept.delete(uuid)),
      );
      return fresh.promise;
    },
    requests: () => requests,
    close: () => pool.close(),
  };
}
