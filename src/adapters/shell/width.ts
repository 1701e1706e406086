/**
 * How many terminal columns text takes, and how many the terminal has. A CJK character takes
 * two columns, an emoji badge two (with or without its variation selector), a colour code none:
 * `string-width` knows, so nothing here counts code points.
 */
import { createRequire } from 'node:module';
import type StringWidth from 'string-width';

/**
 * Loaded on the first measurement, not with the bot: the module builds a grapheme segmenter and
 * Unicode property expressions (emoji, marks) as it loads, ~40 ms of a start's one thread, and a
 * start needs none of it before it is ready; the first screen is laid out after that. Required
 * from node_modules (an ES module, which Node ≥ 20.19 requires synchronously), so the build
 * leaves it out of the bundle, as it does pino-pretty (ops/log.ts).
 */
let stringWidth: typeof StringWidth | undefined;

/** The columns `text` takes on screen (ANSI colour codes take none). */
export function displayWidth(text: string): number {
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: typeof StringWidth }).default;
  return stringWidth(text);
}

/** `text` followed by spaces up to `width` columns (never cut). */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** `text` cut to at most `width` columns, ending in "…" when cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let kept = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (displayWidth(kept + segment) > width - 1) break;
    kept += segment;
  }
  return `${kept}…`;
}

/** Below this a layout cannot say anything useful; a smaller COLUMNS is taken as this. */
const NARROWEST = 20;
/** What a pipe or a file is laid out for: the classic terminal, unless COLUMNS says otherwise. */
const DEFAULT_COLUMNS = 80;

/**
 * The width text is laid out in: a terminal's real width (read each time: it may be resized);
 * for a pipe or a file (`--exec` output, a test), COLUMNS when it is set, else 80.
 */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return Math.max(NARROWEST, stream.columns);
  const fromEnv = Number(env['COLUMNS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? Math.max(NARROWEST, fromEnv) : DEFAULT_COLUMNS;
}
