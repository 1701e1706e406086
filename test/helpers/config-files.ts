import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Temporary working directories holding a coc-chatops.json, removed after the file's tests. */
const created: string[] = [];

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coc-chatops-config-'));
  created.push(dir);
  return dir;
}

/** A directory whose coc-chatops.json holds `content` (an object, or raw text). */
export function dirWithConfig(content: unknown, fileName = 'coc-chatops.json'): string {
  const dir = tempDir();
  const path = join(dir, fileName);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  chmodSync(path, 0o600);
  return dir;
}
