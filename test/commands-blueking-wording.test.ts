/**
 * BlueKing mode reads as BlueKing: the texts a BlueKing user sees name BlueKing's own ways (each
 * person acts as their BlueKing user, its host ids, its agent, its script ids), never COC's.
 * One bot over the built-in BlueKing simulator, as `npm start -- --backend blueking` runs it;
 * COC's texts are held by their own tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { ShellSession } from '../src/adapters/shell/session.js';
import { declaredBackend } from '../src/app/backends.js';
import type { Bot } from '../src/app/bot.js';
import { capabilitiesOf } from '../src/backends/index.js';
import { startBluekingBot } from './helpers/blueking-bot.js';
import { freshMemoryStore } from './helpers/memory-store.js';

let bot: Bot;

/** What `user` reads after typing `line` in the terminal. */
const said = (user: string, line: string): Promise<string> => new ShellSession(bot.dispatcher, PLAIN, user).handleLine(line);

beforeAll(async () => {
  bot = await startBluekingBot({ bot: { store: await freshMemoryStore() } });
});

afterAll(async () => {
  await bot?.close();
});

describe('BlueKing mode reads as BlueKing', () => {
  it('whoami says the bot acts as your BlueKing user, not with a shared COC identity', async () => {
    const text = await said('alice', 'whoami');
    expect(text).toMatch(/BlueKing user\s+alice/);
    expect(text).toMatch(/BlueKing credentials\s+the bot acts in BlueKing as your BlueKing user \(alice\), so BlueKing's own rights/);
    expect(text).not.toMatch(/COC|shared service identity|IAM/);
  });

  it('orders --mine says each batch ran as you, not with a shared identity', async () => {
    const text = await said('alice', 'orders --mine');
    expect(text).toContain('The bot calls BlueKing as you (alice), so BlueKing applies your own rights');
    expect(text).not.toContain('shared identity');
  });

  it('has no alarm command: BlueKing takes no reported alarms (COC keeps it even without its key)', async () => {
    const names = bot.dispatcher.registry.commands.map((command) => command.words.join(' '));
    expect(names).toContain('alarms');
    expect(names).not.toContain('alarm');
    expect(await said('alice', 'help')).not.toMatch(/\/coc alarm /);
    expect(capabilitiesOf(declaredBackend({ backend: 'coc' })).has('alarms.takes-reports')).toBe(true);
    expect(capabilitiesOf(declaredBackend({ backend: 'coc' })).has('alarms.report')).toBe(false);
  });

  it('says a command COC has and BlueKing lacks is not offered here, never that its words are wrong arguments', async () => {
    for (const line of ['hosts sync', 'agents sync --hosts web-02', 'warrooms --status running', 'alarm --name x']) {
      const text = await said('dave', line);
      const command = line.split(' --')[0];
      expect(text, line).toContain(`"${command}" is not available here: BlueKing does not offer it.`);
      expect(text, line).not.toMatch(/takes no plain words|unknown command/);
    }
    // A command BlueKing serves still reads its own arguments.
    expect(await said('dave', 'hosts sync2')).toContain('hosts takes no plain words');
  });

  it('names script ids as BlueKing does, and says an unclassified script counts as HIGH', async () => {
    const list = await said('alice', 'scripts');
    expect(list).toMatch(/NAME\s+RISK\s+TYPE\s+STATUS\s+ID\n/);
    expect(list).not.toContain('UUID');
    const connected = bot.connected;
    if (connected.kind !== 'blueking' || !connected.simulator) throw new Error('the BlueKing simulator is expected');
    // A script no risk rule of the demo matches.
    const template = connected.simulator.world.scripts.find((script) => script.name === 'check_disk')!;
    connected.simulator.world.scripts.push({ ...template, id: 90, name: 'purge_cache' });
    const shown = await said('alice', 'scripts show purge_cache');
    expect(shown).toMatch(/Risk\s+⚪ UNCLASSIFIED: no risk rule matches it, so it counts as HIGH: every run needs a second person's approval/);
    expect(shown).toMatch(/\nID\s+3:90/);
  });

  it('offers a whole BlueKing host id or the IP for a name two hosts share, and takes no id prefix', async () => {
    const ambiguous = await said('alice', 'run check_disk --hosts web-01');
    expect(ambiguous).toContain('"web-01" matches 2 hosts, so nothing was planned. Name one of them: id:0:10.0.1.11 or 10.0.1.11.');
    expect(ambiguous).toContain('id: takes a whole host id as listed; an IP that only one of them has names that one.');
    expect(ambiguous).toContain('• web-01 · 10.0.1.11 · Online · id:0:10.0.1.11');
    expect(ambiguous).not.toMatch(/region|first 8|UniAgent|· \? ·/);
    // A prefix of a BlueKing id is a prefix of an IP: it names no host rather than a neighbour.
    expect(await said('alice', 'run check_disk --hosts id:0:10.0.1.1')).toMatch(/id:0:10\.0\.1\.1/);
    expect(await said('alice', 'run check_disk --hosts id:0:10.0.1.1')).not.toContain('Run check_disk on 1 host');
    expect(await said('alice', 'run check_disk --hosts id:0:10.0.1.11')).toContain('Run check_disk on 1 host');
    expect(await said('alice', 'run check_disk --hosts 10.0.9.11')).toContain('Run check_disk on 1 host');
  });

  it('lists hosts without the columns BlueKing never fills, and names its GSE Agent', async () => {
    const hosts = await said('alice', 'hosts');
    expect(hosts).toMatch(/NAME\s+AGENT\s+IP\s+ID\n/);
    expect(hosts).toMatch(/web-01\s+● Online\s+10\.0\.1\.11\s+0:10\.0\.1\.11\n/);
    expect(hosts).toContain('cannot run scripts now: their GSE Agent is not online.');
    expect(hosts).not.toMatch(/REGION|TAGS|UniAgent/);
    const offline = await said('alice', 'run check_disk --hosts app-07');
    expect(offline).toContain('none with a running GSE Agent');
    const preview = await said('alice', 'run check_disk --hosts app-06,app-07');
    expect(preview).toContain('Left out (1): their GSE Agent is not online');
    expect(`${offline}${preview}`).not.toContain('UniAgent');
  });

  it('whoami allows here only the command families BlueKing has commands of', async () => {
    const allowed = /Allowed here\s+(.*)\n/.exec(await said('alice', 'whoami'))?.[1];
    expect(allowed?.split(', ')).toEqual(['run', 'scripts', 'orders', 'hosts', 'alarm', 'tasks', 'notify', 'whoami', 'help', 'audit', 'admin']);
  });

  it('admin link refuses a user BlueKing does not know, changing nothing, and links one it knows', async () => {
    const refused = await said('dave', 'admin link erin mallory operator');
    expect(refused).toContain('BlueKing has no user mallory');
    expect(refused).toContain('Nothing was changed.');
    expect(await said('dave', 'admin users')).not.toContain('mallory');
    const linked = await said('dave', 'admin link erin bob viewer');
    expect(linked).toContain('Linked erin to BlueKing user bob as viewer');
    // Its own users, in the audit trail and whoami too: never COC's "IAM user".
    const audit = await said('dave', 'audit --user bob');
    expect(audit).toContain('BlueKing user bob');
    expect(await said('dave', 'audit --user 9bad')).toContain('it is not a BlueKing user name');
    expect(`${linked}${audit}${await said('alice', 'whoami')}`).not.toContain('IAM user');
  });

  it('help examples name BlueKing’s own scripts, flags and order ids, and each one reads', async () => {
    const runHelp = await said('alice', 'help run');
    expect(runHelp).toContain('/coc run check_disk --set web --batch-size 5');
    const examples = (help: string) => help.slice(help.indexOf('Examples:'));
    expect(examples(runHelp)).not.toMatch(/disk_usage|rotate_db_password|flush_redis_cache|--tag/);
    expect(await said('alice', 'help order show')).toContain('/coc order show 5d0f3a2e-8c41-4b7a-9e16-2f7c0b9d4a13 --batch 2');
    expect(examples(await said('alice', 'help hosts'))).not.toMatch(/--tag|--region/);
    // Every read-only example runs as typed (writes are left to their own tests).
    for (const line of ['scripts show rotate_password', 'scripts show check_disk', 'public scripts --name ping', 'public script show ping_check', 'hosts --set web', 'hosts --name cache --module redis']) {
      const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
      await session.handleLine(line);
      expect(session.lastFailed, line).toBe(false);
    }
  });
});
