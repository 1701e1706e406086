/**
 * Starts the slowest test files first, so that on two workers no long file starts near the end
 * and runs alone. The files named below go first (measured on a 2-core machine, slowest first);
 * the rest keep vitest's order: the durations it cached from an earlier run on this machine, or,
 * on a fresh checkout as in CI, file size, which says little about duration here.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  'test/reliability/chaos.test.ts',
  'test/store-migrations.test.ts',
  'test/start.test.ts',
  'test/dispatcher-fuzz.test.ts',
  'test/discord-start.test.ts',
  'test/reliability/blueking-kill.test.ts',
  'test/write-outcomes.test.ts',
  'test/audit-write-intents-kill.test.ts',
  'test/slack-placeholder-forms.test.ts',
  'test/reliability/kill-matrix.test.ts',
  'test/reliability/replay-replicas.test.ts',
  'test/tracker-restart.test.ts',
  'test/blueking-transcript.test.ts',
  'test/coc-documents-transcript.test.ts',
  'test/shell-history-secrets.test.ts',
  'test/reliability/blueking-approvals.test.ts',
  'test/batches-runs.test.ts',
  'test/blueking-execute-outcomes.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = SLOWEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
