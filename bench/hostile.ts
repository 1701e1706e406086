/**
 * The chat endpoints under hostile load (`npm run bench` runs it in its own process, with
 * --expose-gc): the bot's Slack HTTP server (the whole adapter, a local fake Slack behind it)
 * and Discord interactions endpoint (the whole adapter), with their default limits, while
 * bench/hostile-load.ts holds 1,000 hostile connections open against them from another process
 * (unsigned 3.9 MB bodies, forged oversize bodies declared and chunked, slow headers, slow
 * bodies, forged bodies announced at the cap with their last byte held back), from 8 loopback
 * addresses (BENCH_HOSTILE_ADDRESSES). Signed requests (a Slack `/coc whoami`, a Discord PING) are sent
 * every 100 ms meanwhile, and before the load as the baseline.
 *
 * Printed: RSS before, at peak and after the hostile connections close (after a GC), and the
 * ack p50/p99 of the signed requests with and without the load. Goal: RSS grows ≤ 50 MB and
 * returns; signed requests acknowledged within 1 s. Figures, not assertions.
 */
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LogLevel } from '@slack/bolt';
import { startDiscordAdapter } from '../src/adapters/discord/adapter.js';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { Secret, type Config } from '../src/config.js';
import { makeTestBot } from '../test/helpers/bot.js';
import { APP, DISCORD_MAPPINGS, GUILD, interactionOf, testKeys } from '../test/helpers/discord-interactions.js';
import { startFakeDiscord } from '../test/helpers/fake-discord.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';

const CONNECTIONS = 1_000;
const LOAD_MS = 12_000;
const BASELINE_MS = 5_000;
const EVERY_MS = 100;
const SECRET = 'bench-hostile-signing-secret-0123456789';
const TEAM = 'T0BENCH';
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const rss = () => process.memoryUsage().rss;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

const fakeSlack = await startFakeSlack({ teamId: TEAM });
const fakeDiscord = await startFakeDiscord();
const bot = await makeTestBot({
  mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }, ...DISCORD_MAPPINGS],
});
const slack = new SlackAdapter(
  {
    mode: 'http',
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    slackApiUrl: fakeSlack.apiUrl,
    botId: fakeSlack.botId,
    botUserId: fakeSlack.botUserId,
    incidentPlace: { mode: 'thread' },
    logLevel: LogLevel.ERROR,
  },
  { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now, log: () => undefined },
);
bot.core.chat.register(slack.surface);
const slackUrl = (await slack.start()).url!;
const keys = testKeys();
const config = {
  ...bot.config,
  discord: { ...bot.config.discord, botToken: new Secret('MTIz.bench.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fakeDiscord.api },
} as Config;
const discord = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, port: 0, host: '127.0.0.1' });
bot.core.chat.register(discord.surface);
const discordUrl = discord.endpoint!.url;

/** Signed requests every EVERY_MS for `ms`, from their own process (bench/hostile-signed.ts). */
async function signedTraffic(ms: number, label: string): Promise<{ slack: number[]; discord: number[]; failures: string[] }> {
  const client = fork(join(import.meta.dirname, 'hostile-signed.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<{ slack: number[]; discord: number[]; failures: string[] }>((resolve, reject) => {
    client.on('message', (message: { result?: { slack: number[]; discord: number[]; failures: string[] } }) => {
      if (message.result) resolve(message.result);
    });
    client.once('exit', (code) => reject(new Error(`the signed-request client exited (${code}) without a result`)));
  });
  client.send({
    run: {
      slackUrl,
      discordUrl,
      slackSecret: SECRET,
      team: TEAM,
      responseUrl: fakeSlack.responseUrl('__ID__'),
      discordKeyPem: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      ping: { ...interactionOf(1, undefined), type: 1 },
      durationMs: ms,
      everyMs: EVERY_MS,
      label,
    },
  });
  return result;
}

/**
 * The kernel's TCP counters (Linux): time under TCP memory pressure, retransmitted segments and
 * dropped SYNs. The hostile process shares this machine's kernel, so its send buffers count
 * against the same TCP memory as the bot's sockets; under pressure the kernel drops segments of
 * every connection, signed ones included, and those wait for retransmission (200 ms, doubling).
 */
function tcpCounters(): { pressureMs: number; retransmits: number; listenDrops: number } | undefined {
  try {
    const pick = (file: string, prefix: string, name: string): number => {
      const rows = readFileSync(file, 'utf8').split('\n').filter((row) => row.startsWith(`${prefix}:`));
      const names = rows[0]?.split(/\s+/) ?? [];
      const values = rows[1]?.split(/\s+/) ?? [];
      const at = names.indexOf(name);
      return at < 0 ? 0 : Number(values[at]);
    };
    return {
      pressureMs: pick('/proc/net/netstat', 'TcpExt', 'TCPMemoryPressuresChrono'),
      retransmits: pick('/proc/net/snmp', 'Tcp', 'RetransSegs'),
      listenDrops: pick('/proc/net/netstat', 'TcpExt', 'ListenDrops'),
    };
  } catch {
    return undefined;
  }
}

const lines: string[] = [];
const progress = (what: string) => process.stderr.write(`[hostile bench] ${what}\n`);
progress('bot started');
try {
  // Warm-up (JIT, pools), then the baseline with no hostile load.
  await signedTraffic(1_000, 'warm-up');
  await settle();
  const baseline = await signedTraffic(BASELINE_MS, 'baseline');
  await settle();
  const before = rss();
  const tcpBefore = tcpCounters();
  progress('baseline measured; opening the hostile connections');

  const load = fork(join(import.meta.dirname, 'hostile-load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let openNow = 0;
  let leastOpen = Number.POSITIVE_INFINITY;
  let mostOpen = 0;
  let stats: { opened: number; answers: Record<string, number> } | undefined;
  const ready = new Promise<void>((resolve) => {
    load.on('message', (message: { ready?: true; open?: number; stats?: typeof stats }) => {
      if (message.open !== undefined) openNow = message.open;
      if (message.ready) resolve();
      if (message.stats) stats = message.stats;
    });
  });
  const exited = new Promise<void>((resolve) => load.once('exit', () => resolve()));
  // BENCH_HOSTILE_KINDS=unsigned,slow-body,… runs only those kinds (see bench/hostile-load.ts).
  const kinds = (process.env['BENCH_HOSTILE_KINDS'] ?? '').split(',').filter(Boolean);
  // BENCH_HOSTILE_ADDRESSES=1 sends the whole load from one address, which the per-address limits then cap.
  const sourceAddresses = Number(process.env['BENCH_HOSTILE_ADDRESSES'] ?? 8);
  load.send({ start: { slackUrl, discordUrl, connections: CONNECTIONS, kinds, sourceAddresses } });
  await ready;
  progress('hostile connections open; signed requests under load');
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let peak = rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 50);
  const openSampler = setInterval(() => {
    leastOpen = Math.min(leastOpen, openNow);
    mostOpen = Math.max(mostOpen, openNow);
  }, 100);
  const underLoad = await signedTraffic(LOAD_MS, 'under-load');
  clearInterval(openSampler);
  clearInterval(sampler);
  loopDelay.disable();
  peak = Math.max(peak, rss());
  const tcpAfter = tcpCounters();
  progress('closing the hostile connections');
  load.send({ stop: true });
  await exited;
  await settle();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await settle();
  const after = rss();

  const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
  const growth = (peak - before) / MB;
  const left = (after - before) / MB;
  const slackP99 = percentile(underLoad.slack, 99);
  const discordP99 = percentile(underLoad.discord, 99);
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  lines.push(
    `Hostile load: ${CONNECTIONS} concurrent connections for ${LOAD_MS / 1000} s (half Slack, half Discord: unsigned 3.9 MB bodies, forged oversize declared and chunked, slow headers, slow bodies, forged bodies at the cap held back by their last byte; from ${sourceAddresses} addresses; ${Number.isFinite(leastOpen) ? leastOpen : '?'} to ${mostOpen} open at once: refused ones reopen 1 s after being closed)${gc ? '' : ' [no --expose-gc: RSS after is without a forced GC]'}`,
    `  RSS before ${mb(before)}, peak ${mb(peak)} (+${growth.toFixed(0)} MB), after ${mb(after)} (${left >= 0 ? '+' : ''}${left.toFixed(0)} MB)  (goal: growth ≤ 50 MB and returns: ${growth <= 50 && left <= 10 ? 'met' : 'MISSED'})`,
    `  the bot's event-loop delay under load: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms; machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    ...(tcpBefore && tcpAfter
      ? [
          `  this machine's kernel meanwhile (shared with the hostile process): ${((tcpAfter.pressureMs - tcpBefore.pressureMs) / 1000).toFixed(1)} s under TCP memory pressure, ${tcpAfter.retransmits - tcpBefore.retransmits} segments retransmitted, ${tcpAfter.listenDrops - tcpBefore.listenDrops} SYNs dropped`,
        ]
      : []),
    `  Discord pending-body budget peak ${(discord.endpoint!.budget.peak / MB).toFixed(1)} MB of ${(discord.endpoint!.budget.capacity / MB).toFixed(0)} MB`,
    `  signed Slack /coc ack p50/p99: ${ms(percentile(underLoad.slack, 50))} / ${ms(slackP99)} under load (${underLoad.slack.length}) vs ${ms(percentile(baseline.slack, 50))} / ${ms(percentile(baseline.slack, 99))} without (${baseline.slack.length}) = p99 ×${(slackP99 / percentile(baseline.slack, 99)).toFixed(1)}  (goal ≤ 1 s: ${slackP99 <= 1_000 ? 'met' : 'MISSED'})`,
    `  signed Discord PING ack p50/p99: ${ms(percentile(underLoad.discord, 50))} / ${ms(discordP99)} under load (${underLoad.discord.length}) vs ${ms(percentile(baseline.discord, 50))} / ${ms(percentile(baseline.discord, 99))} without (${baseline.discord.length}) = p99 ×${(discordP99 / percentile(baseline.discord, 99)).toFixed(1)}  (goal ≤ 1 s: ${discordP99 <= 1_000 ? 'met' : 'MISSED'})`,
    `  signed requests refused or failed under load: ${underLoad.failures.length}${underLoad.failures.length ? ` (${[...new Set(underLoad.failures)].join('; ')})` : ''}`,
    `  hostile connections opened ${stats?.opened ?? '?'}; answers: ${Object.entries(stats?.answers ?? {})
      .map(([what, count]) => `${what} ×${count}`)
      .join(', ')}`,
  );
} finally {
  await slack.stop();
  await discord.close();
  await bot.close();
  await fakeSlack.close();
  await fakeDiscord.close();
}
// Sockets of the closed servers linger in the HTTP clients' pools; the figures are out, so end here.
process.stdout.write(`${lines.join('\n')}\n`, () => process.exit());
