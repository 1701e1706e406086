/**
 * PGlite's WebAssembly, compiled ahead of the store's opening. Compiling it (9 MB) is the part of
 * opening an embedded store that runs off the bot's thread: started at the very beginning of a
 * start (src/main.ts), it runs on V8's background threads while the bot's own code loads and its
 * configuration is read, instead of after them with the bot's thread waiting. PGlite then only
 * instantiates the compiled module. Kept small and free of PGlite's JavaScript, so that the
 * entry point can start it before anything else loads.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

/**
 * PGlite's WebAssembly runs on V8's baseline compiler only. By default V8 also recompiles the
 * functions it finds hot with its optimising compiler while the store opens: on opening an
 * existing store that took ~40 MB of resident memory and most of a second of CPU, and gave
 * nothing back — the bot's queries are short, and 27,000 upserts and selects took the same CPU
 * time either way. Set before the module is compiled (here, or by PGlite in `create`), and for
 * this process only: PGlite is the only WebAssembly the bot runs.
 */
setFlagsFromString('--liftoff-only');

let compiling: Promise<WebAssembly.Module | undefined> | undefined;

/** Node's global WebAssembly object (the TypeScript libs for Node declare its types only). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

/** Where PGlite's package keeps its WebAssembly: next to its entry module. */
function pgliteWasmPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm');
}

/**
 * Starts compiling PGlite's WebAssembly, once per process; a failure leaves PGlite to do it itself.
 * The file is read at once (9 MB from the OS's cache, a few milliseconds): read in chunks, as
 * `readFile` does, its reading waited for the event loop, which the bot's code loading holds for
 * a long while, and the compilation started only once that was done.
 */
export function compilePgliteWasm(): Promise<WebAssembly.Module | undefined> {
  if (!compiling) {
    let started: Promise<WebAssembly.Module>;
    try {
      started = wasm.compile(readFileSync(pgliteWasmPath()));
    } catch (error) {
      started = Promise.reject(error);
    }
    compiling = started.catch(() => undefined);
  }
  return compiling;
}

/**
 * Forgets the compiled module when the store turned out not to be PGlite (a database URL in the
 * configuration file), so that it does not stay in memory for nothing.
 */
export function forgetPgliteWasm(): void {
  compiling = undefined;
}
