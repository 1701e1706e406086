/**
 * How long a test waits for something that should happen before it gives up: a safety net for
 * a hung test, never what decides pass or fail. Generous, so that a machine busy with other
 * work (another test worker, a build, a CPU hog) only makes a test slower, never red.
 */
export const SAFETY_NET_MS = 120_000;

/**
 * The same for a test whose point is volume (thousands of lines, every command under every
 * fault, several processes killed and restarted): tens of seconds on an idle machine, several
 * minutes on one whose cores are taken by other work.
 */
export const VOLUME_TEST_MS = 600_000;

/** Polls until `probe` returns something (or fails after `timeoutMs`, the safety net): a condition another process or the store brings about. */
export async function waitFor<T>(probe: () => T | undefined | false | null | Promise<T | undefined | false | null>, what = 'the condition', timeoutMs = SAFETY_NET_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await probe();
    if (found !== undefined && found !== false && found !== null) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
