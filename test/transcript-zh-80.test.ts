/**
 * A zh-CN newcomer at 80 columns: the bot as a separate process (`npm start` with the built-in
 * simulator, output piped, COLUMNS=80), typed at with the list commands a newcomer tries first.
 * No line may be wider than 80 columns by display width (CJK and emoji take two), every table
 * and field list keeps its columns at the same display column in every row, and help speaks
 * Chinese.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBotProcess, type BotRun } from './helpers/bot-process.js';
import { seedMigratedDataDir } from './helpers/data-dir.js';

const LINES = [
  'help',
  'whoami',
  'scripts',
  'scripts show rotate_db_password',
  'hosts',
  'hosts --tag role=web',
  'orders',
  'incidents',
  'warrooms',
  'patch',
  'approvals',
  'audit',
  'run disk_usage --hosts web-01',
  'run restart_nginx --hosts web-01',
  'exit',
];

const workDir = mkdtempSync(join(tmpdir(), 'coc-transcript-zh-'));
let run: BotRun;

beforeAll(async () => {
  const dataDir = join(workDir, 'store');
  await seedMigratedDataDir(dataDir);
  run = await runBotProcess({
    cwd: workDir,
    env: { HOME: workDir, COLUMNS: '80', COC_CHATOPS_LOCALE: 'zh-CN', COC_CHATOPS_DATA_DIR: dataDir, COC_CHATOPS_SHELL_USER: 'alice' },
    lines: LINES,
    timeoutMs: 150_000,
  });
}, 180_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Display columns where the cells of a line start: its first text, and text after two or more spaces. */
function cellStarts(line: string): number[] {
  const starts: number[] = [];
  const pattern = /(^\s*|\s{2,})(\S)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) starts.push(stringWidth(line.slice(0, match.index + match[1]!.length)));
  return starts;
}

/**
 * Tables and field lists: runs of lines with cells side by side (two or more spaces between),
 * with the indented lines of cells wrapped within their column. The first line sets the columns.
 */
function blocks(text: string): string[][] {
  const found: string[][] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const sideBySide = /\S {2,}\S/.test(line);
    if (current && (sideBySide || /^ {2,}\S/.test(line))) {
      current.push(line);
    } else {
      current = sideBySide ? [line] : undefined;
      if (current) found.push(current);
    }
  }
  return found;
}

describe('a zh-CN newcomer at 80 columns', () => {
  it('answers every line', () => {
    for (const title of ['您在此处可用的 coc-chatops 命令', '脚本（显示', '脚本 rotate_db_password', '主机（显示', '脚本执行工单', '事件（', 'WarRoom（', '补丁合规', '待审批请求', '审计记录', '在 1 台主机上执行 disk_usage', '在 1 台主机上执行 restart_nginx']) {
      expect(run.stdout, run.stderr).toContain(title);
    }
  });

  it('prints no line wider than 80 columns', () => {
    const wide = run.stdout.split('\n').filter((line) => stringWidth(line) > 80);
    expect(wide).toEqual([]);
  });

  it('starts every column of every table at the same display column in every row', () => {
    for (const block of blocks(run.stdout)) {
      const columns = cellStarts(block[0]!);
      for (const row of block.slice(1)) {
        for (const start of cellStarts(row)) expect(columns, block.join('\n')).toContain(start);
      }
    }
  });

  it('shows each table it was asked for as a table (header and rows)', () => {
    for (const header of [/^名称 +风险 /, /^名称 +Agent 状态 /, /^事件编号 /]) {
      const table = blocks(run.stdout).find((block) => header.test(block[0]!));
      expect(table?.length ?? 0, `${header}:\n${run.stdout}`).toBeGreaterThan(2);
    }
  });

  it('shows audit rows too wide for 80 columns as records, one "column  value" line each', () => {
    expect(run.stdout).toMatch(/^时间 \(UTC\): \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n {2}操作人 +alice → alice\n {2}命令 +scripts show rotate_db_password\n/m);
  });

  it('speaks Chinese in help, summaries included', () => {
    expect(run.stdout).toContain('列出主机及其 UniAgent 状态、区域和标签');
  });

  it('fits hosts in 80 columns by showing ids as the prefix --hosts id:<prefix> accepts', () => {
    expect(run.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(run.stdout).toMatch(/^web-01 .* [0-9a-f]{8}$/m);
  });

  it('shows one badge per risk level in the script list and the run previews', () => {
    expect(run.stdout).toMatch(/^restart_nginx +🟡 中 /m);
    expect(run.stdout).toMatch(/^风险等级 +🟡 中$/m);
    expect(run.stdout).toMatch(/^风险等级 +🟢 低$/m);
  });
});
