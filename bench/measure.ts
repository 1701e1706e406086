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
