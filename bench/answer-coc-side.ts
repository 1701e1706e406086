/**
 * What the answer benches (bench/slack-answer.ts, bench/discord-answer.ts) share to run the bot
 * the way it runs in production, with COC remote: the COC simulator with one running order in a
 * process of its own (its CPU and memory are not the bot's), the bot's core assembled against
 * it, and a side process's peak RSS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { assembleCore, type Core } from '../src/app/assemble.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import { cocHooks } from '../src/backends/coc/hooks.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { CocClient } from '../src/coc/client.js';
import type { Config } from '../src/config.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator } from '../src/sim/server.js';
import { openStore, type Store } from '../src/store/index.js';
import type { Db } from '../src/store/db.js';

/**
 * COC, simulated, as it is remote in production: one running order, started on three healthy
 * hosts, for `order <uuid>`. `countRoutes` prints the requests it served by route on exit.
 */
export async function startCocSimulator(countRoutes = false): Promise<{ url: string; orderUuid: string; close: () => Promise<void> }> {
  const sim = await startSimulator({ tickMs: 0 });
  if (countRoutes) {
    process.on('exit', () => {
      const routes = new Map<string, number>();
      for (const request of sim.requests) {
        const route = request.routeKey ?? `${request.method} ${request.path}`;
        routes.set(route, (routes.get(route) ?? 0) + 1);
      }
      for (const [route, n] of routes) process.stderr.write(`${String(n).padStart(7)} COC ${route}\n`);
    });
  }
  const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  const hosts = sim.world.hosts.filter((host) => host.agentState === 'ONLINE' && !host.tags.some((t) => t.key === 'flaky')).slice(0, 3);
  const script = [...sim.world.scripts.values()].find((s) => s.name === 'disk_usage');
  if (!script || hosts.length < 3) throw new Error('the seeded world lacks disk_usage or 3 healthy hosts');
  const orderUuid = await coc.executeScript(script.scriptUuid, {
    execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
    execute_batches: hosts.map((h, i) => ({ batch_index: i + 1, rotation_strategy: 'PAUSE' as const, target_instances: [{ resource_id: h.resourceId, region_id: h.regionId }] })),
  });
  sim.tick(2);
  await coc.close();
  return { url: sim.url, orderUuid, close: () => sim.close() };
}

/**
 * The bot's core on its own store (BENCH_DATABASE_URL / TEST_DATABASE_URL in a schema of its
 * own, else the embedded store in memory), reading COC at `cocUrl` with its calls audited.
 */
export async function assembleBenchCore(config: Config, cocUrl: string, schemaPrefix: string): Promise<{ core: Core; store: Store; close: () => Promise<void> }> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'];
  const schema = `${schemaPrefix}_${process.pid}`;
  const store = await openStore(databaseUrl ? { databaseUrl, schema } : { dataDir: 'memory://' });
  const audit = new AuditLog(store.db);
  const coc = new CocClient({ endpoint: cocUrl, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...cocHooks({ onCall: audit.observeCall }) });
  const core = assembleCore({ config, db: store.db, sessions: new CocSessions(coc), audit });
  return {
    core,
    store,
    close: async () => {
      await coc.close();
      // The side's schema goes with it: every run of the bench made one of its own, and they piled up in the database.
      if (databaseUrl) await store.db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await store.close();
    },
  };
}

/** This process's peak RSS since start or the last reset (Linux's VmHWM), MB. */
export function peakRssMb(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Collects garbage and resets the peak RSS to the current RSS, so the next figures are one phase's. */
export function resetPeakRss(): void {
  global.gc?.();
  // Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS, so the next 'stats' is one phase's peak.
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Elsewhere the peak stays the process's.
  }
}

/** This process's peak RSS (MB) and CPU time used (ms), as a side reports them. */
export function sideFigures(): { maxRssMb: number; cpuMs: number } {
  const usage = process.resourceUsage();
  return { maxRssMb: peakRssMb() ?? usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
}

/**
 * BENCH_SQL_COUNT=1 (BENCH_DISCORD_SQL_COUNT=1 too): counts the statements the bot sends to its
 * store, by their first words, and prints them on exit (where a command's store time goes).
 */
export function countStatements(db: Db): void {
  const counts = new Map<string, number>();
  const key = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 90);
  const query = db.query.bind(db);
  const withoutWait = db.queryWithoutFlushWait.bind(db);
  db.query = ((sql: string, params?: readonly unknown[]) => {
    counts.set(key(sql), (counts.get(key(sql)) ?? 0) + 1);
    return query(sql, params);
  }) as Db['query'];
  db.queryWithoutFlushWait = (sql, params) => {
    counts.set(`(no flush wait) ${key(sql)}`, (counts.get(`(no flush wait) ${key(sql)}`) ?? 0) + 1);
    return withoutWait(sql, params);
  };
  process.on('exit', () => {
    for (const [sql, n] of [...counts].sort((a, b) => b[1] - a[1])) process.stderr.write(`${String(n).padStart(7)} ${sql}\n`);
  });
}
