/**
 * What every simulator's control API under `/__sim/` has in common: reading a JSON body against
 * its schema, and the routes that arm and clear faults, tick the world and move its clock. Each
 * simulator adds its own routes (world summary, request log, hosts…) and says what a tick moved.
 */
import { z } from 'zod';
import { faultSchema, type FaultRegistry } from './faults.js';
import { parseJsonBody } from './http/io.js';
import type { SimResponse } from './http/types.js';

const faultEntry = z.object({ key: z.string().min(1), fault: faultSchema });
const faultsBody = z.union([faultEntry.transform((entry) => [entry]), z.object({ faults: z.array(faultEntry) }).transform((body) => body.faults)]);
const tickBody = z.object({ count: z.number().int().min(1).max(100_000).default(1) }).default({ count: 1 });
const clockBody = z.object({ advance_ms: z.number().int().min(0) });

export function bad(message: string): SimResponse {
  return { status: 400, body: { error: message } };
}

export function parse<S extends z.ZodType>(schema: S, raw: Buffer): { ok: true; value: z.output<S> } | { ok: false; response: SimResponse } {
  const body = parseJsonBody(raw);
  if (body.kind === 'invalid') return { ok: false, response: bad('body is not valid JSON') };
  const result = schema.safeParse(body.kind === 'json' ? body.value : undefined);
  if (!result.success) return { ok: false, response: bad(result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')) };
  return { ok: true, value: result.data };
}

export interface ControlDeps {
  readonly faults: FaultRegistry;
  tick(count: number): void;
  advanceClock(ms: number): void;
  now(): number;
  /** What is still moving after a tick, as the answer says it (`active_orders`, `active_jobs`…). */
  activeAfterTick(): Readonly<Record<string, number>>;
}

/** The answer to one of the common routes (`route` = `<METHOD> <path>`), or undefined when it is not one. */
export function handleControlRoute(deps: ControlDeps, route: string, url: URL, raw: Buffer): SimResponse | undefined {
  switch (route) {
    case 'GET /__sim/health':
      return { status: 200, body: { ok: true } };
    case 'GET /__sim/faults':
      return { status: 200, body: { faults: deps.faults.list() } };
    case 'POST /__sim/faults': {
      const parsed = parse(faultsBody, raw);
      if (!parsed.ok) return parsed.response;
      try {
        for (const entry of parsed.value) deps.faults.set(entry.key, entry.fault);
      } catch (error) {
        return bad(error instanceof Error ? error.message : String(error));
      }
      return { status: 200, body: { faults: deps.faults.list() } };
    }
    case 'DELETE /__sim/faults':
      deps.faults.clear(url.searchParams.get('key') ?? undefined);
      return { status: 200, body: { faults: deps.faults.list() } };
    case 'POST /__sim/tick': {
      const parsed = parse(tickBody, raw);
      if (!parsed.ok) return parsed.response;
      deps.tick(parsed.value.count);
      return { status: 200, body: { ticks: parsed.value.count, ...deps.activeAfterTick() } };
    }
    case 'POST /__sim/clock': {
      const parsed = parse(clockBody, raw);
      if (!parsed.ok) return parsed.response;
      deps.advanceClock(parsed.value.advance_ms);
      return { status: 200, body: { now: deps.now() } };
    }
    default:
      return undefined;
  }
}
