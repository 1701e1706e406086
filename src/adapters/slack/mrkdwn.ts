/**
 * Text for Slack: escaping (so nothing a user or COC wrote can become a mention, a link or a
 * broadcast), clipping to a limit without splitting a character, and splitting long text into
 * parts that each fit a block.
 */

const MAY_NEED_ESCAPING = /[&<>@]/;

/**
 * `&`, `<` and `>` are Slack's control characters in mrkdwn: escaped, nothing a user or COC
 * wrote can become a mention, a link or a broadcast. A bare `@here`, `@channel` or
 * `@everyone` gets a zero-width space so that no parsing setting can turn it into one either.
 */
export function escapeText(text: string): string {
  // Most texts (labels, names, ids) hold none of these: one scan instead of four replacements.
  if (!MAY_NEED_ESCAPING.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)\b/gi, '@\u200b$1');
}

/**
 * At most `max` UTF-16 units, never ending in half of a surrogate pair nor inside an escape
 * (`&amp;`: every `&` in escaped text starts one).
 */
function cut(text: string, max: number): string {
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  const partial = /&[a-z]{0,3}$/.exec(text.slice(Math.max(0, end - 4), end));
  if (partial && text.slice(end - partial[0].length, end - partial[0].length + 5).match(/^&(amp|lt|gt);/)) end -= partial[0].length;
  return text.slice(0, end);
}

/** `text`, or its start with an ellipsis when it is longer than `max`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cut(text, max - 1)}…`;
}

/** Like `clip`, but says how much was left out: `… (1234 more characters not shown)`. */
export function clipWithNote(text: string, max: number, note: (count: number) => string): string {
  if (text.length <= max) return text;
  // The note's own length depends on the count; reserve room for the longest count it can say.
  const reserve = note(text.length).length + 1;
  const kept = cut(text, Math.max(0, max - reserve));
  return `${kept}\n${note(text.length - kept.length)}`;
}

/**
 * Splits text into parts of at most `max` units, preferring line breaks, then spaces; a part
 * never ends in half of a surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = cut(rest, max);
    let at = window.lastIndexOf('\n');
    if (at < max / 2) at = window.lastIndexOf(' ');
    if (at < max / 2) at = window.length;
    if (at === 0) at = Math.min(rest.length, max);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Columns a string takes in a monospace font: East Asian wide and fullwidth characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** One line of a table cell: no line breaks, no code fence that would end the block early. */
export function cellText(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/```/g, '`\u200b``');
}

/** Plain text of one line for labels and names (no control characters). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
