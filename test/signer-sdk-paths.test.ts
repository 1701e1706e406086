/**
 * Path parameters against the official SDK's signing rules (huaweicloud-sdk-go-v3
 * `core/auth/signer`): the SDK fills `{name}` with the raw value (`strings.ReplaceAll`), then
 * signs the path split at every "/", each segment escaped (all bytes but A-Z a-z 0-9 - _ . ~ as
 * upper-case %XX). The reference below is written from that algorithm, independently of
 * src/coc/auth/signer.ts; every path the client sends must sign exactly as the SDK would sign
 * the same request, and a value holding "/" (which the SDK would turn into two segments, another
 * route) is refused before anything is sent.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRequest, signRequest, verifyRequest } from '../src/coc/auth/signer.js';
import { CocValidationError } from '../src/coc/errors.js';
import { expandRoute, pathParamProblems } from '../src/coc/transport/url.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { call } from './sim-helpers.js';

/** The SDK's `shouldEscape`/`escape`, byte by byte over UTF-8. */
function sdkEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_\-~.]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The SDK's `CanonicalURI` over the raw path (parameters filled in unencoded). */
function sdkCanonicalUri(rawPath: string): string {
  const joined = rawPath.split('/').map(sdkEscape).join('/');
  return joined.endsWith('/') ? joined : `${joined}/`;
}

/** The SDK's path: the template with each `{name}` replaced by the raw value. */
function sdkPath(route: string, params: Readonly<Record<string, string>>): string {
  let path = route;
  for (const [name, value] of Object.entries(params)) path = path.replaceAll(`{${name}}`, value);
  return path;
}

/** The SDK's signature of a request without a query, signing only x-sdk-date (as its test vectors do). */
function sdkSignature(method: string, rawPath: string, date: string, body: string, sk: string): string {
  const canonical = [method, sdkCanonicalUri(rawPath), '', `x-sdk-date:${date}\n`, 'x-sdk-date', createHash('sha256').update(body).digest('hex')].join('\n');
  const toSign = `SDK-HMAC-SHA256\n${date}\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', sk).update(toSign).digest('hex');
}

const ROUTE = '/v1/job/scripts/{script_uuid}';
const DATE = '20260314T093000Z';
const KEYS = { ak: 'SDKPATHAK', sk: 'sdk-path-secret' };
/** Values a path parameter may hold (no "/"): unicode, spaces, reserved and sub-delimiters, "%", a "%2F" typed as text. */
const VALUES = ['SC2023102521413701c4a8a62', '脚本 a+b', 'résumé~1', "o'k(1)*!", 'a:b@c;d=e,f$g&h', '100%', '%2F-as-text', 'q?x#y', '[i]', 'ü\u00a0😀', 'x..y', ' lead and trail '];

describe('the client signs path parameters as the SDK does', () => {
  it.each(VALUES)('%j: the canonical URI of the path sent equals the SDK\'s, and so does the signature', (value) => {
    expect(pathParamProblems(ROUTE, { script_uuid: value })).toEqual([]);
    const sent = expandRoute(ROUTE, { script_uuid: value });
    const raw = sdkPath(ROUTE, { script_uuid: value });
    const request = { method: 'POST', url: `https://coc.example.com${sent}`, headers: { 'X-Sdk-Date': DATE }, body: '{}' };
    expect(canonicalRequest(request, ['x-sdk-date']).split('\n')[1]).toBe(sdkCanonicalUri(raw));
    const signed = signRequest(request, KEYS, { signedHeaders: ['x-sdk-date'] });
    expect(signed['Authorization']).toBe(`SDK-HMAC-SHA256 Access=${KEYS.ak}, SignedHeaders=x-sdk-date, Signature=${sdkSignature('POST', raw, DATE, '{}', KEYS.sk)}`);
  });

  it('a fixed vector, written out: "脚本 a+b" signs as /v1/job/scripts/%E8%84%9A%E6%9C%AC%20a%2Bb/', () => {
    expect(sdkCanonicalUri(sdkPath(ROUTE, { script_uuid: '脚本 a+b' }))).toBe('/v1/job/scripts/%E8%84%9A%E6%9C%AC%20a%2Bb/');
    const request = { method: 'POST', url: `https://coc.example.com${expandRoute(ROUTE, { script_uuid: '脚本 a+b' })}`, headers: { 'X-Sdk-Date': DATE }, body: '{}' };
    expect(signRequest(request, KEYS, { signedHeaders: ['x-sdk-date'] })['Authorization']).toBe(
      `SDK-HMAC-SHA256 Access=${KEYS.ak}, SignedHeaders=x-sdk-date, Signature=${sdkSignature('POST', '/v1/job/scripts/脚本 a+b', DATE, '{}', KEYS.sk)}`,
    );
  });

  it.each(['a/b', '/lead', 'trail/', 'SC1/action'])('%j holds "/": refused before sending, saying why', (value) => {
    const problems = pathParamProblems(ROUTE, { script_uuid: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('script_uuid');
    expect(problems[0]!.message).toContain('must not contain "/"');
    expect(problems[0]!.message).toContain('signature splits the path at every "/"');
  });

  it('the verifier follows the SDK: an encoded "/" separates segments, so a path signed with it kept whole is refused', () => {
    const sent = '/v1/job/scripts/a%2Fb';
    const request = { method: 'GET', url: sent, headers: { 'X-Sdk-Date': DATE } };
    // As the SDK signs the raw "a/b": two segments.
    expect(canonicalRequest(request, ['x-sdk-date']).split('\n')[1]).toBe(sdkCanonicalUri('/v1/job/scripts/a/b'));
    const wholeSegment = [
      'GET', '/v1/job/scripts/a%2Fb/', '', `x-sdk-date:${DATE}\n`, 'x-sdk-date', createHash('sha256').update('').digest('hex'),
    ].join('\n');
    const toSign = `SDK-HMAC-SHA256\n${DATE}\n${createHash('sha256').update(wholeSegment).digest('hex')}`;
    const signature = createHmac('sha256', KEYS.sk).update(toSign).digest('hex');
    const verdict = verifyRequest(
      { ...request, headers: { ...request.headers, Authorization: `SDK-HMAC-SHA256 Access=${KEYS.ak}, SignedHeaders=x-sdk-date, Signature=${signature}` } },
      { now: new Date('2026-03-14T09:30:00Z'), secretFor: (ak) => (ak === KEYS.ak ? KEYS.sk : undefined) },
    );
    expect(verdict).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('over HTTP, against the simulator', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('the client refuses a script id holding "/" and sends nothing', async () => {
    const before = bot.sim.countRequests('GET /v1/job/scripts/{script_uuid}');
    const error = await bot.coc.getScript('SC1/../x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocValidationError);
    expect((error as CocValidationError).problems[0]).toMatchObject({ path: 'script_uuid' });
    expect(bot.sim.countRequests('GET /v1/job/scripts/{script_uuid}')).toBe(before);
  });

  it('the command refuses it as input, before the client is asked', async () => {
    const reply = await bot.run('alice', 'scripts show SC1/x');
    expect(reply).not.toMatch(/unexpected/i);
    expect(reply).toContain('"SC1/x" is not a script name or uuid');
  });

  it('a path with unicode and reserved characters signed by the client is accepted by the simulator\'s verifier', async () => {
    const result = await call(bot.sim, 'GET', `/v1/job/scripts/${encodeURIComponent("脚本 o'k(1)")}`);
    // Authenticated (the id is unknown, so COC's own 404, not the gateway's 401).
    expect(result.status).toBe(404);
  });
});
