/**
 * Turns a route template (`/v1/job/scripts/{script_uuid}`), path parameters and a query
 * object into the path that is both signed and sent.
 */
import { encodeRfc3986 } from '../auth/signer.js';
import type { FieldProblem } from '../errors.js';
import { BROKEN_TEXT_MESSAGE, isWellFormedText } from '../schemas/fields.js';

export type QueryScalar = string | number | boolean;
export type QueryValue = QueryScalar | readonly QueryScalar[] | undefined | null;
export type QueryParams = Readonly<Record<string, QueryValue>>;
export type PathParams = Readonly<Record<string, string | number>>;

const TEMPLATE_PARAM = /\{([A-Za-z0-9_]+)\}/g;
const MAX_PATH_PARAM_LENGTH = 256;

/** A route template split once: literal text around `{name}` parameters. */
interface RouteTemplate {
  /** Parameter names, in order. */
  readonly names: readonly string[];
  /** Literal text; `literals.length === names.length + 1`. */
  readonly literals: readonly string[];
}

/** Route templates come from a fixed table, so this stays small. */
const templates = new Map<string, RouteTemplate>();

function template(route: string): RouteTemplate {
  let parsed = templates.get(route);
  if (parsed === undefined) {
    const names: string[] = [];
    const literals: string[] = [];
    let last = 0;
    for (const match of route.matchAll(TEMPLATE_PARAM)) {
      names.push(match[1] as string);
      literals.push(route.slice(last, match.index));
      last = match.index + match[0].length;
    }
    literals.push(route.slice(last));
    parsed = { names, literals };
    if (templates.size < 1_000) templates.set(route, parsed);
  }
  return parsed;
}

/** Problems with path parameters: a missing or empty one would silently address another route. */
export function pathParamProblems(route: string, params: PathParams | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const name of template(route).names) {
    const value = params?.[name];
    if (value === undefined) {
      problems.push({ path: name, message: 'is required' });
      continue;
    }
    const text = String(value);
    if (text.length === 0) problems.push({ path: name, message: 'must not be empty' });
    else if (text === '.' || text === '..') problems.push({ path: name, message: 'must not be "." or ".."' });
    // COC's signature (as its SDK computes it) splits the path at every "/", encoded or not: such
    // a value would be signed as two segments, or address another route. COC's ids never hold one.
    else if (text.includes('/')) problems.push({ path: name, message: `must not contain "/" (got "${text}"): COC's request signature splits the path at every "/", so COC could not verify it; give the id exactly as COC lists it` });
    else if (!isWellFormedText(text)) problems.push({ path: name, message: BROKEN_TEXT_MESSAGE });
    else if (text.length > MAX_PATH_PARAM_LENGTH) problems.push({ path: name, message: `must be at most ${MAX_PATH_PARAM_LENGTH} characters, got ${text.length}` });
  }
  return problems;
}

export function expandRoute(route: string, params: PathParams | undefined): string {
  const { names, literals } = template(route);
  let path = literals[0] as string;
  for (let i = 0; i < names.length; i++) path += encodeURIComponent(String(params?.[names[i] as string] ?? '')) + (literals[i + 1] as string);
  return path;
}

function scalarText(value: QueryScalar): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * `a=1&k=x&k=y`: arrays become repeated keys, undefined/null are dropped, numbers and
 * booleans are sent as text. Encoded as the signature's canonical form (RFC 3986, `%20`),
 * so the gateway decodes exactly the values that were signed.
 */
export function buildQuery(query: QueryParams | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values: readonly QueryScalar[] = Array.isArray(value) ? (value as readonly QueryScalar[]) : [value as QueryScalar];
    for (const item of values) parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(scalarText(item))}`);
  }
  return parts.join('&');
}

/** The endpoint's origin and any path prefix it carries (a gateway may mount COC under one). */
export interface ParsedEndpoint {
  readonly origin: string;
  readonly basePath: string;
  readonly host: string;
}

export function parseEndpoint(endpoint: string): ParsedEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`COC endpoint is not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`COC endpoint must be http(s): ${url.protocol}`);
  if (url.username || url.password) throw new TypeError('COC endpoint must not carry credentials');
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), host: url.host };
}
