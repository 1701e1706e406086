/**
 * Answers under a burst end with the audit row of each read (on the reply's path): rows written
 * while a statement of them is at the store go together in one INSERT, and every invocation
 * still gets its own rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot;
let statements = 0;

beforeAll(async () => {
  bot = await makeTestBot();
  const db = bot.store.db;
  const unflushed = db.queryWithoutFlushWait.bind(db);
  Object.assign(db, {
    queryWithoutFlushWait: (sql: string, params?: readonly unknown[]) => {
      if (sql.startsWith('INSERT INTO audit_events')) statements += 1;
      return unflushed(sql, params);
    },
  });
});
afterAll(() => bot.close());

describe("reads' audit rows in a burst", () => {
  it('writes 40 reads at once in fewer statements, one row each', async () => {
    await bot.run('carol', 'whoami');
    statements = 0;
    const before = (await listAuditEvents(bot.store.db, { limit: 1000 })).length;
    await Promise.all(Array.from({ length: 40 }, () => bot.run('carol', 'whoami')));
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThan(40);
    const rows = await listAuditEvents(bot.store.db, { limit: 1000 });
    expect(rows.length - before).toBe(40);
    expect(rows.slice(0, 40).every((row) => row.command === 'whoami' && row.chatUserId === 'carol' && row.outcome === 'succeeded')).toBe(true);
  });
});
