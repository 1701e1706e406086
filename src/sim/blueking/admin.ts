/**
 * The simulator's control API under `/__sim/` (no ESB authentication, never faulted, not
 * logged):
 *
 *   GET    /__sim/health                      → {ok: true}
 *   GET    /__sim/world                       → counts and the demo values (no secret)
 *   GET    /__sim/faults                      → armed faults
 *   POST   /__sim/faults   {key, fault} | {faults: [{key, fault}]}   key = "job/fast_execute_script" or "*"
 *   DELETE /__sim/faults[?key=]               → clear one or all
 *   POST   /__sim/tick     {count?: n}        → advance jobs and SOPS tasks n steps (default 1)
 *   POST   /__sim/clock    {advance_ms: n}    → move simulator time forward
 *   GET    /__sim/requests[?component=&limit=] → recorded requests, oldest first
 *   GET    /__sim/requests/count?component=   → {component, count}
 *   DELETE /__sim/requests                    → clear the log
 *   GET    /__sim/jobs                        → every job instance: id, task_name, ip_list, status, callbacks
 *   GET    /__sim/messages                    → every CMSI send_msg accepted
 *   POST   /__sim/hosts {name, ip?, biz?, set?, module?, os?, agentAlive?, comment?} → 201 the host
 */
import { z } from 'zod';
import { bad, handleControlRoute, parse } from '../admin-control.js';
import type { FaultRegistry } from '../faults.js';
import type { SimResponse } from '../http/types.js';
import type { RequestLog } from '../request-log.js';
import type { BkWorld } from './state/world.js';

export interface BkAdminDeps {
  readonly world: BkWorld;
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
  tick(count: number): void;
  advanceClock(ms: number): void;
}

const hostBody = z.strictObject({
  name: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, { error: 'must be 1-64 letters, digits, "_", "-" or "."' }),
  ip: z.ipv4({ error: 'must be an IPv4 address' }).optional(),
  biz: z.number().int().optional(),
  set: z.string().min(1).max(64).optional(),
  module: z.string().min(1).max(64).optional(),
  os: z.enum(['linux', 'windows']).optional(),
  agentAlive: z.boolean().optional(),
  comment: z.string().max(256).optional(),
});

export function handleBkAdmin(deps: BkAdminDeps, method: string, url: URL, raw: Buffer): SimResponse {
  const route = `${method} ${url.pathname.replace(/\/+$/, '')}`;
  const { world } = deps;
  const common = handleControlRoute(
    {
      faults: deps.faults,
      tick: (count) => deps.tick(count),
      advanceClock: (ms) => deps.advanceClock(ms),
      now: () => deps.world.now(),
      activeAfterTick: () => ({ active_jobs: deps.world.jobEngine.activeCount(), active_tasks: deps.world.sops.activeCount() }),
    },
    route,
    url,
    raw,
  );
  if (common) return common;
  switch (route) {
    case 'GET /__sim/world':
      return {
        status: 200,
        body: {
          seed: world.seed,
          businesses: world.topology.businesses.map((biz) => ({ bk_biz_id: biz.bk_biz_id, bk_biz_name: biz.bk_biz_name })),
          hosts: world.topology.hosts.length,
          deadAgents: world.topology.hosts.filter((host) => !host.agentAlive).map((host) => `${host.bk_host_name} (${host.bk_host_innerip})`),
          scripts: world.scripts.length,
          templates: world.sops.templates.length,
          services: world.itsm.services.map((service) => ({ id: service.id, name: service.name, processors: service.node.processors })),
          users: world.users.map((user) => user.bk_username),
          jobs: world.jobs.length,
          tasks: world.sops.tasks.length,
          tickets: world.itsm.tickets.length,
          alarms: world.alarms.length,
        },
      };
    case 'GET /__sim/requests': {
      const component = url.searchParams.get('component');
      const limit = Number(url.searchParams.get('limit') ?? '1000');
      const entries = deps.log.entries().filter((entry) => component === null || entry.routeKey === component);
      return { status: 200, body: { total: entries.length, requests: entries.slice(Math.max(0, entries.length - (Number.isFinite(limit) ? limit : 1000))) } };
    }
    case 'GET /__sim/requests/count': {
      const component = url.searchParams.get('component');
      if (component === null) return { status: 200, body: { count: deps.log.total() } };
      return { status: 200, body: { component, count: deps.log.count(component) } };
    }
    case 'DELETE /__sim/requests':
      deps.log.reset();
      return { status: 200, body: { total: 0 } };
    case 'GET /__sim/jobs':
      return {
        status: 200,
        body: {
          jobs: world.jobs.map((job) => ({
            job_instance_id: job.job_instance_id,
            bk_biz_id: job.bk_biz_id,
            task_name: job.task_name ?? null,
            operator: job.operator,
            ip_list: job.ip_list,
            status: job.status,
            callback_url: job.callbackUrl ?? null,
            callbacks: job.callbacks,
          })),
        },
      };
    case 'GET /__sim/messages':
      return { status: 200, body: { messages: world.messages } };
    case 'POST /__sim/hosts': {
      const parsed = parse(hostBody, raw);
      if (!parsed.ok) return parsed.response;
      try {
        const spec = parsed.value;
        const host = world.topology.addHost({ name: spec.name, ip: spec.ip, biz: spec.biz, setName: spec.set, moduleName: spec.module, os: spec.os, agentAlive: spec.agentAlive, comment: spec.comment });
        return { status: 201, body: { bk_host_id: host.bk_host_id, bk_host_name: host.bk_host_name, bk_host_innerip: host.bk_host_innerip, bk_cloud_id: host.bk_cloud_id, bk_biz_id: host.bk_biz_id, bk_set_id: host.bk_set_id, bk_module_id: host.bk_module_id, agentAlive: host.agentAlive } };
      } catch (error) {
        return bad(error instanceof Error ? error.message : String(error));
      }
    }
    default:
      return { status: 404, body: { error: `no admin route ${route}` } };
  }
}
