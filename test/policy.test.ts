/**
 * Role ∩ channel: a user may do something in a place only if their role is high enough AND the
 * channel allows that command family; changes are refused in direct messages unless the
 * configuration allows them; help lists exactly what this user may do in this place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/app/commands.js';
import { COMMAND_FAMILIES, type CommandFamily, type Config } from '../src/config.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { commandName, type ActionDefinition, type CommandDefinition } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { Actor, Place } from '../src/core/invocation.js';
import { Registry } from '../src/core/registry.js';
import { ROLES, roleAtLeast, type Role } from '../src/identity/roles.js';
import { Policy } from '../src/policy/policy.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

type PolicyConfig = Config['policy'];

const policyOf = (overrides: Partial<PolicyConfig> = {}): PolicyConfig => ({
  defaultAllow: [...COMMAND_FAMILIES],
  channels: [],
  allowExecutionInDms: false,
  ...overrides,
});

const slack = { platform: 'slack' } as const;
const channel = (channelId: string): Place => ({ channelId, isDirect: false });
const dm: Place = { channelId: 'D0DM', isDirect: true };

describe('Policy.check: role ∩ channel allow list', () => {
  const policy = new Policy(
    policyOf({
      defaultAllow: ['help', 'whoami', 'scripts', 'hosts', 'run', 'orders', 'audit'],
      channels: [
        { platform: 'slack', channel: 'C0PUBLIC', allow: ['help', 'whoami', 'scripts', 'hosts'] },
        { platform: 'slack', channel: 'C0OPS', allow: ['run', 'orders', 'scripts', 'help', 'whoami'] },
        { platform: 'slack', channel: 'C0CLOSED', allow: [] },
      ],
    }),
  );
  const allowedIn: Record<string, readonly CommandFamily[]> = {
    C0PUBLIC: ['help', 'whoami', 'scripts', 'hosts'],
    C0OPS: ['run', 'orders', 'scripts', 'help', 'whoami'],
    C0CLOSED: [],
    C0ELSEWHERE: ['help', 'whoami', 'scripts', 'hosts', 'run', 'orders', 'audit'],
  };

  it('allows exactly when the role is high enough and the channel allows the family (every combination)', () => {
    let checked = 0;
    for (const role of ROLES) {
      for (const permission of ROLES) {
        for (const family of ['scripts', 'run', 'audit', 'incident'] as const) {
          for (const [channelId, allow] of Object.entries(allowedIn)) {
            const label = `${role} → ${family} (needs ${permission}) in ${channelId}`;
            const expected = roleAtLeast(role, permission) && allow.includes(family);
            const decision = policy.check(role, slack, channel(channelId), { family, permission, mutates: false });
            expect(decision.allowed, label).toBe(expected);
            if (!decision.allowed) {
              // The role is named when it is the reason; otherwise the channel is.
              if (!roleAtLeast(role, permission)) {
                expect(decision.reason, label).toBe(`this needs the ${permission} role or higher; you are ${role}. Ask an admin if you need more.`);
              } else {
                expect(decision.reason, label).toMatch(new RegExp(`"${family}" commands are not allowed in this channel`));
              }
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(256);
  });

  it('a channel rule replaces the default allow list there, on that platform only', () => {
    const read = { family: 'run', permission: 'viewer', mutates: false } as const;
    expect(policy.check('admin', slack, channel('C0PUBLIC'), read).allowed).toBe(false);
    // The same channel id on Discord is another channel: the default list applies.
    expect(policy.check('admin', { platform: 'discord' }, channel('C0PUBLIC'), read).allowed).toBe(true);
    expect(policy.familiesAllowedIn(slack, channel('C0OPS'))).toEqual(allowedIn['C0OPS']);
    expect(policy.familiesAllowedIn({ platform: 'shell' }, channel('C0OPS'))).toEqual(allowedIn['C0ELSEWHERE']);
  });
});

describe('Policy.check: changes in direct messages', () => {
  const change = { family: 'run', permission: 'operator', mutates: true } as const;
  const read = { family: 'scripts', permission: 'viewer', mutates: false } as const;

  it('refuses changes in a DM unless the configuration allows them, and says where to go', () => {
    const strict = new Policy(policyOf());
    const decision = strict.check('admin', slack, dm, change);
    expect(decision).toEqual({ allowed: false, code: 'direct-message', vars: {}, reason: expect.stringMatching(/not made from direct messages[\s\S]*Use a team channel/) });
    expect(strict.executionInDmsAllowed).toBe(false);
    expect(strict.check('admin', slack, channel('C0OPS'), change).allowed).toBe(true);
    expect(strict.check('viewer', slack, dm, read).allowed).toBe(true);
  });

  it('allows them with allowExecutionInDms, still within the role and the allow list', () => {
    const loose = new Policy(policyOf({ allowExecutionInDms: true, channels: [{ platform: 'slack', channel: 'D0DM', allow: ['scripts'] }] }));
    expect(loose.executionInDmsAllowed).toBe(true);
    expect(loose.check('operator', slack, { channelId: 'D0OTHER', isDirect: true }, change).allowed).toBe(true);
    expect(loose.check('viewer', slack, { channelId: 'D0OTHER', isDirect: true }, change)).toMatchObject({ allowed: false, reason: expect.stringMatching(/operator role/) });
    expect(loose.check('operator', slack, dm, change)).toMatchObject({ allowed: false, reason: expect.stringMatching(/not allowed in this channel/) });
  });
});

/** Stand-ins with every combination that matters, so these tests do not depend on which commands exist. */
function stub(words: string, family: CommandFamily, permission: Role, mutates: boolean, ran: string[]): CommandDefinition {
  return defineCommand({
    words: words.split(' '),
    discord: { name: words.replace(/ /g, '-') },
    family,
    permission,
    mutates,
    summary: { 'en-US': `stub ${words}`, 'zh-CN': `stub ${words}` },
    examples: [words],
    positionals: {},
    flags: {},
    async run() {
      ran.push(words);
      return { title: `ran ${words}` };
    },
  });
}

describe('through the Dispatcher', () => {
  let bot: TestBot | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  const ran: string[] = [];
  const stubs = [
    stub('list things', 'scripts', 'viewer', false, ran),
    stub('show hosts', 'hosts', 'viewer', false, ran),
    stub('run thing', 'run', 'operator', true, ran),
    stub('order stop', 'orders', 'operator', true, ran),
    stub('approve it', 'run', 'approver', true, ran),
    stub('admin things', 'audit', 'admin', false, ran),
  ];
  const clickRan: string[] = [];
  const stopAction: ActionDefinition = {
    id: 'stub:stop',
    family: 'orders',
    permission: 'operator',
    mutates: true,
    async run(_context, value) {
      clickRan.push(value);
      return { title: 'stopped' };
    },
  };

  const people = (b: TestBot) => b.services;
  const actor = (user: string): Actor => ({ platform: 'shell', workspaceId: 'local', userId: user });
  const PUBLIC: Place = { channelId: 'public', isDirect: false };
  const OPS: Place = { channelId: 'ops', isDirect: false };
  const DM: Place = { channelId: 'dm-alice', isDirect: true };

  async function setUp(allowExecutionInDms = false) {
    bot = await makeTestBot({
      config: {
        policy: policyOf({
          allowExecutionInDms,
          channels: [
            { platform: 'shell', channel: 'public', allow: ['help', 'whoami', 'scripts', 'hosts'] },
            { platform: 'shell', channel: 'ops', allow: ['help', 'whoami', 'scripts', 'hosts', 'run', 'orders', 'audit', 'admin'] },
          ],
        }),
      },
    });
    const dispatcher = new Dispatcher(new Registry(stubs, [stopAction]), people(bot));
    ran.length = 0;
    clickRan.length = 0;
    return { b: bot, dispatcher };
  }

  async function helpRows(dispatcher: Dispatcher, user: string, place: Place): Promise<string[]> {
    const reply = await dispatcher.handle({ kind: 'command', actor: actor(user), place, text: 'help' });
    return (reply.table?.rows ?? []).map((row) => row[0]!.replace(/^\/coc /, ''));
  }

  it('help lists only what this user may do in this place', async () => {
    const { dispatcher } = await setUp();
    // carol viewer, alice operator, bob approver, dave admin (the terminal demo people).
    expect(await helpRows(dispatcher, 'carol', OPS)).toEqual(['list things', 'show hosts']);
    expect(await helpRows(dispatcher, 'alice', OPS)).toEqual(['list things', 'show hosts', 'run thing', 'order stop']);
    expect(await helpRows(dispatcher, 'bob', OPS)).toEqual(['list things', 'show hosts', 'run thing', 'order stop', 'approve it']);
    expect(await helpRows(dispatcher, 'dave', OPS)).toEqual(['list things', 'show hosts', 'run thing', 'order stop', 'approve it', 'admin things']);
    // A read-only channel: nobody is offered changes there, not even an admin.
    expect(await helpRows(dispatcher, 'dave', PUBLIC)).toEqual(['list things', 'show hosts']);
    // A DM (default allow list) without execution in DMs: reads and admin work, changes do not.
    expect(await helpRows(dispatcher, 'dave', DM)).toEqual(['list things', 'show hosts', 'admin things']);
    expect(await helpRows(dispatcher, 'alice', DM)).toEqual(['list things', 'show hosts']);
  });

  it('help follows allowExecutionInDms', async () => {
    const { dispatcher } = await setUp(true);
    expect(await helpRows(dispatcher, 'alice', DM)).toEqual(['list things', 'show hosts', 'run thing', 'order stop']);
  });

  it('refuses a change in a DM before it runs, and audits the refusal', async () => {
    const { b, dispatcher } = await setUp();
    const reply = await dispatcher.handle({ kind: 'command', actor: actor('alice'), place: DM, text: 'run thing now' });
    expect(reply).toMatchObject({ title: 'You may not use "run thing" here', tone: 'danger' });
    expect(reply.text).toMatch(/^Changes are not made from direct messages/);
    const click = await dispatcher.handle({ kind: 'action', actor: actor('alice'), place: DM, actionId: 'stub:stop', value: 'EX-1' });
    expect(click).toMatchObject({ title: 'You may not do that here', tone: 'danger' });
    expect(ran).toEqual([]);
    expect(clickRan).toEqual([]);
    const rows = await listAuditEvents(b.store.db, { chatUser: { platform: 'shell', workspaceId: 'local', chatUserId: 'alice' } });
    expect(rows.map((r) => [r.command, r.outcome])).toEqual([
      ['action stub:stop', 'denied'],
      ['run thing', 'denied'],
    ]);

    // The same in a team channel runs.
    expect((await dispatcher.handle({ kind: 'command', actor: actor('alice'), place: OPS, text: 'run thing' })).title).toBe('ran run thing');
    expect((await dispatcher.handle({ kind: 'action', actor: actor('alice'), place: OPS, actionId: 'stub:stop', value: 'EX-1' })).title).toBe('stopped');
    // And a channel that does not allow the family refuses even there.
    const pub = await dispatcher.handle({ kind: 'command', actor: actor('dave'), place: PUBLIC, text: 'run thing' });
    expect(pub.text).toMatch(/"run" commands are not allowed in this channel/);
    expect(ran).toEqual(['run thing']);
  });

  it('the real registry: help for a viewer in a read-only channel hides admin, audit and every change', async () => {
    const { b } = await setUp();
    const reply = await b.handle({ kind: 'command', actor: actor('carol'), place: PUBLIC, text: 'help' });
    const listed = (reply.table?.rows ?? []).map((row) => row[0]!.replace(/^\/coc /, ''));
    const expected = COMMANDS.filter((c) => c.permission === 'viewer' && ['help', 'whoami', 'scripts', 'hosts'].includes(c.family)).map(commandName);
    expect(listed).toEqual(expected);
    expect(listed).toContain('whoami');
    expect(listed.some((name) => name.startsWith('admin') || name === 'audit')).toBe(false);
    const adminHelp = await b.handle({ kind: 'command', actor: actor('dave'), place: OPS, text: 'help' });
    const adminListed = (adminHelp.table?.rows ?? []).map((row) => row[0]);
    expect(adminListed).toEqual(expect.arrayContaining(['/coc admin link', '/coc admin unlink', '/coc admin users', '/coc audit']));
  });
});
