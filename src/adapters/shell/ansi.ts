/**
 * How the terminal shows text: ANSI colours (switched off when the output is not a terminal or
 * NO_COLOR is set) and the width text is laid out in.
 */
import { terminalColumns } from './width.js';

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  /** The display columns to lay text out in, read at each reply (a terminal may be resized); unset: no limit. */
  readonly columns?: () => number;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOURS: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};

const identity = (text: string) => text;
export const PLAIN: Palette = { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity };

/** For the bot's own output stream: its colours, and its width (see terminalColumns). */
export function paletteFor(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): Palette {
  const colours = stream.isTTY && env['NO_COLOR'] === undefined ? COLOURS : PLAIN;
  return { ...colours, columns: () => terminalColumns(stream, env) };
}
