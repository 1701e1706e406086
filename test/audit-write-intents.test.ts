/**
 * Every write to COC has its audit row before it is sent, completed with what happened:
 * done → succeeded, refused (a 4xx with COC's error) → failed, a 503 after COC acted or no
 * answer at all → unknown. One row per write (no second per-call row), reads as before; a
 * database that cannot take the intent means the write is not sent; an intent whose process
 * died is settled as unknown by the sweep and can be resolved later by reconciliation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditScope } from '../src/audit/audit-log.js';
import { errorToMessage } from '../src/core/errors-to-message.js';
import { DANGLING_INTENT_ERROR, resolveWriteIntent, settleDanglingWriteIntents } from '../src/audit/write-intents.js';
import type { CocClient } from '../src/coc/client.js';
import { CocValidationError } from '../src/coc/errors.js';
import { writeFailureOf } from '../src/coc/write-outcome.js';
import { listAuditEvents, type AuditEventRow } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { announceSkip, pgliteLeg, storeLegs } from './helpers/store-legs.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const EXECUTE_ROW = `coc ${EXECUTE}`;
const SECRET = 'Intent_S3cret_value';

let bot: TestBot;

for (const leg of storeLegs) {
  announceSkip(leg, 'audit-write-intents');
  describe.skipIf(leg.skipReason !== undefined)(`on ${leg.name}`, () => {
    beforeAll(async () => {
      bot = await makeTestBot(leg === pgliteLeg ? {} : { store: leg.freshOptions() });
    });
    afterAll(() => bot?.close());
    beforeEach(() => {
      bot.sim.faults.clear();
      bot.sim.resetRequests();
    });
    suite();
  });
}

/** Admin-API faults, as an operator would set them. */
async function fault(key: string, fault: unknown): Promise<void> {
  const response = await fetch(`${bot.sim.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, fault }) });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/**
 * An invocation as the dispatcher opens it: alice in #ops, running rotate_db_password with a
 * masked secret; `fn` gets the bot's client in the invocation's scope, as the dispatcher hands it.
 */
async function asAlice<T>(fn: (coc: CocClient) => Promise<T>): Promise<{ value?: T; error?: unknown; scope: AuditScope }> {
  let captured: AuditScope | undefined;
  const result = await bot.services.audit.within(
    {
      actor: { platform: 'shell', workspaceId: 'local', userId: 'alice' },
      place: { channelId: 'ops', isDirect: false },
      iamUserName: 'alice',
      command: 'run',
      target: 'rotate_db_password',
      maskedParameters: { args: ['rotate_db_password'], param: ['db_user=app', 'new_password=***'] },
    },
    async (scope) => {
      captured = scope;
      try {
        return { value: await fn(bot.coc.scoped({ audit: scope })) };
      } catch (error) {
        return { error };
      }
    },
  );
  return { ...result, scope: captured! };
}

function execute(options: { timeoutMs?: number; signal?: AbortSignal } = {}, coc: CocClient = bot.coc): Promise<string> {
  const hosts = bot.sim.world.hosts.filter(isHealthyHost).slice(0, 2);
  const body = executeBody([{ hosts }], { params: [{ param_name: 'db_user', param_value: 'app' }, { param_name: 'new_password', param_value: SECRET }] });
  return coc.executeScript(scriptUuid(bot.sim, 'rotate_db_password'), body, options);
}

/** The rows written since `since` (the trail is newest first). */
async function rowsSince(since: Date): Promise<AuditEventRow[]> {
  return listAuditEvents(bot.store.db, { since, limit: 500 });
}

async function dbNow(): Promise<Date> {
  const { rows } = await bot.store.db.query<{ now: Date }>('SELECT now() AS now');
  return rows[0]!.now;
}

/** The same checks on each store: the intent's SQL, its trigger and the sweep differ by nothing but the driver. */
function suite(): void {
  describe('write intents through the real simulator', () => {
    it('records a done write as one row, pending before the request and succeeded after, with who, what and on what', async () => {
      const since = await dbNow();
      const { value, scope } = await asAlice((coc) => execute({}, coc));
      expect(value).toMatch(/^SCT/);
      await bot.services.audit.write(scope, 'succeeded');
      const rows = await rowsSince(since);
      const writes = rows.filter((row) => row.command === EXECUTE_ROW);
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatchObject({
        platform: 'shell',
        chatUserId: 'alice',
        iamUserName: 'alice',
        channelId: 'ops',
        target: 'rotate_db_password',
        outcome: 'succeeded',
        error: null,
      });
      expect(writes[0]!.requestId).toBe(bot.sim.requests.find((r) => r.routeKey === EXECUTE)!.requestId);
      expect(writes[0]!.maskedParameters).toMatchObject({ invocation: 'run', status: 200, attempt: 1 });
      expect(JSON.stringify(rows)).not.toContain(SECRET);
      // The invocation's own row is still there, and no second per-call row for the write.
      expect(rows.filter((row) => row.command === 'run')).toHaveLength(1);
      expect(rows).toHaveLength(2);
    });

    it('commits the intent before the request is sent', async () => {
      // The intent is 'pending' while COC holds the request: seen from the simulator's request log.
      await fault(EXECUTE, { kind: 'hang' });
      const since = await dbNow();
      const abort = new AbortController();
      const call = asAlice((coc) => execute({ timeoutMs: 60_000, signal: abort.signal }, coc));
      await until(() => bot.sim.countRequests(EXECUTE) === 1);
      const during = (await rowsSince(since)).filter((row) => row.command === EXECUTE_ROW);
      expect(during.map((row) => row.outcome)).toEqual(['pending']);
      // Given up by its caller after it was sent: COC may have acted.
      abort.abort(new Error('the caller gave up'));
      expect((await call).error).toBeInstanceOf(Error);
      const after = (await rowsSince(since)).filter((row) => row.command === EXECUTE_ROW);
      expect(after.map((row) => row.outcome)).toEqual(['unknown']);
    });

    it.each([
      ['a 400 with COC’s error', { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad script' }, 'failed', 'refused'],
      ['a 503 after COC acted', { kind: 'status', status: 503, afterHandling: true }, 'unknown', 'unknown'],
      ['no answer (hang)', { kind: 'hang' }, 'unknown', 'unknown'],
    ] as const)('records %s as %s, once', async (_name, injected, outcome, failure) => {
      await fault(EXECUTE, injected);
      const since = await dbNow();
      const { error, scope } = await asAlice((coc) => execute({ timeoutMs: 300 }, coc));
      expect(writeFailureOf(error)).toBe(failure);
      await bot.services.audit.write(scope, 'failed', error instanceof Error ? error.message : undefined);
      const writes = (await rowsSince(since)).filter((row) => row.command === EXECUTE_ROW);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.outcome).toBe(outcome);
      expect(writes[0]!.error).toBeTruthy();
      if (outcome === 'unknown') expect(writes[0]!.error).toContain('outcome unknown');
      expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    });

    it('keeps reads as they were: one per-call row per GET, written with the invocation', async () => {
      const since = await dbNow();
      await bot.run('carol', 'scripts');
      const rows = await rowsSince(since);
      expect(rows.filter((row) => row.command.startsWith('coc GET ')).length).toBeGreaterThan(0);
      expect(rows.every((row) => row.outcome === 'succeeded')).toBe(true);
    });

    it('records a write from a command through the dispatcher (alarm) as one row', async () => {
      const since = await dbNow();
      const reply = await bot.run('alice', 'alarm --name disk-full --level critical --desc "disk almost full" --app 6470681a31da2a47ed50a919');
      expect(reply).not.toMatch(/unexpected/i);
      const rows = await rowsSince(since);
      const writes = rows.filter((row) => row.command.startsWith('coc POST '));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatchObject({ chatUserId: 'alice', outcome: 'succeeded' });
      expect(writes[0]!.command).toBe('coc POST /v1/event/huawei/custom/{integration_key}');
    });

    it('records a write made outside any invocation as the bot itself', async () => {
      const since = await dbNow();
      await execute();
      const writes = (await rowsSince(since)).filter((row) => row.command === EXECUTE_ROW);
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatchObject({ platform: 'system', chatUserId: null, outcome: 'succeeded', target: null });
    });
  });

  describe('a database that refuses the intent', () => {
    it('sends nothing to COC and says nothing was sent', async () => {
      const db = bot.store.db;
      await db.exec(`
        CREATE FUNCTION test_refuse_intents() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the disk is full'; END; $$;
        CREATE TRIGGER test_refuse_intents BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.write_intent) EXECUTE FUNCTION test_refuse_intents();`);
      try {
        const { error } = await asAlice((coc) => execute({}, coc));
        expect(error).toBeInstanceOf(CocValidationError);
        expect(writeFailureOf(error)).toBe('refused');
        expect((error as Error).message).toContain('nothing was sent to COC');
        // What the person reads says why, not that their input broke a rule.
        expect(errorToMessage(error).title).toBe('Not sent to COC: the audit trail could not record it');
        expect(bot.sim.countRequests(EXECUTE)).toBe(0);
      } finally {
        await db.exec('DROP TRIGGER test_refuse_intents ON audit_events; DROP FUNCTION test_refuse_intents();');
      }
    });
  });

  describe('dangling intents', () => {
    it('settles a pending intent past the longest request as unknown, and lets reconciliation resolve it', async () => {
      const db = bot.store.db;
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO audit_events (write_intent, occurred_at, platform, chat_user_id, command, target, masked_parameters, outcome)
         VALUES (true, now() - interval '10 minutes', 'shell', 'alice', $1, 'disk_usage', '{"invocation":"run"}', 'pending'),
                (true, now(), 'shell', 'alice', $1, 'fresh', '{}', 'pending')
         RETURNING id`,
        [EXECUTE_ROW],
      );
      const [old, fresh] = rows.map((row) => row.id);
      const settled = await settleDanglingWriteIntents(db, { olderThanMs: 5 * 60_000 });
      expect(settled).toEqual([{ id: old, command: EXECUTE_ROW, target: 'disk_usage', maskedParameters: { invocation: 'run' } }]);
      const outcomes = async () => new Map((await listAuditEvents(db, { limit: 500 })).map((row) => [row.id, row]));
      let byId = await outcomes();
      expect(byId.get(old!)).toMatchObject({ outcome: 'unknown', error: DANGLING_INTENT_ERROR });
      expect(byId.get(fresh!)?.outcome).toBe('pending');
      expect(await settleDanglingWriteIntents(db, { olderThanMs: 5 * 60_000 })).toEqual([]);

      // An embedded store's earlier process: everything from before this one started is left.
      expect((await settleDanglingWriteIntents(db, { olderThanMs: 5 * 60_000, leftBefore: new Date(Date.now() + 60_000) })).map((r) => r.id)).toEqual([fresh]);

      expect(await resolveWriteIntent(db, old!, 'succeeded', 'order SCT1 found in COC (confirmed after a lost answer)')).toBe(true);
      byId = await outcomes();
      expect(byId.get(old!)).toMatchObject({ outcome: 'succeeded', error: null, maskedParameters: { invocation: 'run', resolution: 'order SCT1 found in COC (confirmed after a lost answer)' } });
      // Final is final; other rows stay append-only.
      expect(await resolveWriteIntent(db, old!, 'failed', 'changed my mind')).toBe(false);
      const invocation = (await listAuditEvents(db, { limit: 500 })).find((row) => !row.command.startsWith('coc '))!;
      await expect(db.query(`UPDATE audit_events SET outcome = 'failed' WHERE id = $1`, [invocation.id])).rejects.toThrow(/append-only/);
      await expect(db.query(`UPDATE audit_events SET command = 'coc GET /x' WHERE id = $1`, [fresh])).rejects.toThrow(/append-only/);
    });

    it('is swept by a background task of the assembled bot', () => {
      expect(bot.core.background.names).toContain('write-intents');
    });
  });
}

/** Waits for what the simulator's request log shows (an event, not a time); gives up after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
