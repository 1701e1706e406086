/**
 * A table laid out for a terminal of a given width, measured in display columns (CJK and emoji
 * take two), so every column starts at the same column in every row and no line is wider than
 * the terminal (which would wrap it and break the columns).
 *
 * When the table is too wide: first, columns the table says hold ids accepted by prefix are
 * shown as that prefix; then the widest columns are narrowed, their cells wrapped within the
 * column at word boundaries (a row then takes several lines); when even that does not fit
 * (a column's longest word is too wide), each row is shown as a record: its first cell, then
 * one "column  value" line per other cell.
 */
import { widestUnbreakable, wrapText } from './wrap.js';
import { displayWidth, padToWidth } from './width.js';

/** Between two columns. */
export const COLUMN_GAP = 2;

export interface TableInput {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Column index -> how many leading characters identify a value (see MessageTable.idPrefixes). */
  readonly idPrefixes?: Readonly<Record<number, number>>;
}

/** The lines of a laid-out table; `heading` says which are headings (printed in bold). */
export interface TableLines {
  readonly lines: readonly { readonly text: string; readonly heading: boolean }[];
}

const gaps = (count: number) => COLUMN_GAP * Math.max(0, count - 1);
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function shortened(rows: readonly (readonly string[])[], prefixes: Readonly<Record<number, number>>): string[][] {
  return rows.map((row) =>
    row.map((cell, i) => {
      const keep = prefixes[i];
      return keep !== undefined && [...cell].length > keep ? [...cell].slice(0, keep).join('') : cell;
    }),
  );
}

/** Widths within `width` for these cells (narrowed by wrapping cells when allowed), or undefined when they do not fit. */
function fitWidths(columns: readonly string[], rows: readonly (readonly string[])[], width: number, wrapCells: boolean): number[] | undefined {
  const natural = columns.map((column, i) => Math.max(displayWidth(column), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  if (sum(natural) + gaps(columns.length) <= width) return natural;
  if (!wrapCells) return undefined;
  const least = columns.map((column, i) => Math.max(widestUnbreakable(column), ...rows.map((row) => widestUnbreakable(row[i] ?? ''))));
  const budget = width - gaps(columns.length);
  if (sum(least) > budget) return undefined;
  // Narrow the widest column one step at a time: long free text gives way first.
  const widths = [...natural];
  while (sum(widths) > budget) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > least[i]! && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    widths[widest]! -= 1;
  }
  return widths;
}

function gridLines(columns: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[]): TableLines['lines'] {
  const physical = (cells: readonly string[], heading: boolean) => {
    const wrapped = widths.map((w, i) => wrapText(cells[i] ?? '', w));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, line) => ({
      text: wrapped.map((lines, i) => padToWidth(lines[line] ?? '', widths[i]!)).join(' '.repeat(COLUMN_GAP)).trimEnd(),
      heading,
    }));
  };
  return [...physical(columns, true), ...rows.flatMap((row) => physical(row, false))];
}

/** Each row as a record: its first cell as a heading, then "column  value" lines, indented. */
function recordLines(columns: readonly string[], rows: readonly (readonly string[])[], width: number): TableLines['lines'] {
  const indent = '  ';
  const labels = columns.slice(1);
  const labelWidth = Math.max(0, ...labels.map(displayWidth));
  const valueRoom = width - indent.length - labelWidth - COLUMN_GAP;
  const lines: { text: string; heading: boolean }[] = [];
  rows.forEach((row, r) => {
    if (r > 0) lines.push({ text: '', heading: false });
    for (const text of wrapText(`${columns[0] ?? ''}: ${row[0] ?? ''}`, width)) lines.push({ text, heading: true });
    labels.forEach((label, i) => {
      const value = row[i + 1] ?? '';
      if (!value) return;
      if (valueRoom >= 12 && widestUnbreakable(value) <= valueRoom) {
        wrapText(value, valueRoom).forEach((part, n) => lines.push({ text: `${indent}${padToWidth(n === 0 ? label : '', labelWidth)}${' '.repeat(COLUMN_GAP)}${part}`.trimEnd(), heading: false }));
      } else {
        // No room beside the label (wide labels, a long id): the value goes under its label.
        lines.push({ text: `${indent}${label}`, heading: false });
        for (const part of wrapText(value, width - indent.length * 2)) lines.push({ text: `${indent}${indent}${part}`, heading: false });
      }
    });
  });
  return lines;
}

/** The table within `width` columns (unlimited when undefined). */
export function layoutTable(table: TableInput, width: number | undefined): TableLines {
  const { columns } = table;
  const limit = width ?? Number.POSITIVE_INFINITY;
  const asIs = fitWidths(columns, table.rows, limit, false);
  if (asIs) return { lines: gridLines(columns, table.rows, asIs) };
  // Ids shortened before any cell is wrapped: a prefix loses nothing the reader can type.
  const rows = table.idPrefixes ? shortened(table.rows, table.idPrefixes) : table.rows;
  const narrowed = fitWidths(columns, rows, limit, true);
  if (narrowed) return { lines: gridLines(columns, rows, narrowed) };
  return { lines: recordLines(columns, table.rows, limit) };
}
