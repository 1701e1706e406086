/**
 * However a sensitive script parameter is typed — smart-punctuation dashes, a space instead of
 * "=", a mistyped flag — it never reaches the audit trail, and the line echoed back is masked.
 * Through the real dispatcher and store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const SECRET = 'Hunter2Secret';
const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const LINES = [
  `run rotate_db_password --hosts db-01 —param new_password=${SECRET}`,
  `run rotate_db_password --hosts db-01 ——param new_password=${SECRET}`,
  `run rotate_db_password --hosts db-01 －－param new_password=${SECRET}`,
  `run rotate_db_password --hosts db-01 –param new_password=${SECRET}`,
  `run rotate_db_password --hosts db-01 --param new_password ${SECRET}`,
  `run rotate_db_password --hosts db-01 --Param new_password=${SECRET}`,
  `run rotate_db_password --hosts db-01 --para new_password=${SECRET}`,
];

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot();
});
afterAll(() => bot.close());

describe('secret values typed in odd ways', () => {
  it('never reach a reply, the audit trail or a masked echo of the line', async () => {
    for (const text of LINES) {
      const reply = await bot.handle({ kind: 'command', actor: alice, place: PLACE, text });
      expect(JSON.stringify(reply), text).not.toContain(SECRET);
      expect(bot.dispatcher.maskLine(text), text).not.toContain(SECRET);
    }
    const rows = await listAuditEvents(bot.store.db, {});
    const runs = rows.filter((row) => row.command === 'run');
    expect(runs.length).toBeGreaterThanOrEqual(LINES.length);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  it('an em dash typed by a phone works as the flag it stands for', async () => {
    const reply = await bot.handle({ kind: 'command', actor: alice, place: PLACE, text: 'run disk_usage —hosts web-01' });
    expect(reply.buttons?.map((button) => button.actionId)).toContain('run:go');
  });
});
