/**
 * Who may do what, through the real Dispatcher, a fresh simulator and an in-memory store:
 * unmapped people are refused and audited, viewers cannot change anything, an admin links and
 * unlinks people (never themselves, never configuration mappings), whoami speaks both
 * languages, and the audit listing filters as documented.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS, COMMANDS } from '../src/app/commands.js';
import { commandName, type CommandDefinition } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { Registry } from '../src/core/registry.js';
import type { Actor } from '../src/core/invocation.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { DEMO_MAPPINGS } from '../src/identity/demo.js';
import { insertAuditEvent, listAuditEvents } from '../src/store/audit-events.js';
import { compactParameters } from '../commands/audit.js';
import { arg, defineCommand, parseSince } from '../src/core/arguments/index.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function start(options: Parameters<typeof makeTestBot>[0] = {}): Promise<TestBot> {
  bot = await makeTestBot(options);
  return bot;
}

const shell = (user: string): Actor => ({ platform: 'shell', workspaceId: 'local', userId: user });

/** A chat user's audit rows, newest first: one per command or click (not the rows of single COC calls). */
async function rowsOf(b: TestBot, user: string, platform: Actor['platform'] = 'shell', workspaceId = 'local') {
  const rows = await listAuditEvents(b.store.db, { chatUser: { platform, workspaceId, chatUserId: user }, limit: 500 });
  return rows.filter((row) => !row.command.startsWith('coc '));
}

/** `order cancel` when it exists; otherwise any command that changes COC and needs more than viewer. */
const mutating = COMMANDS.find((c) => commandName(c) === 'order cancel') ?? COMMANDS.find((c) => c.mutates && c.permission !== 'viewer');

describe('people nobody linked', () => {
  it('are refused with how to get linked, and the attempt is audited as denied', async () => {
    const b = await start();
    const text = await b.run('mallory', 'scripts');
    expect(text).toMatch(/not linked/i);
    expect(text).toContain('admin link mallory <iam-user-name> <viewer|operator|approver|admin>');
    expect(text).toMatch(/Nothing was done/);
    const rows = await rowsOf(b, 'mallory');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'denied', iamUserName: null, command: 'scripts', error: expect.stringMatching(/not linked/) });
    // Nothing reached COC on their behalf.
    expect(b.sim.requests.filter((r) => r.path.startsWith('/v1/job'))).toHaveLength(0);
  });

  it('are refused for buttons too', async () => {
    const b = await start();
    const text = await b.click('mallory', 'order:cancel', 'EX-anything');
    expect(text).toMatch(/not linked/i);
    expect((await rowsOf(b, 'mallory'))[0]).toMatchObject({ outcome: 'denied', command: 'action order:cancel' });
  });

  it('with ids or text PostgreSQL cannot hold are still refused and audited (NUL, broken surrogates, 100 KB)', async () => {
    const b = await start();
    const weird = { platform: 'shell', workspaceId: 'local', userId: 'ev\u0000e' } as const;
    const reply = await b.handle({ kind: 'command', actor: weird, place: { channelId: 'ch\u0000', isDirect: false }, text: `scripts --name ${'x'.repeat(100_000)}\u0000` });
    expect(reply.title).toMatch(/not linked/);
    const [row] = await listAuditEvents(b.store.db, { chatUser: { platform: 'shell', workspaceId: 'local', chatUserId: 'ev\ufffde' } });
    expect(row).toMatchObject({ outcome: 'denied', channelId: 'ch\ufffd' });

    // A mapped person typing a broken character is told so; nothing reaches COC, the attempt is recorded.
    const broken = await b.run('alice', 'hosts --name \ud800x');
    expect(broken).toMatch(/broken character[\s\S]*position 14[\s\S]*Nothing was done/);
    const huge = await b.run('alice', `whoami ${'y'.repeat(100_000)}`);
    expect(huge).toMatch(/takes no plain words/);
    const rows = await rowsOf(b, 'alice');
    expect(rows.map((r) => r.outcome)).toEqual(['failed', 'failed']);
    expect(JSON.stringify(rows[0]?.maskedParameters).length).toBeLessThan(1_000);
    expect(b.sim.requests.filter((r) => r.path.includes('resources'))).toHaveLength(0);
  });

  it('on Slack are told their member and workspace ids', async () => {
    const b = await start();
    const reply = await b.handle({ kind: 'command', actor: { platform: 'slack', workspaceId: 'T0TEAM', userId: 'U0NOBODY' }, place: { channelId: 'C1', isDirect: false }, text: '/coc whoami' });
    expect(reply.text).toContain('admin link U0NOBODY');
    expect(reply.text).toContain('T0TEAM');
    expect((await rowsOf(b, 'U0NOBODY', 'slack', 'T0TEAM'))[0]?.outcome).toBe('denied');
  });
});

describe('a viewer', () => {
  it(`is refused a mutating command (${mutating ? commandName(mutating) : 'a stand-in "order cancel"'}) with a clear reason, audited`, async () => {
    const b = await start();
    // Until a real mutating command is registered, a stand-in with the same guard runs beside the real ones.
    const ran: string[] = [];
    const command: CommandDefinition =
      mutating ??
      defineCommand({
        family: 'orders',
        words: ['order', 'cancel'],
        discord: { group: 'order', name: 'cancel' },
        permission: 'operator',
        mutates: true,
        summary: { 'en-US': 'stand-in', 'zh-CN': 'stand-in' },
        examples: [],
        positionals: { id: arg.id({ description: { 'en-US': 'order', 'zh-CN': '工单' }, what: { 'en-US': 'an order id', 'zh-CN': '工单 id' }, example: 'EX-0000', required: true }) },
        flags: {},
        async run() {
          ran.push('order cancel');
          return { title: 'cancelled' };
        },
      });
    const dispatcher = mutating ? b.dispatcher : new Dispatcher(b.dispatcher.registry.extended({ commands: [command] }), b.services);
    const name = commandName(command);
    const reply = await dispatcher.handle({ kind: 'command', actor: shell('carol'), place: { channelId: 'terminal', isDirect: false }, text: `${name} EX-0000` });
    const text = renderMessage(reply, PLAIN);
    expect(text).toContain(`You may not use "${name}" here`);
    expect(text).toMatch(new RegExp(`needs the ${command.permission} role or higher; you are viewer`));
    const rows = await rowsOf(b, 'carol');
    expect(rows[0]).toMatchObject({ outcome: 'denied', iamUserName: 'carol', command: name, error: expect.stringMatching(/role/) });
    expect(ran).toEqual([]);
    expect(b.sim.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('is refused the admin commands and the audit trail, and told which role they need', async () => {
    const b = await start();
    expect(await b.run('carol', 'admin link erin erin operator')).toMatch(/needs the admin role or higher; you are viewer/);
    expect(await b.run('carol', 'audit')).toMatch(/needs the operator role or higher; you are viewer/);
    expect(await b.run('alice', 'admin users')).toMatch(/needs the admin role or higher; you are operator/);
    const outcomes = (await rowsOf(b, 'carol')).map((r) => r.outcome);
    expect(outcomes).toEqual(['denied', 'denied']);
  });
});

describe('admin link / unlink / users', () => {
  it('links a new person who can then act, and unlinking refuses them again', async () => {
    const b = await start();
    expect(await b.run('erin', 'whoami')).toMatch(/not linked/i);

    const linked = await b.run('dave', 'admin link erin erin.ops operator --iam-user-id 0a1b2c3d4e5f');
    expect(linked).toContain('Linked erin to IAM user erin.ops as operator');
    expect(linked).toContain('0a1b2c3d4e5f');
    const [linkRow] = await rowsOf(b, 'dave');
    expect(linkRow).toMatchObject({ command: 'admin link', target: 'erin', outcome: 'succeeded', iamUserName: 'dave' });
    expect(linkRow?.maskedParameters).toMatchObject({ args: ['erin', 'erin.ops', 'operator'], 'iam-user-id': '0a1b2c3d4e5f' });

    const scripts = await b.run('erin', 'scripts --risk high');
    expect(scripts).toMatch(/^Scripts \(\d+/);
    expect((await rowsOf(b, 'erin'))[0]).toMatchObject({ outcome: 'succeeded', iamUserName: 'erin.ops', command: 'scripts' });
    expect(await b.run('erin', 'whoami')).toMatch(/You are erin\.ops in COC[\s\S]*IAM user\s+erin\.ops \(id 0a1b2c3d4e5f\)[\s\S]*Role\s+operator/);

    // Changing a link keeps the language, shows what it was before.
    const updated = await b.run('dave', 'admin link erin erin.ops viewer');
    expect(updated).toContain('Updated erin');
    expect(updated).toMatch(/Before\s+erin\.ops as operator/);

    const unlinked = await b.run('dave', 'admin unlink erin');
    expect(unlinked).toContain('Unlinked erin');
    expect((await rowsOf(b, 'dave'))[0]).toMatchObject({ command: 'admin unlink', target: 'erin', outcome: 'succeeded' });
    expect(await b.run('erin', 'scripts')).toMatch(/not linked/i);
    expect((await rowsOf(b, 'erin'))[0]).toMatchObject({ outcome: 'denied' });

    expect(await b.run('dave', 'admin unlink erin')).toContain('erin was not linked');
  });

  it('an admin cannot unlink or demote themselves', async () => {
    // dave linked from chat (not the configuration), so only the self rule can stop him.
    const b = await start({ mappings: [{ platform: 'shell', workspace: 'local', user: 'root', iamUser: 'root', role: 'admin' }] });
    await b.run('root', 'admin link dave dave admin');
    expect(await b.run('dave', 'admin unlink dave')).toContain('You cannot unlink yourself');
    expect(await b.run('dave', 'admin link dave dave operator')).toContain('You cannot demote yourself');
    expect(await b.run('dave', 'whoami')).toMatch(/Role\s+admin/);
    // Another admin may.
    expect(await b.run('root', 'admin link dave dave operator')).toContain('Updated dave');
    expect(await b.run('dave', 'admin users')).toMatch(/needs the admin role/);
  });

  it('configuration mappings cannot be changed or removed from chat', async () => {
    const b = await start();
    const unlink = await b.run('dave', 'admin unlink alice');
    expect(unlink).toContain('alice is linked in the configuration file');
    expect(unlink).toMatch(/edit the configuration/);
    expect(await b.run('dave', 'admin link alice alice admin')).toMatch(/edit the configuration/);
    expect(await b.run('alice', 'whoami')).toMatch(/Role\s+operator/);
  });

  it('says what is allowed when the words are wrong', async () => {
    const b = await start();
    expect(await b.run('dave', 'admin link erin')).toContain('Which IAM user name? Usage: admin link <platform-user-id> <iam-user> <viewer|operator|approver|admin> [--locale en-US|zh-CN] [--iam-user-id <iam-user-id>]');
    expect(await b.run('dave', 'admin link erin erin operatr')).toContain('"operatr" is not a role. Did you mean operator? Allowed: viewer, operator, approver, admin.');
    expect(await b.run('dave', 'admin link "Erin Smith!" erin viewer')).toMatch(/is not a terminal user id[\s\S]*never a display name/);
    expect(await b.run('dave', 'admin link erin 9lives viewer')).toMatch(/"9lives" is not an IAM user name/);
    expect(await b.run('dave', 'admin link erin erin viewer --locale fr-FR')).toMatch(/Allowed: en-US, zh-CN/);
    expect(await b.run('dave', 'admin link erin erin viewer --iam-user-id "a b"')).toMatch(/is not an IAM user id/);
    expect(await b.run('dave', 'admin unlink')).toContain('Which chat user id? Usage: admin unlink <platform-user-id>');
    expect((await b.services.identities.list()).map((r) => r.platformUserId)).not.toContain('erin');
    // An admin's mistyped line is answered to them alone, as the admin commands' answers are.
    const mistyped = await b.handle({ kind: 'command', actor: shell('dave'), place: { channelId: 'terminal', isDirect: false }, text: 'admin link erin erin operatr' });
    expect(mistyped).toMatchObject({ private: true, tone: 'danger' });
    const listed = await b.handle({ kind: 'command', actor: shell('dave'), place: { channelId: 'terminal', isDirect: false }, text: 'hosts --limit 0' });
    expect(listed.private).toBeUndefined();
  });

  it('checks platform id formats and links within the admin\'s own workspace', async () => {
    const b = await start({
      mappings: [
        ...DEMO_MAPPINGS,
        { platform: 'slack', workspace: 'T0TEAM', user: 'U0ADMIN', iamUser: 'slackadmin', role: 'admin' },
        { platform: 'discord', workspace: '123456789012345678', user: '223456789012345678', iamUser: 'discordadmin', role: 'admin' },
      ],
    });
    const slack = { platform: 'slack', workspaceId: 'T0TEAM', userId: 'U0ADMIN' } as const;
    const discord = { platform: 'discord', workspaceId: '123456789012345678', userId: '223456789012345678' } as const;
    const place = { channelId: 'C0OPS', isDirect: false };
    const say = async (actor: Actor, text: string) => renderMessage(await b.handle({ kind: 'command', actor, place, text }), PLAIN);

    expect(await say(slack, 'admin link jdoe jdoe viewer')).toMatch(/"jdoe" is not a Slack user id[\s\S]*U0123ABCD/);
    expect(await say(slack, 'admin link <@U0JDOE|jdoe> jdoe viewer')).toContain('Linked U0JDOE to IAM user jdoe as viewer');
    expect(await say(discord, 'admin link 12345 jdoe viewer')).toMatch(/not a Discord user id[\s\S]*17-20 digits/);
    expect(await say(discord, 'admin link <@!323456789012345678> jdoe viewer')).toContain('Linked 323456789012345678');

    const mapped = await b.services.identities.list();
    expect(mapped.find((m) => m.platformUserId === 'U0JDOE')).toMatchObject({ platform: 'slack', workspaceId: 'T0TEAM', source: 'admin' });
    expect(mapped.find((m) => m.platformUserId === '323456789012345678')).toMatchObject({ platform: 'discord', workspaceId: '123456789012345678' });
    // The same Slack id in another workspace is somebody else.
    expect(await b.services.identities.resolve({ platform: 'slack', workspaceId: 'T0OTHER', userId: 'U0JDOE' })).toBeUndefined();

    const users = await say(slack, 'admin users');
    expect(users).toMatch(/PLATFORM\s+WORKSPACE\s+USER\s+IAM USER\s+ROLE\s+SOURCE/);
    expect(users).toMatch(/slack\s+T0TEAM\s+U0ADMIN \(you\)\s+slackadmin\s+admin\s+config/);
    expect(users).toMatch(/slack\s+T0TEAM\s+U0JDOE\s+jdoe\s+viewer\s+admin/);
  });
});

describe('whoami', () => {
  it('tells who you are, what your role allows, whose credentials, and what this channel allows (en-US)', async () => {
    const b = await start({
      config: { policy: { defaultAllow: ['help', 'whoami', 'scripts'], channels: [], allowExecutionInDms: false } },
    });
    const text = await b.run('alice', 'whoami');
    expect(text).toContain('You are alice in COC');
    expect(text).toMatch(/Chat user\s+terminal · user alice/);
    expect(text).toMatch(/Role\s+operator: .*run scripts/);
    expect(text).toMatch(/Language\s+English \(en-US\)/);
    expect(text).toMatch(/COC credentials\s+the bot's shared service identity/);
    expect(text).toMatch(/Allowed here\s+help, whoami, scripts/);
    const dm = renderMessage(await b.handle({ kind: 'command', actor: shell('alice'), place: { channelId: 'D1', isDirect: true }, text: 'whoami' }), PLAIN);
    expect(dm).toMatch(/D1 \(direct message\)/);
    expect(dm).toMatch(/not from direct messages/);
  });

  it('speaks zh-CN when the configuration or the mapping says so', async () => {
    const b = await start({
      locale: 'zh-CN',
      mappings: [
        { platform: 'shell', workspace: 'local', user: 'li', iamUser: 'li.lei', role: 'approver', credentialRef: 'li-own-aksk' },
        { platform: 'shell', workspace: 'local', user: 'sam', iamUser: 'sam', role: 'viewer', locale: 'en-US' },
      ],
    });
    const zh = await b.run('li', 'whoami');
    expect(zh).toContain('您在 COC 中的身份是 li.lei');
    expect(zh).toMatch(/角色\s+approver（审批人）/);
    expect(zh).toContain('简体中文 (zh-CN)');
    expect(zh).toContain('li-own-aksk');
    expect(zh).toContain('关联来源');
    const en = await b.run('sam', 'whoami');
    expect(en).toContain('You are sam in COC');
    expect(en).toMatch(/Role\s+viewer: read only/);
  });

  it('a zh-CN link makes that person\'s replies Chinese', async () => {
    const b = await start();
    await b.run('dave', 'admin link wang wang operator --locale zh-CN');
    expect(await b.run('wang', 'whoami')).toContain('您在 COC 中的身份是 wang');
    expect(await b.run('wang', 'audit --limit 0')).toContain('--limit 必须是 1 到 200 之间的整数，收到的是“0”。');
  });
});

describe('audit listing', () => {
  async function seeded(): Promise<TestBot> {
    const b = await start();
    await b.run('alice', 'scripts --name nginx');
    await b.run('bob', 'hosts --limit 3');
    await b.run('carol', 'audit');
    await b.run('mallory', 'whoami');
    // An old entry with a masked script parameter, as the run command records it.
    await insertAuditEvent(b.store.db, {
      platform: 'shell',
      workspaceId: 'local',
      channelId: 'terminal',
      chatUserId: 'alice',
      iamUserName: 'alice',
      command: 'run',
      target: 'SC-old',
      maskedParameters: { args: ['rotate_db_password'], param: ['password=***'], hosts: 'web-1' },
      outcome: 'succeeded',
      requestId: 'req-old-1',
      occurredAt: new Date(Date.now() - 3 * 86_400_000),
    });
    return b;
  }

  const rowsIn = (text: string) => text.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line));

  it('shows approvers everyone, newest first, with who (chat → IAM), masked parameters and request ids', async () => {
    const b = await seeded();
    const text = await b.run('bob', 'audit --since 7d');
    expect(text).toMatch(/TIME \(UTC\)\s+WHO\s+COMMAND\s+TARGET\s+OUTCOME\s+COC REQUEST ID/);
    const rows = rowsIn(text);
    expect(rows[0]).toMatch(/mallory → \(not linked\)\s+whoami\s+denied: chat user is not linked/);
    expect(rows[1]).toMatch(/carol → carol\s+audit\s+denied: this needs the operator role/);
    expect(rows[2]).toMatch(/bob → bob\s+hosts --limit 3\s+succeeded\s+\S+/);
    expect(rows[3]).toMatch(/alice → alice\s+scripts --name nginx\s+succeeded\s+[0-9a-f]{16,}/);
    expect(rows.at(-1)).toMatch(/alice → alice\s+run rotate_db_password --hosts web-1 --param password=\*\*\*\s+SC-old\s+succeeded\s+req-old-1/);
    expect(text).not.toMatch(/↳ GET/);
    expect(text).toContain('add --calls');
  });

  it('filters by IAM user, time and count; --calls adds the single COC calls', async () => {
    const b = await seeded();
    const alice = rowsIn(await b.run('bob', 'audit --user alice --since 30d'));
    expect(alice).toHaveLength(2);
    expect(alice.every((row) => row.includes('alice → alice'))).toBe(true);

    const recent = rowsIn(await b.run('bob', 'audit --user alice --since 1d'));
    expect(recent).toHaveLength(1);
    const isoDay = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(rowsIn(await b.run('bob', `audit --user alice --since ${isoDay}`))).toHaveLength(1);

    expect(rowsIn(await b.run('bob', 'audit --limit 2'))).toHaveLength(2);
    const calls = await b.run('bob', 'audit --user alice --calls');
    expect(calls).toMatch(/↳ GET \/v1\/job\/scripts \(HTTP 200, \d+ ms\)/);
  });

  it('shows operators only their own entries and refuses others\'', async () => {
    const b = await seeded();
    const own = await b.run('alice', 'audit --since 30d');
    const rows = rowsIn(own);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.includes('alice → alice'))).toBe(true);
    expect(own).toContain('Only your own entries');
    expect(await b.run('alice', 'audit --user alice')).toContain('Only your own entries');
    const others = await b.run('alice', 'audit --user bob');
    expect(others).toContain('You may read only your own audit entries');
    expect(others).toContain('needs the approver role');
  });

  it('says what is allowed for wrong values', async () => {
    const b = await seeded();
    expect(await b.run('bob', 'audit --since yesterday')).toMatch(/is not a time[\s\S]*30m, 2h, 1d, 2w[\s\S]*2026-05-01T08:00Z/);
    expect(await b.run('bob', 'audit --since 2999-01-01')).toMatch(/is in the future/);
    expect(await b.run('bob', 'audit --since 2026-02-31')).toMatch(/is not a time/);
    expect(await b.run('bob', 'audit --limit 201')).toMatch(/--limit must be a whole number from 1 to 200, got "201"/);
    expect(await b.run('bob', 'audit --limit 1.5')).toMatch(/1 to 200/);
    expect(await b.run('bob', 'audit --user "x;drop"')).toMatch(/is not an IAM user name/);
    expect(await b.run('bob', 'audit --usr bob')).toMatch(/unknown option --usr\. Did you mean --user\?/);
  });

  it('parses --since and compacts parameters', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const since = (raw: string) => {
      const ms = parseSince(raw, now);
      return ms === undefined ? undefined : new Date(ms);
    };
    expect(since('2h')?.toISOString()).toBe('2026-06-01T10:00:00.000Z');
    expect(since('1d')?.toISOString()).toBe('2026-05-31T12:00:00.000Z');
    expect(since('2w')?.toISOString()).toBe('2026-05-18T12:00:00.000Z');
    expect(since('2026-05-01')?.toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(since('2026-05-01T08:30')?.toISOString()).toBe('2026-05-01T08:30:00.000Z');
    expect(since('2026-05-01T08:30+08:00')?.toISOString()).toBe('2026-05-01T00:30:00.000Z');
    for (const bad of ['', 'h', '-2h', '2 hours', '2026-13-01', '01/05/2026', 'now']) expect(since(bad)).toBeUndefined();
    expect(compactParameters({ args: ['a'], param: ['k=***', 'p=***'], canary: 'true', value: 'x'.repeat(100) })).toMatch(/^a --param k=\*\*\*,p=\*\*\* --canary value=x{31}…$/);
    expect(compactParameters({ name: 'a\nb\u0000c' })).toBe('--name a b c');
  });
});
