/**
 * A command line as it may be shown again or kept: the values of secret flags replaced by a
 * placeholder. Used wherever a typed line is echoed (Slack's "working on it" notice) or stored
 * (the terminal's history file). Script parameters keep their names (`--param
 * new_password=<hidden>`), so a line recalled from history shows what to fill in; the run
 * command refuses the placeholder rather than send it to a host as a value.
 */
import { editDistance } from './args.js';
import type { MaskRule, MaskRules } from './arguments/mask.js';
import { tokenize, UnterminatedQuoteError } from './tokenize.js';

/** Stands for a secret value in an echoed or stored line; refused where a real value is needed. */
export const HIDDEN_VALUE = '<hidden>';

function hide(rule: MaskRule, value: string): string {
  if (rule !== 'pair') return HIDDEN_VALUE;
  const eq = value.indexOf('=');
  return eq > 0 ? `${value.slice(0, eq)}=${HIDDEN_VALUE}` : HIDDEN_VALUE;
}

/**
 * The secret flag a typed flag name may stand for: the same name in any case, a shortened one
 * (`--par`), or a near miss (`--parm`). Such a line is refused by the parser anyway; its value
 * must still not be shown or kept.
 */
function secretFlagFor(typed: string, rules: MaskRules): MaskRule | undefined {
  const name = typed.toLowerCase();
  for (const [flag, rule] of rules) {
    if (name === flag || (name.length >= 3 && flag.startsWith(name)) || (name.length >= 4 && editDistance(name, flag) <= 2)) return rule;
  }
  return undefined;
}

/** Quotes a word again only when it needs it, so a masked line reads like the typed one. */
function requote(word: string): string {
  if (word !== '' && !/[\s"'\\“”‘’]/.test(word)) return word;
  return `"${word.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The line with the value of every flag `rules` names hidden (`--param a=b`, `--param=a=b`).
 * A line that cannot be split into words (an unclosed quote) keeps only what comes before its
 * first flag: nothing after it can be told apart from a value.
 */
export function maskCommandLine(line: string, rules: MaskRules): string {
  let words: string[];
  try {
    words = tokenize(line);
  } catch (error) {
    if (!(error instanceof UnterminatedQuoteError)) throw error;
    // Words cannot be told apart: nothing from the first flag on is kept.
    const firstFlag = /(^|\s)(?:--|——|—|–|－－|−−|‐‐|‑‑)\p{L}/u.exec(line);
    return firstFlag ? `${line.slice(0, firstFlag.index + firstFlag[1]!.length)}${HIDDEN_VALUE}` : line;
  }
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const inline = /^--([^=\s]+)=(.*)$/s.exec(word);
    const inlineFlag = inline ? secretFlagFor(inline[1]!, rules) : undefined;
    if (inline && inlineFlag) {
      out.push(`--${inline[1]}=${requote(hide(inlineFlag, inline[2]!))}`);
      continue;
    }
    out.push(requote(word));
    const flag = word.startsWith('--') && !inline ? secretFlagFor(word.slice(2), rules) : undefined;
    if (!flag || i + 1 >= words.length || words[i + 1]!.startsWith('--')) continue;
    const value = words[++i]!;
    out.push(requote(hide(flag, value)));
    // `--param name value`: a pair typed with a space; the word after the name is the value.
    if (flag === 'pair' && !value.includes('=') && i + 1 < words.length && !words[i + 1]!.startsWith('--')) {
      i++;
      out.push(HIDDEN_VALUE);
    }
  }
  return out.join(' ');
}
