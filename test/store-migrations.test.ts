import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  DataDirBusyError,
  MigrationChecksumError,
  MigrationError,
  loadMigrations,
  openStore,
  runMigrations,
  setSetting,
  getSetting,
  type Db,
  type Migration,
  type MigrationReport,
} from '../src/store/index.js';
import { z } from 'zod';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { CocClient } from '../src/coc/client.js';
import { cocScriptHash } from '../src/backends/coc/scripts.js';
import { nativeOf, type Incident } from '../src/backends/index.js';
import { loadConfig, type IdentityMappingConfig } from '../src/config.js';
import { loadLinkedOrders } from '../src/incidents/linked-orders.js';
import { readSummaryState, summaryStateOf } from '../src/incidents/summary.js';
import { executionRequestOf, planDetails } from '../src/run/plan-details.js';
import { ParamSealer } from '../src/run/sealing.js';
import { sealingKey } from '../src/run/sealing-key.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/defaults.js';
import { startSimulator } from '../src/sim/server.js';
import { getApproval } from '../src/store/approvals.js';
import { completeWriteIntent } from '../src/store/audit-events.js';
import { findIncidentChannelByPlace } from '../src/store/incident-channels.js';
import { getRunPlan } from '../src/store/run-plans.js';
import { listTrackedCards } from '../src/store/tracked-orders.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { insertOldApproval, insertOldAudit, insertOldIncident, insertOldLiveCards, insertOldPlan, openAt0010, VERSION_BEFORE_BACKEND_IDS, type OldHost } from './helpers/store-0010.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';
import { announceSkip, pgliteLeg, postgresLeg, storeLegs, type StoreLeg } from './helpers/store-legs.js';
import { openUnmigratedInMemory, seedUnmigratedDataDir } from './helpers/unmigrated.js';

const migrations = loadMigrations();
const versions = migrations.map((m) => m.version);
const TABLES = [
  'approvals',
  'audit_events',
  'backend_callbacks',
  'identity_mappings',
  'incident_channels',
  'incident_orders',
  'incident_requests',
  'platform_actions',
  'request_claims',
  'run_batches',
  'run_plans',
  'schema_migrations',
  'script_changes',
  'settings',
  'tracked_execution_cards',
  'tracked_executions',
  'tracked_order_cards',
  'tracked_orders',
];

/**
 * A database nobody used, migrated as a start migrates it. On PostgreSQL, a new schema opened by
 * openStore. On PGlite, initdb's output (made once per run) with the migrations run on it as
 * openStore runs them after the driver's open; openStore's own first start on a new PGlite
 * database, initdb included, is the data-folder test at the end.
 */
async function freshMigrated(leg: StoreLeg): Promise<{ db: Db; migrations: MigrationReport }> {
  if (leg.name === 'PostgreSQL') return leg.open(leg.freshOptions());
  const db = await openUnmigratedInMemory();
  onTestFinished(() => db.close());
  return { db, migrations: await runMigrations(db) };
}

describe('migration files', () => {
  it('are numbered, ordered and checksummed', () => {
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual([...versions].sort());
    for (const migration of migrations) expect(migration.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

for (const leg of storeLegs) {
  announceSkip(leg, 'store-migrations');
  describe.skipIf(leg.skipReason !== undefined)(`migrations on ${leg.name}`, () => {
    it('applies every migration on a fresh database and records each once', async () => {
      // Migrated here, not taken from the tests' pool of migrated copies.
      const store = await freshMigrated(leg);
      expect(store.migrations.applied).toEqual(versions);
      expect(store.migrations.alreadyApplied).toEqual([]);
      const recorded = await store.db.query<{ version: string; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations ORDER BY version',
      );
      expect(recorded.rows).toEqual(migrations.map((m) => ({ version: m.version, checksum: m.checksum })));
      const tables = await store.db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.rows.map((row) => row.name)).toEqual(TABLES);
    });

    it('is idempotent: running again applies nothing', async () => {
      const store = await leg.open();
      const again = await runMigrations(store.db);
      expect(again).toEqual({ applied: [], alreadyApplied: versions, unknown: [] });
      const count = await store.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
      expect(count.rows[0]?.n).toBe(versions.length);
    });

    it('refuses a migration edited after it was applied', async () => {
      const store = await leg.open();
      const edited: Migration[] = migrations.map((m, i) =>
        i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'f'.repeat(64) } : m,
      );
      await expect(runMigrations(store.db, { migrations: edited })).rejects.toBeInstanceOf(MigrationChecksumError);
    });

    it('reports versions the database has but this code does not', async () => {
      const store = await leg.open();
      await store.db.query(`INSERT INTO schema_migrations (version, name, checksum) VALUES ('9999', 'future', 'x')`);
      const report = await runMigrations(store.db);
      expect(report.unknown).toEqual(['9999']);
    });

    it('rolls the whole run back when one migration fails', async () => {
      const store = await leg.open();
      const broken: Migration[] = [
        ...migrations,
        { version: '9001', name: 'creates', sql: 'CREATE TABLE half_done (x int);', checksum: 'a'.repeat(64) },
        { version: '9002', name: 'broken', sql: 'CREATE TABLE broken (x no_such_type);', checksum: 'b'.repeat(64) },
      ];
      await expect(runMigrations(store.db, { migrations: broken })).rejects.toBeInstanceOf(MigrationError);
      const leftovers = await store.db.query(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half_done'`,
      );
      expect(leftovers.rowCount).toBe(0);
      const recorded = await store.db.query(`SELECT 1 FROM schema_migrations WHERE version >= '9000'`);
      expect(recorded.rowCount).toBe(0);
    });
  });
}

const KEY = 'a-test-sealing-key-for-the-upgrade';
const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const APPROVERS: IdentityMappingConfig[] = ['alice', 'bob'].map((name) => ({ platform: 'shell' as const, workspace: 'local', user: name, iamUser: name, role: 'approver' as const }));

function storeConfigWithKey(key: string) {
  const loaded = loadConfig({ env: { COC_CHATOPS_SECRET_KEY: key }, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('invalid test configuration');
  return loaded.config.store;
}

const oldHost = (host: { resourceId: string; regionId: string; name: string }): OldHost => ({ resourceId: host.resourceId, regionId: host.regionId, name: host.name });

for (const leg of storeLegs) {
  describe.skipIf(leg.skipReason !== undefined)(`upgrading a 0010 database to backend ids on ${leg.name}`, () => {
    const folders: string[] = [];
    afterAll(() => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });

    it('carries every row over: the started plan, the pending approval and its sealed value, live cards, the incident and the audit trail', async () => {
      const options = leg.name === 'PGlite' ? { dataDir: join(mkdtempSync(join(tmpdir(), 'coc-chatops-0010-')), 'data') } : leg.freshOptions();
      if (options.dataDir) {
        folders.push(dirname(options.dataDir));
        // A folder as initdb left it; the migrations up to 0010 are run on it below.
        await seedUnmigratedDataDir(options.dataDir);
      }
      const sim = await startSimulator({ tickMs: 0 });
      let bot: TestBot | undefined;
      try {
        const client = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
        const healthy = sim.world.hosts.filter(isHealthyHost);
        const [h1, h2, h3] = [oldHost(healthy[0]!), oldHost(healthy[1]!), oldHost(healthy[2]!)];
        const low = await client.getScript(scriptUuid(sim, 'disk_usage'));
        const high = await client.getScript(scriptUuid(sim, 'rotate_db_password'));
        const runUuid = await client.executeScript(low.script_uuid, executeBody([{ hosts: [h1] }]));

        // ---- the database as 0010 left it ----
        const old = await openAt0010(options);
        const startedPlan = await insertOldPlan(old, {
          state: 'started', scriptUuid: low.script_uuid, scriptName: 'disk_usage', risk: 'LOW', contentHash: cocScriptHash(low), gmtModified: low.gmt_modified ?? 0,
          batches: [[h1]], excluded: [{ name: 'db-9', reason: 'OFFLINE', resourceId: 'r-offline', regionId: 'cn-south-1' }, { name: 'legacy', reason: 'NO_RESOURCE_ID' }],
          plainParams: {}, shownParams: {}, sensitive: [], sealedParams: null, executeUuid: runUuid, channelId: 'ops',
        });
        const sealed = new ParamSealer(sealingKey({ secretKey: KEY })).seal({ new_password: 'Upgraded_S3cret' });
        const highPlan = {
          state: 'requested', scriptUuid: high.script_uuid, scriptName: 'rotate_db_password', risk: 'HIGH', contentHash: cocScriptHash(high), gmtModified: high.gmt_modified ?? 0,
          batches: [[h2, h3], [h1]], excluded: [], plainParams: { db_user: 'app' }, shownParams: { db_user: 'app', new_password: '***' }, sensitive: ['new_password'], sealedParams: sealed, channelId: 'ops',
        } as const;
        const pendingPlan = await insertOldPlan(old, highPlan);
        const approvalId = await insertOldApproval(old, pendingPlan, highPlan);
        await insertOldLiveCards(old, runUuid, ['ops', 'incident-room']);
        await insertOldIncident(old, 'IM2026001', 'incident-room', runUuid, { [runUuid]: 'PROCESSING' });
        const audit = await insertOldAudit(old, runUuid);
        const auditBefore = (await old.query(`SELECT to_jsonb(a) AS row FROM audit_events a ORDER BY id`)).rows;
        const approvalBefore = (await old.query<{ version: number; script_content_hash: string; script_gmt_modified: number }>(`SELECT version, script_content_hash, script_gmt_modified FROM approvals`)).rows[0]!;
        await old.close();

        // ---- the new version starts on it ----
        bot = await makeTestBot({ simulator: sim, store: options, mappings: APPROVERS, config: { store: storeConfigWithKey(KEY) } });
        expect(bot.store.migrations.applied).toEqual(versions.filter((version) => version > VERSION_BEFORE_BACKEND_IDS));
        const db = bot.store.db;

        // The started plan reads as COC's run, its hosts as host targets, in their order.
        const started = (await getRunPlan(db, startedPlan))!;
        expect(started).toMatchObject({ state: 'started', backend: 'coc', runId: `coc:run:${runUuid}`, scriptId: `coc:script:${low.script_uuid}`, scriptModifiedAt: low.gmt_modified ?? 0 });
        expect(planDetails(started).excluded).toEqual([{ name: 'db-9', reason: 'OFFLINE', id: 'coc:host:r-offline', region: 'cn-south-1' }, { name: 'legacy', reason: 'NO_RESOURCE_ID' }]);
        const pending = (await getRunPlan(db, pendingPlan))!;
        expect(pending.sealedParams).toBe(sealed);
        expect(executionRequestOf(pending, {}).batches.map((batch) => batch.hosts)).toEqual([
          [h2, h3].map((h) => ({ id: `coc:host:${h.resourceId}`, name: h.name, region: h.regionId })),
          [{ id: `coc:host:${h1.resourceId}`, name: h1.name, region: h1.regionId }],
        ]);
        const approval = (await getApproval(db, approvalId))!;
        expect(approval).toMatchObject({ state: 'requested', backend: 'coc', version: approvalBefore.version, scriptId: `coc:script:${high.script_uuid}`, scriptContentHash: approvalBefore.script_content_hash, scriptModifiedAt: Number(approvalBefore.script_gmt_modified), runId: null });
        expect(approval.plan).toEqual({ planId: pendingPlan, hosts: [h2, h3, h1].map((h) => ({ id: `coc:host:${h.resourceId}`, region: h.regionId, name: h.name })), params: highPlan.shownParams });

        // The audit trail: renamed, not rewritten; the pending write can still be completed, nothing else changed.
        const auditAfter = (await db.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(a) AS row FROM audit_events a ORDER BY id`)).rows;
        expect(auditAfter.map(({ row }) => row)).toEqual(
          auditBefore.map(({ row }) => {
            const { coc_request_id: requestId, ...rest } = row as Record<string, unknown>;
            return { ...rest, request_id: requestId, backend: null };
          }),
        );
        await expect(db.query(`UPDATE audit_events SET target = 'rewritten' WHERE id = $1`, [audit.finished])).rejects.toThrow(/append-only/);
        expect(await completeWriteIntent(db, audit.pending, { outcome: 'succeeded', requestId: 'req-after-upgrade' })).toBe(true);

        // The incident's last summary is keyed by run: the orders it showed are not new.
        const summary = readSummaryState((await findIncidentChannelByPlace(db, { platform: 'shell', workspaceId: 'local', channelId: 'incident-room', threadRef: null }))?.summaryState);
        const linked = await loadLinkedOrders(db, bot.services.backend, 'IM2026001');
        expect(linked.map((order) => order.run)).toEqual([`coc:run:${runUuid}`]);
        expect(summary?.orders).toEqual({ [`coc:run:${runUuid}`]: 'PROCESSING' });
        expect(Object.keys(summary!.orders)).toEqual(Object.keys(summaryStateOf({ status: undefined } as unknown as Incident, undefined, linked).orders));

        // The live cards are edited where they were posted, none posted again.
        sim.settle(runUuid);
        await bot.core.tracker.tick();
        await bot.core.tracker.tick();
        expect(bot.surface.posts).toEqual([]);
        expect(new Set(bot.surface.updates.map((update) => update.posted.messageRef))).toEqual(new Set(['posted-before-1', 'posted-before-2']));
        expect((await listTrackedCards(db, `coc:run:${runUuid}`)).map((card) => card.messageRef)).toEqual(['posted-before-1', 'posted-before-2']);

        // The approval approves and starts: its pinned script still matches, the sealed value is sent once.
        sim.resetRequests();
        const reply = await bot.handle({ kind: 'action', actor: { platform: 'shell', workspaceId: 'local', userId: 'bob' }, place: { channelId: 'ops', isDirect: false }, actionId: 'approval:approve', value: approvalId });
        expect(reply.title).toMatch(/^Approved: order \S+ started$/);
        expect(sim.countRequests(EXECUTE)).toBe(1);
        expect(JSON.stringify(sim.requests.find((r) => r.routeKey === EXECUTE)?.body)).toContain('Upgraded_S3cret');
        const executed = (await getApproval(db, approvalId))!;
        expect(executed.state).toBe('executed');
        expect(executed.runId).toMatch(/^coc:run:/);
        expect((await getRunPlan(db, pendingPlan))).toMatchObject({ state: 'started', runId: executed.runId, sealedParams: null });
        expect(reply.title).toBe(`Approved: order ${nativeOf(executed.runId!)} started`);
      } finally {
        await bot?.close();
        await sim.close();
      }
    });
  });
}

announceSkip(postgresLeg, 'store-migrations');
describe.skipIf(postgresLeg.skipReason !== undefined)('migrations on PostgreSQL with several replicas', () => {
  it('re-opening the same schema applies nothing and keeps the data', async () => {
    const options = postgresLeg.freshOptions();
    const first = await postgresLeg.open(options);
    await setSetting(first.db, 'kept', { n: 1 });
    await first.close();
    const second = await postgresLeg.open(options);
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.alreadyApplied).toEqual(versions);
    expect(await getSetting(second.db, 'kept', z.object({ n: z.number() }))).toEqual({ n: 1 });
  });

  it('replicas starting together apply the migrations exactly once', async () => {
    const options = postgresLeg.freshOptions();
    const stores = await Promise.all(Array.from({ length: 5 }, () => postgresLeg.open(options)));
    const appliedBy = stores.filter((store) => store.migrations.applied.length > 0);
    expect(appliedBy).toHaveLength(1);
    expect(appliedBy[0]?.migrations.applied).toEqual(versions);
    for (const store of stores.filter((s) => s !== appliedBy[0])) {
      expect(store.migrations.alreadyApplied).toEqual(versions);
    }
    const count = await stores[0]!.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(count.rows[0]?.n).toBe(versions.length);
  });

  it('keeps separate schemas separate', async () => {
    const a = await postgresLeg.open();
    const b = await postgresLeg.open();
    await setSetting(a.db, 'only-in-a', true);
    expect(await getSetting(b.db, 'only-in-a', z.boolean())).toBeUndefined();
  });
});

describe('PGlite persisted in a data folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'coc-chatops-store-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /**
   * A data folder already created and migrated, for the lock tests (what they open matters, not
   * how it was first made): a copy of the run's migrated folder, instead of initdb and every
   * migration again. The test above creates its folder itself.
   */
  async function migratedCopy(name: string): Promise<string> {
    const dataDir = join(root, name);
    await seedMigratedDataDir(dataDir);
    return dataDir;
  }

  // The bot's first start on a new folder: initdb and every migration, through openStore.
  it('keeps data across close and reopen, and migrates only the first time', async () => {
    const dataDir = join(root, 'nested', 'pglite');
    const first = await pgliteLeg.open({ dataDir });
    expect(first.db.description).toBe(`PGlite in ${dataDir}`);
    expect(first.migrations.applied).toEqual(versions);
    await setSetting(first.db, 'greeting', 'hello');
    await first.close();

    const second = await pgliteLeg.open({ dataDir });
    expect(second.migrations.applied).toEqual([]);
    expect(second.migrations.alreadyApplied).toEqual(versions);
    expect(await getSetting(second.db, 'greeting', z.string())).toBe('hello');
    await second.close();
  });

  it('refuses a second opener of the same folder while the first is open', async () => {
    const dataDir = await migratedCopy('busy');
    const first = await pgliteLeg.open({ dataDir });
    await expect(openStore({ dataDir })).rejects.toBeInstanceOf(DataDirBusyError);
    await first.close();
    const again = await pgliteLeg.open({ dataDir });
    await again.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = await migratedCopy('stale');
    // A pid far above any real one: no such process.
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });

  it('takes over a lock with our own pid that this process does not hold (a restarted container)', async () => {
    const dataDir = await migratedCopy('restarted');
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, host: hostname() }));
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });

  it('honours a fresh lock from another host and takes over one not refreshed for a while', async () => {
    const dataDir = await migratedCopy('other-host');
    const lockPath = `${dataDir}.lock`;
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: 'some-other-container' }));
    await expect(openStore({ dataDir })).rejects.toBeInstanceOf(DataDirBusyError);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockPath, longAgo, longAgo);
    const store = await pgliteLeg.open({ dataDir });
    await store.close();
  });
});
