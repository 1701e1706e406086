/**
 * The order test files start in, for two workers:
 *
 * 1. Every file that runs in a process of its own (vitest.config.ts, OWN_PROCESS) before every
 *    file of the shared workers. A shared worker process is kept for the next file only when
 *    the next file in the queue is a shared one too; when an own-process file is next, the
 *    shared process is ended, and the next shared file pays a new process, its module graph and
 *    its pool of migrated stores again (seconds each). Own-process files first, each worker
 *    starts one shared process once they are done and keeps it to the end.
 * 2. Within each kind, the slowest first, so that on two workers no long file starts near the
 *    end and runs alone: the files named below (measured on a 2-core machine, slowest first),
 *    then the rest in vitest's order: the durations it cached from an earlier run on this
 *    machine, or, on a fresh checkout as in CI, file size, which says little about duration here.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOWEST_FIRST = [
  // in a process of their own
  'test/reliability/chaos.test.ts',
  'test/reliability/blueking-kill.test.ts',
  'test/dispatcher-fuzz.test.ts',
  'test/reliability/kill-matrix.test.ts',
  'test/blueking-transcript.test.ts',
  'test/start.test.ts',
  'test/discord-start.test.ts',
  'test/audit-write-intents-kill.test.ts',
  'test/reliability/replay-replicas.test.ts',
  'test/tracker-restart.test.ts',
  'test/coc-documents-transcript.test.ts',
  'test/shell-history-secrets.test.ts',
  'test/reliability/blueking-approvals.test.ts',
  // in the shared workers
  'test/store-migrations.test.ts',
  'test/write-outcomes.test.ts',
  'test/help-examples-blueking.test.ts',
  'test/help-examples.test.ts',
  'test/slack-placeholder-forms.test.ts',
  'test/batches-runs.test.ts',
  'test/blueking-execute-outcomes.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const kind = (file: TestSpecification): number => (file.project.config.isolate === false ? 1 : 0);
    const rank = (file: TestSpecification): number => {
      const index = SLOWEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return [...sorted].sort((a, b) => kind(a) - kind(b) || rank(a) - rank(b));
  }
}
