/**
 * What recovery looks for after a stop: rows left behind by whoever wrote them (not touched for
 * longer than any platform request, or before this process took an embedded store). The
 * statements are those recovery always ran; they live here because SQL lives in the store.
 */
import type { Queryable } from './db.js';
import { runPlanRowSchema, type RunPlanRow } from './run-plans.js';
import { columnsOf, parseRows } from './rows.js';

export interface LeftBehind {
  /** A row not touched for this long is left behind whoever wrote it. */
  readonly leftAfterMs: number;
  /** Also left: rows last touched before this instant. */
  readonly leftBefore?: Date;
}

function leftCondition(window: LeftBehind, column: string, first: number): { sql: string; params: unknown[] } {
  return {
    sql: `${column} < greatest(now() - make_interval(secs => $${first}::double precision), $${first + 1}::timestamptz)`,
    params: [window.leftAfterMs / 1000, window.leftBefore ?? new Date(0)],
  };
}

const PLAN_COLUMNS = columnsOf(runPlanRowSchema);

/** Plans left in 'starting' (their outcome is unknown). */
export async function listStartingPlansLeft(db: Queryable, window: LeftBehind, limit: number): Promise<RunPlanRow[]> {
  const left = leftCondition(window, 'updated_at', 1);
  const { rows } = await db.query(`SELECT ${PLAN_COLUMNS} FROM run_plans WHERE state = 'starting' AND ${left.sql} ORDER BY updated_at LIMIT ${limit}`, left.params);
  return parseRows(runPlanRowSchema, 'run_plans', rows);
}

/** Plans whose outcome is unknown, changed within the last `withinHours`. */
export async function listRecentUnknownPlans(db: Queryable, withinHours: number, limit: number): Promise<RunPlanRow[]> {
  const { rows } = await db.query(
    `SELECT ${PLAN_COLUMNS} FROM run_plans
      WHERE state = 'unknown' AND updated_at > now() - make_interval(hours => ${withinHours})
      ORDER BY updated_at LIMIT ${limit}`,
  );
  return parseRows(runPlanRowSchema, 'run_plans', rows);
}

/** Plans left 'requested' with no approval row (no approver can see them). */
export async function listOrphanedRequestedPlans(db: Queryable, window: LeftBehind, limit: number): Promise<RunPlanRow[]> {
  const left = leftCondition(window, 'updated_at', 1);
  const { rows } = await db.query(
    `SELECT ${PLAN_COLUMNS} FROM run_plans WHERE state = 'requested' AND approval_id IS NULL AND ${left.sql} ORDER BY updated_at LIMIT ${limit}`,
    left.params,
  );
  return parseRows(runPlanRowSchema, 'run_plans', rows);
}

/** Open requests whose requester is no longer linked as that IAM user with a role above viewer. */
export async function listRequestsOfUnlinkedRequesters(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM approvals a
      WHERE a.state = 'requested'
        AND NOT EXISTS (
          SELECT 1 FROM identity_mappings m
           WHERE m.platform = a.platform AND m.workspace_id = a.workspace_id AND m.platform_user_id = a.requester_chat_user_id
             AND lower(m.iam_user_name) = lower(a.requester_iam_user) AND m.role <> 'viewer')
      LIMIT ${limit}`,
  );
  return rows.map((row) => row.id);
}

/** Approvals left 'approved', or 'unknown' while their plan has ended. */
export async function listApprovalsLeftUnsettled(db: Queryable, window: LeftBehind, limit: number): Promise<string[]> {
  const left = leftCondition(window, 'a.updated_at', 1);
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM approvals a
      WHERE ${left.sql}
        AND (a.state = 'approved'
             OR (a.state = 'unknown' AND EXISTS (SELECT 1 FROM run_plans p WHERE p.approval_id = a.id AND p.state IN ('started', 'failed', 'canceled', 'expired'))))
      ORDER BY a.updated_at LIMIT ${limit}`,
    left.params,
  );
  return rows.map((row) => row.id);
}

/** Plans started within the last `withinHours` whose run has no live card. */
export async function listStartedPlansWithoutCard(db: Queryable, window: LeftBehind, withinHours: number, limit: number): Promise<string[]> {
  const left = leftCondition(window, 'p.updated_at', 1);
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM run_plans p
      WHERE p.state = 'started' AND p.run_id IS NOT NULL AND ${left.sql}
        AND p.updated_at > now() - make_interval(hours => ${withinHours})
        AND NOT EXISTS (SELECT 1 FROM tracked_orders o WHERE o.run_id = p.run_id)
      ORDER BY p.updated_at LIMIT ${limit}`,
    left.params,
  );
  return rows.map((row) => row.id);
}
