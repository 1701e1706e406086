/**
 * Splits a chat command line into words the way a shell user expects: whitespace separates,
 * single or double quotes group (and may appear mid-word: --param msg="a b"), a backslash
 * escapes the next character. Chat clients turn quotes into typographic ones, so those count too.
 */

export class UnterminatedQuoteError extends Error {
  constructor(readonly quote: string) {
    super(`a ${quote} quote is not closed`);
    this.name = 'UnterminatedQuoteError';
  }
}

const QUOTE_PAIRS: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/**
 * What chat clients and input methods make of a typed `--` at the start of a word: an em dash
 * (iOS and macOS smart punctuation), an en dash, a doubled em dash (Chinese input methods),
 * full-width hyphens. Read as `--` when a letter follows, so the flag works and its value is
 * recognised (and masked) as the flag's, never left as a plain word.
 */
const DASHED_FLAG = /^(?:——|—|–|－－|−−|‐‐|‑‑)(?=\p{L})/u;

/** A line without quotes, backslashes or dashes that may stand for `--`: its words are just what whitespace separates. */
const PLAIN_LINE = /^[^"'\u201c\u2018\\\u2014\u2013\uff0d\u2212\u2010\u2011]*$/;
const WORD = /\S+/g;

export function tokenize(line: string): string[] {
  // Most lines (`order <uuid>`, `whoami`): the words at once, instead of built up a character at a time.
  if (PLAIN_LINE.test(line)) return line.match(WORD) ?? [];
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let closing: string | undefined;
  let opening = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (closing !== undefined) {
      if (c === closing) closing = undefined;
      else if (c === '\\' && i + 1 < line.length && line[i + 1] === closing) current += line[++i];
      else current += c;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (QUOTE_PAIRS[c] !== undefined) {
      closing = QUOTE_PAIRS[c];
      opening = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      const dashed = inWord ? null : DASHED_FLAG.exec(line.slice(i));
      if (dashed) {
        current += '--';
        i += dashed[0].length - 1;
      } else current += c;
      inWord = true;
    }
  }
  if (closing !== undefined) throw new UnterminatedQuoteError(opening);
  if (inWord) words.push(current);
  return words;
}
