/**
 * `npm start` as a newcomer runs it: a separate process, nothing configured, the built-in
 * simulator and an embedded store. It must reach its prompt and list scripts and hosts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeArgsFor } from './helpers/entry-point.js';

const workDir = mkdtempSync(join(tmpdir(), 'coc-start-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: workDir, NO_COLOR: '1' };
  return env;
}

function runBot(args: readonly string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgsFor('src/main.ts'), ...args], {
      cwd: workDir,
      env: cleanEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe('npm start with nothing configured', () => {
  it('reaches its prompt, lists scripts and hosts, and leaves on exit', async () => {
    const { code, stdout, stderr } = await runBot([], 'scripts --risk high\nhosts --tag env=prod --limit 3\nexit\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Connected to the built-in COC simulator');
    expect(stdout).toContain('alice@coc> ');
    expect(stdout).toMatch(/Scripts \(3 of 3\)/);
    expect(stdout).toContain('rotate_db_password');
    expect(stdout).not.toContain('disk_usage');
    expect(stdout).toMatch(/Hosts \(3 of \d+\)/);
    expect(stdout).toContain('env=prod');
  });

  it('runs --exec lines without a prompt, explains a typo, and exits 1 when a line was refused', async () => {
    const { code, stdout } = await runBot(['--exec', 'scripts', '--exec', 'hsts']);
    expect(code).toBe(1);
    expect(stdout).not.toContain('coc> ');
    expect(stdout).toContain('disk_usage');
    expect(stdout).toContain('unknown command "hsts". Did you mean "hosts"?');
  });

  it('exits 1 from --exec when a line waits for an answer (a HIGH-risk preview), saying nothing was started; 0 when every line was a read', async () => {
    const preview = await runBot(['--exec', 'whoami', '--exec', 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=Secret-123']);
    expect(preview.stdout).toContain('rotate_db_password');
    expect(preview.stdout.replace(/\s+/g, ' ')).toMatch(/"run rotate_db_password[^"]*" needs answers: its reply waits for Request approval \/ Cancel, and --exec presses no buttons\. Nothing was started/);
    expect(preview.code).toBe(1);
    // The failure says the line again, with the secret hidden as everywhere else.
    expect(preview.stdout).toContain('new_password=<hidden>');
    expect(preview.stdout + preview.stderr).not.toContain('Secret-123');
    const reads = await runBot(['--exec', 'whoami', '--exec', 'scripts --risk high']);
    expect(reads.stdout).toContain('rotate_db_password');
    expect(reads.code).toBe(0);
  });
});
