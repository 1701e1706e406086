/**
 * Injected failures, per route key (`"POST /v1/job/scripts/{script_uuid}"`) or `"*"` for
 * every COC and IAM route. A route's own fault wins over `"*"`. `times` limits how many
 * requests a fault hits (default: all of them); a spent fault removes itself.
 *
 * Kinds:
 *  - `status`: answer with this HTTP status and an error body of the route's family;
 *  - `rate-limit`: 429 with `Retry-After`;
 *  - `slow`: wait `delayMs`, then answer normally;
 *  - `held`: wait until the simulator is told to let it go (`releaseHeld`), then answer
 *    normally: a slow COC whose end a test decides instead of a timer;
 *  - `hang`: never answer (the socket is destroyed when the simulator closes);
 *  - `hang-body`: send status and headers and the first bytes of a body, then stall;
 *  - `reset`: destroy the connection without answering;
 *  - `malformed-json`: 200 with a body that is not valid JSON;
 *  - `error-envelope`: 200 whose body is an error envelope (`error_code`, `error_msg`, no data);
 *  - `no-content`: 204, the status COC's reference gives a failed execute. `body: 'error'` (the
 *    default) sends the documented `{error_code, error_msg}` after it with its Content-Length, as
 *    the reference shows it (HTTP gives a 204 no body: a client drops or rejects those bytes);
 *    `body: 'none'` is a bare 204;
 *  - `answer`: this status and exactly this JSON body, whatever the request was: a reference
 *    document's literal example served as COC's answer (a 204 is sent as `no-content` does).
 * `afterHandling: true` (status, hang, hang-body, reset, malformed-json, error-envelope, no-content) carries the request
 * out first and only then loses the answer: the "it ran but the reply never came" case.
 */
import { z } from 'zod';

const times = z.number().int().min(1).optional();
const afterHandling = z.boolean().optional();

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status'), status: z.number().int().min(400).max(599), errorCode: z.string().min(1).optional(), errorMsg: z.string().optional(), times, afterHandling }),
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0), times }),
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().min(0), times }),
  z.object({ kind: z.literal('held'), times }),
  z.object({ kind: z.literal('hang'), times, afterHandling }),
  z.object({ kind: z.literal('hang-body'), times, afterHandling }),
  z.object({ kind: z.literal('reset'), times, afterHandling }),
  z.object({ kind: z.literal('malformed-json'), times, afterHandling }),
  z.object({ kind: z.literal('error-envelope'), errorCode: z.string().min(1).optional(), errorMsg: z.string().optional(), times, afterHandling }),
  z.object({ kind: z.literal('answer'), status: z.number().int().min(200).max(599), body: z.unknown(), times }),
  z.object({ kind: z.literal('no-content'), body: z.enum(['error', 'none']).optional(), errorCode: z.string().min(1).optional(), errorMsg: z.string().optional(), times, afterHandling }),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultKind = Fault['kind'];

export const ANY_ROUTE = '*';

interface ArmedFault {
  readonly fault: Fault;
  remaining: number;
}

export class FaultRegistry {
  private readonly armed = new Map<string, ArmedFault>();

  /** `knownKeys` guards against typos: a fault on a key no route has would never fire. */
  constructor(private readonly knownKeys: ReadonlySet<string>) {}

  set(key: string, fault: Fault): void {
    if (key !== ANY_ROUTE && !this.knownKeys.has(key)) {
      throw new Error(`Unknown route key "${key}". Use "*" or one of: ${[...this.knownKeys].join(', ')}`);
    }
    const parsed = faultSchema.parse(fault);
    this.armed.set(key, { fault: parsed, remaining: parsed.times ?? Number.POSITIVE_INFINITY });
  }

  clear(key?: string): void {
    if (key === undefined) this.armed.clear();
    else this.armed.delete(key);
  }

  list(): { key: string; fault: Fault; remaining: number | null }[] {
    return [...this.armed].map(([key, armed]) => ({ key, fault: armed.fault, remaining: Number.isFinite(armed.remaining) ? armed.remaining : null }));
  }

  /** The fault that hits this request, if any; counts the hit. */
  take(routeKey: string | undefined): Fault | undefined {
    const key = routeKey !== undefined && this.armed.has(routeKey) ? routeKey : this.armed.has(ANY_ROUTE) ? ANY_ROUTE : undefined;
    if (key === undefined) return undefined;
    const armed = this.armed.get(key) as ArmedFault;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.armed.delete(key);
    return armed.fault;
  }
}
