/**
 * A newcomer's small stumbles, each fixed where it happens: cards and lists name the chat person
 * who started a run (and the identity used, and the approver), `approval show` says what became
 * of the order, `help foo` names foo, `/as` takes one name, check-config warns of people who
 * cannot get in, the demo people stay unless the configuration maps people for the terminal,
 * and every command-line tool answers `--help` and an unknown option the same way.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShellSession } from '../src/adapters/shell/session.js';
import { paletteFor } from '../src/adapters/shell/ansi.js';
import { checkConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { readCliOptions } from '../src/core/cli-options.js';
import { startingPeople } from '../src/identity/demo.js';
import { getTrackedOrder } from '../src/store/tracked-orders.js';
import { nativeOf } from '../src/backends/index.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { dirWithConfig } from './helpers/config-files.js';
import { nodeArgsFor, type EntryPoint } from './helpers/entry-point.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HIGH_LINE = 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Rotated_S3cret_Value --batch-size 3';
const LOW_LINE = 'run disk_usage --hosts web-01';

function field(message: Message, label: string): string | undefined {
  return message.fields?.find((f) => f.label === label)?.value;
}

function all(message: Message): string {
  return [message.title, message.text, ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`), ...(message.table?.rows ?? []).map((row) => row.join(' | ')), message.footer].filter(Boolean).join('\n');
}

describe('who started it, and what became of an approved run', () => {
  let bot: TestBot;
  let approved: string;
  let approvalId: string;
  let outside: string;

  beforeAll(async () => {
    bot = await makeTestBot({ config: { tracker: { minEditIntervalMs: 0 } } });
    const click = async (user: string, message: Message, actionId: string) => {
      const button = message.buttons?.find((b) => b.actionId === actionId);
      if (!button) throw new Error(`no ${actionId} on ${message.title}`);
      return bot.handle({ kind: 'action', actor: { platform: 'shell', workspaceId: 'local', userId: user }, place: { channelId: 'terminal', isDirect: false }, actionId, value: button.value });
    };
    const say = (user: string, text: string) => bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: user }, place: { channelId: 'terminal', isDirect: false }, text });
    // alice asks for a HIGH-risk run, bob approves it: the bot starts the order with its shared identity.
    await click('alice', await say('alice', HIGH_LINE), 'run:go');
    const request = bot.surface.posts.find((p) => p.message.buttons?.some((b) => b.actionId === 'approval:approve'))!.message;
    approvalId = request.buttons!.find((b) => b.actionId === 'approval:approve')!.value;
    await click('bob', request, 'approval:approve');
    const { rows } = await bot.store.db.query<{ run_id: string }>('SELECT run_id FROM run_plans WHERE approval_id = $1', [approvalId]);
    approved = rows[0]!.run_id;
    // A second order the bot holds no record of: as if started in COC itself.
    await click('alice', await say('alice', LOW_LINE), 'run:go');
    const { rows: low } = await bot.store.db.query<{ id: string; run_id: string }>('SELECT id, run_id FROM run_plans WHERE approval_id IS NULL AND run_id IS NOT NULL');
    outside = low[0]!.run_id;
    await bot.store.db.query('UPDATE run_plans SET run_id = NULL, state = $2 WHERE id = $1', [low[0]!.id, 'failed']);
  }, 180_000);

  afterAll(async () => {
    await bot?.close();
  });

  it('names the chat person, the identity used and the approver on order show and in orders', async () => {
    const uuid = nativeOf(approved as never);
    const card = await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'carol' }, place: { channelId: 'terminal', isDirect: false }, text: `order show ${uuid}` });
    expect(field(card, 'Started by')).toBe('alice via chatops-bot, approved by bob');
    const other = await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'carol' }, place: { channelId: 'terminal', isDirect: false }, text: `order ${nativeOf(outside as never)}` });
    expect(field(other, 'Started by')).toBe('chatops-bot');
    const list = await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'carol' }, place: { channelId: 'terminal', isDirect: false }, text: 'orders' });
    const rows = list.table!.rows;
    expect(rows.find((row) => row[0] === uuid)).toContain('alice via chatops-bot, approved by bob');
    expect(rows.find((row) => row[0] === nativeOf(outside as never))).toContain('chatops-bot');
  });

  it('shows the live card with who started it, and approval show says the order ended, never "running"', async () => {
    for (let round = 0; round < 400 && !(await getTrackedOrder(bot.store.db, approved as never))?.finalPosted; round++) {
      bot.sim.tick(1);
      await bot.core.tracker.tick();
    }
    const live = bot.surface.posts.map((p) => p.message).filter((m) => m.title?.includes(nativeOf(approved as never)));
    expect(live.length).toBeGreaterThan(0);
    expect(live.some((m) => field(m, 'Started by') === 'alice via chatops-bot, approved by bob')).toBe(true);
    const shown = all(await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'carol' }, place: { channelId: 'terminal', isDirect: false }, text: `approval show ${approvalId}` }));
    expect(shown).toMatch(/Approved by bob at .*; it started order \S+/);
    expect(shown).toMatch(/Order \S+ has ended: /);
    expect(shown).not.toMatch(/running/i);
  });

  it('help names a command it does not know, and /as takes one name', async () => {
    const help = all(await bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'alice' }, place: { channelId: 'terminal', isDirect: false }, text: 'help ordrs' }));
    expect(help).toContain('No command "ordrs". Did you mean "help orders"? Type "help" for the list.');
    const session = new ShellSession(bot.dispatcher, paletteFor({ isTTY: false } as NodeJS.WriteStream), 'alice');
    expect(await session.handleLine('/as bob carol')).toContain('"/as" takes one name: /as bob');
    expect(session.user).toBe('alice');
    expect(await session.handleLine('/as')).toContain('Acting as alice. People here: alice (operator), bob (approver), carol (viewer), dave (admin).');
  });
});

describe('people for a newcomer', () => {
  it('keeps the demo people unless the configuration maps people for the terminal', () => {
    const slackOnly = [{ platform: 'slack' as const, workspace: 'T0123ABCD', user: 'U0123ABCD', iamUser: 'alice', role: 'admin' as const }];
    const kept = startingPeople(slackOnly, true);
    expect(kept.demo).toBe(true);
    expect(kept.mappings.map((m) => m.user)).toEqual(['U0123ABCD', 'alice', 'bob', 'carol', 'dave']);
    const terminal = [{ platform: 'shell' as const, workspace: 'local', user: 'erin', iamUser: 'erin', role: 'operator' as const }];
    expect(startingPeople(terminal, true)).toEqual({ mappings: terminal, demo: false, configuredForTerminal: 1 });
    expect(startingPeople([], false).demo).toBe(false);
  });

  it('check-config warns when an active surface has nobody mapped, or nobody can link people', () => {
    const real = { coc: { auth: { ak: 'AKEXAMPLE0000000', sk: 'SKEXAMPLE00000000000000000000', projectId: '0123456789abcdef0123456789abcdef' } } };
    const nobody = checkConfig({ env: {}, cwd: dirWithConfig(real) });
    expect(nobody.exitCode).toBe(0);
    expect(nobody.output).toMatch(/Warning: .*\n(.*\n)*.*! identity\.mappings: the terminal is on but nobody is mapped there/);
    const noAdmin = checkConfig({ env: {}, cwd: dirWithConfig({ ...real, identity: { mappings: [{ platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'operator' }] } }) });
    expect(noAdmin.output).toContain('! identity.mappings: nobody can link people');
    expect(noAdmin.output).not.toContain('nobody is mapped there');
    const adminOff = checkConfig({
      env: {},
      cwd: dirWithConfig({ ...real, identity: { mappings: [{ platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'admin' }] }, policy: { defaultAllow: ['help', 'run'] } }),
    });
    expect(adminOff.output).toContain('! policy.defaultAllow: does not include admin');
    // The simulator with no configuration: the demo people, no warning about people.
    expect(checkConfig({ env: {}, cwd: dirWithConfig({}) }).output).not.toMatch(/identity\.mappings|policy\.defaultAllow/);
  });
});

describe('command-line options', () => {
  it('reads --help / -h and refuses an unknown option in one line', () => {
    expect(readCliOptions('usage: x', { as: { type: 'string' } }, ['-h'])).toEqual({ ok: false, code: 0, stdout: 'usage: x\n', stderr: '' });
    expect(readCliOptions('usage: x', {}, ['--bogus'])).toEqual({ ok: false, code: 2, stdout: '', stderr: 'Unknown option --bogus. Try --help.\n' });
    expect(readCliOptions('usage: x', { as: { type: 'string' } }, ['--as']).ok).toBe(false);
    expect(readCliOptions('usage: x', { as: { type: 'string' } }, ['--as', 'bob'])).toEqual({ ok: true, values: { as: 'bob' } });
  });

  // The run's bundles of the tools (no TypeScript to compile at each start), as npm runs them otherwise.
  const run = (file: EntryPoint, args: readonly string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...nodeArgsFor(file), ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  const TOOLS: readonly [EntryPoint, string][] = [
    ['src/main.ts', 'usage: npm start'],
    ['src/check-config.ts', 'usage: npm run check-config'],
    ['src/adapters/slack/manifest-main.ts', 'usage: npm run manifest'],
    ['src/adapters/discord/register-cli.ts', 'usage: npm run discord:register'],
    ['src/adapters/discord/commands-file-main.ts', 'usage: npm run discord-commands'],
    ['src/sim/main.ts', 'usage: npm run sim'],
  ];

  it('every tool prints its usage for --help, and an unknown option is one line and exit 2, not a stack trace', async () => {
    // Side by side: each start pays for loading the tool; the unknown option goes through the same helper everywhere.
    const [bogus, ...helps] = await Promise.all([run('src/main.ts', ['--bogus']), ...TOOLS.map(([file]) => run(file, ['--help']))]);
    expect(bogus).toEqual({ code: 2, stdout: '', stderr: 'Unknown option --bogus. Try --help.\n' });
    TOOLS.forEach(([file, usage], index) => {
      expect(helps[index]!.code, file).toBe(0);
      expect(helps[index]!.stdout.startsWith(usage), file).toBe(true);
    });
  });
});
