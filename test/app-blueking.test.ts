/**
 * The assembled bot with backend blueking, as `npm start -- --backend blueking` runs it: the
 * built-in BlueKing simulator, the terminal's demo people mapped to its users, the command set of
 * BlueKing (no COC incidents, WarRooms or patches), runs composed as bot-driven batches, and
 * readiness named after the platform.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandProblems } from '../src/adapters/discord/command-limits.js';
import { discordCommandsFile, discordCommandsText } from '../src/adapters/discord/commands-file.js';
import { runManifest } from '../src/adapters/slack/manifest-main.js';
import type { Manifest } from '../src/adapters/slack/manifest.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { ShellSession } from '../src/adapters/shell/session.js';
import { declaredBackend } from '../src/app/backends.js';
import type { Bot } from '../src/app/bot.js';
import { commandRegistry } from '../src/app/commands.js';
import { capabilitiesOf } from '../src/backends/index.js';
import { batchLabel, runIdOfPlan } from '../src/batches/index.js';
import { commandName } from '../src/core/command.js';
import { nodeArgsFor } from './helpers/entry-point.js';
import { startBluekingBot } from './helpers/blueking-bot.js';
import { freshMemoryStore } from './helpers/memory-store.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

let bot: Bot;

beforeAll(async () => {
  bot = await startBluekingBot({ bot: { store: await freshMemoryStore() } });
});

afterAll(async () => {
  await bot?.close();
});

describe('the bot with backend blueking', () => {
  it('runs on the built-in BlueKing simulator with the demo people', async () => {
    expect(bot.connected.kind).toBe('blueking');
    expect(bot.connected.simulated).toBe(true);
    expect(bot.connected.description).toMatch(/^the built-in BlueKing simulator at http:\/\/127\.0\.0\.1:\d+ \(seed \d+, business 3\)$/);
    expect(bot.demoIdentities).toBe(true);
    expect(bot.readiness.names).toContain('blueking');
    expect(bot.readiness.names).not.toContain('coc');
    // Job's callbacks land on the ops endpoints: a body that is not one is refused there, not unrouted.
    const callback = await request(`${bot.opsServer!.url}/bk/job-done/${'a'.repeat(32)}`, { method: 'POST', body: 'not json' });
    expect(callback.statusCode).toBe(400);
    await callback.body.dump();

    const alice = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    const whoami = await alice.handleLine('whoami');
    expect(whoami).toContain('alice');
    expect(whoami).toContain('BlueKing');
    const hosts = await alice.handleLine('hosts');
    expect(alice.lastFailed).toBe(false);
    expect(hosts).toMatch(/web-01 .* 10\.0\.1\.11/);
  });

  it('offers BlueKing’s commands, its runs being the bot’s batches', () => {
    const names = bot.dispatcher.registry.commands.map((command) => commandName(command));
    expect(names).toEqual(expect.arrayContaining(['run', 'hosts', 'scripts']));
    for (const cocOnly of ['incident', 'warroom', 'patch']) expect(names.some((name) => name.split(' ')[0] === cocOnly)).toBe(false);
    // The declared backend (help, the manifest, Discord) and the running one agree.
    expect(commandRegistry(declaredBackend({ backend: 'blueking' })).commands.map((command) => commandName(command))).toEqual(names);

    const runs = bot.services.backend.runs;
    expect(runs?.batching).toBe('bot');
    expect(bot.services.backendFor({ iamUserName: 'alice', credentialRef: undefined }).runs?.batching).toBe('bot');
    const declared = capabilitiesOf(declaredBackend({ backend: 'blueking' }));
    for (const operation of ['pause', 'continue', 'cancel', 'skip-batch'] as const) expect(declared.has(`runs.operate.${operation}`)).toBe(true);
    expect(declared.has('runs.operate.cancel-host')).toBe(false);
  });

  it('sends a later batch as the requester, recorded in the audit trail as theirs', async () => {
    const connected = bot.connected;
    if (connected.kind !== 'blueking' || !connected.simulator) throw new Error('the BlueKing simulator is expected');
    const sim = connected.simulator;
    const alice = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    expect(await alice.handleLine('run check_disk --hosts web-02,web-03 --batch-size 1')).toContain('Run check_disk on 2 hosts?');
    const started = await alice.handleLine('1');
    const plan = /Started: order ([0-9a-f-]{36})/.exec(started)?.[1];
    expect(plan, started).toBeDefined();
    const runs = bot.services.backend.runs!;
    const run = runIdOfPlan('blueking', plan!);
    // The tracker's rounds, by hand: batch 1 ends on the simulator, the next round sends batch 2.
    for (let round = 0; round < 4 && sim.world.jobs.length < 2; round++) {
      sim.tick(5);
      await runs.advance!(run);
    }
    expect(sim.world.jobs.map((job) => [job.task_name, job.operator])).toEqual([
      [batchLabel(plan!, 1), 'alice'],
      [batchLabel(plan!, 2), 'alice'],
    ]);
    const rows = await bot.services.audit.list({ iamUserName: 'alice', limit: 50 });
    const batchRow = rows.find((row) => row.command === 'run batch');
    expect(batchRow).toMatchObject({ outcome: 'succeeded', target: 'check_disk', maskedParameters: { plan, batch: 2 }, chatUserId: 'alice', backend: 'blueking' });
    expect(rows.filter((row) => row.command === 'blueking POST job/fast_execute_script' && row.outcome === 'succeeded')).toHaveLength(2);
  });

  it('gives Slack and Discord BlueKing’s commands when asked for that backend', () => {
    const manifest = runManifest(['--http', 'https://chatops.example.com', '--backend', 'blueking'], {});
    expect(manifest.code).toBe(0);
    const yaml = parse(manifest.stdout) as Manifest;
    expect(yaml.features?.slash_commands?.[0]?.usage_hint).toMatch(/\brun\b/);
    expect(yaml.features?.slash_commands?.[0]?.usage_hint).not.toMatch(/\bincident\b/);
    // No incidents on BlueKing, so never the scopes to open channels for them.
    expect(runManifest(['--http', 'https://chatops.example.com', '--backend', 'blueking', '--incident-mode', 'channel'], {}).stdout).toBe(manifest.stdout);
    expect(runManifest(['--backend', 'tencent'], {}).stderr).toContain('--backend "tencent": must be one of coc, blueking');

    // The list of top-level commands: the everyday /coc, /coc-admin, and /coc-incident for its alarms (roots.ts).
    const list = JSON.parse(discordCommandsText('blueking')) as Parameters<typeof commandProblems>[0][];
    expect(list.map((command) => command.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    const top = (list[0]!.options ?? []).map((option) => option.name);
    expect(top).toEqual(expect.arrayContaining(['run', 'hosts']));
    expect(top).not.toContain('incident');
    for (const tree of list) expect(commandProblems(tree)).toEqual([]);
    expect(discordCommandsFile('blueking')).toBe('discord-commands.blueking.json');
    expect(discordCommandsText()).toBe(discordCommandsText('coc'));
  });

  it('npm start says --backend in its usage and refuses an unknown one', () => {
    const result = spawnSync(process.execPath, [...nodeArgsFor('src/main.ts'), '--backend', 'tencent'], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--backend "tencent": must be one of coc, blueking');
    expect(result.stderr).toMatch(/--backend <name> +coc \| blueking/);
  });
});
