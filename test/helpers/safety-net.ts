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
