/**
 * The client's AK/SK signing against the simulator's verification, over real HTTP: 500 random
 * requests to real route templates (every method the simulator routes; unicode and reserved
 * characters in path parameters; repeated query keys; no body, an empty body, JSON bodies),
 * each signed by the client's own authenticator and sent byte for byte with undici. None may be
 * refused as unauthenticated; every one-byte change of what the signature covers must be.
 *
 * Path parameters carry the randomness because the simulator answers an unknown path with 404
 * before it looks at the signature; for the same reason path mutations only touch parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { createAuthenticator, type Authenticator } from '../src/coc/auth/credentials.js';
import { encodeRfc3986, formatSdkDate, parseSdkDate } from '../src/coc/auth/signer.js';
import { buildQuery, expandRoute } from '../src/coc/transport/url.js';
import { ErrorCodes } from '../src/sim/http/error-codes.js';
import { routeKey } from '../src/sim/http/types.js';
import { ALL_ROUTES } from '../src/sim/router.js';
import { ROUTE_KEYS, SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { prng, type Random } from './helpers/random-requests.js';

const REQUESTS = 500;
/** Requests (each with its mutations) in flight at once. */
const GROUP_SIZE = 25;
const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const MINUTE_MS = 60_000;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** Every route the simulator checks signatures on (all but the IAM password login). */
const SIGNED_ROUTES = ALL_ROUTES.filter((route) => route.auth === 'required').map((route) => ({
  key: routeKey(route),
  method: route.method as Method,
  template: route.path,
}));

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

// ---- random requests ----

/** Parameter values start with a plain part (something a path mutation can change) and may go on with anything. */
const PARAM_HEADS = ['SC2023102521413701c4a8a62', 'SCT20240101120000abc123def', 'web01', 'x', '42', 'IM20240311', 'pc1'];
const PARAM_TAILS = ['', '', '脚本', 'résumé', ' a b', '+x', '😀', '~tilde', ';', "o'k", '(p)', '%', '%41', 'a/b', '?q', '#h', '&', '=', ':', '@', '!', '*', '$', ',', '[i]', '\u00a0', 'ü', '..', '"'];
const QUERY_KEYS = ['limit', 'marker', 'name_like', 'resource_id_list', 'tag', '名字', 'a b', 'k~', 'x+y', "it's", 'r&d', 'e=mc2'];
const QUERY_VALUES = ['1', '100', 'web-01', 'env.prod', '数据库', 'x y', 'a&b', 'a=b', '*', '', "it's", '100%', '+1', 'é', '😀', '/', '?'];

interface QueryEntry {
  readonly key: string;
  readonly value: string;
}

interface RandomRequest {
  readonly routeKey: string;
  readonly method: Method;
  /** Path and query exactly as sent. */
  readonly target: string;
  /** [start, end) of each path parameter's encoded text in `target`. */
  readonly paramSpans: readonly (readonly [number, number])[];
  /** Query as the server should decode it, keys in first-seen order, values in order. */
  readonly query: Readonly<Record<string, string[]>>;
  readonly body: string | undefined;
  /** Signed with X-Project-Id. */
  readonly withProject: boolean;
}

function randomParamValue(random: Random): string {
  let value = pick(random, PARAM_HEADS);
  const tails = Math.floor(random() * 3);
  for (let i = 0; i < tails; i++) value += pick(random, PARAM_TAILS);
  return value;
}

function randomQueryEntries(random: Random): QueryEntry[] {
  const entries: QueryEntry[] = [];
  const keys = Math.floor(random() * 5);
  for (let i = 0; i < keys; i++) {
    const key = pick(random, QUERY_KEYS);
    // Repeated keys on purpose: the client sends arrays as k=a&k=b.
    const repeats = random() < 0.35 ? 2 + Math.floor(random() * 2) : 1;
    for (let r = 0; r < repeats; r++) entries.push({ key, value: pick(random, QUERY_VALUES) });
  }
  return entries;
}

/** The client's own RFC 3986 encoding (`%20`) half of the time, form encoding (`+`) the other half. */
function encodeQuery(entries: readonly QueryEntry[], random: Random): string {
  if (random() < 0.5) {
    const grouped: Record<string, string[]> = {};
    for (const { key, value } of entries) (grouped[key] ??= []).push(value);
    return buildQuery(grouped);
  }
  const params = new URLSearchParams();
  for (const { key, value } of entries) params.append(key, value);
  return params.toString();
}

function randomBody(random: Random, method: Method): string | undefined {
  if (method === 'GET' || method === 'DELETE') return undefined;
  const roll = random();
  if (roll < 0.25) return undefined;
  if (roll < 0.4) return '';
  return JSON.stringify({
    name: randomParamValue(random),
    count: Math.floor(random() * 100_000),
    nested: { list: [pick(random, QUERY_VALUES), pick(random, QUERY_VALUES)], flag: random() < 0.5, note: pick(random, PARAM_TAILS) },
  });
}

function randomRequest(random: Random): RandomRequest {
  const method = pick(random, METHODS);
  const route = pick(
    random,
    SIGNED_ROUTES.filter((candidate) => candidate.method === method),
  );
  // Build the path piece by piece to know where each parameter sits; the client's encoder
  // (encodeURIComponent) for most, the stricter RFC 3986 one for some.
  const parts = route.template.split(/(\{[A-Za-z0-9_]+\})/);
  let path = '';
  const paramSpans: [number, number][] = [];
  for (const part of parts) {
    const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
    if (!param) {
      path += part;
      continue;
    }
    const value = randomParamValue(random);
    const encoded = random() < 0.7 ? expandRoute(part, { [param[1] as string]: value }) : encodeRfc3986(value);
    paramSpans.push([path.length, path.length + encoded.length]);
    path += encoded;
  }
  const entries = randomQueryEntries(random);
  const search = encodeQuery(entries, random);
  const query: Record<string, string[]> = {};
  for (const { key, value } of entries) (query[key] ??= []).push(value);
  return {
    routeKey: route.key,
    method,
    target: search === '' ? path : `${path}?${search}`,
    paramSpans,
    query,
    body: randomBody(random, method),
    withProject: random() < 0.5,
  };
}

// ---- signing and sending ----

interface WireRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

interface WireResponse {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly json: { error_code?: string; error_msg?: string } | undefined;
}

let sim: Simulator;
let pool: Pool;
const PROJECT_ID = '0605767a3300d5762fb7c0186d23d5e8';
let plainAuth: Authenticator;
let projectAuth: Authenticator;

function authenticatorAt(offsetMs: number, withProject = false): Authenticator {
  return createAuthenticator(
    { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, ...(withProject ? { projectId: PROJECT_ID } : {}) },
    { now: () => new Date(sim.now() + offsetMs) },
  );
}

async function sign(request: { method: string; target: string; body: string | undefined }, authenticator: Authenticator): Promise<WireRequest> {
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'signer-sim-fuzz' };
  if (request.body !== undefined) headers['Content-Type'] = JSON_CONTENT_TYPE;
  const signed = await authenticator.authorize({ method: request.method, url: `${sim.url}${request.target}`, headers, body: request.body });
  return { method: request.method, target: request.target, headers: signed, body: request.body };
}

/** Sends exactly these bytes: the path and query string untouched, these headers, this body. */
async function send(request: WireRequest): Promise<WireResponse> {
  const response = await pool.request({ method: request.method, path: request.target, headers: request.headers, body: request.body });
  const text = await response.body.text();
  let json: WireResponse['json'];
  try {
    json = text === '' ? undefined : (JSON.parse(text) as WireResponse['json']);
  } catch {
    json = undefined;
  }
  const requestId = response.headers['x-request-id'];
  return { status: response.statusCode, requestId: typeof requestId === 'string' ? requestId : undefined, json };
}

// ---- one-byte mutations of what is signed ----

interface Mutation {
  readonly part: 'path' | 'query' | 'body' | 'x-sdk-date' | 'x-project-id' | 'signature';
  readonly request: WireRequest;
}

/** Indexes of characters inside a `%XX` escape. */
function escapedPositions(text: string): Set<number> {
  const inside = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) [i, i + 1, i + 2].forEach((position) => inside.add(position));
  }
  return inside;
}

/** Replaces one ASCII letter or digit in [from, to) (outside escapes) by a different one, not a case variant. */
function flipOne(text: string, random: Random, from = 0, to = text.length): string | undefined {
  const escaped = escapedPositions(text);
  const candidates: number[] = [];
  for (let i = from; i < to; i++) if (/[A-Za-z0-9]/.test(text[i] as string) && !escaped.has(i)) candidates.push(i);
  if (candidates.length === 0) return undefined;
  const at = pick(random, candidates);
  const original = text[at] as string;
  let replacement = pick(random, ALPHANUMERIC.split(''));
  while (replacement.toLowerCase() === original.toLowerCase()) replacement = pick(random, ALPHANUMERIC.split(''));
  return `${text.slice(0, at)}${replacement}${text.slice(at + 1)}`;
}

function headerName(headers: Readonly<Record<string, string>>, lower: string): string | undefined {
  return Object.keys(headers).find((name) => name.toLowerCase() === lower);
}

function withHeader(request: WireRequest, lower: string, change: (value: string) => string | undefined): WireRequest | undefined {
  const name = headerName(request.headers, lower);
  if (name === undefined) return undefined;
  const changed = change(request.headers[name] as string);
  return changed === undefined ? undefined : { ...request, headers: { ...request.headers, [name]: changed } };
}

function mutations(signed: WireRequest, spec: RandomRequest, random: Random): Mutation[] {
  const out: Mutation[] = [];
  const queryStart = signed.target.indexOf('?');

  const span = spec.paramSpans.length > 0 ? pick(random, spec.paramSpans) : undefined;
  const path = span ? flipOne(signed.target, random, span[0], span[1]) : undefined;
  if (path !== undefined) out.push({ part: 'path', request: { ...signed, target: path } });

  const query = queryStart === -1 ? undefined : flipOne(signed.target, random, queryStart + 1, signed.target.length);
  if (query !== undefined) out.push({ part: 'query', request: { ...signed, target: query } });

  const body = signed.body === undefined ? undefined : flipOne(signed.body, random);
  if (body !== undefined) out.push({ part: 'body', request: { ...signed, body } });

  // Still inside the skew window: only the signature can object.
  const date = withHeader(signed, 'x-sdk-date', (value) => formatSdkDate(new Date((parseSdkDate(value) as Date).getTime() + (1 + Math.floor(random() * 300)) * 1_000)));
  if (date) out.push({ part: 'x-sdk-date', request: date });

  const project = withHeader(signed, 'x-project-id', (value) => flipOne(value, random));
  if (project) out.push({ part: 'x-project-id', request: project });

  const signature = withHeader(signed, 'authorization', (value) => {
    const at = value.length - 1 - Math.floor(random() * 64);
    const original = value[at] as string;
    const replacement = HEX[(HEX.indexOf(original) + 1 + Math.floor(random() * 15)) % 16] as string;
    return `${value.slice(0, at)}${replacement}${value.slice(at + 1)}`;
  });
  if (signature) out.push({ part: 'signature', request: signature });

  for (const mutation of out) expect(mutation.request, `a ${mutation.part} mutation changes something`).not.toEqual(signed);
  return out;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  pool = new Pool(sim.url, { connections: GROUP_SIZE * 2 });
  plainAuth = authenticatorAt(0);
  projectAuth = authenticatorAt(0, true);
});

afterAll(async () => {
  await pool?.close();
  await sim?.close();
});

describe('client-signed requests verified by the simulator over HTTP', () => {
  it(`accepts ${REQUESTS} random signed requests and refuses every one-byte change of what is signed`, async () => {
    expect(SIGNED_ROUTES.every((route) => ROUTE_KEYS.includes(route.key))).toBe(true);
    const random = prng(20260314);
    const specs = Array.from({ length: REQUESTS }, () => randomRequest(random));
    const statuses = new Map<number, number>();
    const mutatedParts = new Map<Mutation['part'], number>();
    let mutationCount = 0;
    let rejections = 0;

    for (let start = 0; start < specs.length; start += GROUP_SIZE) {
      const group = specs.slice(start, start + GROUP_SIZE);
      // Signed and mutated in order (deterministic choices), then sent all at once.
      const prepared: { spec: RandomRequest; signed: WireRequest; mutated: Mutation[] }[] = [];
      for (const spec of group) {
        const signed = await sign(spec, spec.withProject ? projectAuth : plainAuth);
        prepared.push({ spec, signed, mutated: mutations(signed, spec, random) });
      }
      await Promise.all(
        prepared.map(async ({ spec, signed, mutated }, index) => {
          const label = `request ${start + index}: ${spec.method} ${spec.target} (${spec.routeKey}, body ${spec.body === undefined ? 'none' : JSON.stringify(spec.body.slice(0, 40))})`;
          const accepted = await send(signed);
          expect(accepted.status, `${label} → ${JSON.stringify(accepted.json)}`).not.toBe(401);
          expect(accepted.json?.error_code, `${label}: a real route, not the gateway's 404`).not.toBe(ErrorCodes.APIG_NOT_FOUND);
          statuses.set(accepted.status, (statuses.get(accepted.status) ?? 0) + 1);
          // Random input is refused (4xx; the patch API answers its errors with 500), never crashes a handler.
          expect(accepted.json?.error_msg ?? '', label).not.toMatch(/Internal server error/);

          // The simulator saw this route, this path and this query: nothing re-encoded them.
          const record = sim.requests.find((entry) => entry.requestId === accepted.requestId);
          expect(record?.routeKey, label).toBe(spec.routeKey);
          expect(record?.path, label).toBe(spec.target.split('?')[0]);
          expect(record?.query, label).toEqual(spec.query);

          const verdicts = await Promise.all(mutated.map(async (mutation) => ({ mutation, response: await send(mutation.request) })));
          for (const { mutation, response } of verdicts) {
            const where = `${label}, ${mutation.part} changed`;
            expect(response.status, where).toBe(401);
            expect(response.json?.error_code, where).toBe(ErrorCodes.APIG_AUTH);
            expect(response.json?.error_msg, where).toMatch(/signature does not match/);
            mutatedParts.set(mutation.part, (mutatedParts.get(mutation.part) ?? 0) + 1);
            mutationCount++;
            rejections++;
          }
        }),
      );
    }

    const methodsSent = new Set(specs.map((spec) => spec.method));
    const routesSent = new Set(specs.map((spec) => spec.routeKey));
    expect([...methodsSent].sort()).toEqual([...METHODS].sort());
    expect([...routesSent].sort()).toEqual(SIGNED_ROUTES.map((route) => route.key).sort());
    expect(specs.some((spec) => Object.values(spec.query).some((values) => values.length > 1)), 'repeated query keys were sent').toBe(true);
    expect(specs.filter((spec) => spec.body === '').length, 'empty bodies were sent').toBeGreaterThan(0);
    expect(specs.some((spec) => /[^\x00-\x7f]/.test(decodeURIComponent(spec.target.split('?')[0] as string))), 'unicode path parameters were sent').toBe(true);
    for (const part of ['path', 'query', 'body', 'x-sdk-date', 'x-project-id', 'signature'] as const) {
      expect(mutatedParts.get(part) ?? 0, `${part} mutations`).toBeGreaterThan(50);
    }
    expect(rejections).toBe(mutationCount);
    console.log(
      `[signer-sim-fuzz] requests ${specs.length} (accepted, none 401; statuses ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}), ` +
        `mutations ${mutationCount} (${[...mutatedParts].map(([part, count]) => `${part} ${count}`).join(', ')}), rejections ${rejections} (401 ${ErrorCodes.APIG_AUTH})`,
    );
  });
});

describe('X-Sdk-Date skew window (15 minutes)', () => {
  const listScripts = { method: 'GET', target: '/v1/job/scripts?limit=1', body: undefined };

  it.each([
    { offsetMinutes: -16, accepted: false },
    { offsetMinutes: 16, accepted: false },
    { offsetMinutes: -14, accepted: true },
    { offsetMinutes: 14, accepted: true },
  ])('a request signed $offsetMinutes minutes off the simulator clock is accepted: $accepted', async ({ offsetMinutes, accepted }) => {
    const response = await send(await sign(listScripts, authenticatorAt(offsetMinutes * MINUTE_MS)));
    if (accepted) {
      expect(response.status).toBe(200);
    } else {
      expect(response.status).toBe(401);
      expect(response.json?.error_code).toBe(ErrorCodes.APIG_AUTH);
      expect(response.json?.error_msg).toMatch(/server time by more than 15 minutes/);
    }
  });
});
