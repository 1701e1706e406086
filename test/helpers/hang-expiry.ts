/**
 * Attempt expiries for the COC client driven by the simulator instead of a real timer: an attempt
 * ends as timed out only once the simulator says it holds that request in a hang (or hang-body)
 * fault — at once, or when the test says so — and never otherwise. A hang costs no waiting, and a
 * healthy answer that is slow because the machine is busy is never mistaken for one.
 *
 * The attempt and the held request are matched by method, path and the signed `X-Sdk-Date`
 * (the simulator records it); two identical requests signed in the same second are the same
 * request as far as a fault is concerned, so the oldest waiting one is ended.
 */
import type { AttemptExpiry, AttemptSent } from '../../src/coc/http.js';
import type { RequestRecord } from '../../src/sim/request-log.js';
import type { Simulator } from '../../src/sim/server.js';

/**
 * A time limit for clients that use these expiries: far above any healthy answer, so undici's own
 * header and body timers (set to the same limit) never end an attempt in these tests either.
 */
export const HANG_ONLY_TIMEOUT_MS = 10 * 60_000;

export interface HangExpiry {
  /** For `CocClientOptions.expiry`. */
  readonly expiry: AttemptExpiry;
  /** Ends, as timed out, every attempt the simulator holds in a hang now; returns how many. */
  expireHung(): number;
}

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function sentKey(sent: AttemptSent): string {
  return `${sent.method} ${sent.path.split('?')[0]} ${headerOf(sent.headers, 'x-sdk-date') ?? ''}`;
}

function heldKey(record: RequestRecord): string {
  return `${record.method} ${record.path} ${record.headers['x-sdk-date'] ?? ''}`;
}

/**
 * An expiry for clients of `sim`. `atOnce`: an attempt ends the moment the simulator holds it;
 * otherwise it ends when the test calls `expireHung()` (to look at what the bot shows meanwhile).
 */
export function hangExpiry(sim: Simulator, { atOnce }: { readonly atOnce: boolean }): HangExpiry {
  const waiting = new Map<string, (() => void)[]>();
  const hung: (() => void)[] = [];
  sim.onHang((record) => {
    const key = heldKey(record);
    const list = waiting.get(key);
    const expire = list?.shift();
    if (list?.length === 0) waiting.delete(key);
    if (!expire) return;
    if (atOnce) expire();
    else hung.push(expire);
  });
  const expiry: AttemptExpiry = (_timeoutMs, expire, sent) => {
    const key = sentKey(sent);
    const list = waiting.get(key) ?? [];
    list.push(expire);
    waiting.set(key, list);
    return () => {
      const at = list.indexOf(expire);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0 && waiting.get(key) === list) waiting.delete(key);
      const held = hung.indexOf(expire);
      if (held >= 0) hung.splice(held, 1);
    };
  };
  return {
    expiry,
    expireHung() {
      const ending = hung.splice(0);
      for (const expire of ending) expire();
      return ending.length;
    },
  };
}
