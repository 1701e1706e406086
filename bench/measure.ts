/** Small timing helpers for benchmarks: warm up, then report the median of several rounds. */
import { performance } from 'node:perf_hooks';

export interface Timing {
  readonly medianMs: number;
  readonly perOpUs: number;
}

export async function time(ops: number, rounds: number, body: () => Promise<void> | void): Promise<Timing> {
  await body(); // warm-up: JIT, connection pools
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < ops; i++) await body();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const medianMs = samples[Math.floor(samples.length / 2)]!;
  return { medianMs, perOpUs: (medianMs * 1000) / ops };
}

export function ratioLine(label: string, subject: Timing, baseline: Timing, goal?: number): string {
  const ratio = subject.perOpUs / baseline.perOpUs;
  const verdict = goal === undefined ? '' : ratio <= goal ? `  (goal ≤ ${goal}×: met)` : `  (goal ≤ ${goal}×: MISSED)`;
  return `${label.padEnd(52)} ${subject.perOpUs.toFixed(1).padStart(9)} µs/op vs ${baseline.perOpUs.toFixed(1).padStart(9)} µs/op = ${ratio.toFixed(2)}×${verdict}`;
}

/**
 * Times `subject` against `baseline` in one process, fairly: both are warmed up together first
 * (`warmup` calls each, alternating), then timed in alternating rounds. Timed cold and one after
 * the other, whichever side ran first would pay for compiling the code both share and for the
 * heap both grow, and a busy moment on the machine would land on one side only; alternating
 * rounds spread all of that over both.
 */
export async function timePair(
  ops: number,
  rounds: number,
  warmup: number,
  subject: () => Promise<void> | void,
  baseline: () => Promise<void> | void,
): Promise<[subject: Timing, baseline: Timing]> {
  for (let i = 0; i < warmup; i++) {
    await subject();
    await baseline();
  }
  const samples: [number[], number[]] = [[], []];
  const bodies = [subject, baseline] as const;
  for (let r = 0; r < rounds; r++) {
    // Alternate which side opens the round too, so neither always follows the other.
    for (const side of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const body = bodies[side]!;
      const start = performance.now();
      for (let i = 0; i < ops; i++) await body();
      samples[side]!.push(performance.now() - start);
    }
  }
  const timing = (side: number[]): Timing => {
    side.sort((a, b) => a - b);
    const medianMs = side[Math.floor(side.length / 2)]!;
    return { medianMs, perOpUs: (medianMs * 1000) / ops };
  };
  return [timing(samples[0]), timing(samples[1])];
}
