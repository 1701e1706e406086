/**
 * The response examples of the COC reference documents (test/fixtures/reference-examples)
 * against the client's own decoding, without a server: every in-scope 2xx example, once
 * unwrapped by the transport's `unwrapEnvelope`, satisfies the response schema the client
 * uses for that route; every error example yields its error_code and error_msg through the
 * transport's error reading (`readErrorFields` for 4xx/5xx, `unwrapEnvelope` for the
 * documented "204 with an error body").
 *
 * ROUTE_RESPONSES is written out by hand and checked against the client itself: invoking each
 * route's method with `http.call` intercepted must hand over exactly that envelope and schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import {
  CocClient,
  CreatedIncident,
  CustomEventResult,
  EVENT_OPERATIONS,
  ExecuteUuid,
  HandleIncidentResult,
  INCIDENT_OPERATIONS,
  IncidentActionResult,
  IncidentDetail,
  IncidentHistories,
  IncidentListPage,
  IncidentTasks,
  OperateScriptOrderResult,
  PATCH_OPERATIONS,
  PatchCompliancePage,
  PatchItemsPage,
  PublicScriptDetail,
  PublicScriptListPage,
  RESOURCE_OPERATIONS,
  ResourceCount,
  ResourceList,
  SCRIPT_OPERATIONS,
  ScriptDetail,
  ScriptListPage,
  ScriptOrder,
  ScriptOrderBatch,
  ScriptOrderBatchList,
  ScriptOrderListPage,
  ScriptOrderStatistics,
  ScriptUuid,
  SyncResourceAgentsResult,
  SyncResourcesResult,
  WAR_ROOM_OPERATIONS,
  WarRoomId,
  WarRoomListPage,
  type CocRequest,
} from '../src/coc/index.js';
import { ORDER_OPERATIONS as ORDER_ROUTES } from '../src/coc/api/orders.js';
import { checkResponse } from '../src/coc/schemas/problems.js';
import { unwrapEnvelope, type EnvelopeKind } from '../src/coc/transport/envelopes.js';
import { parseJsonBody, readErrorFields } from '../src/coc/transport/error-body.js';
import { CLIENT_CALL_BY_ROUTE, routeKeyOf } from './coc-helpers.js';

// ---- fixtures ----

interface Placeholder {
  /** Dotted path with [n] indexes, e.g. `data.data[2].order_id`. */
  readonly path: string;
  readonly documented: string;
  readonly substituted: unknown;
}

interface Fixture {
  readonly file: string;
  readonly scope: string;
  readonly method: string | null;
  readonly route: string | null;
  readonly status: number | null;
  readonly body: unknown;
  readonly placeholders?: readonly Placeholder[];
}

interface InScopeFixture extends Fixture {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly key: string;
}

const FIXTURE_DIR = join(import.meta.dirname, 'fixtures', 'reference-examples');

const allFixtures: Fixture[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as Omit<Fixture, 'file'>) }));

const inScope: InScopeFixture[] = allFixtures
  .filter((fixture) => fixture.scope === 'in-scope')
  .map((fixture) => {
    if (typeof fixture.method !== 'string' || typeof fixture.route !== 'string' || typeof fixture.status !== 'number') {
      throw new Error(`${fixture.file}: an in-scope fixture needs method, route and status`);
    }
    return { ...fixture, method: fixture.method, route: fixture.route, status: fixture.status, key: `${fixture.method} ${fixture.route}` };
  });

const isSuccess = (fixture: InScopeFixture) => fixture.status >= 200 && fixture.status < 300;
/** A 2xx whose documented body is `{error_code, error_msg}` and nothing else (notes §3: "204"). */
const isSuccessWithErrorBody = (fixture: InScopeFixture) => isSuccess(fixture) && hasOwn(fixture.body, 'error_code') && !hasOwn(fixture.body, 'data');
const successExamples = inScope.filter((fixture) => isSuccess(fixture) && !isSuccessWithErrorBody(fixture));
const successWithErrorExamples = inScope.filter(isSuccessWithErrorBody);
const errorExamples = inScope.filter((fixture) => fixture.status >= 400);

function hasOwn(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key);
}

// ---- what the client expects per route ----

interface RouteResponse {
  readonly envelope: EnvelopeKind;
  readonly schema: z.ZodType;
}

/** Every route the client calls, with the envelope it unwraps and the schema it checks the payload with. */
const ROUTE_RESPONSES: Readonly<Record<string, RouteResponse>> = {
  [routeKeyOf(RESOURCE_OPERATIONS.sync)]: { envelope: 'data', schema: SyncResourcesResult },
  [routeKeyOf(RESOURCE_OPERATIONS.syncAgents)]: { envelope: 'data', schema: SyncResourceAgentsResult },
  [routeKeyOf(RESOURCE_OPERATIONS.list)]: { envelope: 'data', schema: ResourceList },
  [routeKeyOf(RESOURCE_OPERATIONS.count)]: { envelope: 'data', schema: ResourceCount },
  [routeKeyOf(SCRIPT_OPERATIONS.create)]: { envelope: 'data', schema: ScriptUuid },
  [routeKeyOf(SCRIPT_OPERATIONS.list)]: { envelope: 'data', schema: ScriptListPage },
  [routeKeyOf(SCRIPT_OPERATIONS.get)]: { envelope: 'data', schema: ScriptDetail },
  [routeKeyOf(SCRIPT_OPERATIONS.update)]: { envelope: 'data', schema: ScriptUuid },
  [routeKeyOf(SCRIPT_OPERATIONS.delete)]: { envelope: 'data', schema: ScriptUuid },
  [routeKeyOf(SCRIPT_OPERATIONS.listPublic)]: { envelope: 'data', schema: PublicScriptListPage },
  [routeKeyOf(SCRIPT_OPERATIONS.getPublic)]: { envelope: 'data', schema: PublicScriptDetail },
  [routeKeyOf(ORDER_ROUTES.execute)]: { envelope: 'data', schema: ExecuteUuid },
  [routeKeyOf(ORDER_ROUTES.executePublic)]: { envelope: 'data', schema: ExecuteUuid },
  [routeKeyOf(ORDER_ROUTES.get)]: { envelope: 'data', schema: ScriptOrder },
  [routeKeyOf(ORDER_ROUTES.batches)]: { envelope: 'data', schema: ScriptOrderBatchList },
  [routeKeyOf(ORDER_ROUTES.statistics)]: { envelope: 'data', schema: ScriptOrderStatistics },
  [routeKeyOf(ORDER_ROUTES.batch)]: { envelope: 'data', schema: ScriptOrderBatch },
  [routeKeyOf(ORDER_ROUTES.list)]: { envelope: 'data', schema: ScriptOrderListPage },
  [routeKeyOf(ORDER_ROUTES.operate)]: { envelope: 'data', schema: OperateScriptOrderResult },
  [routeKeyOf(INCIDENT_OPERATIONS.create)]: { envelope: 'pce', schema: CreatedIncident },
  [routeKeyOf(INCIDENT_OPERATIONS.handle)]: { envelope: 'pce', schema: HandleIncidentResult },
  [routeKeyOf(INCIDENT_OPERATIONS.get)]: { envelope: 'pce', schema: IncidentDetail },
  [routeKeyOf(INCIDENT_OPERATIONS.list)]: { envelope: 'pce', schema: IncidentListPage },
  [routeKeyOf(INCIDENT_OPERATIONS.tasks)]: { envelope: 'pce', schema: IncidentTasks },
  [routeKeyOf(INCIDENT_OPERATIONS.act)]: { envelope: 'pce', schema: IncidentActionResult },
  [routeKeyOf(INCIDENT_OPERATIONS.histories)]: { envelope: 'pce', schema: IncidentHistories },
  [routeKeyOf(WAR_ROOM_OPERATIONS.create)]: { envelope: 'pce', schema: WarRoomId },
  [routeKeyOf(WAR_ROOM_OPERATIONS.list)]: { envelope: 'pce', schema: WarRoomListPage },
  [routeKeyOf(EVENT_OPERATIONS.reportCustom)]: { envelope: 'pce', schema: CustomEventResult },
  [routeKeyOf(PATCH_OPERATIONS.listCompliance)]: { envelope: 'bare', schema: PatchCompliancePage },
  [routeKeyOf(PATCH_OPERATIONS.listItems)]: { envelope: 'bare', schema: PatchItemsPage },
};

const CLIENT_ROUTE_KEYS = [RESOURCE_OPERATIONS, SCRIPT_OPERATIONS, ORDER_ROUTES, INCIDENT_OPERATIONS, WAR_ROOM_OPERATIONS, EVENT_OPERATIONS, PATCH_OPERATIONS]
  .flatMap((table) => Object.values(table))
  .map(routeKeyOf);

function responseFor(fixture: InScopeFixture): RouteResponse {
  const response = ROUTE_RESPONSES[fixture.key];
  if (!response) throw new Error(`${fixture.file}: no response schema mapped for ${fixture.key}`);
  return response;
}

/** What the transport does with a 2xx body: parse the text, unwrap the envelope. */
function unwrapAsTransport(envelope: EnvelopeKind, body: unknown) {
  const parsed = parseJsonBody(JSON.stringify(body));
  expect(parsed.ok).toBe(true);
  return unwrapEnvelope(envelope, parsed.ok ? { present: true, value: parsed.value } : { present: false });
}

/** The 2xx example through unwrapping and the route's schema; fails with zod's issues. */
function decodeSuccess(fixture: InScopeFixture, body: unknown = fixture.body): unknown {
  const { envelope, schema } = responseFor(fixture);
  const unwrapped = unwrapAsTransport(envelope, body);
  if (unwrapped.kind !== 'payload') throw new Error(`${fixture.file}: unwrapped to ${JSON.stringify(unwrapped)}`);
  const checked = checkResponse(schema, unwrapped.payload);
  if (!checked.ok) throw new Error(`${fixture.file}: ${checked.issues.join('; ')}`);
  return checked.value;
}

/** A copy of `body` without the value at `path` (`a.b[2].c`). */
function withoutPath(body: unknown, path: string): unknown {
  const copy = structuredClone(body);
  const keys = path.split(/\.|\[(\d+)\]/).filter((key): key is string => key !== undefined && key !== '');
  const last = keys.pop();
  let parent: unknown = copy;
  for (const key of keys) parent = (parent as Record<string, unknown>)[key];
  if (typeof parent !== 'object' || parent === null || last === undefined || !Object.hasOwn(parent, last)) throw new Error(`no value at ${path}`);
  delete (parent as Record<string, unknown>)[last];
  return copy;
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((key): key is string => key !== undefined && key !== '')
    .reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], value);
}

// ---- the table is the client's ----

describe('route → response schema table', () => {
  let client: CocClient;
  let captured: CocRequest<z.ZodType>[];

  beforeAll(() => {
    client = new CocClient({ endpoint: 'http://127.0.0.1:9', auth: { kind: 'aksk', ak: 'AKAKAKAKAKAKAKAKAKAK', sk: 'SKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSKSK' } });
    captured = [];
    // Nothing leaves the process: the request the client builds is captured instead.
    vi.spyOn(client.http, 'call').mockImplementation((request) => {
      captured.push(request as CocRequest<z.ZodType>);
      return Promise.reject(new Error('captured'));
    });
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await client.close();
  });

  it('has exactly one row per route the client calls', () => {
    expect(Object.keys(ROUTE_RESPONSES).sort()).toEqual([...new Set(CLIENT_ROUTE_KEYS)].sort());
    expect(CLIENT_ROUTE_KEYS).toHaveLength(new Set(CLIENT_ROUTE_KEYS).size);
  });

  it.each(Object.entries(ROUTE_RESPONSES))('%s: the client unwraps the same envelope and checks the same schema', async (key, expected) => {
    const invoke = CLIENT_CALL_BY_ROUTE[key];
    expect(invoke, `no client call for ${key} in CLIENT_CALL_BY_ROUTE`).toBeDefined();
    captured.length = 0;
    await expect(invoke!(client)).rejects.toThrow('captured');
    expect(captured).toHaveLength(1);
    const request = captured[0]!;
    expect(routeKeyOf(request)).toBe(key);
    expect(request.envelope).toBe(expected.envelope);
    expect(request.response).toBe(expected.schema);
  });

  it('maps every in-scope fixture to a response schema', () => {
    expect(inScope.length).toBeGreaterThanOrEqual(49);
    const unmapped = inScope.filter((fixture) => ROUTE_RESPONSES[fixture.key] === undefined).map((fixture) => `${fixture.file} (${fixture.key})`);
    expect(unmapped).toEqual([]);
  });

  it('leaves only non-COC examples out of scope', () => {
    const outOfScope = allFixtures.filter((fixture) => fixture.scope !== 'in-scope');
    expect(outOfScope.map((fixture) => fixture.scope)).toEqual(outOfScope.map(() => 'other'));
    expect(outOfScope.every((fixture) => fixture.route === null || !fixture.route.startsWith('/v1/'))).toBe(true);
  });
});

// ---- success examples ----

describe('documented 2xx examples', () => {
  it('exist for most documented routes', () => {
    expect(new Set(successExamples.map((fixture) => fixture.key)).size).toBeGreaterThanOrEqual(13);
  });

  it.each(successExamples)('$file satisfies the schema of $method $route', (fixture) => {
    expect(() => decodeSuccess(fixture)).not.toThrow();
  });

  it('keeps the documented values, including lenient ones', () => {
    const byFile = (file: string) => {
      const fixture = successExamples.find((candidate) => candidate.file === file);
      if (!fixture) throw new Error(`no fixture ${file}`);
      return decodeSuccess(fixture);
    };
    expect(byFile('create-script-200-en.json')).toBe('SC2023102521413701c4a8a62');
    expect(byFile('execute-script-200-en.json')).toBe('SCT2023083109562601af694bf');
    expect(byFile('get-script-job-info-200-en.json')).toMatchObject({ status: 'CANCELED', execute_costs: 311282, properties: { script_source: 'CUSTOM_SCRIPT', execute_param: { success_rate: 100 } } });
    expect(byFile('get-script-job-batch-200-en.json')).toMatchObject({ batch_index: 1, total_instances: 1, execute_instances: [{ id: 1588 }] });
    expect(byFile('create-coc-incident-200-zh.json')).toEqual({ incident_num: 'IM202403221515060171753781' });
    expect(byFile('handle-coc-incident-200-en.json')).toBeUndefined();
    expect(byFile('show-coc-incident-detail-200-en.json')).toMatchObject({ incident_num: 'IM202403181322030178042608', is_service_interrupt: true, handle_time: null });
    expect(byFile('list-instance-compliant-200-en.json')).toMatchObject({ count: 1, instance_compliant: [{ baseline_name: 'COC-EulerOSDefaultPatchBaseline' }] });
  });
});

describe('placeholder repairs', () => {
  const repaired = successExamples.filter((fixture) => (fixture.placeholders?.length ?? 0) > 0);

  it('are the two order-list examples, with order_id 72 in place of the documented "xx"', () => {
    expect(repaired.map((fixture) => fixture.file).sort()).toEqual(['list-script-jobs-200-en.json', 'list-script-jobs-200-zh.json']);
    for (const fixture of repaired) {
      expect(fixture.placeholders).toEqual([expect.objectContaining({ path: 'data.data[2].order_id', documented: 'xx', substituted: 72 })]);
      expect(valueAt(fixture.body, 'data.data[2].order_id')).toBe(72);
    }
  });

  it.each(repaired)('$file parses as repaired and the substituted value reads as a number', (fixture) => {
    const page = decodeSuccess(fixture) as { data: { order_id?: number | null }[] };
    expect(page.data.map((item) => item.order_id)).toEqual([74, 73, 72, 71, 70]);
  });

  it.each(repaired)('$file also parses with the placeholder left out (the document gives no value)', (fixture) => {
    let body = fixture.body;
    for (const placeholder of fixture.placeholders ?? []) body = withoutPath(body, placeholder.path);
    const page = decodeSuccess(fixture, body) as { data: { order_id?: number | null }[] };
    expect(page.data.map((item) => item.order_id ?? null)).toEqual([74, 73, null, 71, 70]);
  });
});

// ---- error examples ----

describe('documented error examples', () => {
  it('cover 4xx, 5xx and the "204 with an error body"', () => {
    expect(errorExamples.some((fixture) => fixture.status >= 400 && fixture.status < 500)).toBe(true);
    expect(errorExamples.some((fixture) => fixture.status >= 500)).toBe(true);
    expect(successWithErrorExamples.map((fixture) => fixture.status)).toContain(204);
  });

  it.each(errorExamples)('$file ($status): error_code and error_msg are read from the body', (fixture) => {
    const body = fixture.body as { error_code: string; error_msg: string };
    expect(typeof body.error_code).toBe('string');
    const parsed = parseJsonBody(JSON.stringify(fixture.body));
    expect(readErrorFields(parsed.ok ? parsed.value : undefined)).toEqual({ errorCode: body.error_code, errorMsg: body.error_msg });
  });

  it.each(successWithErrorExamples)('$file ($status): the error body on a 2xx is unwrapped as an API error with its code and message', (fixture) => {
    const body = fixture.body as { error_code: string; error_msg: string };
    expect(unwrapAsTransport(responseFor(fixture).envelope, fixture.body)).toEqual({ kind: 'api-error', errorCode: body.error_code, errorMsg: body.error_msg });
  });
});
