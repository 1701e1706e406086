/**
 * What reached the simulator, for tests: a bounded ring of recent requests (so a long bench
 * does not grow memory) plus exact per-route counters that survive the ring wrapping.
 * Requests are recorded on arrival, before any injected fault, so a POST that then hangs or
 * is reset still counts as received. Credentials (Authorization, X-Auth-Token, passwords in
 * IAM bodies) are never recorded.
 */

export interface RequestRecord {
  readonly seq: number;
  readonly at: number;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  /** `"<METHOD> <template>"`, or undefined when no route matched. */
  readonly routeKey: string | undefined;
  readonly query: Readonly<Record<string, string[]>>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** How the caller authenticated: AK/SK (with the access key), token, or not at all. */
  readonly auth: { readonly kind: 'aksk'; readonly access: string | undefined } | { readonly kind: 'token' } | { readonly kind: 'none' };
  /** Kind of the injected fault that hit this request, if any. */
  fault: string | undefined;
  /** HTTP status sent; undefined when nothing was sent (hang, reset). */
  status: number | undefined;
}

/** Request headers worth seeing in tests; everything else is left out. */
export const RECORDED_HEADERS = ['content-type', 'x-sdk-date', 'x-project-id', 'x-domain-id', 'x-language', 'user-agent', 'host'] as const;

export class RequestLog {
  private readonly ring: (RequestRecord | undefined)[];
  private next = 0;
  private size = 0;
  private seq = 0;
  private readonly counts = new Map<string, number>();

  constructor(readonly capacity = 10_000) {
    this.ring = new Array<RequestRecord | undefined>(capacity);
  }

  record(entry: Omit<RequestRecord, 'seq' | 'fault' | 'status'>): RequestRecord {
    const record: RequestRecord = { ...entry, seq: ++this.seq, fault: undefined, status: undefined };
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    const key = entry.routeKey ?? `${entry.method} ${entry.path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return record;
  }

  /** Oldest first, at most `capacity` entries. */
  entries(): RequestRecord[] {
    const out: RequestRecord[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const entry = this.ring[(start + i) % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }

  /** Requests received for a route key (or `"<METHOD> <path>"` for unmatched paths) since the last reset. */
  count(routeKey: string): number {
    return this.counts.get(routeKey) ?? 0;
  }

  /** Requests received for every route (and unmatched path) since the last reset. */
  total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  reset(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
    this.counts.clear();
  }
}
