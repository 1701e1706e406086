/**
 * The COC backend's alarms group against the simulator: a neutral report as COC's custom event
 * (through the integration key the backend holds, never passed by the caller), no report
 * without a key, and a failed write judged refused or unknown by COC's rule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { EVENT_OPERATIONS } from '../src/coc/api/events.js';
import { Secret } from '../src/config.js';
import { BackendNotFoundError, BackendRefusedError, BackendUnavailableError, capabilitiesOf, makeId, need, writeFailureOf, type AlarmReport, type AlarmsCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { SIM_DEFAULT_INTEGRATION_KEY, startSimulator, type Simulator } from '../src/sim/server.js';
import { routeKeyOf } from './coc-helpers.js';
import { simClient } from './sim-helpers.js';

const REPORT_KEY = routeKeyOf(EVENT_OPERATIONS.reportCustom);

let sim: Simulator;
let client: CocClient;
let alarms: AlarmsCapability;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  alarms = need(createCocBackend(client, { integrationKey: new Secret(SIM_DEFAULT_INTEGRATION_KEY) }), 'alarms');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

const requestsTo = (routeKey: string) => sim.requests.filter((record) => record.routeKey === routeKey);

const REPORT: AlarmReport = {
  id: 'chatops-0123456789abcdef01234567',
  name: 'Disk full',
  levelCode: 'Critical',
  description: '/ at 98%',
  time: 1_767_000_000_000,
  clear: false,
  source: 'coc-chatops',
  application: 'coc-chatops',
  host: { id: makeId('coc', 'host', 'ecs-0001'), name: 'web-01', region: 'cn-north-4' },
  details: { raised_by: 'alice', chat_user: 'shell:alice', via: 'coc-chatops' },
};

describe('the alarms group', () => {
  it('declares COC levels (product severity beside COC code) and status codes', () => {
    expect(alarms.levels).toEqual([
      { state: 'critical', code: 'Critical' },
      { state: 'major', code: 'Major' },
      { state: 'minor', code: 'Minor' },
      { state: 'info', code: 'Info' },
    ]);
    expect(alarms.statusCodes).toEqual({ raised: 'alarm', cleared: 'ok' });
  });

  it('cannot report without an integration key (and says so as a capability)', () => {
    const keyless = createCocBackend(simClient(sim));
    expect(keyless.alarms?.report).toBeUndefined();
    expect(capabilitiesOf(keyless).has('alarms.report')).toBe(false);
    expect(capabilitiesOf(createCocBackend(client, { integrationKey: new Secret(SIM_DEFAULT_INTEGRATION_KEY) })).has('alarms.report')).toBe(true);
  });
});

describe('report (a write)', () => {
  it('sends the custom event COC expects, under the key the backend holds', async () => {
    await alarms.report!(REPORT);
    const sent = requestsTo(REPORT_KEY).at(-1);
    expect(sent?.path).toContain(SIM_DEFAULT_INTEGRATION_KEY);
    expect(sent?.body).toEqual({
      alarmId: REPORT.id,
      alarmName: 'Disk full',
      alarmLevel: 'Critical',
      time: REPORT.time,
      nameSpace: 'coc-chatops',
      alarmDesc: '/ at 98%',
      alarmSource: 'coc-chatops',
      applicationId: 'coc-chatops',
      regionId: 'cn-north-4',
      resourceName: 'web-01',
      resourceId: 'ecs-0001',
      alarmStatus: 'alarm',
      additional: { raised_by: 'alice', chat_user: 'shell:alice', via: 'coc-chatops' },
    });
  });

  it('clears with status ok, and leaves out what a report without a host lacks', async () => {
    const { host: _host, ...withoutHost } = REPORT;
    await alarms.report!({ ...withoutHost, clear: true });
    const body = requestsTo(REPORT_KEY).at(-1)?.body as Record<string, unknown>;
    expect(body['alarmStatus']).toBe('ok');
    expect(Object.keys(body)).not.toContain('resourceId');
    expect(Object.keys(body)).not.toContain('regionId');
    expect(sim.world.alarms.all().find((alarm) => alarm.alarmId === REPORT.id)?.alarmStatus).toBe('ok');
  });

  it('is refused when COC says no before acting', async () => {
    sim.faults.set(REPORT_KEY, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'bad event', times: 1 });
    const failure = await alarms.report!(REPORT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendRefusedError);
    expect(writeFailureOf(failure)).toBe('refused');
  });

  it('is refused for a key COC does not know (its 404), the key never in the error', async () => {
    const wrongKey = 'wrong-integration-key-0123456789';
    const wrong = need(createCocBackend(simClient(sim, { retry: { retries: 0 } }), { integrationKey: new Secret(wrongKey) }), 'alarms');
    const failure = await wrong.report!(REPORT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendNotFoundError);
    expect(writeFailureOf(failure)).toBe('refused');
    expect(String((failure as Error).message)).not.toContain(wrongKey);
  });

  it('is unknown when the answer is lost after COC acted', async () => {
    sim.faults.set(REPORT_KEY, { kind: 'reset', afterHandling: true, times: 1 });
    const failure = await alarms.report!({ ...REPORT, id: 'chatops-lost-answer' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendUnavailableError);
    expect(writeFailureOf(failure)).toBe('unknown');
    expect(sim.world.alarms.all().some((alarm) => alarm.alarmId === 'chatops-lost-answer')).toBe(true);
  });
});
