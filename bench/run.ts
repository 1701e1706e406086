/**
 * `npm run bench`: timing goals, printed as ratios against a baseline measured in the same
 * run (never as timed assertions in tests — machines are noisy).
 *
 * - AK/SK signing of one request vs one bare HMAC-SHA256 of the same string-to-sign size.
 * - `getScriptOrder` through CocClient (validation, signing, envelope, zod) vs one raw
 *   signed undici GET of the same URL to the simulator, through a Pool like the client's.
 * - One simulator tick with 1,000 live orders, and the process's peak RSS.
 * - The live order tracker over 1,000 orders (bench/tracker.ts, in its own process).
 * - Discord's initial-response times through the interactions endpoint (bench/discord.ts).
 * - Discord's answer times (send → answer at the fake Discord) vs a bare app (bench/discord-answer.ts).
 * - Slack's acknowledgement times through the HTTP receiver, and coalesced card edits (bench/slack.ts).
 * - `/coc` ack latency over Slack HTTP, 200 concurrent, vs a bare Bolt app (bench/slack-ack.ts).
 * - The worst ack of each Slack request kind in a burst of 200 with COC hanging (bench/slack-ack-kinds.ts).
 * - `/coc order <id>` end to end vs one raw undici GET to the simulator (bench/order-command.ts).
 * - Start-up to ready on an existing store, in fresh processes (bench/startup.ts).
 * - The Slack and Discord HTTP endpoints under 1,000 hostile connections: RSS before, at peak
 *   and after, and the ack times of signed requests sent meanwhile (bench/hostile.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'undici';
import { signRequest } from '../src/coc/auth/signer.js';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator } from '../src/sim/server.js';
import { ratioLine, time, timePair } from './measure.js';

const sim = await startSimulator({ tickMs: 0 });
const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
const lines: string[] = [];

try {
  const hosts = sim.world.hosts.filter((host) => host.agentState === 'ONLINE' && !host.tags.some((t) => t.key === 'flaky')).slice(0, 20);
  const script = [...sim.world.scripts.values()].find((s) => s.name === 'disk_usage');
  if (!script || hosts.length < 20) throw new Error('the seeded world lacks disk_usage or 20 healthy hosts');
  const body = {
    execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
    execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE' as const, target_instances: hosts.slice(0, 10).map((h) => ({ resource_id: h.resourceId, region_id: h.regionId })) }],
  };
  const executeUuid = await coc.executeScript(script.scriptUuid, body);

  const sampleRequest = { method: 'GET', url: `${sim.url}/v1/job/script/orders/${executeUuid}`, headers: { Host: new URL(sim.url).host } };
  const signing = await time(2000, 5, () => void signRequest(sampleRequest, { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }));
  const bareHmac = await time(2000, 5, () => void createHmac('sha256', SIM_DEFAULT_SK).update('x'.repeat(120)).digest('hex'));
  lines.push(ratioLine('AK/SK signing vs one bare HMAC-SHA256', signing, bareHmac));

  // The baseline does what the client cannot skip (sign, send, read, parse JSON) and nothing
  // more. It gets its own undici Pool for the simulator's origin, as the client has: the global
  // dispatcher behind `request(url)` is an Agent that parses the URL and looks the origin up on
  // every call, work the client does not do, which made the baseline slower than a raw GET is.
  // Both sides are warmed up and timed in alternating rounds (see timePair): timed cold and one
  // after the other, the client ran first and paid for compiling the undici and simulator code
  // that the baseline then used warm.
  const rawPool = new Pool(new URL(sim.url).origin, { connections: 16, keepAliveTimeout: 4_000 });
  const rawPath = new URL(sampleRequest.url).pathname;
  const [viaClient, rawGet] = await timePair(
    100,
    21,
    5_000,
    async () => void (await coc.getScriptOrder(executeUuid)),
    async () => {
      const headers = signRequest(sampleRequest, { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK });
      const response = await rawPool.request({ method: 'GET', path: rawPath, headers });
      await response.body.json();
    },
  ).finally(() => rawPool.close());
  lines.push(ratioLine('getScriptOrder via CocClient vs raw signed undici GET', viaClient, rawGet, 1.5));

  // 1,000 orders of 20 one-host batches with CONTINUE rotation stay busy for 40 ticks.
  const manyBatches = Array.from({ length: 20 }, (_, i) => ({
    batch_index: i + 1,
    rotation_strategy: 'CONTINUE' as const,
    target_instances: [{ resource_id: hosts[i % hosts.length]!.resourceId, region_id: hosts[i % hosts.length]!.regionId }],
  }));
  for (let i = 0; i < 1000; i++) await coc.executeScript(script.scriptUuid, { ...body, execute_batches: manyBatches });
  const busyTick = await time(1, 9, () => sim.tick(1));
  const idle = await startSimulator({ tickMs: 0 });
  const idleTick = await time(1, 9, () => idle.tick(1)).finally(() => idle.close());
  lines.push(ratioLine('simulator tick: 1,000 live orders vs an idle world', busyTick, idleTick));
  lines.push(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await coc.close();
  await sim.close();
}
process.stdout.write(`${lines.join('\n')}\n`);

// The live order tracker with 1,000 orders, in a process of its own so that its RSS and CPU are its own.
const tracker = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'tracker.ts')], { stdio: 'inherit' });
if (tracker.status !== 0) process.exitCode = 1;

// Discord's 3-second deadline through the interactions endpoint (bench/discord.ts), in its own process.
const discord = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'discord.ts')], { stdio: 'inherit' });
if (discord.status !== 0) process.exitCode = 1;

// What a person waits for on Discord: the answer's arrival under a burst, at sustained rates and at 2× the sustainable rate, vs a bare app (bench/discord-answer.ts).
const discordAnswer = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'discord-answer.ts')], { stdio: 'inherit' });
if (discordAnswer.status !== 0) process.exitCode = 1;

// Slack's 3-second acknowledgement through the HTTP receiver and coalesced card edits (bench/slack.ts), in its own process.
const slack = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack.ts')], { stdio: 'inherit' });
if (slack.status !== 0) process.exitCode = 1;

// `/coc order <id>` end to end vs one raw GET (bench/order-command.ts), on PostgreSQL when TEST_DATABASE_URL is set.
const orderCommand = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'order-command.ts')], { stdio: 'inherit' });
if (orderCommand.status !== 0) process.exitCode = 1;
if (process.env['TEST_DATABASE_URL'] || process.env['BENCH_DATABASE_URL']) {
  // And on the embedded store as well, for comparison.
  const embedded = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'order-command.ts')], {
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_URL: '', BENCH_DATABASE_URL: '' },
  });
  if (embedded.status !== 0) process.exitCode = 1;
}

// `/coc` acknowledgement latency over Slack HTTP under 200 concurrent requests vs a bare Bolt app (bench/slack-ack.ts).
const slackAck = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack-ack.ts')], { stdio: 'inherit' });
if (slackAck.status !== 0) process.exitCode = 1;

// What a person waits for on Slack: the answer's arrival, under bursts, sustained rates and 2× overload, vs a bare Bolt app (bench/slack-answer.ts).
const slackAnswer = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack-answer.ts')], { stdio: 'inherit' });
if (slackAnswer.status !== 0) process.exitCode = 1;

// The worst acknowledgement of each Slack request kind during a burst of 200 commands with COC hanging (bench/slack-ack-kinds.ts).
const slackAckKinds = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'slack-ack-kinds.ts')], { stdio: 'inherit' });
if (slackAckKinds.status !== 0) process.exitCode = 1;

// Start-up to ready (spawn → /readyz 200) on an existing store (bench/startup.ts); it spawns the bots itself.
const startup = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'startup.ts')], { stdio: 'inherit' });
if (startup.status !== 0) process.exitCode = 1;

// The chat HTTP endpoints under 1,000 hostile connections (bench/hostile.ts), with a GC before the "after" RSS.
const hostile = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'hostile.ts')], { stdio: 'inherit' });
if (hostile.status !== 0) process.exitCode = 1;
