/**
 * Hides secrets in script output before it reaches a chat. COC keeps up to 1 MB of each
 * host's output, and scripts print their parameters (`set -x`, debug lines), sensitive ones
 * too; whoever shows a log must mask it.
 *
 * Two layers, both pure:
 *  1. the known secrets: the values of the script's sensitive parameters, wherever they
 *     appear, also JSON-escaped or URL-encoded;
 *  2. what looks like a secret whatever the script: `password=…` / `token: …` / `"secret": "…"`
 *     pairs, `Authorization:` headers, `Bearer …`, `--password …` options, credentials in URLs,
 *     `IDENTIFIED BY '…'`, PEM private keys, JWTs, IAM tokens, and AK/SK-looking strings.
 *
 * The whole log is redacted first and cut afterwards (`redactedTail`), so a secret split by
 * the cut, or a key block whose BEGIN line is above the tail, is still hidden.
 */

import { MASK } from '../core/mask.js';

export { MASK };

export interface RedactOptions {
  /** Values to hide wherever they appear: the sensitive parameters' values. Empty ones are ignored. */
  readonly secrets?: readonly (string | null | undefined)[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The spellings a value takes in logs: as is, JSON-escaped, URL-encoded. */
function spellings(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be URL-encoded; the plain form is still hidden
  }
  return [...forms].filter((form) => form.length > 0);
}

function hideKnown(text: string, secrets: readonly (string | null | undefined)[]): string {
  const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length > 0).flatMap(spellings))];
  if (forms.length === 0) return text;
  // Longest first, so a secret that contains another is hidden whole.
  forms.sort((a, b) => b.length - a.length);
  return text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'g'), MASK);
}

/** Key names whose values are secret: password, passwd, pwd, secret, token, api key, private key, credential, ak, sk… */
const SECRET_KEY = /(passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|credential|access[_-]?key|^ak$|^sk$|^pass$)/i;

type Rule = readonly [RegExp, (match: string, ...groups: string[]) => string];

const RULES: readonly Rule[] = [
  // PEM private keys, also when the END line is missing (cut log).
  [
    /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$(?![\s\S]))/g,
    (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----\n${MASK}\n-----END ${kind}PRIVATE KEY-----`,
  ],
  // user:password@ in URLs.
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/'"]{1,256}:)[^\s@/'"]{1,256}@/gi, (_m, head) => `${head}${MASK}@`],
  // Authorization / Proxy-Authorization headers: keep the scheme, hide the rest of the value.
  [
    /\b((?:proxy-)?authorization["']?[ \t]*[:=][ \t]*)(["']?)(?:(basic|bearer|digest|token|negotiate|[a-z0-9]+-hmac-sha256)[ \t]+)?[^\r\n"']+/gi,
    (_m, head, quote, scheme) => `${head}${quote}${scheme ? `${scheme} ` : ''}${MASK}`,
  ],
  // Bearer tokens anywhere else.
  [/\b(bearer[ \t]+)[A-Za-z0-9\-._~+/]+=*/gi, (_m, head) => `${head}${MASK}`],
  // Command-line options that take a secret: --password x, --token=x, mysql -pSECRET, redis-cli -a SECRET.
  [/(--(?:password|passwd|pass|token|secret|api-key|access-key|secret-key|auth-token)(?:[ \t]+|=))("[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi, (_m, head) => `${head}${MASK}`],
  [/(\bmysql(?:dump|admin)?\b[^\n]{0,200}?[ \t]-p)([^\s"']+|"[^"\n]*"|'[^'\n]*')/gi, (_m, head) => `${head}${MASK}`],
  [/(\bredis-cli\b[^\n]{0,200}?[ \t]-a[ \t]+)("[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi, (_m, head) => `${head}${MASK}`],
  // SQL: IDENTIFIED BY 'secret'.
  [/(\bidentified[ \t]+by[ \t]+)(?:'[^'\n]*'|"[^"\n]*"|[^\s;]+)/gi, (_m, head) => `${head}'${MASK}'`],
  // key=value, key: value, "key": "value", key='value' for secret-looking keys.
  [
    /(?<![\w.-])(["']?)([A-Za-z_][\w.-]{0,63})\1([ \t]*[:=][ \t]*)(?:"([^"\n]*)"|'([^'\n]*)'|([^\s,;&'"})\]]+))/g,
    (match, keyQuote, key, separator, doubleQuoted, singleQuoted) => {
      if (!SECRET_KEY.test(key)) return match;
      const value = doubleQuoted !== undefined ? `"${MASK}"` : singleQuoted !== undefined ? `'${MASK}'` : MASK;
      return `${keyQuote}${key}${keyQuote}${separator}${value}`;
    },
  ],
  // JWTs and IAM tokens (MII…, base64, very long).
  [/(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, () => MASK],
  [/(?<![A-Za-z0-9+/=_-])MII[A-Za-z0-9+/=_-]{100,}/g, () => MASK],
  // Access keys: 20 upper-case letters and digits, with both.
  [/\b[A-Z0-9]{20}\b/g, (match) => (/[0-9]/.test(match) && /[A-Z]/.test(match) ? MASK : match)],
  // Secret keys: 40 characters of mixed case with digits (Huawei Cloud SK, AWS secret key).
  [
    /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g,
    (match) => (/[0-9]/.test(match) && /[A-Z]/.test(match) && /[a-z]/.test(match) && !match.startsWith('/') ? MASK : match),
  ],
];

/** Control characters other than tab and newline: terminal escapes must not reach a reader. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The whole text with every known and every secret-looking value replaced by `••••••`. */
export function redactLog(text: string, options: RedactOptions = {}): string {
  let out = hideKnown(text, options.secrets ?? []);
  for (const [pattern, replace] of RULES) out = out.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
  return out;
}

export interface TailOptions {
  /** How many lines from the end. Default 10. */
  readonly lines?: number;
  /** Longer lines are cut with "…". Default 200. */
  readonly maxLineLength?: number;
  /** At most this many characters in all (whole lines, from the end). Default 900. */
  readonly maxChars?: number;
}

export interface LogTail {
  /** The last lines, redacted, control characters removed, cut to length. */
  readonly lines: readonly string[];
  /** How many non-empty lines the log had in all. */
  readonly totalLines: number;
}

/** Redacts the whole log, then keeps its last lines (trailing blank lines dropped). */
export function redactedTail(text: string | null | undefined, redact: RedactOptions, options: TailOptions = {}): LogTail {
  const wanted = options.lines ?? 10;
  const maxLineLength = options.maxLineLength ?? 200;
  const maxChars = options.maxChars ?? 900;
  const all = redactLog(text ?? '', redact)
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROL, '')
    .split('\n');
  while (all.length > 0 && all[all.length - 1]!.trim() === '') all.pop();
  const totalLines = all.length;
  const picked: string[] = [];
  let used = 0;
  for (let i = all.length - 1; i >= 0 && picked.length < wanted; i--) {
    const raw = all[i]!;
    const line = raw.length > maxLineLength ? `${raw.slice(0, maxLineLength - 1)}…` : raw;
    if (picked.length > 0 && used + line.length + 1 > maxChars) break;
    picked.unshift(line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line);
    used += line.length + 1;
  }
  return { lines: picked, totalLines };
}
