/**
 * Ends a benchmark's process once its figures are printed and everything it opened is closed.
 * The embedded store (PGlite) can leave a WebAssembly timer of its Postgres armed after it was
 * closed, which keeps a process alive for minutes; `npm run bench` waits for each of its
 * processes in turn, so one that lingers would hold up every benchmark after it.
 */
export function endBench(): void {
  process.stdout.write('', () => process.exit(process.exitCode ?? 0));
}
