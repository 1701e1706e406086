/**
 * The simulator's own control API under `/__sim/`, for tests in other processes and for
 * demos. It needs no COC authentication, is never faulted and is not recorded in the
 * request log (it is not COC traffic).
 *
 *   GET    /__sim/health                      → {ok: true}
 *   GET    /__sim/world                       → summary of the seeded world
 *   GET    /__sim/faults                      → armed faults
 *   POST   /__sim/faults   {key, fault} | {faults: [{key, fault}]}
 *   DELETE /__sim/faults[?key=<route key>]    → clear one or all
 *   POST   /__sim/tick     {count?: n}        → advance orders n steps (default 1)
 *   POST   /__sim/clock    {advance_ms: n}    → move simulator time forward
 *   GET    /__sim/requests[?route=&limit=]    → recorded requests, oldest first
 *   GET    /__sim/requests/count?route=<key>  → {route, count}; without route → {count} of every route
 *   DELETE /__sim/requests                    → clear the log and counters
 *   POST   /__sim/hosts   {name, ip?, region?, agentState?, agentStateHidden?, tags?: [{key, value}]}
 *                                             → 201 {resourceId, id, name, region, ip, agentState}: a host
 *                                               added to the fleet now, listed and executable like the
 *                                               seeded ones. Names and IPs need not be unique (ECS does not
 *                                               make them so), which is how tests make ambiguous hosts.
 *                                               `unsynced: true`: only the cloud has it; COC lists it once
 *                                               a POST /v1/resources/sync has read the cloud.
 *   POST   /__sim/agents  {resourceId, state}    → 200: the host's UniAgent is really in `state`; COC shows it
 *                                               AGENT_SYNC_TICKS ticks after a POST /v1/resources/uniagent/sync
 *                                               that names the host.
 */
import { z } from 'zod';
import { bad, handleControlRoute, parse } from './admin-control.js';
import type { FaultRegistry } from './faults.js';
import type { SimResponse } from './http/types.js';
import type { RequestLog } from './request-log.js';
import { HostSpecError } from './state/added-hosts.js';
import { AGENT_STATES } from './state/model.js';
import type { World } from './state/world.js';
import { describeWorld } from './summary.js';

export interface AdminDeps {
  readonly world: World;
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
  tick(count: number): void;
  advanceClock(ms: number): void;
}

/** What ECS allows in a name (letters, digits, Chinese, `_ - .`); never `/` or `,`, which the bot's host references use. */
const hostBody = z.strictObject({
  name: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, { error: 'must be 1-64 letters, digits, "_", "-" or "."' }),
  ip: z.ipv4({ error: 'must be an IPv4 address, e.g. 10.9.9.9' }).optional(),
  region: z.string().min(1).max(64).optional(),
  agentState: z.enum(AGENT_STATES).optional(),
  /** The row omits its agent fields (the reference's resource table has none). */
  agentStateHidden: z.boolean().optional(),
  tags: z
    .array(z.strictObject({ key: z.string().regex(/^[^.=]{1,36}$/, { error: 'must be 1-36 characters without "." or "="' }), value: z.string().max(43) }))
    .max(20)
    .optional(),
  unsynced: z.boolean().optional(),
});

const agentBody = z.strictObject({ resourceId: z.string().min(1).max(128), state: z.enum(AGENT_STATES) });

export function handleAdmin(deps: AdminDeps, method: string, url: URL, raw: Buffer): SimResponse {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  const common = handleControlRoute(
    {
      faults: deps.faults,
      tick: (count) => deps.tick(count),
      advanceClock: (ms) => deps.advanceClock(ms),
      now: () => deps.world.now(),
      activeAfterTick: () => ({ active_orders: deps.world.orders.activeCount() }),
    },
    route,
    url,
    raw,
  );
  if (common) return common;
  switch (route) {
    case 'GET /__sim/world':
      return { status: 200, body: describeWorld(deps.world) };
    case 'GET /__sim/requests': {
      const routeKey = url.searchParams.get('route');
      const limit = Number(url.searchParams.get('limit') ?? '1000');
      const entries = deps.log.entries().filter((entry) => routeKey === null || entry.routeKey === routeKey);
      return { status: 200, body: { total: entries.length, requests: entries.slice(Math.max(0, entries.length - (Number.isFinite(limit) ? limit : 1000))) } };
    }
    case 'GET /__sim/requests/count': {
      const routeKey = url.searchParams.get('route');
      if (routeKey === null) return { status: 200, body: { count: deps.log.total() } };
      if (!routeKey) return bad('route is empty; give a route key, e.g. ?route=POST%20/v1/job/scripts/{script_uuid}, or none for every route');
      return { status: 200, body: { route: routeKey, count: deps.log.count(routeKey) } };
    }
    case 'POST /__sim/hosts': {
      const parsed = parse(hostBody, raw);
      if (!parsed.ok) return parsed.response;
      try {
        const { unsynced, ...spec } = parsed.value;
        const host = deps.world.addHost(spec, { unsynced: unsynced === true });
        return { status: 201, body: { resourceId: host.resourceId, id: host.id, name: host.name, region: host.regionId, ip: host.fixedIp, agentState: host.agentState ?? 'UNINSTALLED' } };
      } catch (error) {
        if (error instanceof HostSpecError) return bad(error.message);
        throw error;
      }
    }
    case 'POST /__sim/agents': {
      const parsed = parse(agentBody, raw);
      if (!parsed.ok) return parsed.response;
      if (!deps.world.hostByResourceId(parsed.value.resourceId)) return bad(`no listed host has the resource id ${parsed.value.resourceId}`);
      deps.world.resourceSync.setActualAgent(parsed.value.resourceId, parsed.value.state);
      return { status: 200, body: { resourceId: parsed.value.resourceId, actualState: parsed.value.state } };
    }
    case 'DELETE /__sim/requests':
      deps.log.reset();
      return { status: 200, body: { total: 0 } };
    default:
      return { status: 404, body: { error: `no admin route ${route}` } };
  }
}
