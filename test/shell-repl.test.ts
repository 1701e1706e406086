/**
 * The terminal's loop with a real readline over a stream: an empty line reaches the session
 * (it skips an optional form field or keeps its default), history keeps only what was typed,
 * and `exit` ends the loop.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runRepl } from '../src/adapters/shell/repl.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the terminal loop', () => {
  it('hands empty lines to the session, keeps typed lines in the history, and stops at exit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'coc-repl-'));
    const historyFile = join(dir, 'history');
    const seen: string[] = [];
    const output = new PassThrough();
    output.resume();
    await runRepl({
      input: Readable.from(['run\n', '\n', '  \n', 'disk_usage\n', 'exit\n', 'never\n']),
      output,
      prompt: () => '> ',
      historyFile,
      handleLine: async (line) => {
        seen.push(line);
        return '';
      },
    });
    expect(seen).toEqual(['run', '', '', 'disk_usage']);
    expect(readFileSync(historyFile, 'utf8')).toBe('run\ndisk_usage\n');
  });
});
