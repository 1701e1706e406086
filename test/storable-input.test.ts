/**
 * Text a store cannot hold (a NUL byte, an unpaired UTF-16 surrogate) is refused before any
 * write, naming the field and saying what is allowed, on PGlite: a typed option (`audit
 * --user`), a Reject reason, an incident form's field. The attempt itself is audited (the
 * audit trail stores a cleaned copy); nothing else is written and nothing reaches COC.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { optionHolding } from '../src/core/unstorable-input.js';
import { firstUnstorable } from '../src/core/storable-text.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { SHELL_PLACE, ShellSession } from '../src/adapters/shell/session.js';
import { getApproval } from '../src/store/approvals.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const HIGH_LINE = 'run rotate_db_password --tag role=db --param db_user=app --param new_password=N3w_S3cret_x --batch-size 3';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot();
});
afterAll(async () => {
  await bot.close();
});

function submit(user: string, formId: string, values: Record<string, string>, context?: string): Promise<Message> {
  const invocation: Invocation = { kind: 'submission', actor: actor(user), place: SHELL_PLACE, formId, values, ...(context !== undefined ? { context } : {}) };
  return bot.handle(invocation);
}

function writes(): string[] {
  return bot.sim.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('finding what cannot be stored', () => {
  it('finds the first NUL or unpaired surrogate, and the option that holds it', () => {
    expect(firstUnstorable('plain 中文 🚀')).toBeUndefined();
    expect(firstUnstorable('ab\u0000c\ud800')).toEqual({ index: 2, kind: 'nul' });
    expect(firstUnstorable('a\udc00b\u0000')).toEqual({ index: 1, kind: 'surrogate' });
    const flags = [
      { name: 'user', takesValue: true, description: '' },
      { name: 'mine', takesValue: false, description: '' },
    ];
    expect(optionHolding(['--user', 'ev\u0000e'], flags)).toBe('user');
    expect(optionHolding(['--user=ev\u0000e'], flags)).toBe('user');
    expect(optionHolding(['--mine', 'x\u0000'], flags)).toBeUndefined();
    expect(optionHolding(['x\u0000'], flags)).toBeUndefined();
    expect(optionHolding(['--us\u0000er=x'], flags)).toBeUndefined();
  });
});

describe('text a store cannot hold', () => {
  it('in audit --user: refused naming --user, with what is allowed, and nothing but the audit row written', async () => {
    for (const line of ['audit --user ev\u0000e', 'audit --user=ev\u0000e --since 2h']) {
      const reply = await bot.handle({ kind: 'command', actor: actor('bob'), place: SHELL_PLACE, text: line });
      expect(reply.tone, line).toBe('danger');
      expect(reply.title).not.toMatch(/Something went wrong/);
      expect(reply.text).toMatch(/^The option --user holds a NUL character \(U\+0000\) at position 16, which cannot be stored\. Nothing was done; retype it without that character/);
    }
    const surrogate = await bot.run('bob', 'audit --user \ud800x');
    expect(surrogate).toMatch(/The option --user holds a broken character \(an unpaired UTF-16 surrogate\) at position 14/);
    const rows = await listAuditEvents(bot.store.db, { iamUserName: 'bob' });
    expect(rows.filter((row) => row.command === 'audit').map((row) => row.outcome)).toEqual(['failed', 'failed', 'failed']);
    // Said in the reader's language too.
    const zh = await makeTestBot({ locale: 'zh-CN', simulator: bot.sim });
    try {
      expect(await zh.run('bob', 'audit --user ev\u0000e')).toContain('选项 --user在第 16 个位置含有 NUL 字符（U+0000），无法保存');
    } finally {
      await zh.close();
    }
  });

  it('in a plain word: refused naming the command', async () => {
    expect(await bot.run('carol', 'scripts show a\u0000b')).toMatch(/The command holds a NUL character \(U\+0000\) at position 15/);
  });

  it('in a button value: refused, nothing done', async () => {
    expect(await bot.click('bob', 'approval:approve', '0b7c5a55-2f1e-4c4b-9a53-5b1f0e7d2c1\u0000')).toMatch(/The button's value holds a NUL character/);
  });

  it('in a Reject reason: refused under the reason field; the request stays open, and a clean reason then rejects it', async () => {
    const preview = await bot.handle({ kind: 'command', actor: actor('alice'), place: SHELL_PLACE, text: HIGH_LINE });
    const plan = preview.buttons!.find((b) => b.actionId === 'run:go')!.value;
    const requested = await bot.handle({ kind: 'action', actor: actor('alice'), place: SHELL_PLACE, actionId: 'run:go', value: plan });
    expect(requested.title).toBe('Approval requested');
    const approvalId = /approval (\S+)/.exec(requested.footer ?? '')![1]!;
    const form = await bot.handle({ kind: 'action', actor: actor('bob'), place: SHELL_PLACE, actionId: 'approval:reject', value: approvalId });
    expect(form.form?.fields.map((f) => f.id)).toEqual(['reason']);
    bot.sim.resetRequests();

    const refused = await submit('bob', form.form!.id, { reason: 'not\u0000now' }, form.form!.context);
    expect(refused.title).toBe('Nothing was submitted: a field holds text that cannot be stored');
    expect(refused.fieldErrors).toEqual({ reason: expect.stringMatching(/^holds a NUL character \(U\+0000\) at position 4, which cannot be stored; nothing was submitted/) });
    expect(refused.text).toMatch(/The field "reason" holds a NUL character/);
    expect((await getApproval(bot.store.db, approvalId))?.state).toBe('requested');

    // In the terminal, the form asks that field again and says why.
    const session = new ShellSession(bot.dispatcher, PLAIN, 'bob');
    expect(await session.handleLine('approval show ' + approvalId)).toContain('[2] Reject');
    expect(await session.handleLine('2')).toContain('Reject the request');
    expect(session.prompt()).toContain('Reason (the requester sees it)');
    const again = await session.handleLine('no\u0000pe');
    expect(again).toMatch(/Reason \(the requester sees it\): holds a NUL character/);
    expect(session.prompt()).toContain('Reason');
    expect((await getApproval(bot.store.db, approvalId))?.state).toBe('requested');
    expect(await session.handleLine('wrong hosts')).toMatch(/Rejected/);
    expect((await getApproval(bot.store.db, approvalId))?.state).toBe('rejected');
    expect(writes()).toEqual([]);
  });

  it('in an incident form field (a lone surrogate): refused under that field, no incident created', async () => {
    bot.sim.resetRequests();
    const before = bot.sim.world.incidents.all().length;
    const reply = await submit('alice', 'incident:create', {
      title: 'Disk \ud83d full',
      description: 'db-01 at 100%',
      level: 'level_30',
      type: 'inc_type_p_hardware_issues',
      application: 'storefront',
      interrupted: 'no',
    });
    expect(Object.keys(reply.fieldErrors ?? {})).toEqual(['title']);
    expect(reply.fieldErrors?.['title']).toMatch(/^holds a broken character \(an unpaired UTF-16 surrogate\) at position 6/);
    expect(reply.text).toMatch(/The field "title" holds a broken character/);
    expect(bot.sim.world.incidents.all().length).toBe(before);
    expect(writes()).toEqual([]);
    for (const table of ['incident_channels', 'incident_requests']) {
      const { rows } = await bot.store.db.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0], table).toMatchObject({ n: 0 });
    }
  });
});
