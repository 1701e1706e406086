/**
 * `/coc order <id>` end to end (dispatcher: identity, policy, parsing, the order's snapshot,
 * the card, the audit row) vs one raw signed undici GET of the order to the simulator.
 *
 * Two figures: the usual case, where the order was looked at a moment ago by someone (its
 * snapshot is shared, see src/orders/snapshot-cache.ts), and the first look, which reads the
 * order, its batches, statistics, the script definition and the shown batch from COC.
 * The store is PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set, as in
 * production; otherwise the embedded PGlite.
 */
import { Pool } from 'undici';
import { assembleCore } from '../src/app/assemble.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { signRequest } from '../src/coc/auth/signer.js';
import { CocClient } from '../src/coc/client.js';
import { cocHooks } from '../src/backends/coc/hooks.js';
import { loadConfig } from '../src/config.js';
import { DEMO_MAPPINGS } from '../src/identity/demo.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/index.js';
import { ratioLine, timePair } from './measure.js';
import { endBench } from './end.js';

const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || undefined;
const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration does not load');
const sim = await startSimulator({ tickMs: 0 });
const schema = `bench_${process.pid}`;
const store = await openStore(databaseUrl ? { databaseUrl, schema } : { dataDir: 'memory://' });
const audit = new AuditLog(store.db);
const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...cocHooks({ onCall: audit.observeCall }) });
const core = assembleCore({ config: loaded.config, db: store.db, sessions: new CocSessions(coc), audit });
await core.services.identities.syncFromConfig(DEMO_MAPPINGS);
const rawPool = new Pool(new URL(sim.url).origin, { connections: 16 });
const lines: string[] = [];

try {
  const hosts = sim.world.hosts.filter((host) => host.agentState === 'ONLINE' && !host.tags.some((t) => t.key === 'flaky')).slice(0, 3);
  const script = [...sim.world.scripts.values()].find((s) => s.name === 'disk_usage')!;
  const uuid = await coc.executeScript(script.scriptUuid, {
    execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
    execute_batches: hosts.map((h, i) => ({ batch_index: i + 1, rotation_strategy: 'PAUSE' as const, target_instances: [{ resource_id: h.resourceId, region_id: h.regionId }] })),
  });
  sim.tick(2);
  const actor = { platform: 'shell' as const, workspaceId: 'local', userId: 'carol' };
  const place = { channelId: 'bench', isDirect: false };
  const orderLine = () => core.dispatcher.handle({ kind: 'command', actor, place, text: `order ${uuid}` });
  const rawUrl = `${sim.url}/v1/job/script/orders/${uuid}`;
  const rawGet = async () => {
    const headers = signRequest({ method: 'GET', url: rawUrl, headers: { Host: new URL(sim.url).host } }, { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK });
    const response = await rawPool.request({ method: 'GET', path: new URL(rawUrl).pathname, headers });
    await response.body.json();
  };
  const reply = await orderLine();
  if (!reply.title?.includes(uuid)) throw new Error(`order ${uuid} was not shown: ${reply.title}`);

  const [shared, get1] = await timePair(50, 11, 100, async () => void (await orderLine()), rawGet);
  lines.push(ratioLine(`/coc order <id> (snapshot shared) vs raw GET [${store.db.kind}]`, shared, get1, 1.5));
  const [first, get2] = await timePair(
    20,
    7,
    20,
    async () => {
      core.services.orderSnapshots.forget(uuid);
      await orderLine();
    },
    rawGet,
  );
  lines.push(ratioLine(`/coc order <id> (first look, 5 COC reads) vs raw GET [${store.db.kind}]`, first, get2));
} finally {
  await rawPool.close();
  await coc.close();
  if (databaseUrl) await store.db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await store.close();
  await sim.close();
}
process.stdout.write(`${lines.join('\n')}\n`);
endBench();
