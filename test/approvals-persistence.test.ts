/**
 * Approvals outlive the process: a request made before a restart is approved after it and runs
 * with the real sensitive value, which was never stored in clear (not even in the database's
 * files). The key that seals it: configured (every replica the same), else a 0600 key file
 * beside an embedded store, else the process's own — then a request sealed elsewhere is
 * refused with the reason, never run with a wrong value.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { ParamSealer } from '../src/run/sealing.js';
import { keyFileFor, sealingKey, SealingKeyFileError } from '../src/run/sealing-key.js';
import { getApproval } from '../src/store/approvals.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { getRunPlanByApproval } from '../src/store/run-plans.js';
import type { StoreOptions } from '../src/store/index.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';
import { announceSkip, postgresLeg, storeLegs, type StoreLeg } from './helpers/store-legs.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const SECRET = 'Persisted_S3cret_9';
const HIGH_LINE = `run rotate_db_password --tag role=db --param db_user=app --param new_password=${SECRET} --batch-size 3`;
const PEOPLE: IdentityMappingConfig[] = [
  { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator' },
  { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'approver' },
];

const dirs: string[] = [];
const bots: TestBot[] = [];
let sim: Simulator | undefined;

afterEach(async () => {
  await Promise.all(bots.splice(0).map((b) => b.close()));
});
afterAll(async () => {
  await sim?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coc-approvals-'));
  dirs.push(dir);
  return dir;
}

/**
 * An embedded store's data folder as the bot's first start leaves it (a copy of the run's
 * migrated folder: what these tests reopen matters, not initdb).
 */
async function migratedDataDir(): Promise<string> {
  const dataDir = join(tempDir(), 'pglite');
  await seedMigratedDataDir(dataDir);
  return dataDir;
}

async function sharedSim(): Promise<Simulator> {
  sim ??= await startSimulator({ tickMs: 0 });
  return sim;
}

/** The store section with this sealing key (validated like any configuration). */
function storeConfigWithKey(key: string) {
  const loaded = loadConfig({ env: { COC_CHATOPS_SECRET_KEY: key }, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('invalid test configuration');
  return loaded.config.store;
}

async function open(store: StoreOptions, secretKey?: string): Promise<TestBot> {
  const made = await makeTestBot({ simulator: await sharedSim(), store, mappings: PEOPLE, ...(secretKey ? { config: { store: storeConfigWithKey(secretKey) } } : {}) });
  bots.push(made);
  return made;
}

async function close(b: TestBot): Promise<void> {
  bots.splice(bots.indexOf(b), 1);
  await b.close();
}

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}
const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string): Promise<Message> => b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

async function requested(b: TestBot): Promise<string> {
  const preview = await say(b, 'alice', HIGH_LINE);
  const plan = preview.buttons?.find((x) => x.actionId === 'run:go')?.value;
  if (!plan) throw new Error(`no preview: ${preview.title} ${preview.text}`);
  const id = /approval (\S+)/.exec((await click(b, 'alice', 'run:go', plan)).footer ?? '')?.[1];
  if (!id) throw new Error('no approval request');
  return id;
}

function executedWithSecret(s: Simulator): boolean {
  return s.requests.some((r) => r.routeKey === EXECUTE && JSON.stringify(r.body).includes(SECRET));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('the sealing key', () => {
  it('is made once in a 0600 file beside an embedded store and read back by the next process', () => {
    const dataDir = join(tempDir(), 'pglite');
    const file = keyFileFor(dataDir)!;
    expect(file).toBe(`${dataDir}.key`);
    const first = sealingKey({ keyFile: file });
    expect(first.origin).toBe('file');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = new ParamSealer(first).seal({ new_password: SECRET });
    expect(sealed).not.toContain(SECRET);
    expect(new ParamSealer(sealingKey({ keyFile: file })).unseal(sealed)).toEqual({ new_password: SECRET });
    // Permissions widened by someone are narrowed again.
    chmodSync(file, 0o644);
    sealingKey({ keyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is not a file for an in-memory store, and a damaged file is refused rather than replaced', () => {
    expect(keyFileFor('memory://')).toBeUndefined();
    expect(sealingKey({}).origin).toBe('process');
    const file = join(tempDir(), 'broken.key');
    writeFileSync(file, 'not a key', { mode: 0o600 });
    expect(() => sealingKey({ keyFile: file })).toThrow(SealingKeyFileError);
    // A configured key wins over any file.
    expect(sealingKey({ secretKey: 'a-configured-key-of-16+', keyFile: file }).origin).toBe('configured');
  });

  it('opens only what it sealed, saying why not otherwise', () => {
    const sealed = new ParamSealer(sealingKey({ secretKey: 'the-first-key-16chars' })).seal({ a: 'b' });
    expect(() => new ParamSealer(sealingKey({ secretKey: 'another-key-16-chars' })).unseal(sealed)).toThrow(/configured key .*changed/);
    expect(() => new ParamSealer(sealingKey({})).unseal(sealed)).toThrow(/sealed by another process .* no shared key is configured/);
  });
});

describe('an embedded store on disk without a configured key', () => {
  it('keeps a request across a restart; approved afterwards it runs with the real value, never stored in clear', async () => {
    const dataDir = await migratedDataDir();
    const before = await open({ dataDir });
    const id = await requested(before);
    await close(before);
    expect(statSync(`${dataDir}.key`).mode & 0o777).toBe(0o600);

    const after = await open({ dataDir });
    const pending = await say(after, 'bob', 'approvals');
    expect(pending.table?.rows.map((row) => row[0])).toEqual([id]);
    after.sim.resetRequests();
    expect((await click(after, 'bob', 'approval:approve', id)).title).toMatch(/^Approved: order SCT/);
    expect(after.sim.countRequests(EXECUTE)).toBe(1);
    expect(executedWithSecret(after.sim)).toBe(true);
    // Once it ran, the sealed value is dropped too.
    expect((await getRunPlanByApproval(after.store.db, id))?.sealedParams).toBeNull();
    const audit = await listAuditEvents(after.store.db, { limit: 200 });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify([after.surface.posts, after.surface.updates, after.surface.notices])).not.toContain(SECRET);
    await close(after);
    // Not in the database's own files either (tables, WAL), nor in the key file.
    const needle = Buffer.from(SECRET);
    const leaks = filesUnder(dataDir).filter((file) => readFileSync(file).includes(needle));
    expect(leaks).toEqual([]);
  });
});

describe.each(storeLegs)('with a configured key ($name)', (leg: StoreLeg) => {
  announceSkip(leg, 'approvals-persistence.test.ts');
  const storeOf = async (): Promise<StoreOptions> => (leg.name === 'PGlite' ? { dataDir: await migratedDataDir() } : leg.freshOptions());

  it.skipIf(leg.skipReason !== undefined)('keeps plans and requests across reopening the store, and runs once after it', async () => {
    const store = await storeOf();
    const before = await open(store, 'shared-key-of-every-replica');
    const id = await requested(before);
    const stored = await getRunPlanByApproval(before.store.db, id);
    expect(stored?.sealedParams).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    await close(before);

    const after = await open(store, 'shared-key-of-every-replica');
    expect((await getApproval(after.store.db, id))?.state).toBe('requested');
    expect((await say(after, 'bob', `approval show ${id}`)).text).toMatch(/alice asks to run this HIGH-risk script/);
    after.sim.resetRequests();
    const [first, second] = await Promise.all([click(after, 'bob', 'approval:approve', id), click(after, 'bob', 'approval:approve', id)]);
    expect([first.title, second.title].filter((title) => /^Approved: order SCT/.test(title ?? ''))).toHaveLength(1);
    expect(after.sim.countRequests(EXECUTE)).toBe(1);
    expect(executedWithSecret(after.sim)).toBe(true);
  });

  it.skipIf(leg.skipReason !== undefined)('refuses, with the reason, a request sealed under a key that has since changed', async () => {
    const store = await storeOf();
    const before = await open(store, 'the-key-before-rotation');
    const id = await requested(before);
    await close(before);
    const after = await open(store, 'the-key-after-rotation!');
    after.sim.resetRequests();
    const reply = await click(after, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('Approved, but the run did not start');
    expect(reply.text).toMatch(/cannot be opened with the configured key .*; nothing ran, request again/);
    expect(after.sim.countRequests(EXECUTE)).toBe(0);
    expect((await getApproval(after.store.db, id))?.state).toBe('failed');
  });
});

describe('PostgreSQL replicas without a shared key', () => {
  announceSkip(postgresLeg, 'approvals-persistence.test.ts');
  it.skipIf(postgresLeg.skipReason !== undefined)('refuse to run what another replica sealed, saying how to fix it', async () => {
    const store = postgresLeg.freshOptions();
    const one = await open(store);
    const two = await open(store);
    const id = await requested(one);
    two.sim.resetRequests();
    const reply = await click(two, 'bob', 'approval:approve', id);
    expect(reply.text).toMatch(/sealed by another process .* no shared key is configured \(store\.secretKey \/ COC_CHATOPS_SECRET_KEY\); nothing ran/);
    expect(two.sim.countRequests(EXECUTE)).toBe(0);
  });
});
