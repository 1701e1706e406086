/**
 * A command line as it may be shown again or kept: the values of secret flags replaced by a
 * placeholder. Used wherever a typed line is echoed (Slack's "working on it" notice) or stored
 * (the terminal's history file). Script parameters keep their names (`--param
 * new_password=<hidden>`), so a line recalled from history shows what to fill in; the run
 * command refuses the placeholder rather than send it to a host as a value.
 */
import { tokenize, UnterminatedQuoteError } from './tokenize.js';

/** Stands for a secret value in an echoed or stored line; refused where a real value is needed. */
export const HIDDEN_VALUE = '<hidden>';

/** Flags whose values are `name=value` pairs: only the value is hidden. */
const PAIR_FLAGS: ReadonlySet<string> = new Set(['param']);

function hide(flag: string, value: string): string {
  if (!PAIR_FLAGS.has(flag)) return HIDDEN_VALUE;
  const eq = value.indexOf('=');
  return eq > 0 ? `${value.slice(0, eq)}=${HIDDEN_VALUE}` : HIDDEN_VALUE;
}

/** Quotes a word again only when it needs it, so a masked line reads like the typed one. */
function requote(word: string): string {
  if (word !== '' && !/[\s"'\\“”‘’]/.test(word)) return word;
  return `"${word.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The line with the value of every flag in `secretFlags` hidden (`--param a=b`, `--param=a=b`).
 * A line that cannot be split into words (an unclosed quote) keeps only what comes before its
 * first secret flag: nothing after it can be told apart from the value.
 */
export function maskCommandLine(line: string, secretFlags: ReadonlySet<string>): string {
  let words: string[];
  try {
    words = tokenize(line);
  } catch (error) {
    if (!(error instanceof UnterminatedQuoteError)) throw error;
    const names = [...secretFlags].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    const first = names ? new RegExp(`--(?:${names})(?=[\\s=]|$)`).exec(line) : null;
    return first ? `${line.slice(0, first.index + first[0].length)} ${HIDDEN_VALUE}` : line;
  }
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const inline = /^--([^=\s]+)=(.*)$/s.exec(word);
    if (inline && secretFlags.has(inline[1]!)) {
      out.push(`--${inline[1]}=${requote(hide(inline[1]!, inline[2]!))}`);
      continue;
    }
    out.push(requote(word));
    const flag = word.startsWith('--') ? word.slice(2) : undefined;
    if (flag && secretFlags.has(flag) && i + 1 < words.length && !words[i + 1]!.startsWith('--')) {
      out.push(requote(hide(flag, words[++i]!)));
    }
  }
  return out.join(' ');
}
