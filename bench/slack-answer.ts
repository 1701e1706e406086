/**
 * What a person waits for on Slack: the time from sending a signed `/coc` to its ANSWER's
 * arrival at Slack (the response_url post), end to end over real HTTP — signature, Bolt, the
 * adapter's after-ack queue, the dispatcher (identity, policy, audit), COC reads from the
 * simulator, rendering and the post back — against a bare Bolt app on the same HTTP receiver
 * that acks and `respond()`s, in the same run: for `whoami` at once, for `order <uuid>` after
 * reading the order from the same simulated COC with the same five GETs the bot's card needs,
 * shared by everyone asking within 2 s as the bot shares its snapshot, through one undici pool,
 * and answering a plain text (bench/answer-bare-coc.ts) — so the ratio is the bot's own work
 * (dispatcher, store, card, rendering), not the COC reads any app answering it must make. bench/slack-ack.ts measures only the
 * acknowledgement; bench/order-command.ts calls the dispatcher directly. Slack's side (the fake
 * Slack receiving answers, and the sender) runs in a process of its own (slack-answer-client.ts).
 *
 * - 200-command bursts of `/coc whoami` and `/coc order <uuid>` (an order in the simulator),
 *   after warm-up bursts, rounds alternating which side goes first; medians of p50 and p99 are
 *   reported, with the rounds' spread of p99 (bench/burst-rounds.ts).
 * - Sustained open-loop rates of `/coc order` (sent on schedule whatever the answers do),
 *   25 → 400 commands/s for a few seconds each; the rate at which p99 passes 1 s.
 * - Overload: twice the highest sustained rate the bot answered with p99 ≤ 1 s, for 5 s, on a
 *   fresh bot process with the default bound on work taken in (BENCH_SLACK_OVERLOAD_RATE runs
 *   only this phase, at that rate): every command gets an answer (its result, or "busy, try
 *   again") within 3 s, and the bot process's peak RSS during the phase (its embedded store
 *   included) stays ≤ 300 MB.
 *
 * BENCH_SLACK_ANSWER_PHASES=burst runs the bursts alone, BENCH_SLACK_ANSWER_KINDS=order (or
 * whoami) that command's alone (e.g. to profile the bot with BENCH_SLACK_BOT_EXEC_ARGV=--cpu-prof).
 *
 * Processes: the bot (with its store), the bare app and the COC simulator the bot reads (remote
 * in production) each run in a child process of their own (slack-answer-side.ts; BENCH_SLACK_BOT_EXEC_ARGV adds flags to the bot's,
 * e.g. `--cpu-prof`), and so does Slack's side; this one only directs them. RSS and CPU are the
 * sides' own (VmHWM and process.resourceUsage, over IPC).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AnswerOrders, ClientMessage, CommandTiming } from './slack-answer-client.js';
import type { SlackSideMessage } from './slack-answer-side.js';
import { startAnswerSide, type AnswerSide } from './answer-side-process.js';
import { endBench } from './end.js';
import { builtSide } from './built-sides.js';
import { MEASURED_ROUNDS, WARM_UP_BURSTS, measuredRounds, median, spread, warmUp } from './burst-rounds.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const TEAM = 'T0BENCH';
const BURST = 200;
const RATES = [25, 50, 100, 200, 300, 400];
const RATE_SECONDS = Number(process.env['BENCH_SLACK_ANSWER_RATE_SECONDS'] ?? 3);
const OVERLOAD_SECONDS = 5;
/** Set to run only the overload phase, at this rate (e.g. to profile it). */
const overloadOnly = Number(process.env['BENCH_SLACK_OVERLOAD_RATE'] ?? 0);
const burstsOnly = process.env['BENCH_SLACK_ANSWER_PHASES'] === 'burst';
const burstKinds = (process.env['BENCH_SLACK_ANSWER_KINDS'] ?? 'whoami,order').split(',');

const client: ChildProcess = fork(join(import.meta.dirname, 'slack-answer-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const next = () =>
  new Promise<ClientMessage>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the Slack side exited (${code})`));
    client.once('exit', exited);
    client.once('message', (message: ClientMessage) => {
      client.off('exit', exited);
      resolve(message);
    });
  });
const ready = await next();
if (ready.kind !== 'ready') throw new Error('the Slack side did not start');

async function measure(orders: AnswerOrders): Promise<CommandTiming[]> {
  const answer = next();
  client.send(orders);
  const message = await answer;
  if (message.kind !== 'done') throw new Error(message.kind === 'failed' ? message.error : 'unexpected message');
  return message.timings;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** p50 and p99 of the answers; a command never answered counts as infinitely late. */
function answerStats(timings: CommandTiming[]) {
  const answers = timings.map((t) => t.answerMs ?? Number.POSITIVE_INFINITY);
  return {
    p50: percentile(answers, 50),
    p99: percentile(answers, 99),
    max: Math.max(...answers),
    unanswered: timings.filter((t) => t.answerMs === undefined).length,
    busy: timings.filter((t) => t.busy).length,
    ackP99: percentile(timings.map((t) => t.ackMs ?? Number.POSITIVE_INFINITY), 99),
    /** p99 of the answers that were results, and of the busy ones. */
    resultP99: percentile(timings.filter((t) => !t.busy).map((t) => t.answerMs ?? Number.POSITIVE_INFINITY), 99),
    busyP99: percentile(timings.filter((t) => t.busy).map((t) => t.answerMs ?? Number.POSITIVE_INFINITY), 99),
  };
}

type Side = AnswerSide<Extract<SlackSideMessage, { kind: 'stats' }>>;

/**
 * BENCH_SLACK_BOT_EXEC_ARGV adds flags to the bot's process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`;
 * BENCH_SLACK_BARE_EXEC_ARGV to the bare app's, to profile the two alike.
 */
async function startSide(side: 'bot' | 'bare' | 'coc', maxInFlight?: number): Promise<Side> {
  const flags = side === 'bot' ? process.env['BENCH_SLACK_BOT_EXEC_ARGV'] : side === 'bare' ? process.env['BENCH_SLACK_BARE_EXEC_ARGV'] : undefined;
  const extra = (flags ?? '').split(' ').filter(Boolean);
  return startAnswerSide<SlackSideMessage>(await builtSide('slack-answer-side'), side, extra, {
    ...process.env,
    BENCH_SLACK_SIDE: side,
    BENCH_SLACK_SECRET: SECRET,
    BENCH_SLACK_TEAM: TEAM,
    BENCH_SLACK_API: ready.kind === 'ready' ? ready.apiUrl : '',
    BENCH_SLACK_BOT_ID: ready.kind === 'ready' ? ready.botId : '',
    BENCH_SLACK_BOT_USER_ID: ready.kind === 'ready' ? ready.botUserId : '',
    BENCH_SLACK_MAX_IN_FLIGHT: String(maxInFlight ?? ''),
    BENCH_SLACK_COC_URL: cocSide?.url ?? '',
  });
}

// COC, simulated in a process of its own as it is remote in production: its CPU and memory are not the bot's.
let cocSide: Side | undefined;
cocSide = await startSide('coc');
const orderText = `order ${cocSide.orderUuid}`;

const base = { secret: SECRET, teamId: TEAM, waitMs: 30_000 };
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : 'never');
const goal = (label: string, a: number, b: number, limit: number) =>
  `${label}: ${ms(a)} vs bare ${ms(b)} = ${(a / b).toFixed(2)}× (goal ≤ ${limit}×: ${a / b <= limit ? 'met' : 'MISSED'})`;
const lines: string[] = [];
/** Commands sent to the first bot process and to the bare app, for CPU per command. */
const sentTo = { bot: 0, bare: 0 };

/**
 * Twice the sustainable rate for a while, on a fresh bot process of its own with the default
 * bound on work taken in, so that its peak RSS (VmHWM, reset once warm) is the overload's.
 */
async function overloadPhase(rate: number): Promise<string> {
  const fresh = await startSide('bot');
  try {
    // Warmed up as the other phases are, then measured from here.
    await measure({ ...base, url: fresh.url, text: orderText, shape: { kind: 'burst', count: BURST } });
    const before = await fresh.stats(true);
    const timings = await measure({ ...base, url: fresh.url, text: orderText, shape: { kind: 'rate', perSecond: rate, seconds: OVERLOAD_SECONDS } });
    const after = await fresh.stats();
    const overload = answerStats(timings);
    const within3s = overload.unanswered === 0 && overload.max <= 3_000;
    return (
      `Slack overload: /coc order at ${rate}/s for ${OVERLOAD_SECONDS} s: answer (result or busy) p99 ${ms(overload.p99)} (results ${ms(overload.resultP99)}, busy ${ms(overload.busyP99)}), max ${ms(overload.max)}, ${overload.busy} busy, ${overload.unanswered} unanswered (goal: all within 3 s: ${within3s ? 'met' : 'MISSED'}); ` +
      `the bot's process (its ${process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] ? 'PostgreSQL client' : 'embedded store'} included; COC simulated in a process of its own) peak RSS during the phase ${after.maxRssMb.toFixed(0)} MB, from ${before.maxRssMb.toFixed(0)} MB when it began (then JS heap ${before.heapUsedMb.toFixed(0)} of ${before.heapTotalMb.toFixed(0)} MB, outside it ${before.externalMb.toFixed(0)} MB; at the end ${after.heapUsedMb.toFixed(0)} of ${after.heapTotalMb.toFixed(0)} MB and ${after.externalMb.toFixed(0)} MB) (goal ≤ 300 MB: ${after.maxRssMb <= 300 ? 'met' : 'MISSED'}), CPU ${((after.cpuMs - before.cpuMs) / Math.max(1, timings.length)).toFixed(2)} ms per command`
    );
  } finally {
    await fresh.close();
  }
}

const step = (what: string) => process.env['BENCH_SLACK_LOG'] && process.stderr.write(`${new Date().toISOString()} ${what}\n`);
try {
  if (overloadOnly > 0) lines.push(await overloadPhase(overloadOnly));
  else await allPhases();
} finally {
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
  step('stopping the Slack side and COC');
  await cocSide.close();
  client.send('exit');
}

async function allPhases(): Promise<void> {
  const botSide = await startSide('bot');
  const bareSide = await startSide('bare');
  const botUrl = botSide.url;
  const bareUrl = bareSide.url;
  const timed = async (side: 'bot' | 'bare', orders: Omit<AnswerOrders, 'url'>) => {
    sentTo[side] += orders.shape.kind === 'burst' ? orders.shape.count : Math.round(orders.shape.perSecond * orders.shape.seconds);
    return answerStats(await measure({ ...orders, url: side === 'bot' ? botUrl : bareUrl }));
  };
  let sustainable = 0;
  try {
    // Warm both sides up (JIT, connections, the order's snapshot).
    await warmUp(['whoami', orderText], (side, text) => timed(side, { ...base, text, shape: { kind: 'burst', count: BURST } }));

    for (const [label, text] of [
      ['whoami', 'whoami'],
      ['order', orderText],
    ] as const) {
      if (!burstKinds.includes(label)) continue;
      const cpuBefore = { bot: (await botSide.stats()).cpuMs, bare: (await bareSide.stats()).cpuMs };
      const rounds = await measuredRounds((side) => timed(side, { ...base, text, shape: { kind: 'burst', count: BURST } }));
      const of = (side: 'bot' | 'bare', figure: 'p50' | 'p99' | 'ackP99') => rounds[side].map((stats) => stats[figure]);
      // CPU per command over these bursts alone (warm, no start-up), each side's own process.
      const cpuPer = async (side: Side, before: number) => (((await side.stats()).cpuMs - before) / (MEASURED_ROUNDS * BURST)).toFixed(2);
      const cpu = { bot: await cpuPer(botSide, cpuBefore.bot), bare: await cpuPer(bareSide, cpuBefore.bare) };
      lines.push(
        `Slack answer under a ${BURST}-command burst, /coc ${label} (median of ${MEASURED_ROUNDS} rounds after ${WARM_UP_BURSTS} warm-up bursts each): p50 ${ms(median(of('bot', 'p50')))} vs bare ${ms(median(of('bare', 'p50')))}; ` +
          `rounds' p99 ${spread(of('bot', 'p99'))} vs ${spread(of('bare', 'p99'))}; ack p99 ${ms(median(of('bot', 'ackP99')))} vs bare ${ms(median(of('bare', 'ackP99')))}; CPU per command ${cpu.bot} ms vs ${cpu.bare} ms`,
        goal(`Slack answer p99, ${BURST} burst, ${label}`, median(of('bot', 'p99')), median(of('bare', 'p99')), 1.3),
      );
    }

    if (burstsOnly) return;
    // Sustained rates of /coc order, open loop.
    let passedBot: number | undefined;
    let passedBare: number | undefined;
    let at200: { bot: number; bare: number } | undefined;
    lines.push(`/coc order at sustained rates (${RATE_SECONDS} s each, open loop), answer p50/p99:`);
    for (const rate of RATES) {
      const orders = { ...base, text: orderText, shape: { kind: 'rate', perSecond: rate, seconds: RATE_SECONDS } as const };
      const botStats = await timed('bot', orders);
      const bareStats = await timed('bare', orders);
      lines.push(
        `  ${String(rate).padStart(3)}/s: bot ${ms(botStats.p50)} / ${ms(botStats.p99)}${botStats.busy ? ` (${botStats.busy} busy)` : ''}${botStats.unanswered ? ` (${botStats.unanswered} unanswered)` : ''}; bare ${ms(bareStats.p50)} / ${ms(bareStats.p99)}`,
      );
      if (botStats.p99 > 1_000 && passedBot === undefined) passedBot = rate;
      if (bareStats.p99 > 1_000 && passedBare === undefined) passedBare = rate;
      if (botStats.p99 <= 1_000 && botStats.busy === 0 && passedBot === undefined) sustainable = rate;
      if (rate === 200) at200 = { bot: botStats.p99, bare: bareStats.p99 };
    }
    lines.push(
      `  answer p99 passes 1 s at: bot ${passedBot ? `${passedBot}/s` : `none up to ${RATES.at(-1)}/s`}, bare ${passedBare ? `${passedBare}/s` : `none up to ${RATES.at(-1)}/s`}`,
    );
    if (at200) lines.push(goal('/coc order answer p99 at 200/s', at200.bot, at200.bare, 3));
  } finally {
    const botStats = await botSide.stats().catch(() => undefined);
    const bareStats = await bareSide.stats().catch(() => undefined);
    if (botStats && bareStats) {
      lines.push(
        `Slack answer bench, whole run: bot process CPU ${(botStats.cpuMs / 1000).toFixed(1)} s, peak RSS ${botStats.maxRssMb.toFixed(0)} MB; bare app CPU ${(bareStats.cpuMs / 1000).toFixed(1)} s, peak RSS ${bareStats.maxRssMb.toFixed(0)} MB; CPU per command ${(botStats.cpuMs / Math.max(1, sentTo.bot)).toFixed(2)} ms vs ${(bareStats.cpuMs / Math.max(1, sentTo.bare)).toFixed(2)} ms (start-up included)`,
      );
    }
    step('stopping the bot and the bare app');
    await Promise.all([botSide.close(), bareSide.close()]);
  }

  // Twice the sustainable rate: shed, never hoarded.
  const overloadRate = 2 * Math.max(sustainable, RATES[0]!);
  process.stdout.write(`${lines.splice(0).join('\n')}\n`);
  lines.push(`${await overloadPhase(overloadRate)} [2× the ${sustainable}/s sustained with answer p99 ≤ 1 s]`);
}
endBench();
