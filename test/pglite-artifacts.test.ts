/**
 * PGlite's WebAssembly compiled ahead of the store's opening (src/main.ts starts it): one
 * compilation per process, which the store then opens with; forgotten when the store is not PGlite.
 */
import { describe, expect, it } from 'vitest';
import { compilePgliteWasm, forgetPgliteWasm } from '../src/store/pglite-artifacts.js';
import { IN_MEMORY_DATA_DIR, openPgliteDb } from '../src/store/pglite-driver.js';

/** Node's global WebAssembly object (the TypeScript libs for Node declare its types only). */
const { Module: WasmModule } = (globalThis as unknown as { WebAssembly: { Module: new (...args: never[]) => WebAssembly.Module } }).WebAssembly;

describe("PGlite's WebAssembly, compiled ahead", () => {
  it('is compiled once per process, and a store opens with it', async () => {
    const first = compilePgliteWasm();
    expect(compilePgliteWasm()).toBe(first);
    const module = await first;
    expect(module).toBeInstanceOf(WasmModule);
    const db = await openPgliteDb({ dataDir: IN_MEMORY_DATA_DIR });
    try {
      expect((await db.query<{ answer: number }>('select 1 as answer')).rows).toEqual([{ answer: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('is compiled again once forgotten', async () => {
    const before = compilePgliteWasm();
    forgetPgliteWasm();
    const after = compilePgliteWasm();
    expect(after).not.toBe(before);
    expect(await after).toBeInstanceOf(WasmModule);
  });
});
