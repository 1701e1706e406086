/**
 * Random requests for signature round-trip tests: all methods, unicode path segments,
 * repeated query keys, empty and JSON bodies — and one-byte mutations of everything signed.
 */
import type { SignableRequest } from '../../src/coc/auth/signer.js';

export type Random = () => number;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const SEGMENTS = ['v1', 'job', 'scripts', 'SC2023102521413701c4a8a62', '脚本', 'résumé', 'a b', 'x+y', 'emoji😀', '~tilde', 'semi;colon', "o'k", '(paren)', 'UPPER', '42'];
const QUERY_KEYS = ['limit', 'marker', 'name_like', 'resource_id_list', 'tag', '名字', 'a b', 'k~'];
const QUERY_VALUES = ['1', '100', 'web-01', 'env.prod', '数据库', 'x y', 'a&b', 'a=b', '*', '', "it's", '100%'];

function randomPath(random: Random): string {
  const depth = 1 + Math.floor(random() * 5);
  const segments = Array.from({ length: depth }, () => encodeURIComponent(pick(random, SEGMENTS)));
  return `/${segments.join('/')}${random() < 0.15 ? '/' : ''}`;
}

function randomQuery(random: Random): string {
  const params = new URLSearchParams();
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count; i++) {
    const key = pick(random, QUERY_KEYS);
    // Repeated keys on purpose: arrays are sent as k=a&k=b.
    const repeats = random() < 0.3 ? 2 + Math.floor(random() * 2) : 1;
    for (let r = 0; r < repeats; r++) params.append(key, pick(random, QUERY_VALUES));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function randomBody(random: Random, method: string): string | undefined {
  if (method === 'GET' || method === 'DELETE' || random() < 0.2) return undefined;
  return JSON.stringify({
    name: pick(random, SEGMENTS),
    count: Math.floor(random() * 1000),
    nested: { list: [pick(random, QUERY_VALUES), pick(random, QUERY_VALUES)], flag: random() < 0.5 },
  });
}

export function randomSignableRequest(random: Random): SignableRequest {
  const method = pick(random, METHODS);
  const body = randomBody(random, method);
  const headers: Record<string, string> = { Host: '127.0.0.1:8800', 'X-Project-Id': `proj${Math.floor(random() * 1e6)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json;charset=UTF-8';
  return { method, url: `${randomPath(random)}${randomQuery(random)}`, headers, body };
}

export interface Mutation {
  readonly description: string;
  readonly request: SignableRequest;
}

function flipByte(text: string, random: Random, keep: (c: string) => boolean = () => true): { text: string; at: number } | undefined {
  const positions = [...text].map((c, i) => (keep(c) ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) return undefined;
  const at = pick(random, positions);
  const chars = [...text];
  const original = chars[at]!;
  // Replace with a different printable ASCII letter or digit, never the same character.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let replacement = pick(random, alphabet.split(''));
  if (replacement === original || replacement.toLowerCase() === original.toLowerCase()) replacement = original === 'Q' || original === 'q' ? 'Z' : 'Q';
  chars[at] = replacement;
  return { text: chars.join(''), at };
}

/**
 * One-byte changes to each part the signature covers. Case-insensitive or encoding-equivalent
 * spots (percent escapes, header name case) are skipped: they do not change what is signed.
 */
export function oneByteMutations(request: SignableRequest, random: Random): Mutation[] {
  const out: Mutation[] = [];
  const url = new URL(request.url, 'http://x');
  const plainPathChar = (c: string) => /[A-Za-z0-9]/.test(c);

  const path = flipByte(url.pathname, random, plainPathChar);
  if (path) out.push({ description: `path byte ${path.at}`, request: { ...request, url: `${path.text}${url.search}` } });

  if (url.search.length > 1) {
    const query = flipByte(url.search, random, plainPathChar);
    if (query) out.push({ description: `query byte ${query.at}`, request: { ...request, url: `${url.pathname}${query.text}` } });
  }

  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== request.method);
  out.push({ description: 'method', request: { ...request, method: pick(random, methods) } });

  if (request.body !== undefined && typeof request.body === 'string' && request.body.length > 0) {
    const body = flipByte(request.body, random, (c) => /[A-Za-z0-9]/.test(c));
    if (body) out.push({ description: `body byte ${body.at}`, request: { ...request, body: body.text } });
  }

  for (const name of ['X-Project-Id', 'Host', 'X-Sdk-Date']) {
    const value = request.headers[name];
    if (value === undefined) continue;
    // The date may only change within the skew window to test the signature, not the clock rule.
    const keep = name === 'X-Sdk-Date' ? (c: string) => /\d/.test(c) : (c: string) => /[A-Za-z0-9]/.test(c);
    const changed = name === 'X-Sdk-Date' ? bumpSeconds(value) : flipByte(value, random, keep)?.text;
    if (changed !== undefined) out.push({ description: `header ${name}`, request: { ...request, headers: { ...request.headers, [name]: changed } } });
  }

  const authorization = request.headers['Authorization']!;
  const at = authorization.length - 1 - Math.floor(random() * 64);
  const original = authorization[at]!;
  const replacement = (parseInt(original, 16) + 1 + Math.floor(random() * 15)) % 16;
  const changed = `${authorization.slice(0, at)}${replacement.toString(16)}${authorization.slice(at + 1)}`;
  out.push({ description: `signature byte ${at}`, request: { ...request, headers: { ...request.headers, Authorization: changed } } });
  return out;
}

function bumpSeconds(sdkDate: string): string {
  const last = Number(sdkDate.at(-2));
  return `${sdkDate.slice(0, -2)}${(last + 1) % 10}Z`;
}
