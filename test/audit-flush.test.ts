/**
 * Which audit rows wait for the database's disk flush: a viewer's read that went as asked is
 * written just after its answer, without waiting; refusals, failures, changes and anything an
 * admin, approver or operator does are written before the answer and wait for it. Both kinds
 * are stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents, writeHeldAuditRows } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot;
const writes: { unflushed: boolean; sql: string }[] = [];

beforeAll(async () => {
  bot = await makeTestBot();
  const db = bot.store.db;
  const query = db.query.bind(db);
  const unflushed = db.queryWithoutFlushWait.bind(db);
  const auditOnly = (sql: string) => sql.startsWith('INSERT INTO audit_events');
  Object.assign(db, {
    query: (sql: string, params?: readonly unknown[]) => {
      if (auditOnly(sql)) writes.push({ unflushed: false, sql });
      return query(sql, params);
    },
    queryWithoutFlushWait: (sql: string, params?: readonly unknown[]) => {
      if (auditOnly(sql)) writes.push({ unflushed: true, sql });
      return unflushed(sql, params);
    },
  });
});
afterAll(() => bot.close());

async function auditWriteOf(user: string, line: string): Promise<{ unflushed: boolean }> {
  writes.length = 0;
  await bot.run(user, line);
  // A read's rows follow its answer: held a moment, written together with others.
  await writeHeldAuditRows(bot.store.db);
  expect(writes.map((w) => `${w.unflushed} ${w.sql.slice(0, 300)}`), line).toHaveLength(1);
  return { unflushed: writes[0]!.unflushed };
}

describe('audit rows and the disk flush', () => {
  it("does not wait for a viewer's successful reads", async () => {
    expect(await auditWriteOf('carol', 'scripts')).toEqual({ unflushed: true });
    expect(await auditWriteOf('carol', 'hosts --tag role=web')).toEqual({ unflushed: true });
  });

  it('waits for refusals, failures and whatever an operator or admin does', async () => {
    expect(await auditWriteOf('carol', 'order cancel SCT0000 --yes')).toEqual({ unflushed: false });
    expect(await auditWriteOf('carol', 'scripts --nope')).toEqual({ unflushed: false });
    expect(await auditWriteOf('carol', 'scripts show no_such_script')).toEqual({ unflushed: false });
    expect(await auditWriteOf('mallory', 'scripts')).toEqual({ unflushed: false });
    expect(await auditWriteOf('dave', 'admin users')).toEqual({ unflushed: false });
  });

  it("answers a read before its row is written, and writes it after", async () => {
    writes.length = 0;
    await bot.run('carol', 'whoami');
    expect(writes).toHaveLength(0);
    await writeHeldAuditRows(bot.store.db);
    expect(writes.map((w) => w.unflushed)).toEqual([true]);
  });

  it('stores both kinds', async () => {
    await bot.run('carol', 'whoami');
    const [latest] = await listAuditEvents(bot.store.db, { limit: 1 });
    expect(latest).toMatchObject({ command: 'whoami', chatUserId: 'carol', outcome: 'succeeded' });
  });
});
