/** Renders a neutral Message as terminal text. */
import type { Message, Tone } from '../../core/message.js';
import { visibleLength, type Palette } from './ansi.js';

function toned(palette: Palette, tone: Tone | undefined, text: string): string {
  switch (tone) {
    case 'success':
      return palette.green(text);
    case 'warning':
      return palette.yellow(text);
    case 'danger':
      return palette.red(text);
    default:
      return palette.cyan(text);
  }
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function renderTable(columns: readonly string[], rows: readonly (readonly string[])[], palette: Palette): string[] {
  const widths = columns.map((column, i) => Math.max(visibleLength(column), ...rows.map((row) => visibleLength(row[i] ?? ''))));
  const line = (cells: readonly string[]) => cells.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ').trimEnd();
  return [palette.bold(line(columns)), ...rows.map((row) => line(row))];
}

export function renderMessage(message: Message, palette: Palette): string {
  const lines: string[] = [];
  if (message.title) lines.push(palette.bold(toned(palette, message.tone, message.title)));
  if (message.text) lines.push(message.tone === 'danger' ? palette.red(message.text) : message.text);
  if (message.fields?.length) {
    const width = Math.max(...message.fields.map((field) => visibleLength(field.label)));
    for (const field of message.fields) lines.push(`${palette.dim(pad(field.label, width))}  ${field.value}`);
  }
  if (message.table) lines.push(...renderTable(message.table.columns, message.table.rows, palette));
  if (message.footer) lines.push(palette.dim(message.footer));
  return `${lines.join('\n')}\n`;
}
