/** Renders a neutral Message as terminal text. */
import type { Message, Progress, Tone } from '../../core/message.js';
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

/** `[██████░░░░░░░░░░░░░░] 3 of 10 hosts done`. */
export function renderProgress(progress: Progress, palette: Palette, width = 20): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  return `${palette.cyan(bar)} ${progress.label ?? `${progress.done}/${progress.total}`}`;
}

export function renderMessage(message: Message, palette: Palette): string {
  const lines: string[] = [];
  if (message.title) lines.push(palette.bold(toned(palette, message.tone, message.title)));
  if (message.text) lines.push(message.tone === 'danger' ? palette.red(message.text) : message.text);
  if (message.fields?.length) {
    const width = Math.max(...message.fields.map((field) => visibleLength(field.label)));
    for (const field of message.fields) lines.push(`${palette.dim(pad(field.label, width))}  ${field.value}`);
  }
  if (message.progress) lines.push(renderProgress(message.progress, palette));
  if (message.table) lines.push(...renderTable(message.table.columns, message.table.rows, palette));
  for (const section of message.sections ?? []) {
    lines.push('');
    if (section.title) lines.push(palette.bold(section.title));
    if (section.text) lines.push(...section.text.split('\n').map((line) => `  ${line}`));
    if (section.fields?.length) {
      const width = Math.max(...section.fields.map((field) => visibleLength(field.label)));
      for (const field of section.fields) lines.push(`  ${palette.dim(pad(field.label, width))}  ${field.value}`);
    }
  }
  if (message.footer) lines.push(palette.dim(message.footer));
  return `${lines.join('\n')}\n`;
}
