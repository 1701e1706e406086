/**
 * Live cards that could not be posted: closed once (never retried), revived when asked for again
 * where they were given up, and asked whether a card was given up unposted.
 */
import type { RunId } from '../backends/index.js';
import type { Queryable } from './db.js';

/** Closes the card unless it is closed already; true for the one caller that closed it. */
export async function abandonUndeliveredCard(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_order_cards SET final_state = 'abandoned', updated_at = now() WHERE id = $1 AND final_state NOT IN ('done', 'abandoned')`,
    [id],
  );
  return rowCount === 1;
}

/**
 * Asked for again where it was given up unposted (the bot was invited since, say): the card
 * gets a fresh start. True for the one caller that revived it.
 */
export async function reviveUndeliveredCard(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tracked_order_cards SET final_state = 'live', edit_failures = 0, retry_after = NULL, reposted = false, updated_at = now()
     WHERE id = $1 AND final_state = 'abandoned' AND message_ref IS NULL`,
    [id],
  );
  return rowCount === 1;
}

/** Whether the card of this order in this place was given up without ever being posted. */
export async function cardNeverPosted(db: Queryable, run: RunId, place: { readonly platform: string; readonly workspaceId: string; readonly channelId: string; readonly threadId?: string }): Promise<boolean> {
  const { rows } = await db.query<{ abandoned: boolean }>(
    `SELECT final_state = 'abandoned' AND message_ref IS NULL AS abandoned FROM tracked_order_cards
     WHERE run_id = $1 AND platform = $2 AND workspace_id = $3 AND channel_id = $4 AND thread_ref = $5`,
    [run, place.platform, place.workspaceId, place.channelId, place.threadId ?? ''],
  );
  return rows[0]?.abandoned === true;
}
