/**
 * help on BlueKing names BlueKing's things: every command's summary, usage and argument texts are
 * worded with the platform's own nouns (BlueKing, its GSE Agent, a BlueKing user), in both
 * languages; COC's help still names COC's (checked on its registry, without a second bot).
 * One bot over the built-in BlueKing simulator, as `npm start -- --backend blueking` runs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { ShellSession } from '../src/adapters/shell/session.js';
import { commandJson, planCommands } from '../src/adapters/discord/command-map.js';
import { committedManifestText } from '../src/adapters/slack/manifest-main.js';
import { declaredBackend } from '../src/app/backends.js';
import type { Bot } from '../src/app/bot.js';
import { commandRegistry } from '../src/app/commands.js';
import { commandName, summaryOf } from '../src/core/command.js';
import { translator } from '../src/i18n/translate.js';
import { startBluekingBot } from './helpers/blueking-bot.js';
import { freshMemoryStore } from './helpers/memory-store.js';

let bot: Bot;

/** COC's words a BlueKing reader must never meet. */
const COC_WORDS = /COC|UniAgent|IAM|execute uuid|\{(platform|agent|identity)\}/;

/** What `user` reads after typing `line` in the terminal. */
const said = (user: string, line: string): Promise<string> => new ShellSession(bot.dispatcher, PLAIN, user).handleLine(line);

beforeAll(async () => {
  bot = await startBluekingBot({ bot: { store: await freshMemoryStore() } });
});

afterAll(async () => {
  await bot?.close();
});

describe('help on BlueKing speaks BlueKing', () => {
  it('help and help <command> never name COC, its agent, IAM or its execute uuid, in either language', async () => {
    const names = bot.dispatcher.registry.commands.map((command) => commandName(command));
    for (const locale of ['en-US', 'zh-CN']) {
      if (locale === 'zh-CN') await said('dave', 'lang zh-CN');
      const list = await said('dave', 'help');
      expect(list.match(COC_WORDS)?.[0], `${locale} help`).toBeUndefined();
      for (const name of names) {
        const text = await said('dave', `help ${name}`);
        expect(text.match(COC_WORDS)?.[0], `${locale} help ${name}:\n${text}`).toBeUndefined();
      }
    }
    await said('dave', 'lang en-US');
  });

  it('names BlueKing, its GSE Agent and a BlueKing user where COC says COC, UniAgent and IAM user', async () => {
    expect(await said('dave', 'help hosts')).toContain('GSE Agent');
    expect(await said('dave', 'help admin link')).toContain('BlueKing user');
    expect(await said('dave', 'help scripts')).toContain('BlueKing');
  });

  it('the run form’s hints name the GSE Agent', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine('run');
    const hosts = await session.handleLine('check_disk');
    await session.handleLine('/cancel');
    expect(hosts).toContain('Hosts whose GSE Agent is not online are left out.');
    expect(hosts).not.toMatch(COC_WORDS);
  });

  it('a badly typed order id is refused in BlueKing’s words', async () => {
    const text = await said('alice', 'order show not/an/id');
    expect(text).not.toMatch(COC_WORDS);
  });

  it('Discord registration and the Slack manifest take the same words, per backend', () => {
    const blueking = JSON.stringify(commandJson(planCommands(commandRegistry(declaredBackend({ backend: 'blueking' })))));
    expect(blueking.match(COC_WORDS)?.[0]).toBeUndefined();
    // The app and its slash command keep their names (COC ChatOps, /coc); nothing else names COC.
    const manifest = committedManifestText('thread', 'blueking').replace('name: COC ChatOps', '');
    expect(manifest.match(/COC|Huawei|UniAgent|IAM|\{(platform|agent|identity)\}/)?.[0]).toBeUndefined();
    const coc = JSON.stringify(commandJson(planCommands(commandRegistry(declaredBackend({ backend: 'coc' })))));
    expect(coc).toContain('UniAgent');
    expect(coc).not.toMatch(/\{(platform|agent|identity)\}/);
  });

  it('COC keeps its own words', () => {
    const registry = commandRegistry(declaredBackend({ backend: 'coc' }));
    const en = translator('en-US');
    const summary = (name: string) => summaryOf(registry.find(name.split(' '))!.command, en);
    expect(summary('hosts')).toBe('List hosts with their UniAgent state, region and tags');
    expect(summary('scripts')).toBe('List the custom scripts in COC, with their risk level');
    expect(summary('admin link')).toContain('IAM user');
  });
});

describe('a part of a host name on BlueKing, as help says', () => {
  const simulator = () => {
    const connected = bot.connected;
    if (connected.kind !== 'blueking' || !connected.simulator) throw new Error('the BlueKing simulator is expected');
    return connected.simulator;
  };
  /** The host conditions of the search_host requests sent since the log was reset. */
  const hostConditions = () =>
    simulator()
      .requests.filter((request) => request.routeKey === 'cc/search_host')
      .flatMap((request) => ((request.body as { condition?: { bk_obj_id: string; condition?: unknown[] }[] }).condition ?? []).filter((c) => c.bk_obj_id === 'host').flatMap((c) => c.condition ?? []));

  it('hosts --name lists every host whose name contains it, in any case, matched over the rows CMDB sent', async () => {
    simulator().resetRequests();
    const text = await said('alice', 'hosts --name EB-1');
    for (const name of ['web-10', 'web-11', 'web-12']) expect(text).toContain(name);
    expect(text).not.toMatch(/web-0\d|pay-web/);
    // search_host compares names only by $eq/$neq/$in/$nin: no name is sent, so no whole-name match narrows it.
    expect(simulator().countRequests('cc/search_host')).toBeGreaterThan(0);
    expect(hostConditions()).toEqual([]);
  });

  it('run --query plans on every host whose name contains it', async () => {
    simulator().resetRequests();
    const text = await said('alice', 'run check_disk --query CACHE');
    expect(text).toContain('cache-01');
    expect(text).toContain('cache-02');
    expect(text).not.toMatch(/No host|matches no host/);
    expect(hostConditions()).toEqual([]);
  });
});
