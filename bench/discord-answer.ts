/**
 * What a person waits for on Discord: the time from sending a signed interaction to the
 * interactions endpoint to the arrival of its ANSWER (`npm run bench` runs it in its own
 * process). The answer is the initial response when it carries it (type 4), else the first
 * edit of the original response or follow-up through the webhook routes at the local fake
 * Discord. Measured against a bare app in the same run, in alternating rounds.
 *
 * The bare app is what a minimal discord.js-style HTTP app does: node:http, read the body,
 * verify the Ed25519 signature (node:crypto), parse the JSON, answer the initial response with
 * a deferral (type 5) and at once edit `@original` with a fixed text through @discordjs/rest
 * (discord.js's REST client, as the bot uses, without its 50/s global cap, which Discord does not apply to interaction tokens), to the same fake Discord.
 * For `whoami` it reads nothing; for `order view <uuid>` it first reads the order from the
 * same simulated COC with the same five GETs the bot's card needs, shared by everyone asking
 * within 2 s as the bot shares its snapshot, through one undici pool, and edits in a plain text
 * (bench/answer-bare-coc.ts). It writes nothing: the floor of HTTP in, signature, the COC reads
 * the answer needs, HTTP out, REST out — the ratio is the bot's own work.
 *
 * - `/coc whoami` and `/coc order view <uuid>` under a burst of 200 at once: p50/p99 vs bare.
 * - `/coc order view <uuid>` at sustained (open-loop) rates 25 → 400/s for 2 s each: p50/p99
 *   and the first rate at which p99 passes 1 s.
 * - At 2× the highest sustainable rate (p99 ≤ 1 s) for 5 s, with the default bound on work
 *   taken in, on a fresh bot process: every interaction gets its answer (the result or "busy,
 *   try again") within 3 s, and that process's peak RSS.
 *
 * Processes: the bot (with its store) and the bare app each run in a child process of their own
 * (bench/discord-answer-side.ts), and so does the COC simulator the bot reads, as COC is remote
 * in production; the sender and the fake Discord stay in this one, so neither side's event loop
 * carries the load generator. RSS and CPU are the
 * child's own (process.resourceUsage, reported over IPC).
 */
import { createServer } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { BENCH_APP as APP, BENCH_GUILD as GUILD, BENCH_USERS as USERS, type SideMessage } from './discord-answer-side.js';
import { startAnswerSide, type AnswerSide } from './answer-side-process.js';
import { endBench } from './end.js';
import { builtSide } from './built-sides.js';
import { MEASURED_ROUNDS, WARM_UP_BURSTS, measuredRounds, median, spread, warmUp } from './burst-rounds.js';

const BURST = 200;
const RATES = [25, 50, 100, 200, 400] as const;
const RATE_SECONDS = 2;
const OVERLOAD_SECONDS = 5;
/** An answer not seen by then is counted as never answered. */
const GIVE_UP_MS = 30_000;

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');

// ---- the fake Discord: records when the answer of each interaction token arrives ------------

const answerWaiters = new Map<string, (at: number) => void>();
const WEBHOOK = /^\/api\/v10\/webhooks\/\d+\/([^/?]+)(?:\/messages\/@original)?/;
const fakeDiscord = createServer((request, response) => {
  const at = performance.now();
  const token = WEBHOOK.exec(request.url ?? '')?.[1];
  request.resume();
  request.on('end', () => {
    // A deletion of a public deferral is not an answer; its follow-up is.
    if (token && request.method !== 'DELETE') {
      const waiter = answerWaiters.get(token);
      if (waiter) {
        answerWaiters.delete(token);
        waiter(at);
      }
    }
    if (request.method === 'DELETE') {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: '1300000000000000001', channel_id: '920000000000000001', content: '' }));
  });
});
await new Promise<void>((resolve) => fakeDiscord.listen(0, '127.0.0.1', () => resolve()));
const api = `http://127.0.0.1:${(fakeDiscord.address() as AddressInfo).port}/api`;

// ---- the sides under test: each in a child process of its own --------------------------------

type Side = AnswerSide<Extract<SideMessage, { kind: 'stats' }>>;

/**
 * BENCH_DISCORD_BOT_EXEC_ARGV adds flags to the bot's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`;
 * BENCH_DISCORD_BARE_EXEC_ARGV to the bare app's, to profile the two alike.
 */
async function startSide(side: 'bot' | 'bare' | 'coc', maxInFlight?: number): Promise<Side> {
  const flags = side === 'bot' ? process.env['BENCH_DISCORD_BOT_EXEC_ARGV'] : side === 'bare' ? process.env['BENCH_DISCORD_BARE_EXEC_ARGV'] : undefined;
  const extra = (flags ?? '').split(' ').filter(Boolean);
  return startAnswerSide<SideMessage>(await builtSide('discord-answer-side'), side, extra, {
    ...process.env,
    BENCH_DISCORD_SIDE: side,
    BENCH_DISCORD_API: api,
    BENCH_DISCORD_PUBLIC_KEY: publicKeyHex,
    BENCH_DISCORD_MAX_IN_FLIGHT: String(maxInFlight ?? ''),
    BENCH_DISCORD_COC_URL: cocSide?.url ?? '',
  });
}

let cocSide: Side | undefined;
cocSide = await startSide('coc');
const botSide = await startSide('bot');
const bareSide = await startSide('bare');
const botUrl = botSide.url;
const bareUrl = bareSide.url;
const orderUuid = cocSide.orderUuid;

// ---- the sender -----------------------------------------------------------------------------

// Both sides are sent to through one kept-alive pool, the way Discord's own senders reuse connections.
const sender = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 10_000 });
let counter = 0;

interface Signed {
  readonly token: string;
  readonly raw: string;
  readonly headers: Record<string, string>;
}

type Kind = 'whoami' | 'order';

function signed(kind: Kind, user: string): Signed {
  counter += 1;
  const token = `bench-${process.pid}-${counter}`;
  const data =
    kind === 'whoami'
      ? { id: '1', name: 'coc', type: 1, options: [{ type: 1, name: 'whoami', options: [] }] }
      : { id: '1', name: 'coc', type: 1, options: [{ type: 2, name: 'order', options: [{ type: 1, name: 'view', options: [{ type: 3, name: 'execute-uuid', value: orderUuid }] }] }] };
  const interaction = {
    id: String(1_400_000_000_000_000_000n + BigInt(counter)),
    application_id: APP,
    type: 2,
    token,
    version: 1,
    guild_id: GUILD,
    channel: { id: '920000000000000001', type: 0 },
    member: { user: { id: user, username: 'bench' }, nick: null },
    locale: 'en-US',
    data,
  };
  const raw = JSON.stringify(interaction);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + raw), privateKey).toString('hex');
  return { token, raw, headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp } };
}

interface Outcome {
  /** Send to answer, ms; undefined when none came within GIVE_UP_MS. */
  readonly ms: number | undefined;
  readonly busy: boolean;
}

/** Interactions sent to the first bot process and to the bare app, for CPU per interaction. */
const sentTo = { bot: 0, bare: 0 };

async function send(url: string, one: Signed): Promise<Outcome> {
  if (url === botUrl) sentTo.bot += 1;
  else if (url === bareUrl) sentTo.bare += 1;
  let answered!: (at: number) => void;
  const viaDiscord = new Promise<number>((resolve) => (answered = resolve));
  answerWaiters.set(one.token, answered);
  const started = performance.now();
  let giveUp: NodeJS.Timeout | undefined;
  try {
    const response = await request(url, { method: 'POST', headers: one.headers, body: one.raw, dispatcher: sender });
    const text = await response.body.text();
    const at = performance.now();
    if (response.statusCode !== 200) return { ms: undefined, busy: false };
    const initial = JSON.parse(text) as { type: number; data?: { flags?: number; content?: string } };
    if (initial.type === 4) {
      answerWaiters.delete(one.token);
      return { ms: at - started, busy: (initial.data?.content ?? '').includes('Busy') };
    }
    const late = await Promise.race([viaDiscord, new Promise<undefined>((resolve) => (giveUp = setTimeout(() => resolve(undefined), GIVE_UP_MS)))]);
    return { ms: late === undefined ? undefined : late - started, busy: false };
  } catch {
    return { ms: undefined, busy: false };
  } finally {
    clearTimeout(giveUp);
    answerWaiters.delete(one.token);
  }
}

function burst(url: string, kind: Kind): Promise<Outcome[]> {
  const all = USERS.slice(0, BURST).map((user) => signed(kind, user));
  return Promise.all(all.map((one) => send(url, one)));
}

/** Open loop: `rate` a second for `seconds`, sent on schedule whatever the answers do. */
async function sustained(url: string, kind: Kind, rate: number, seconds: number): Promise<Outcome[]> {
  const total = rate * seconds;
  const all = Array.from({ length: total }, (_, i) => signed(kind, USERS[i % USERS.length]!));
  const outcomes: Promise<Outcome>[] = [];
  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const step = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (next < due) outcomes.push(send(url, all[next++]!));
      if (next >= total) return resolve();
      setTimeout(step, 5);
    };
    step();
  });
  return Promise.all(outcomes);
}

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly missing: number;
  readonly busy: number;
}

function figures(outcomes: readonly Outcome[]): Figures {
  const ms = outcomes.flatMap((o) => (o.ms === undefined ? [] : [o.ms])).sort((a, b) => a - b);
  const at = (q: number) => (ms.length === 0 ? Number.POSITIVE_INFINITY : ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!);
  return { p50: at(0.5), p99: at(0.99), max: ms.at(-1) ?? Number.POSITIVE_INFINITY, missing: outcomes.length - ms.length, busy: outcomes.filter((o) => o.busy).length };
}

/** The end of the bursts when they are all that was asked for. */
class BurstsDone extends Error {}

const f0 = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(0) : '∞');

/** BENCH_DISCORD_ANSWER_PHASES=burst runs the bursts alone (e.g. to profile the bot under them). */
const burstsOnly = process.env['BENCH_DISCORD_ANSWER_PHASES'] === 'burst';
/** BENCH_DISCORD_ANSWER_KINDS=order (or whoami): the bursts of that command alone. */
const burstKinds = (['whoami', 'order'] as const).filter((kind) => (process.env['BENCH_DISCORD_ANSWER_KINDS'] ?? 'whoami,order').split(',').includes(kind));

const lines: string[] = [];
try {
  // Warm both sides up (JIT, pools, the order's snapshot), alternately (bench/burst-rounds.ts).
  await warmUp(['whoami', 'order'] as const, (side, kind) => burst(side === 'bot' ? botUrl : bareUrl, kind));

  // Bursts of 200, alternating rounds; the median of each side's per-round percentiles.
  for (const kind of burstKinds) {
    const cpuBefore = { bot: (await botSide.stats()).cpuMs, bare: (await bareSide.stats()).cpuMs };
    const rounds = await measuredRounds(async (side) => figures(await burst(side === 'bot' ? botUrl : bareUrl, kind)));
    const { bot, bare } = rounds;
    // CPU per interaction over these bursts alone (warm, no start-up), each side's own process.
    const cpuPer = (ms: number) => (ms / (MEASURED_ROUNDS * BURST)).toFixed(2);
    const cpu = { bot: cpuPer((await botSide.stats()).cpuMs - cpuBefore.bot), bare: cpuPer((await bareSide.stats()).cpuMs - cpuBefore.bare) };
    const p99 = median(bot.map((f) => f.p99));
    const bareP99 = median(bare.map((f) => f.p99));
    const ratio = p99 / bareP99;
    lines.push(
      `Discord answer p99, ${BURST} burst, ${kind} (median of ${MEASURED_ROUNDS} rounds after ${WARM_UP_BURSTS} warm-up bursts each): ${f0(p99)} ms vs bare ${f0(bareP99)} ms = ${ratio.toFixed(2)}× (goal ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'MISSED'}); ` +
        `rounds' p99 ${spread(bot.map((f) => f.p99))} vs ${spread(bare.map((f) => f.p99))}; p50 ${f0(median(bot.map((f) => f.p50)))} ms vs ${f0(median(bare.map((f) => f.p50)))} ms; unanswered ${bot.reduce((n, f) => n + f.missing, 0)}; CPU per interaction ${cpu.bot} ms vs ${cpu.bare} ms`,
    );
  }

  if (burstsOnly) throw new BurstsDone();
  // Sustained open-loop rates of /coc order view.
  let passesOneSecond: number | undefined;
  let sustainable = 0;
  const rateLines: string[] = [];
  let at200: { readonly bot: number; readonly bare: number } | undefined;
  for (const rate of RATES) {
    const base = figures(await sustained(bareUrl, 'order', rate, RATE_SECONDS));
    const bot = figures(await sustained(botUrl, 'order', rate, RATE_SECONDS));
    if (rate === 200) at200 = { bot: bot.p99, bare: base.p99 };
    const ok = bot.p99 <= 1000 && bot.missing === 0 && bot.busy === 0;
    if (ok && passesOneSecond === undefined) sustainable = rate;
    if (!ok && passesOneSecond === undefined) passesOneSecond = rate;
    rateLines.push(`${rate}/s p50 ${f0(bot.p50)} / p99 ${f0(bot.p99)} ms (bare ${f0(base.p50)} / ${f0(base.p99)})${bot.busy ? ` busy ${bot.busy}` : ''}${bot.missing ? ` unanswered ${bot.missing}` : ''}`);
  }
  lines.push(`Discord /coc order answer at sustained rates (${RATE_SECONDS} s each): ${rateLines.join('; ')}`);
  lines.push(`Discord /coc order answer p99 passes 1 s at: ${passesOneSecond === undefined ? `none up to ${RATES.at(-1)}/s` : `${passesOneSecond}/s`} (sustainable: ${sustainable}/s)`);
  // Beside Slack's `/coc order` at 200/s (whose goal is ≤ 3×): at a p99 of a few milliseconds one
  // pause of either process decides the ratio, so it is printed with both figures and no verdict.
  if (at200) lines.push(`Discord /coc order answer p99 at 200/s: ${f0(at200.bot)} ms vs bare ${f0(at200.bare)} ms = ${(at200.bot / at200.bare).toFixed(2)}×`);

  // 2× the sustainable rate for a while: shed, never hoarded. The bound is what this machine
  // finishes in 2 s at the sustainable rate (the default, discord.maxInFlight, is sized for an
  // unloaded one), set on a second endpoint over the same core.
  const overloadRate = Math.max(2 * sustainable, 2 * RATES[0]);
  const bound = Math.max(8, 2 * Math.max(sustainable, RATES[0]));
  // A fresh bot process for this phase alone, so that its peak RSS is the overload's.
  const bounded = await startSide('bot', bound);
  let o: Figures;
  let overloadSent: number;
  let stats: Extract<SideMessage, { kind: 'stats' }>;
  try {
    // Warm it up (JIT, pools, the order's snapshot), then count the peak from here.
    for (let i = 0; i < 2; i++) await sustained(bounded.url, 'order', Math.max(RATES[0], sustainable / 2), 1);
    const before = await bounded.stats(true);
    const overload = await sustained(bounded.url, 'order', overloadRate, OVERLOAD_SECONDS);
    stats = await bounded.stats();
    stats = { ...stats, cpuMs: stats.cpuMs - before.cpuMs };
    o = figures(overload);
    overloadSent = overload.length;
  } finally {
    await bounded.close();
  }
  const within = o.missing === 0 && o.max <= 3000 && o.p99 <= 3000;
  lines.push(
    `Discord overload, /coc order at ${overloadRate}/s (2× sustainable) for ${OVERLOAD_SECONDS} s, maxInFlight ${bound}: ${overloadSent} sent, ${overloadSent - o.missing - o.busy} answered, ${o.busy} busy, ${o.missing} unanswered; ` +
      `answer p99 ${f0(o.p99)} ms, max ${f0(o.max)} ms (goal ≤ 3000 ms: ${within ? 'met' : 'MISSED'}); ` +
      `the bot's process (its embedded store included; COC simulated in a process of its own) peak RSS during the phase ${stats.maxRssMb.toFixed(0)} MB (goal ≤ 300 MB: ${stats.maxRssMb <= 300 ? 'met' : 'MISSED'}), CPU ${(stats.cpuMs / Math.max(1, overloadSent)).toFixed(2)} ms per interaction`,
  );
} catch (error) {
  if (!(error instanceof BurstsDone)) throw error;
} finally {
  const botStats = await botSide.stats().catch(() => undefined);
  const bareStats = await bareSide.stats().catch(() => undefined);
  if (botStats && bareStats) {
    lines.push(`Discord answer bench, whole run: bot process CPU ${(botStats.cpuMs / 1000).toFixed(1)} s, peak RSS ${botStats.maxRssMb.toFixed(0)} MB; bare app CPU ${(bareStats.cpuMs / 1000).toFixed(1)} s, peak RSS ${bareStats.maxRssMb.toFixed(0)} MB; CPU per interaction ${(botStats.cpuMs / Math.max(1, sentTo.bot)).toFixed(2)} ms vs ${(bareStats.cpuMs / Math.max(1, sentTo.bare)).toFixed(2)} ms (start-up included)`);
    if (botStats.unexpected > 0) lines.push(`(${botStats.unexpected} unexpected errors reported by the adapter)`);
  }
  await botSide.close();
  await bareSide.close();
  await cocSide.close();
  await sender.close();
  fakeDiscord.closeAllConnections();
  await new Promise<void>((resolve) => fakeDiscord.close(() => resolve()));
}
process.stdout.write(`${lines.join('\n')}\n`);
endBench();
