/**
 * A database as version 0010 of the schema left it, with the rows a running bot had in it:
 * what the backend-ids migration (0011) must carry over. Rows are written with the columns and
 * the jsonb shapes of that version (COC's bare execute uuid, script uuid, resourceId/regionId),
 * exactly as the code of that time wrote them.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/store/db.js';
import { loadMigrations, runMigrations } from '../../src/store/migrations.js';
import type { StoreOptions } from '../../src/store/open-store.js';

export const VERSION_BEFORE_BACKEND_IDS = '0010';

export interface OldHost {
  readonly resourceId: string;
  readonly regionId: string;
  readonly name: string;
}

/** Opens the store's database without migrating it, then brings it to 0010 only. */
export async function openAt0010(options: StoreOptions): Promise<Db> {
  const db = options.databaseUrl
    ? await (await import('../../src/store/postgres-driver.js')).openPostgresDb({ databaseUrl: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) })
    : await (await import('../../src/store/pglite-driver.js')).openPgliteDb({ dataDir: options.dataDir ?? 'memory://' });
  const migrations = loadMigrations().filter((migration) => migration.version <= VERSION_BEFORE_BACKEND_IDS);
  await runMigrations(db, { migrations, ...(options.schema ? { schema: options.schema } : {}) });
  return db;
}

const PLACE = { platform: 'shell', workspace_id: 'local' } as const;

export interface OldPlan {
  readonly state: 'started' | 'requested';
  readonly scriptUuid: string;
  readonly scriptName: string;
  readonly risk: string;
  readonly contentHash: string;
  readonly gmtModified: number;
  readonly batches: readonly (readonly OldHost[])[];
  readonly excluded: readonly Record<string, string>[];
  readonly plainParams: Readonly<Record<string, string>>;
  readonly shownParams: Readonly<Record<string, string>>;
  readonly sensitive: readonly string[];
  readonly sealedParams: string | null;
  readonly executeUuid?: string;
  readonly channelId: string;
}

export async function insertOldPlan(db: Db, plan: OldPlan): Promise<string> {
  const id = randomUUID();
  const details = {
    batches: plan.batches.map((hosts, index) => ({ index: index + 1, rotation: 'CONTINUE', hosts })),
    options: { timeout: 300, successRate: 100, executeUser: 'root' },
    sensitive: plan.sensitive,
    shownParams: plan.shownParams,
    plainParams: plan.plainParams,
    excluded: plan.excluded,
    canary: false,
    selection: '--hosts ' + plan.batches.flat().map((h) => h.name).join(','),
    step: plan.risk === 'HIGH' ? 'approval' : 'run',
  };
  await db.query(
    `INSERT INTO run_plans (id, state, platform, workspace_id, channel_id, requester_chat_user_id, requester_iam_user, requester_locale,
       script_uuid, script_name, risk_level, script_content_hash, script_gmt_modified, plan, sealed_params, execute_uuid, execute_sent_at, expires_at)
     VALUES ($1, $2, 'shell', 'local', $3, 'alice', 'alice', 'en-US', $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, now() + interval '1 hour')`,
    [id, plan.state, plan.channelId, plan.scriptUuid, plan.scriptName, plan.risk, plan.contentHash, plan.gmtModified, JSON.stringify(details), plan.sealedParams, plan.executeUuid ?? null, plan.executeUuid ? new Date() : null],
  );
  return id;
}

/** The approval request of a 'requested' plan, as the approvals code of 0010 filed it. */
export async function insertOldApproval(db: Db, planId: string, plan: OldPlan): Promise<string> {
  const id = randomUUID();
  const body = { planId, hosts: plan.batches.flat().map((h) => ({ resourceId: h.resourceId, regionId: h.regionId, name: h.name })), params: plan.shownParams };
  await db.query(
    `INSERT INTO approvals (id, idempotency_key, platform, workspace_id, requester_chat_user_id, requester_iam_user, script_uuid, script_name,
       script_content_hash, script_gmt_modified, plan, reason, channel_id, message_ref, expires_at)
     VALUES ($1, $2, 'shell', 'local', 'alice', 'alice', $3, $4, $5, $6, $7::jsonb, NULL, $8, 'approval-card', now() + interval '1 hour')`,
    [id, `plan:${planId}`, plan.scriptUuid, plan.scriptName, plan.contentHash, plan.gmtModified, JSON.stringify(body), plan.channelId],
  );
  await db.query(`UPDATE run_plans SET approval_id = $2 WHERE id = $1`, [planId, id]);
  return id;
}

/** A watched order with a card already posted in each of `channels` (its first channel is where it was run). */
export async function insertOldLiveCards(db: Db, executeUuid: string, channels: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO tracked_orders (execute_uuid, platform, workspace_id, channel_id, started_by_iam_user, last_status, last_polled_at)
     VALUES ($1, $2, $3, $4, 'alice', 'PROCESSING', now())`,
    [executeUuid, PLACE.platform, PLACE.workspace_id, channels[0]],
  );
  for (const [index, channel] of channels.entries()) {
    await db.query(
      `INSERT INTO tracked_order_cards (execute_uuid, platform, workspace_id, channel_id, message_ref, locale, requester_user_id, last_state_hash, last_edited_at)
       VALUES ($1, $2, $3, $4, $5, 'en-US', 'alice', 'a card as it was before the upgrade', now() - interval '1 hour')`,
      [executeUuid, PLACE.platform, PLACE.workspace_id, channel, `posted-before-${index + 1}`],
    );
  }
}

/** An incident place whose last summary showed `orders` (execute uuid → status), and the order linked to it. */
export async function insertOldIncident(db: Db, incidentNum: string, channelId: string, executeUuid: string, orders: Readonly<Record<string, string | null>>): Promise<void> {
  await db.query(
    `INSERT INTO incident_channels (incident_num, platform, workspace_id, channel_id, last_seen_status, last_summary_at, summary_state)
     VALUES ($1, 'shell', 'local', $2, 'HANDLING', now(), $3::jsonb)`,
    [incidentNum, channelId, JSON.stringify({ status: 'HANDLING', level: 'level2', warRoomId: null, warRoomStatus: null, orders })],
  );
  await db.query(
    `INSERT INTO incident_orders (incident_num, execute_uuid, platform, workspace_id, channel_id, linked_by_iam_user)
     VALUES ($1, $2, 'shell', 'local', $3, 'alice')`,
    [incidentNum, executeUuid, channelId],
  );
}

/** Two rows of the trail: a finished action with COC's request id, and a write still waiting for its outcome. */
export async function insertOldAudit(db: Db, executeUuid: string): Promise<{ finished: string; pending: string }> {
  const finished = await db.query<{ id: string }>(
    `INSERT INTO audit_events (platform, workspace_id, channel_id, chat_user_id, iam_user_name, command, target, masked_parameters, outcome, coc_request_id)
     VALUES ('shell', 'local', 'ops', 'alice', 'alice', 'run', 'disk_usage', $1::jsonb, 'succeeded', 'req-before-upgrade') RETURNING id`,
    [JSON.stringify({ executeUuid, hosts: 1 })],
  );
  const pending = await db.query<{ id: string }>(
    `INSERT INTO audit_events (write_intent, platform, workspace_id, chat_user_id, iam_user_name, command, target, masked_parameters, outcome)
     VALUES (true, 'shell', 'local', 'bob', 'bob', 'coc PUT /v1/job/script/orders/{execute_uuid}/operation', $1, '{"invocation":"order:pause"}', 'pending') RETURNING id`,
    [executeUuid],
  );
  return { finished: finished.rows[0]!.id, pending: pending.rows[0]!.id };
}
