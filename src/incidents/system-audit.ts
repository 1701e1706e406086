/**
 * What the bot does by itself about incidents (open a place for an incident found in COC,
 * stop watching one that completed or disappeared) goes to the audit trail as platform
 * 'system', like the rest of its background work.
 */
import type { Queryable } from '../store/db.js';
import { insertAuditEvent } from '../store/audit-events.js';
import type { IncidentChannelKey } from '../store/incident-channels.js';

export async function auditPlaceClosed(db: Queryable, key: IncidentChannelKey, why: 'completed' | 'gone'): Promise<void> {
  await insertAuditEvent(db, {
    platform: 'system',
    workspaceId: key.workspaceId,
    command: 'incident watching ended',
    target: key.incidentNum,
    maskedParameters: { platform: key.platform, why },
    outcome: 'succeeded',
  });
}

export async function auditAnnounced(db: Queryable, incidentNum: string, places: readonly { platform: string; workspaceId: string; ok: boolean }[]): Promise<void> {
  const failed = places.filter((place) => !place.ok);
  await insertAuditEvent(db, {
    platform: 'system',
    command: 'incident announced',
    target: incidentNum,
    maskedParameters: { places: places.map((place) => `${place.platform}:${place.workspaceId}${place.ok ? '' : ' (failed)'}`) },
    outcome: failed.length === places.length && places.length > 0 ? 'failed' : 'succeeded',
  });
}
