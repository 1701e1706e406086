/**
 * The order test files start in (test/setup/slow-first-sequencer.ts): every own-process file
 * before every shared one, so that a shared worker process is never ended to make way for an
 * own-process file and started again for the next shared one; the measured slowest first within
 * each kind.
 */
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { SlowFirstSequencer } from './setup/slow-first-sequencer.js';

const ROOT = '/repo';

function spec(path: string, kind: 'own-process' | 'shared'): TestSpecification {
  const project = { name: kind, config: { root: ROOT, isolate: kind === 'own-process', sequence: { groupOrder: 0 } } };
  return { project, moduleId: `${ROOT}/${path}` } as unknown as TestSpecification;
}

/** A run with nothing cached (a fresh checkout, as in CI). */
const freshRun = { config: { root: ROOT }, cache: { getFileTestResults: () => undefined, getFileStats: () => undefined } } as unknown as Vitest;

describe('the order test files start in', () => {
  it('puts every own-process file before every shared one, the measured slowest first within each', async () => {
    const files = [
      spec('test/help.test.ts', 'shared'),
      spec('test/store-migrations.test.ts', 'shared'),
      spec('test/config-check.test.ts', 'own-process'),
      spec('test/write-outcomes.test.ts', 'shared'),
      spec('test/dispatcher-fuzz.test.ts', 'own-process'),
      spec('test/reliability/chaos.test.ts', 'own-process'),
    ];
    const sorted = await new SlowFirstSequencer(freshRun).sort(files);
    expect(sorted.map((file) => `${file.project.name} ${file.moduleId.slice(ROOT.length + 1)}`)).toEqual([
      'own-process test/reliability/chaos.test.ts',
      'own-process test/dispatcher-fuzz.test.ts',
      'own-process test/config-check.test.ts',
      'shared test/store-migrations.test.ts',
      'shared test/write-outcomes.test.ts',
      'shared test/help.test.ts',
    ]);
  });
});
