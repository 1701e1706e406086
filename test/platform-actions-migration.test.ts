/**
 * Migration 0017 on a store that holds alarm-run approvals filed before it (0016's alarm_runs):
 * each row becomes an approved platform action of kind alarm-run, read through the plan's zod
 * schema, and its approvals row names the new kind — so a request still open keeps its Approve,
 * and one already sent keeps its work order.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations, runMigrations } from '../src/store/migrations.js';
import type { Db } from '../src/store/db.js';
import { getApproval } from '../src/store/approvals.js';
import { getPlatformAction } from '../src/store/platform-actions.js';
import { openUnmigratedInMemory } from './helpers/unmigrated.js';

let db: Db;
beforeAll(async () => {
  db = await openUnmigratedInMemory();
});
afterAll(async () => {
  await db?.close();
});

async function fileAlarmRun(state: 'requested' | 'executed', writeState: 'none' | 'done'): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO approvals (id, state, idempotency_key, platform, workspace_id, requester_chat_user_id, requester_iam_user, backend, script_id, script_name,
       script_content_hash, script_modified_at, plan, channel_id, expires_at, approver_chat_user_id, approver_iam_user, decided_at)
     VALUES ($1, $2, $3, 'shell', 'local', 'alice', 'alice', 'coc', 'coc:script:9f1c', 'rotate_db_password', 'abc', 1700000000000, $4::jsonb, 'cli',
       now() + interval '1 hour', $5, $5, CASE WHEN $2 = 'requested' THEN NULL ELSE now() END)`,
    [id, state, `alarm-run:${id}`, JSON.stringify({ kind: 'alarm-run', alarm: 'coc:alarm:42365dd25534c4bd9388b2bc', approvers: { rule: 'role', reviewers: [] } }), state === 'requested' ? null : 'bob'],
  );
  await db.query(
    `INSERT INTO alarm_runs (approval_id, backend, alarm_id, alarm_title, region, automation, parameters, risk_level, handlings, requester_locale, channel_id, thread_ref, write_state, work_order)
     VALUES ($1, 'coc', 'coc:alarm:42365dd25534c4bd9388b2bc', 'Database password older than 90 days', 'cn-north-4',
       '{"kind": "script", "id": "9f1c", "name": "rotate_db_password", "shared": false}', '{"db_user": "app"}', 'HIGH', 0, 'zh-CN', 'cli', NULL, $2, $3)`,
    [id, writeState, writeState === 'done' ? 'WO1' : null],
  );
  return id;
}

describe('migration 0017: alarm runs become approved platform actions', () => {
  it('moves every alarm_runs row, open ones included, and names the new kind on its request', async () => {
    const all = loadMigrations();
    await runMigrations(db, { migrations: all.filter((migration) => migration.version <= '0016') });
    const open = await fileAlarmRun('requested', 'none');
    const sent = await fileAlarmRun('executed', 'done');
    const report = await runMigrations(db, { migrations: all });
    expect(report.applied).toContain('0017');

    expect(await getPlatformAction(db, open)).toMatchObject({
      kind: 'alarm-run',
      writeState: 'none',
      requesterLocale: 'zh-CN',
      plan: {
        kind: 'alarm-run',
        alarmId: 'coc:alarm:42365dd25534c4bd9388b2bc',
        alarmTitle: 'Database password older than 90 days',
        region: 'cn-north-4',
        automation: { kind: 'script', id: '9f1c', name: 'rotate_db_password', shared: false },
        parameters: { db_user: 'app' },
        risk: 'HIGH',
        handlings: 0,
      },
    });
    expect((await getApproval(db, open))?.plan).toEqual({ kind: 'platform-action', action: 'alarm-run', alarm: 'coc:alarm:42365dd25534c4bd9388b2bc', approvers: { rule: 'role', reviewers: [] } });
    expect(await getPlatformAction(db, sent)).toMatchObject({ writeState: 'done', result: 'WO1' });
    expect((await getApproval(db, sent))?.state).toBe('executed');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'alarm_runs'`);
    expect(rows[0]).toEqual({ n: 0 });
  });
});
