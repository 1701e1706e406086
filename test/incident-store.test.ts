/**
 * The store side of incident places, on PGlite and on PostgreSQL: a status change or a
 * summary is claimed by exactly one of several concurrent callers, a failed post gives its
 * claim back, closed places are no longer listed, orders are linked to an incident by its
 * place or explicitly (each once), and requests that create something are claimed once.
 */
import { nativeOf } from '../src/backends/index.js';
import { describe, expect, it } from 'vitest';
import { incidentOfPlace, linkOrderToIncident } from '../src/incidents/linked-orders.js';
import {
  claimIncidentChannel,
  claimStatusTransition,
  claimSummary,
  closeIncidentChannel,
  getIncidentChannel,
  listOpenIncidentChannels,
  recordSummary,
  releaseStatusTransition,
  releaseSummary,
} from '../src/store/incident-channels.js';
import { listIncidentOrders } from '../src/store/incident-orders.js';
import { claimIncidentRequest, dropIncidentRequest, finishIncidentRequest } from '../src/store/incident-requests.js';
import { insertTrackedOrder } from '../src/store/tracked-orders.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';

const KEY = { platform: 'slack', workspaceId: 'T01', incidentNum: 'IM2026001' } as const;

for (const leg of storeLegs) {
  announceSkip(leg, 'incident-store');
  describe.skipIf(leg.skipReason !== undefined)(`incident places on ${leg.name}`, () => {
    const fixture = useCleanStore(leg);

    it('lets exactly one of many concurrent callers claim a status change', async () => {
      const db = fixture.db;
      await claimIncidentChannel(db, { ...KEY, channelId: 'C1', threadRef: '1700.1', lastSeenStatus: 'INCIDENT_STATUS_TRIGGERED' });
      const claims = await Promise.all(Array.from({ length: 8 }, () => claimStatusTransition(db, KEY, 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED')));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await getIncidentChannel(db, KEY))?.lastSeenStatus).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
      // A stale caller who still thinks it is TRIGGERED cannot claim the next change either.
      expect(await claimStatusTransition(db, KEY, 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_RESOLVED')).toBe(false);
      // A failed post gives the claim back; somebody who moved on meanwhile is not undone.
      expect(await releaseStatusTransition(db, KEY, 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED')).toBe(true);
      expect((await getIncidentChannel(db, KEY))?.lastSeenStatus).toBe('INCIDENT_STATUS_TRIGGERED');
      await claimStatusTransition(db, KEY, 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_RESOLVED');
      expect(await releaseStatusTransition(db, KEY, 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED')).toBe(false);
    });

    it('lets exactly one caller claim each summary, and gives a failed one back', async () => {
      const db = fixture.db;
      await claimIncidentChannel(db, { ...KEY, channelId: 'C1' });
      const first = new Date('2026-05-01T10:00:00Z');
      await recordSummary(db, KEY, first, { status: 'INCIDENT_STATUS_TRIGGERED' });
      const due = new Date('2026-05-01T10:30:00Z');
      const claims = await Promise.all(Array.from({ length: 6 }, () => claimSummary(db, KEY, first, due, { status: 'INCIDENT_STATUS_ACKNOWLEDGED' })));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const row = (await getIncidentChannel(db, KEY))!;
      expect(row.lastSummaryAt?.toISOString()).toBe(due.toISOString());
      expect(row.summaryState).toEqual({ status: 'INCIDENT_STATUS_ACKNOWLEDGED' });
      await releaseSummary(db, KEY, { ...row, lastSummaryAt: first, summaryState: { status: 'INCIDENT_STATUS_TRIGGERED' } }, due);
      const back = (await getIncidentChannel(db, KEY))!;
      expect(back.lastSummaryAt?.toISOString()).toBe(first.toISOString());
      expect(back.summaryState).toEqual({ status: 'INCIDENT_STATUS_TRIGGERED' });
    });

    it('stops listing a closed place, and claims nothing in it', async () => {
      const db = fixture.db;
      await claimIncidentChannel(db, { ...KEY, channelId: 'C1', lastSeenStatus: 'INCIDENT_STATUS_RESOLVED' });
      await claimIncidentChannel(db, { ...KEY, platform: 'shell', workspaceId: 'local', channelId: 'terminal', threadRef: 'incident-IM2026001' });
      expect((await listOpenIncidentChannels(db, ['slack'])).map((r) => r.platform)).toEqual(['slack']);
      expect(await listOpenIncidentChannels(db, ['slack', 'shell'])).toHaveLength(2);
      expect(await listOpenIncidentChannels(db, [])).toEqual([]);
      await closeIncidentChannel(db, KEY, new Date());
      expect((await listOpenIncidentChannels(db, ['slack', 'shell'])).map((r) => r.platform)).toEqual(['shell']);
      expect(await claimStatusTransition(db, KEY, 'INCIDENT_STATUS_RESOLVED', 'INCIDENT_STATUS_COMPLETED')).toBe(false);
      expect(await claimSummary(db, KEY, null, new Date(), {})).toBe(false);
    });

    it('links orders to the incident of the place they were run in, explicitly or through the tracker', async () => {
      const db = fixture.db;
      const threadPlace = { platform: 'slack', workspaceId: 'T01', channelId: 'C1', threadId: '1700.1' } as const;
      await claimIncidentChannel(db, { ...KEY, channelId: 'C1', threadRef: '1700.1' });
      expect(await incidentOfPlace(db, threadPlace)).toBe('IM2026001');
      expect(await incidentOfPlace(db, { ...threadPlace, threadId: '1700.2' })).toBeUndefined();
      expect(await incidentOfPlace(db, { platform: 'slack', workspaceId: 'T01', channelId: 'C1' })).toBeUndefined();

      expect(await linkOrderToIncident(db, { run: 'coc:run:SCT-A', place: threadPlace, startedByIamUser: 'alice' })).toBe('IM2026001');
      expect(await linkOrderToIncident(db, { run: 'coc:run:SCT-A', place: threadPlace, startedByIamUser: 'bob' })).toBe('IM2026001');
      expect(await linkOrderToIncident(db, { run: 'coc:run:SCT-X', place: { ...threadPlace, threadId: '9' } })).toBeUndefined();
      // Tracked in the incident's thread (linked through its place), in the channel outside the thread (not linked).
      await insertTrackedOrder(db, { runId: 'coc:run:SCT-B', platform: 'slack', workspaceId: 'T01', channelId: 'C1', threadRef: '1700.1', startedByIamUser: 'carol' });
      await insertTrackedOrder(db, { runId: 'coc:run:SCT-C', platform: 'slack', workspaceId: 'T01', channelId: 'C1', startedByIamUser: 'dave' });
      // Tracked and linked explicitly: listed once.
      await insertTrackedOrder(db, { runId: 'coc:run:SCT-A', platform: 'slack', workspaceId: 'T01', channelId: 'C1', threadRef: '1700.1' });
      const linked = await listIncidentOrders(db, 'IM2026001');
      expect(linked.map((o) => [nativeOf(o.runId), o.linkedByIamUser]).sort()).toEqual([
        ['SCT-A', 'alice'],
        ['SCT-B', 'carol'],
      ]);
      expect(await listIncidentOrders(db, 'IM-other')).toEqual([]);
    });

    it('claims a request that creates something once', async () => {
      const db = fixture.db;
      expect(await claimIncidentRequest(db, 'announce:IM1', 'IM1')).toEqual({ claimed: true });
      const second = await claimIncidentRequest(db, 'announce:IM1', 'IM1');
      expect(second).toMatchObject({ claimed: false, existing: { state: 'sending', incidentNum: 'IM1' } });
      await finishIncidentRequest(db, 'announce:IM1', 'done');
      expect(await claimIncidentRequest(db, 'announce:IM1')).toMatchObject({ claimed: false, existing: { state: 'done' } });
      await dropIncidentRequest(db, 'announce:IM1');
      expect((await claimIncidentRequest(db, 'announce:IM1')).claimed).toBe(false);
      await claimIncidentRequest(db, 'create:x');
      await dropIncidentRequest(db, 'create:x');
      expect((await claimIncidentRequest(db, 'create:x')).claimed).toBe(true);
    });
  });
}
