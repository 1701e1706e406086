/** ANSI colours, switched off when the output is not a terminal or NO_COLOR is set. */

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
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

export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  return stream.isTTY && env['NO_COLOR'] === undefined ? COLOURS : PLAIN;
}

const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;
export function visibleLength(text: string): number {
  return [...text.replace(ANSI_PATTERN, '')].length;
}
