/**
 * Every response example documented in the COC references (test/fixtures/reference-examples)
 * goes through the real client over HTTP: success examples parse, error examples become
 * CocApiError with the documented code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocApiError, CocFailureAnswerError, type CocClient } from '../src/coc/index.js';
import { unwrapEnvelope } from '../src/coc/transport/envelopes.js';
import { CLIENT_CALL_BY_ROUTE, json, startTestServer, testClient, type TestServer } from './coc-helpers.js';

interface Fixture {
  readonly file: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const DIR = join(import.meta.dirname, 'fixtures', 'reference-examples');
const fixtures: Fixture[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Omit<Fixture, 'file'> & { scope: string }) }))
  .filter((fixture) => (fixture as unknown as { scope: string }).scope === 'in-scope');

/** The client call that hits each documented route. */
const CALLS = CLIENT_CALL_BY_ROUTE;

let server: TestServer;
let client: CocClient;
let current: Fixture | undefined;

beforeAll(async () => {
  server = await startTestServer((_request, response) => {
    if (current!.status !== 204) return json(response, current!.status, current!.body);
    // HTTP gives a 204 no body, whatever the document shows.
    response.writeHead(204);
    response.end();
  });
  client = testClient(server, { retry: { retries: 0 } });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('documented response examples', () => {
  it('covers every in-scope example', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(49);
    for (const fixture of fixtures) expect(CALLS[`${fixture.method} ${fixture.route}`], fixture.file).toBeDefined();
  });

  it.each(fixtures.filter((fixture) => fixture.status >= 200 && fixture.status < 300 && fixture.status !== 204))('$file parses', async (fixture) => {
    current = fixture;
    await expect(CALLS[`${fixture.method} ${fixture.route}`]!(client)).resolves.not.toBeInstanceOf(Error);
  });

  it.each(fixtures.filter((fixture) => fixture.status >= 400))('$file becomes CocApiError', async (fixture) => {
    current = fixture;
    const error = await CALLS[`${fixture.method} ${fixture.route}`]!(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocApiError);
    expect(error).toMatchObject({ status: fixture.status, errorCode: fixture.body['error_code'] });
  });

  it.each(fixtures.filter((fixture) => fixture.status === 204))('$file: the documented 204 error body is an error', async (fixture) => {
    // On the wire a 204 carries no body, so the client sees COC's failure status without a reason ...
    current = fixture;
    const error = await CALLS[`${fixture.method} ${fixture.route}`]!(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CocFailureAnswerError);
    expect(error).toMatchObject({ status: 204, errorCode: undefined });
    // ... and the body as documented, had it arrived, is read as an API error.
    expect(unwrapEnvelope('data', { present: true, value: fixture.body })).toMatchObject({ kind: 'api-error', errorCode: fixture.body['error_code'] });
  });

  it('reads the documented values as documented', async () => {
    current = fixtures.find((fixture) => fixture.file === 'get-script-job-batch-200-en.json');
    const batch = await client.getScriptOrderBatch('SCT1', 1, { limit: 10 });
    expect(batch.execute_instances.length).toBeGreaterThan(0);
    expect(typeof batch.execute_instances[0]?.id).toBe('number');
    current = fixtures.find((fixture) => fixture.file === 'list-script-jobs-200-en.json');
    const orders = await client.listScriptOrders({ limit: 10 });
    expect(orders.data.length).toBeGreaterThan(0);
    current = fixtures.find((fixture) => fixture.file === 'show-coc-incident-detail-200-en.json');
    const detail = await client.getIncident('IM1');
    expect(detail).toMatchObject({ incident_num: 'IM202403181322030178042608', is_service_interrupt: true, handle_time: null, status: 'INCIDENT_STATUS_ACKNOWLEDGED' });
    expect(detail.enum_data_list.find((entry) => entry.filed_key === 'level_id')?.name_en).toBe('P5');
  });
});
