/**
 * How the answer benches (bench/slack-answer.ts, bench/discord-answer.ts) measure a side under a
 * burst, the same way for the bot and its bare baseline:
 *
 * - Both sides are warmed first with WARM_UP_BURSTS bursts of each command measured, alternating.
 *   The bot has far more code than a bare app, and V8 keeps optimising it for its first thousand
 *   or so commands: with one warm-up burst, a 200 burst's p99 was still falling round after round
 *   (Slack `order`: 323, 287, 241, 206, 199 ms … 126 ms in the 15th round; the bare app 248 → 110
 *   ms), so a median over the first 5 rounds measured how far the JIT had got as much as the bot. A
 *   bot in production has answered thousands of commands before a burst comes.
 * - Then MEASURED_ROUNDS rounds, alternating which side goes first; each round's percentiles of
 *   each side, and their median. One round's p99 is its second-worst answer of 200, so a single
 *   collection or scheduling pause decides it: the rounds' p99 spread over 2× (Slack `whoami`:
 *   125–279 ms for the bot, 120–245 ms for the bare app in one run). Across 5 rounds the median
 *   moved ±0.15 between runs on an idle machine; across 11 rounds the same code still gave 1.10–
 *   1.37× in six runs; across 41 rounds, 1.12–1.20× in four (a run of one command, both sides, took 27 s).
 */
export const WARM_UP_BURSTS = Number(process.env['BENCH_ANSWER_WARM_UP_BURSTS'] ?? 3);
export const MEASURED_ROUNDS = Number(process.env['BENCH_ANSWER_ROUNDS'] ?? 41);

export type BurstSide = 'bot' | 'bare';

/** The order the two sides go in round `round` (which goes first alternates). */
export function sidesInRound(round: number): readonly [BurstSide, BurstSide] {
  return round % 2 === 0 ? ['bot', 'bare'] : ['bare', 'bot'];
}

/** Warms both sides with WARM_UP_BURSTS bursts of each of `kinds`, alternating sides. */
export async function warmUp<K>(kinds: readonly K[], burst: (side: BurstSide, kind: K) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < WARM_UP_BURSTS; i++) for (const kind of kinds) for (const side of sidesInRound(i)) await burst(side, kind);
}

/** MEASURED_ROUNDS rounds of one burst per side, alternating which goes first: each side's figures by round. */
export async function measuredRounds<F>(burst: (side: BurstSide) => Promise<F>): Promise<Record<BurstSide, F[]>> {
  const figures: Record<BurstSide, F[]> = { bot: [], bare: [] };
  for (let round = 0; round < MEASURED_ROUNDS; round++) for (const side of sidesInRound(round)) figures[side].push(await burst(side));
  return figures;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The rounds' spread of a figure, e.g. "126–323 ms", for the line beside its median. */
export const spread = (values: readonly number[]): string => `${whole(Math.min(...values))}–${whole(Math.max(...values))} ms`;

/** Milliseconds as a whole number; a command never answered counts as infinitely late. */
const whole = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(0) : '∞');
