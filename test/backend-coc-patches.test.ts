/**
 * The COC backend's patches group against the simulator: compliance reports and their items as
 * neutral records (COC's codes kept), the filters and page numbers as COC received them, and
 * COC's HTTP 500 for an unknown report in the neutral form with what COC said.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PATCH_OPERATIONS } from '../src/coc/api/patches.js';
import { BackendUnavailableError, makeId, need, type PatchesCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { isCompliantItem, isCompliantReport } from '../src/sim/state/patches.js';
import type { PatchReport } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { simClient } from './sim-helpers.js';

const LIST_KEY = routeKeyOf(PATCH_OPERATIONS.listCompliance);
const ITEMS_KEY = routeKeyOf(PATCH_OPERATIONS.listItems);

let sim: Simulator;
let patches: PatchesCapability;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, tickMs: 0 });
  const client = simClient(sim, { timeoutMs: 5_000, retry: { retries: 0 } });
  patches = need(createCocBackend(client), 'patches');
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

const requestsTo = (routeKey: string) => sim.requests.filter((record) => record.routeKey === routeKey);

function nonCompliantReport(): PatchReport {
  const found = sim.world.patchReports.find((report) => !isCompliantReport(report));
  if (!found) throw new Error('the simulator has no non-compliant report');
  return found;
}

describe('the patches group', () => {
  it('declares COC compliance statuses (product state beside COC code) and patch statuses', () => {
    expect(patches.pageMax).toBe(100);
    expect(patches.complianceStatuses).toEqual([
      { state: 'non-compliant', code: 'non_compliant' },
      { state: 'compliant', code: 'compliant' },
    ]);
    expect(patches.itemStatusCodes).toEqual(['INSTALLED', 'INSTALLED_OTHER', 'MISSING', 'REJECT', 'FAILED', 'PENDING_REBOOT']);
  });
});

describe('compliance', () => {
  it('maps a report to neutral compliance, informational and unspecified counted as other', async () => {
    const report = nonCompliantReport();
    const bad = report.items.filter((item) => !isCompliantItem(item));
    const level = (name: string) => bad.filter((item) => item.complianceLevel === name).length;
    const page = await patches.compliance({ hostNativeId: report.host.resourceId, perPage: 100 });
    expect(page.total).toBe(1);
    expect(page.items).toEqual([
      {
        id: makeId('coc', 'patch-host', report.id),
        hostName: report.host.name,
        hostNativeId: report.host.resourceId,
        ip: report.host.fixedIp,
        region: report.host.regionId,
        status: { state: 'non-compliant', code: 'non_compliant' },
        compliantCount: report.items.length - bad.length,
        nonCompliantCount: bad.length,
        missing: {
          critical: level('CRITICAL'),
          high: level('HIGH'),
          medium: level('MEDIUM'),
          low: level('LOW'),
          other: level('INFORMATIONAL') + level('UNSPECIFIED'),
        },
        operatingSystem: report.host.osName,
        baseline: report.baselineName,
        scannedAt: report.reportTime,
      },
    ]);
    // No page number asked: none sent (COC's first page).
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ instance_id: [report.host.resourceId], limit: ['100'] });
  });

  it('sends the filters and the page number as COC names them, and answers COC total', async () => {
    const page = await patches.compliance({ hostName: 'web', region: 'cn-north-4', statusCode: 'compliant', page: 2, perPage: 1 });
    expect(requestsTo(LIST_KEY).at(-1)?.query).toEqual({ name: ['web'], region: ['cn-north-4'], compliant_status: ['compliant'], limit: ['1'], offset: ['2'] });
    const expected = sim.world.patchReports.filter((r) => r.host.name.includes('web') && r.host.regionId === 'cn-north-4' && isCompliantReport(r)).length;
    expect(page.total).toBe(expected);
  });
});

describe('items', () => {
  it('maps each item, COC codes kept and compliance decided as COC counts it', async () => {
    const report = nonCompliantReport();
    const page = await patches.items(makeId('coc', 'patch-host', report.id), { page: 1, perPage: 100 });
    expect(page.total).toBe(report.items.length);
    const first = report.items[0]!;
    expect(page.items[0]).toEqual({
      hostNativeId: report.host.resourceId,
      title: first.title,
      classification: first.classification,
      severity: first.severityLevel,
      complianceLevel: { state: first.complianceLevel.toLowerCase(), code: first.complianceLevel },
      status: { state: expect.any(String), code: first.patchStatus },
      compliant: isCompliantItem(first),
      ...(first.installedTime !== null ? { installedAt: first.installedTime } : {}),
    });
    expect(page.items.map((item) => item.compliant)).toEqual(report.items.map(isCompliantItem));
    expect(requestsTo(ITEMS_KEY).at(-1)?.path).toContain(report.id);
  });

  it('filters by COC patch status', async () => {
    const report = nonCompliantReport();
    const page = await patches.items(makeId('coc', 'patch-host', report.id), { statusCode: 'MISSING', page: 1, perPage: 10 });
    expect(page.items.every((item) => item.status.state === 'missing' && item.status.code === 'MISSING')).toBe(true);
    expect(requestsTo(ITEMS_KEY).at(-1)?.query).toEqual({ limit: ['10'], offset: ['1'], patch_status: ['MISSING'] });
  });

  it('fails an unknown report in the neutral form, with what COC said', async () => {
    const failure = await patches.items(makeId('coc', 'patch-host', 'no-such-report-0000'), { page: 1, perPage: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackendUnavailableError);
    expect((failure as BackendUnavailableError).detail).toMatchObject({ status: 500, lost: 'status' });
    expect((failure as BackendUnavailableError).detail.code).toBeTruthy();
    expect((failure as BackendUnavailableError).detail.platformMessage).toContain('no-such-report-0000');
  });
});
