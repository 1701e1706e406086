import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  claimIncidentChannel,
  constraintOf,
  deleteIdentityMapping,
  deleteSetting,
  getApproval,
  getIdentityMapping,
  getSetting,
  getTrackedOrder,
  insertApproval,
  insertAuditEvent,
  insertTrackedOrder,
  isCheckViolation,
  leaseTrackedOrder,
  recordTrackedOrderStates,
  isUniqueViolation,
  listAuditEvents,
  listIdentityMappings,
  replaceConfigIdentityMappings,
  setSetting,
  updateApprovalIfVersion,
  upsertIdentityMapping,
  type NewApproval,
} from '../src/store/index.js';
import { announceSkip, storeLegs, useCleanStore } from './helpers/store-legs.js';
import {
  abandonExecutionCard,
  finishTrackedExecution,
  getTrackedExecution,
  insertExecutionCard,
  insertTrackedExecution,
  leaseTrackedExecution,
  leaseTrackedExecutions,
  listLiveExecutionCards,
  recordExecutionCardShown,
  reopenTrackedExecution,
} from '../src/store/tracked-executions.js';

const alice = { platform: 'slack', workspaceId: 'T01', platformUserId: 'U_ALICE' } as const;
const bob = { platform: 'slack', workspaceId: 'T01', platformUserId: 'U_BOB' } as const;

function approvalRequest(overrides: Partial<NewApproval> = {}): NewApproval {
  return {
    platform: 'slack',
    workspaceId: 'T01',
    requesterChatUserId: 'U_ALICE',
    requesterIamUser: 'alice',
    scriptId: 'coc:script:SC2024-0001',
    scriptName: 'restart-nginx',
    scriptContentHash: 'sha256:abc',
    scriptModifiedAt: 1_732_300_000_123,
    plan: { hosts: ['i-1', 'i-2'], batches: [['i-1'], ['i-2']], params: { token: '***' } },
    expiresAt: new Date(Date.now() + 30 * 60_000),
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

for (const leg of storeLegs) {
  announceSkip(leg, 'store-repositories');
  describe.skipIf(leg.skipReason !== undefined)(`repositories on ${leg.name}`, () => {
    const fixture = useCleanStore(leg);

    describe('identity mappings', () => {
      it('allows one mapping per platform, workspace and user', async () => {
        const db = fixture.db;
        const insert = `INSERT INTO identity_mappings (platform, workspace_id, platform_user_id, iam_user_name, role)
                        VALUES ('slack', 'T01', 'U_ALICE', $1, 'operator')`;
        await db.query(insert, ['alice']);
        const error = await rejection(db.query(insert, ['mallory']));
        expect(isUniqueViolation(error)).toBe(true);
        expect(constraintOf(error)).toBe('identity_mappings_chat_user_key');
        // The same user id in another workspace is another person.
        await upsertIdentityMapping(db, { ...alice, workspaceId: 'T02', iamUserName: 'alice2', role: 'viewer' });
        expect(await listIdentityMappings(db)).toHaveLength(2);
      });

      it('rejects an unknown role', async () => {
        const db = fixture.db;
        const error = await rejection(
          db.query(`INSERT INTO identity_mappings (platform, workspace_id, platform_user_id, iam_user_name, role)
                    VALUES ('slack', 'T01', 'U1', 'x', 'superuser')`),
        );
        expect(isCheckViolation(error)).toBe(true);
      });

      it('upserts, reads and deletes', async () => {
        const db = fixture.db;
        const created = await upsertIdentityMapping(db, { ...alice, iamUserName: 'alice', role: 'operator' });
        expect(created).toMatchObject({ ...alice, iamUserName: 'alice', role: 'operator', locale: null, source: 'admin' });
        const updated = await upsertIdentityMapping(db, {
          ...alice,
          iamUserName: 'alice',
          iamUserId: 'u-123',
          role: 'approver',
          locale: 'zh-CN',
          cocCredentialRef: 'vault:ops/alice',
        });
        expect(updated.id).toBe(created.id);
        expect(updated.createdAt).toEqual(created.createdAt);
        expect(updated).toMatchObject({ role: 'approver', locale: 'zh-CN', iamUserId: 'u-123' });
        expect(await getIdentityMapping(db, alice)).toEqual(updated);
        expect(await deleteIdentityMapping(db, alice)).toBe(true);
        expect(await deleteIdentityMapping(db, alice)).toBe(false);
        expect(await getIdentityMapping(db, alice)).toBeUndefined();
      });

      it('replaces the configured mappings and keeps the ones added from chat', async () => {
        const db = fixture.db;
        await upsertIdentityMapping(db, { ...bob, iamUserName: 'bob', role: 'admin' });
        await db.transaction((tx) =>
          replaceConfigIdentityMappings(tx, [
            { ...alice, iamUserName: 'alice', role: 'operator' },
            { platform: 'discord', workspaceId: 'G1', platformUserId: '42', iamUserName: 'carol', role: 'viewer' },
          ]),
        );
        const second = await db.transaction((tx) =>
          replaceConfigIdentityMappings(tx, [{ ...alice, iamUserName: 'alice', role: 'approver' }]),
        );
        expect(second).toEqual({ upserted: 1, deleted: 1 });
        const rows = await listIdentityMappings(db);
        expect(rows.map((r) => [r.iamUserName, r.role, r.source])).toEqual([
          ['alice', 'approver', 'config'],
          ['bob', 'admin', 'admin'],
        ]);
        await db.transaction((tx) => replaceConfigIdentityMappings(tx, []));
        expect((await listIdentityMappings(db)).map((r) => r.iamUserName)).toEqual(['bob']);
      });
    });

    describe('approvals', () => {
      it('accepts only the known states', async () => {
        const db = fixture.db;
        const { approval } = await insertApproval(db, approvalRequest());
        expect(approval).toMatchObject({ state: 'requested', version: 1, scriptModifiedAt: 1_732_300_000_123 });
        const error = await rejection(db.query(`UPDATE approvals SET state = 'maybe' WHERE id = $1`, [approval.id]));
        expect(isCheckViolation(error)).toBe(true);
        expect(constraintOf(error)).toBe('approvals_state_check');
      });

      it('refuses an approval by the requester, whatever the letter case', async () => {
        const db = fixture.db;
        const { approval } = await insertApproval(db, approvalRequest());
        const error = await rejection(
          updateApprovalIfVersion(db, approval.id, approval.version, {
            state: 'approved',
            approverChatUserId: 'U_ALICE_ALT',
            approverIamUser: 'Alice',
            decidedAt: new Date(),
          }),
        );
        expect(constraintOf(error)).toBe('approvals_four_eyes');
      });

      it('refuses an approved state without who decided and when', async () => {
        const db = fixture.db;
        const { approval } = await insertApproval(db, approvalRequest());
        const error = await rejection(updateApprovalIfVersion(db, approval.id, approval.version, { state: 'approved' }));
        expect(constraintOf(error)).toBe('approvals_decision_recorded');
      });

      it('lets only one of two concurrent decisions win', async () => {
        const db = fixture.db;
        const { approval } = await insertApproval(db, approvalRequest());
        const decide = (state: 'approved' | 'rejected') =>
          updateApprovalIfVersion(db, approval.id, approval.version, {
            state,
            approverChatUserId: 'U_BOB',
            approverIamUser: 'bob',
            decidedAt: new Date(),
          });
        const [first, second] = await Promise.all([decide('approved'), decide('rejected')]);
        const winners = [first, second].filter((row) => row !== undefined);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.version).toBe(2);
        expect((await getApproval(db, approval.id))?.state).toBe(winners[0]?.state);
      });

      it('records the execution once', async () => {
        const db = fixture.db;
        const { approval } = await insertApproval(db, approvalRequest());
        const approved = await updateApprovalIfVersion(db, approval.id, 1, {
          state: 'approved',
          approverChatUserId: 'U_BOB',
          approverIamUser: 'bob',
          decidedAt: new Date(),
        });
        const executed = await updateApprovalIfVersion(db, approval.id, approved!.version, {
          state: 'executed',
          runId: 'coc:run:EX-1',
        });
        expect(executed).toMatchObject({ state: 'executed', runId: 'coc:run:EX-1', version: 3, approverIamUser: 'bob' });
        const { approval: other } = await insertApproval(db, approvalRequest());
        const error = await rejection(
          db.query(`UPDATE approvals SET run_id = 'coc:run:EX-1' WHERE id = $1`, [other.id]),
        );
        expect(constraintOf(error)).toBe('approvals_run_id_key');
      });

      it('files a request once per idempotency key', async () => {
        const db = fixture.db;
        const first = await insertApproval(db, approvalRequest({ idempotencyKey: 'slack:T01:trigger-1' }));
        const again = await insertApproval(db, approvalRequest({ idempotencyKey: 'slack:T01:trigger-1' }));
        expect(first.created).toBe(true);
        expect(again).toEqual({ approval: first.approval, created: false });
      });

      it('refuses an expiry before creation', async () => {
        const db = fixture.db;
        const error = await rejection(insertApproval(db, approvalRequest({ expiresAt: new Date(Date.now() - 1000) })));
        expect(constraintOf(error)).toBe('approvals_expiry_after_creation');
      });
    });

    describe('audit events', () => {
      it('stores masked parameters and lists newest first, by user and time', async () => {
        const db = fixture.db;
        const base = { platform: 'slack', workspaceId: 'T01', channelId: 'C1', command: 'run' } as const;
        const t0 = new Date('2026-01-01T00:00:00Z');
        await insertAuditEvent(db, {
          ...base,
          chatUserId: 'U_ALICE',
          iamUserName: 'alice',
          target: 'SC-1',
          maskedParameters: { password: '***', hosts: ['i-1'] },
          outcome: 'succeeded',
          requestId: 'req-1',
          occurredAt: t0,
        });
        await insertAuditEvent(db, {
          ...base,
          chatUserId: 'U_BOB',
          iamUserName: 'bob',
          outcome: 'denied',
          error: 'role viewer may not run scripts',
          occurredAt: new Date(t0.getTime() + 1000),
        });
        await insertAuditEvent(db, { platform: 'system', command: 'approval.expire', outcome: 'succeeded' });

        const all = await listAuditEvents(db);
        expect(all.map((e) => e.command)).toEqual(['approval.expire', 'run', 'run']);
        const alices = await listAuditEvents(db, { iamUserName: 'alice' });
        expect(alices).toHaveLength(1);
        expect(alices[0]).toMatchObject({
          maskedParameters: { password: '***', hosts: ['i-1'] },
          occurredAt: t0,
          requestId: 'req-1',
        });
        const bobs = await listAuditEvents(db, { chatUser: { platform: 'slack', workspaceId: 'T01', chatUserId: 'U_BOB' } });
        expect(bobs.map((e) => e.outcome)).toEqual(['denied']);
        const window = await listAuditEvents(db, { since: t0, before: new Date(t0.getTime() + 1000) });
        expect(window.map((e) => e.iamUserName)).toEqual(['alice']);
        expect(await listAuditEvents(db, { limit: 1 })).toHaveLength(1);
      });

      it('is append-only', async () => {
        const db = fixture.db;
        const event = await insertAuditEvent(db, { platform: 'shell', chatUserId: 'me', command: 'whoami', outcome: 'succeeded' });
        await expect(db.query(`UPDATE audit_events SET outcome = 'failed' WHERE id = $1`, [event.id])).rejects.toThrow(
          /append-only/,
        );
      });

      it('requires a chat user unless the bot acted by itself', async () => {
        const db = fixture.db;
        const error = await rejection(insertAuditEvent(db, { platform: 'slack', command: 'run', outcome: 'failed' }));
        expect(constraintOf(error)).toBe('audit_events_actor_known');
      });
    });

    describe('tracked orders, incident channels and settings', () => {
      it('tracks an order once and keeps lease owner and expiry together', async () => {
        const db = fixture.db;
        const order = { runId: 'coc:run:EX-9', platform: 'discord', workspaceId: 'G1', channelId: 'C9' } as const;
        const first = await insertTrackedOrder(db, { ...order, messageRef: 'M1' });
        const second = await insertTrackedOrder(db, { ...order, messageRef: 'M2' });
        expect(second).toEqual(first);
        expect(await getTrackedOrder(db, 'coc:run:EX-9')).toMatchObject({ messageRef: 'M1', finalPosted: false, leaseOwner: null });
        const error = await rejection(db.query(`UPDATE tracked_orders SET lease_owner = 'replica-a' WHERE run_id = 'coc:run:EX-9'`));
        expect(constraintOf(error)).toBe('tracked_orders_lease_complete');
      });

      it('records what a round read of many orders in one statement, only for the orders the replica leases', async () => {
        const db = fixture.db;
        const runs = ['coc:run:EX-1', 'coc:run:EX-2', 'coc:run:EX-3'] as const;
        for (const runId of runs) await insertTrackedOrder(db, { runId, platform: 'slack', workspaceId: 'T01', channelId: 'C1' });
        const now = new Date('2026-01-01T00:00:00.000Z');
        for (const runId of runs.slice(0, 2)) await leaseTrackedOrder(db, runId, { owner: 'replica-a', now, leaseMs: 60_000 });
        const failingSince = new Date('2026-01-01T00:00:05.000Z');
        await recordTrackedOrderStates(db, 'replica-a', [
          { runId: runs[0], lastStatus: 'PAUSE', backendFailingSince: null },
          { runId: runs[1], lastStatus: 'PROCESSING', backendFailingSince: failingSince },
          { runId: runs[2], lastStatus: 'FINISHED', backendFailingSince: null },
        ]);
        expect(await getTrackedOrder(db, runs[0])).toMatchObject({ lastStatus: 'PAUSE', backendFailingSince: null });
        expect(await getTrackedOrder(db, runs[1])).toMatchObject({ lastStatus: 'PROCESSING', backendFailingSince: failingSince });
        // Not leased by replica-a: left as it was.
        expect(await getTrackedOrder(db, runs[2])).toMatchObject({ lastStatus: null, backendFailingSince: null });
      });

      it('tracks a runbook execution once, one card per place, leased by one replica at a time', async () => {
        const db = fixture.db;
        const execution = 'coc:execution:EXE-1';
        const now = new Date('2026-03-14T09:30:00Z');
        await insertTrackedExecution(db, execution);
        await insertTrackedExecution(db, execution);
        const place = { executionId: execution, platform: 'slack', workspaceId: 'T01', channelId: 'C1', locale: 'en-US' } as const;
        const first = await insertExecutionCard(db, place);
        const second = await insertExecutionCard(db, { ...place, locale: 'zh-CN' });
        expect(first.created).toBe(true);
        expect(second).toEqual({ card: first.card, created: false });
        // A's lease keeps B out until it expires.
        expect(await leaseTrackedExecution(db, execution, { owner: 'a', now, leaseMs: 30_000 })).toMatchObject({ executionId: execution });
        expect(await leaseTrackedExecutions(db, { owner: 'b', now, leaseMs: 30_000, limit: 10 })).toEqual([]);
        expect(await leaseTrackedExecutions(db, { owner: 'b', now: new Date(now.getTime() + 31_000), leaseMs: 30_000, limit: 10 })).toHaveLength(1);
        // Tracking ends only once no card is live, and only for the lease holder.
        expect(await finishTrackedExecution(db, execution, 'b')).toBe(false);
        expect(await recordExecutionCardShown(db, first.card.id, { hash: 'h', at: now, messageRef: 'M1', final: true })).toBe(true);
        expect(await recordExecutionCardShown(db, first.card.id, { hash: 'h2', at: now, final: false })).toBe(false);
        expect(await finishTrackedExecution(db, execution, 'a')).toBe(false);
        expect(await finishTrackedExecution(db, execution, 'b')).toBe(true);
        expect(await getTrackedExecution(db, execution)).toMatchObject({ ended: true, leaseOwner: null, leaseExpiresAt: null });
        // A card given up before it was ever posted is tried afresh when asked for again; a posted one is kept.
        const elsewhere = await insertExecutionCard(db, { ...place, channelId: 'C2' });
        expect(await abandonExecutionCard(db, elsewhere.card.id)).toBe(true);
        expect(await abandonExecutionCard(db, elsewhere.card.id)).toBe(false);
        const revived = await insertExecutionCard(db, { ...place, channelId: 'C2' });
        expect(revived).toMatchObject({ created: true, card: { id: elsewhere.card.id, cardState: 'live' } });
        await reopenTrackedExecution(db, execution);
        expect((await listLiveExecutionCards(db, [execution])).map((card) => card.channelId)).toEqual(['C2']);
        const error = await rejection(db.query(`UPDATE tracked_executions SET lease_owner = 'a' WHERE execution_id = $1`, [execution]));
        expect(constraintOf(error)).toBe('tracked_executions_lease_complete');
      });

      it('gives an incident one channel per workspace, first claim wins', async () => {
        const db = fixture.db;
        const key = { platform: 'slack', workspaceId: 'T01', incidentNum: 'IM2026' } as const;
        const first = await claimIncidentChannel(db, { ...key, channelId: 'C_A' });
        const second = await claimIncidentChannel(db, { ...key, channelId: 'C_B' });
        expect(first.claimed).toBe(true);
        expect(second).toEqual({ channel: first.channel, claimed: false });
      });

      it('stores settings as JSON checked on read', async () => {
        const db = fixture.db;
        await setSetting(db, 'discord.commands.hash', { hash: 'abc', at: 1 });
        await setSetting(db, 'discord.commands.hash', { hash: 'def', at: 2 });
        const shape = z.object({ hash: z.string(), at: z.number() });
        expect(await getSetting(db, 'discord.commands.hash', shape)).toEqual({ hash: 'def', at: 2 });
        await expect(getSetting(db, 'discord.commands.hash', z.string())).rejects.toThrow(/wrong shape/);
        expect(await deleteSetting(db, 'discord.commands.hash')).toBe(true);
        expect(await getSetting(db, 'discord.commands.hash', shape)).toBeUndefined();
      });
    });
  });
}
