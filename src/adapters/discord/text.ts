/** Shortening text for Discord's limits so that the cut is visible and no character is split. */

export const ELLIPSIS = '…';

/** At most `max` UTF-16 units, never ending inside a surrogate pair. */
function headOf(text: string, max: number): string {
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** `text`, or its start and an ellipsis when it is longer than `max`. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return headOf(text, max - ELLIPSIS.length) + ELLIPSIS;
}

/** `text`, or an ellipsis and its end (for values whose end matters, such as a list being typed). */
export function cutStart(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let start = text.length - (max - ELLIPSIS.length);
  const first = text.charCodeAt(start);
  if (first >= 0xdc00 && first <= 0xdfff) start += 1;
  return ELLIPSIS + text.slice(start);
}

/** Splits text into pieces of at most `max` units, at line ends where possible. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = rest.lastIndexOf('\n', max);
    if (at <= max / 2) at = headOf(rest, max).length;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
