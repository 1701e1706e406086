/**
 * BENCH_ALLOC_PROFILE=<file> in a bench side's environment: V8's sampling heap profiler runs over
 * the side's whole life, counting objects the garbage collector has already freed too (what a
 * burst allocates, which is what its collections cost, not only what survives), and the profile
 * is written to <file>.<pid>.heapprofile when the side is told to exit — open it in Chrome's
 * DevTools, Memory tab.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function startAllocationProfile(file: string | undefined): Promise<(() => Promise<void>) | undefined> {
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(`${file}.${process.pid}.heapprofile`, JSON.stringify(profile));
    session.disconnect();
  };
}
