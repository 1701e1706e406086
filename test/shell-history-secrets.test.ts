/**
 * The terminal's history file, from outside: `npm start`'s process is typed at, then its
 * history file is read. A sensitive script parameter typed on the command line never reaches
 * the file; the line is kept with the value hidden, and typing that remembered line again is
 * refused instead of sending the placeholder to the hosts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HIDDEN_VALUE } from '../src/core/mask-line.js';
import { runBotProcess } from './helpers/bot-process.js';

const SECRET = 'Hist0ry-S3cret-Value';
const home = mkdtempSync(join(tmpdir(), 'coc-history-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the terminal history file', () => {
  it('keeps a run line with its secret value hidden, and the remembered line cannot run with the placeholder', async () => {
    const first = await runBotProcess({
      cwd: home,
      env: { HOME: home },
      lines: [`run rotate_db_password --hosts db-01 --param db_user=app --param new_password=${SECRET}`, 'exit'],
      timeoutMs: 120_000,
    });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain(SECRET);
    const history = readFileSync(join(home, '.coc-chatops_history'), 'utf8');
    expect(history).not.toContain(SECRET);
    const remembered = history.split('\n').find((line) => line.startsWith('run rotate_db_password'));
    expect(remembered).toBe(`run rotate_db_password --hosts db-01 --param db_user=${HIDDEN_VALUE} --param new_password=${HIDDEN_VALUE}`);

    const second = await runBotProcess({ cwd: home, env: { HOME: home }, lines: [remembered!, 'exit'], timeoutMs: 120_000 });
    expect(second.replies[1]).toContain(`--param db_user holds ${HIDDEN_VALUE}`);
    expect(second.replies[1]).not.toMatch(/Run it|Request approval/);
  }, 240_000);
});
