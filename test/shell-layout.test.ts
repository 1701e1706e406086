/**
 * The terminal's layout by display width: CJK characters and emoji badges take two columns,
 * colour codes none; tables stay aligned and within the width; prose never breaks a word.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { COLOURS, PLAIN, type Palette } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { layoutTable } from '../src/adapters/shell/table.js';
import { terminalColumns } from '../src/adapters/shell/width.js';
import { wrapText } from '../src/adapters/shell/wrap.js';
import { RISK_DOT, riskDotOfCode } from '../src/core/risk-badge.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The display column each cell of a table line starts at (cells are separated by two or more spaces). */
function cellStarts(line: string): number[] {
  const starts: number[] = [];
  const plain = strip(line);
  const pattern = /(^|\s{2,})(\S)/g;
  for (let match = pattern.exec(plain); match; match = pattern.exec(plain)) {
    starts.push(stringWidth(plain.slice(0, match.index + match[1]!.length)));
  }
  return starts;
}

const at = (width: number): Palette => ({ ...PLAIN, columns: () => width });

describe('wrapText', () => {
  it('breaks at spaces, never inside a word, and keeps each line within the width', () => {
    const text = 'Run it again with --batch-size 5 to go on, or cancel order 3c9a1f0e-2b7d-4e55-9a10-5d2f7c6b8e41 now.';
    for (const width of [40, 45, 60, 80]) {
      const lines = wrapText(text, width);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
      // Every word is on one line: joining the lines with spaces gives the text back.
      expect(lines.join(' ')).toBe(text);
    }
    expect(wrapText(text, 45).some((line) => line.includes('3c9a1f0e-2b7d-4e55-9a10-5d2f7c6b8e41'))).toBe(true);
  });

  it('breaks Chinese between characters, keeps a closing mark with what it closes, and counts two columns each', () => {
    const lines = wrapText('第 1 页，共 1 页。最近 30 天内拉起的（COC 的默认范围；--since 可查看更早的）。', 20);
    for (const line of lines) {
      expect(stringWidth(line)).toBeLessThanOrEqual(20);
      expect(line).not.toMatch(/^[，。；）]/);
    }
    expect(lines.join('')).toContain('--since');
  });

  it('repeats an indented line\'s indent on the lines it wraps onto', () => {
    expect(wrapText('    mysql -u root -e "ALTER USER app"', 24)).toEqual(['    mysql -u root -e', '    "ALTER USER app"']);
  });

  it('cuts only a token wider than the whole line', () => {
    const lines = wrapText(`id ${'x'.repeat(30)}`, 12);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(12);
    expect(lines.join('').replace(/\s/g, '')).toBe(`id${'x'.repeat(30)}`);
  });
});

describe('layoutTable', () => {
  const columns = ['名称', '风险', '状态', 'UUID'];
  const rows = [
    ['windows_cleanup', `${RISK_DOT.medium} 中`, '正常（审批通过）', 'SC20250331145618b3b0ba577'],
    ['rotate_db_password', `${RISK_DOT.high} 高`, '正常', 'SC202501142248119fdb1e1b6'],
    ['health_check', `${RISK_DOT.low} 低`, '已停用', 'SC20241127102617301ddf282'],
  ];

  it('starts every column at the same display column in every row (CJK, emoji badges, colours)', () => {
    const coloured = rows.map(([name, ...rest]) => [COLOURS.green(name!), ...rest]);
    const lines = layoutTable({ columns, rows: coloured }, 120).lines.map((line) => line.text);
    const header = cellStarts(lines[0]!);
    expect(header).toHaveLength(4);
    for (const line of lines.slice(1)) expect(cellStarts(line)).toEqual(header);
  });

  it('wraps cells within their columns when the table is too wide, and no line passes the width', () => {
    const wide = { columns: ['Title', 'Owner', 'Created'], rows: [['Checkout latency above 2 s on the web tier', 'carol', '2026-12-05 23:35 UTC']] };
    const lines = layoutTable(wide, 40).lines.map((line) => line.text);
    expect(lines.length).toBeGreaterThan(2);
    const header = cellStarts(lines[0]!);
    for (const line of lines) {
      expect(stringWidth(line)).toBeLessThanOrEqual(40);
      for (const start of cellStarts(line)) expect(header).toContain(start);
    }
    // No word was cut.
    const words = lines.slice(1).flatMap((line) => line.split(/\s+/)).filter(Boolean);
    for (const word of words) expect('Checkout latency above 2 s on the web tier carol 2026-12-05 23:35 UTC').toContain(word);
  });

  it('shows an id column as its prefix before wrapping anything, when the table says it may', () => {
    const hosts = {
      columns: ['Name', 'Tags', 'ID'],
      rows: [['web-01', 'env=prod,role=web', 'aadd3ba6-a229-9fbb-9997-0da5d6e45b32']],
      idPrefixes: { 2: 8 },
    };
    expect(layoutTable(hosts, 80).lines.map((l) => l.text)[1]).toContain('aadd3ba6-a229-9fbb-9997-0da5d6e45b32');
    expect(layoutTable(hosts, 40).lines.map((l) => l.text)[1]).toBe('web-01  env=prod,role=web  aadd3ba6');
  });

  it('falls back to one record per row when the words cannot fit side by side', () => {
    const table = { columns: ['Request', 'Result', 'Request id'], rows: [['incidents', '成功', '2b501e77e21d0eef878ec5d1efe4c8e8']] };
    const lines = layoutTable(table, 36).lines.map((l) => l.text);
    expect(lines).toEqual(['Request: incidents', '  Result      成功', '  Request id', '    2b501e77e21d0eef878ec5d1efe4c8e8']);
  });
});

describe('renderMessage', () => {
  it('keeps titles, fields, footers and tables within the palette width and aligns field values', () => {
    const message = {
      title: '脚本 rotate_db_password · 🔴 高',
      fields: [
        { label: '风险等级', value: '🔴 高：每次执行都需要另一人审批' },
        { label: 'COC 审核人', value: 'bob' },
        { label: '角色', value: 'operator（操作员）: 查看者的全部权限，另可执行脚本（高危脚本需他人审批）、暂停/继续/取消工单、处理事件、查看自己的审计记录' },
      ],
      table: { columns: ['参数', '默认值', '描述'], rows: [['new_password', '••••••（敏感）', 'New password']] },
      footer: 'Run it again with --batch-size 5 to go on; the order 3c9a1f0e-2b7d-4e55-9a10-5d2f7c6b8e41 stays paused until then.',
    };
    const lines = renderMessage(message, at(50)).trimEnd().split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    const valueStarts = lines.slice(1, 4).map((line) => cellStarts(line)[1]);
    expect(new Set(valueStarts).size).toBe(1);
    expect(lines.join('\n')).toContain('3c9a1f0e-2b7d-4e55-9a10-5d2f7c6b8e41');
    expect(lines.join(' ')).toContain('--batch-size 5');
  });

  it('lays nothing out without a width (a palette that has none)', () => {
    const footer = 'x '.repeat(100).trim();
    expect(renderMessage({ footer }, PLAIN)).toBe(`${footer}\n`);
  });
});

describe('the width and the badges', () => {
  it('is a terminal\'s own width, else COLUMNS, else 80', () => {
    expect(terminalColumns({ isTTY: true, columns: 132 }, { COLUMNS: '60' })).toBe(132);
    expect(terminalColumns({ isTTY: false }, { COLUMNS: '60' })).toBe(60);
    expect(terminalColumns({ isTTY: false }, {})).toBe(80);
    expect(terminalColumns({ isTTY: false }, { COLUMNS: 'wide' })).toBe(80);
  });

  it('has one badge per level, by state and by the code plans keep', () => {
    expect(riskDotOfCode('MEDIUM')).toBe(RISK_DOT.medium);
    expect(riskDotOfCode('HIGH')).toBe(RISK_DOT.high);
    expect(riskDotOfCode('LOW')).toBe(RISK_DOT.low);
    expect(riskDotOfCode('SOMETHING')).toBe(RISK_DOT.unclassified);
  });
});
