/**
 * Renders a neutral Message as terminal text within the palette's width: prose wrapped at word
 * boundaries, fields and tables aligned by display width (see width.ts, wrap.ts, table.ts).
 */
import type { Message, MessageField, MessageTable, Progress, Tone } from '../../core/message.js';
import type { Palette } from './ansi.js';
import { layoutTable } from './table.js';
import { displayWidth, padToWidth } from './width.js';
import { widestUnbreakable, wrapText } from './wrap.js';

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

/** Wrapped to `width` (unlimited when undefined), each line coloured on its own so a colour never spans a line break. */
function prose(text: string, width: number | undefined, colour: (line: string) => string = (line) => line): string[] {
  return (width === undefined ? text.split('\n') : wrapText(text, width)).map((line) => (line ? colour(line) : line));
}

/** Prose within the palette's width, each line coloured, ending in a newline. */
export function renderProse(text: string, palette: Palette, colour?: (line: string) => string): string {
  return `${prose(text, palette.columns?.(), colour).join('\n')}\n`;
}

/** Items side by side (`[1] Run   [2] Cancel`), as many on a line as fit; an item is never split. */
export function renderItems(items: readonly string[], palette: Palette, colour: (line: string) => string = (line) => line): string {
  const width = palette.columns?.() ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last !== undefined && displayWidth(`${last}   ${item}`) <= width) lines[lines.length - 1] = `${last}   ${item}`;
    else lines.push(item);
  }
  return `${lines.map(colour).join('\n')}\n`;
}

export function renderTable(table: MessageTable, palette: Palette, width?: number): string[] {
  return layoutTable(table, width).lines.map((line) => (line.heading && line.text ? palette.bold(line.text) : line.text));
}

/**
 * `label  value` lines, the values starting at one column; a value too long wraps under itself.
 * A value with no room beside the labels goes under its label.
 */
function renderFields(fields: readonly MessageField[], palette: Palette, width: number | undefined, indent = ''): string[] {
  const labelWidth = Math.max(...fields.map((field) => displayWidth(field.label)));
  const valueRoom = width === undefined ? undefined : width - displayWidth(indent) - labelWidth - 2;
  const lines: string[] = [];
  for (const field of fields) {
    // No room beside the labels (a narrow terminal, a long id): the value goes under its label.
    if (valueRoom !== undefined && (valueRoom < 16 || widestUnbreakable(field.value) > valueRoom)) {
      lines.push(`${indent}${palette.dim(field.label)}`);
      lines.push(...prose(field.value, width! - displayWidth(indent) - 2).map((line) => `${indent}  ${line}`));
      continue;
    }
    prose(field.value, valueRoom).forEach((line, n) => {
      const label = n === 0 ? palette.dim(padToWidth(field.label, labelWidth)) : ' '.repeat(labelWidth);
      lines.push(`${indent}${label}  ${line}`.trimEnd());
    });
  }
  return lines;
}

/** `[██████░░░░░░░░░░░░░░] 3 of 10 hosts done`. */
export function renderProgress(progress: Progress, palette: Palette, width = 20): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * width);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  return `${palette.cyan(bar)} ${progress.label ?? `${progress.done}/${progress.total}`}`;
}

export function renderMessage(message: Message, palette: Palette): string {
  const width = palette.columns?.();
  const lines: string[] = [];
  if (message.title) lines.push(...prose(message.title, width, (line) => palette.bold(toned(palette, message.tone, line))));
  if (message.text) lines.push(...prose(message.text, width, message.tone === 'danger' ? palette.red : undefined));
  if (message.fields?.length) lines.push(...renderFields(message.fields, palette, width));
  if (message.progress) lines.push(...prose(renderProgress(message.progress, palette), width));
  if (message.table) {
    // A table under fields is a list of its own: a blank line keeps its header from reading as one more field.
    if (message.fields?.length) lines.push('');
    lines.push(...renderTable(message.table, palette, width));
  }
  for (const section of message.sections ?? []) {
    lines.push('');
    if (section.title) lines.push(...prose(section.title, width, palette.bold));
    if (section.text) lines.push(...prose(section.text, width === undefined ? undefined : width - 2).map((line) => (line ? `  ${line}` : line)));
    if (section.fields?.length) lines.push(...renderFields(section.fields, palette, width, '  '));
  }
  if (message.footer) lines.push(...prose(message.footer, width, palette.dim));
  return `${lines.join('\n')}\n`;
}
