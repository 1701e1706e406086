/**
 * Word wrapping by display width, so the terminal never breaks a line itself (mid-word, at an
 * arbitrary column). Lines break at spaces, after a comma (tag lists: `env=prod,role=web`) and
 * between CJK characters (Chinese has no spaces; a closing mark such as "，" or "）" stays with
 * the character before it). A token is never cut unless it alone is wider than the whole
 * line: a uuid or a command line that fits stays whole on the next line.
 */
import { displayWidth } from './width.js';

// Made on first use: the first segmenter loads ICU's break rules (~15 ms), which a start does not need before it is ready.
let segmenter: Intl.Segmenter | undefined;
function graphemes(text: string): Intl.Segments {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}

/** Marks that must not start a line (they close what came before). */
const CLOSING = new Set([...'，。、；：？！）」』】》〉’”…・．,.;:?!)]}']);

interface Piece {
  /** The spaces before the word (dropped where the line breaks). */
  readonly space: string;
  readonly word: string;
}

/** Where a line may break: the words of `text` and the spaces before each. */
function piecesOf(text: string): Piece[] {
  const pieces: Piece[] = [];
  let space = '';
  let word = '';
  const flush = () => {
    if (word) pieces.push({ space, word });
    else if (space && pieces.length === 0) pieces.push({ space, word: '' });
    space = '';
    word = '';
  };
  for (const { segment } of graphemes(text)) {
    if (/^\s+$/.test(segment)) {
      if (word) flush();
      space += segment;
    } else if (CLOSING.has(segment)) {
      // Stays with what it closes: appended to the word being built, or to the last one.
      if (word || space || pieces.length === 0) word += segment;
      else pieces[pieces.length - 1] = { ...pieces[pieces.length - 1]!, word: pieces[pieces.length - 1]!.word + segment };
      if (segment === ',') flush();
    } else if (displayWidth(segment) >= 2) {
      if (word) flush();
      word = segment;
      flush();
    } else {
      word += segment;
    }
  }
  flush();
  return pieces;
}

/** The widest piece of `text` no line break may split: how narrow a column of it may get. */
export function widestUnbreakable(text: string): number {
  return Math.max(0, ...text.split('\n').flatMap((line) => piecesOf(line.trimStart()).map((piece) => displayWidth(piece.word))));
}

/** A token wider than a whole line: cut into line-wide parts (the one case where a token is cut). */
function cut(word: string, width: number): string[] {
  const parts: string[] = [];
  let part = '';
  for (const { segment } of graphemes(word)) {
    if (part && displayWidth(part + segment) > width) {
      parts.push(part);
      part = '';
    }
    part += segment;
  }
  if (part) parts.push(part);
  return parts;
}

/**
 * `text` as lines of at most `width` columns. Each line of the text is wrapped on its own; its
 * leading spaces (an indented block) are repeated on the lines it wraps onto.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const indent = /^\s*/.exec(paragraph)![0];
    // An indent that leaves too little room is not repeated.
    const lead = displayWidth(indent) * 2 <= width ? indent : '';
    const room = width - displayWidth(lead);
    let line = indent;
    let hasWord = false;
    for (const { space, word } of piecesOf(paragraph.slice(indent.length))) {
      if (!word) continue;
      if (hasWord && displayWidth(line + space + word) <= width) {
        line += space + word;
        continue;
      }
      if (!hasWord && displayWidth(line + word) <= width) {
        line += word;
        hasWord = true;
        continue;
      }
      if (hasWord) lines.push(line.trimEnd());
      const parts = displayWidth(word) > room ? cut(word, room) : [word];
      for (const part of parts.slice(0, -1)) lines.push(lead + part);
      line = lead + parts[parts.length - 1]!;
      hasWord = true;
    }
    lines.push(hasWord ? line.trimEnd() : '');
  }
  return lines;
}
