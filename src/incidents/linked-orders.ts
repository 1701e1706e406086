/**
 * Execution orders that belong to an incident (run from one of its places, or linked by the
 * run command), with their script and status as the platform has them now. `linkOrderToIncident` is
 * what the run command calls when a script is started from an incident's place.
 */
import type { Backend, RunId } from '../backends/index.js';
import type { Queryable } from '../store/db.js';
import { findIncidentChannelByPlace } from '../store/incident-channels.js';
import { insertIncidentOrder, listIncidentOrders } from '../store/incident-orders.js';
import type { ChatPlatform } from '../store/vocabulary.js';
import { readOrder } from '../orders/order-card.js';

export interface LinkedOrder {
  readonly run: RunId;
  /** When it was linked or started tracking (epoch ms). */
  readonly linkedAt: number;
  readonly startedBy: string | null;
  /** Undefined when the platform could not be read just now, or does not know the order. */
  readonly scriptName?: string;
  /** The platform's own status code. */
  readonly status?: string;
}

/** At most this many orders are read from COC for a card or a summary. */
export const MAX_LINKED_ORDERS = 10;

export interface ChatPlaceRef {
  readonly platform: ChatPlatform;
  readonly workspaceId: string;
  readonly channelId: string;
  readonly threadId?: string;
}

/** The incident whose notification place this is, if any. */
export async function incidentOfPlace(db: Queryable, place: ChatPlaceRef): Promise<string | undefined> {
  const row = await findIncidentChannelByPlace(db, { platform: place.platform, workspaceId: place.workspaceId, channelId: place.channelId, threadRef: place.threadId ?? null });
  return row?.incidentNum;
}

/**
 * Links an order to the incident whose place it was started in; does nothing (and returns
 * undefined) when the place belongs to no incident. Returns the incident number otherwise.
 */
export async function linkOrderToIncident(
  db: Queryable,
  order: { readonly run: RunId; readonly place: ChatPlaceRef; readonly startedByIamUser?: string; readonly incidentNum?: string },
): Promise<string | undefined> {
  const incidentNum = order.incidentNum ?? (await incidentOfPlace(db, order.place));
  if (!incidentNum) return undefined;
  await insertIncidentOrder(db, {
    incidentNum,
    runId: order.run,
    platform: order.place.platform,
    workspaceId: order.place.workspaceId,
    channelId: order.place.channelId,
    threadRef: order.place.threadId ?? null,
    linkedByIamUser: order.startedByIamUser ?? null,
  });
  return incidentNum;
}

/** The incident's orders, newest first, each read from the backend (a failed read leaves it without status). */
export async function loadLinkedOrders(db: Queryable, backend: Backend, incidentNum: string): Promise<LinkedOrder[]> {
  const rows = await listIncidentOrders(db, incidentNum, MAX_LINKED_ORDERS);
  return Promise.all(
    rows.map(async (row): Promise<LinkedOrder> => {
      const base = { run: row.runId, linkedAt: row.createdAt.getTime(), startedBy: row.linkedByIamUser };
      try {
        const run = await readOrder(backend, row.runId);
        if (!run) return base;
        const scriptName = run.script.name;
        return { ...base, status: run.status.code, ...(scriptName ? { scriptName } : {}) };
      } catch {
        return base;
      }
    }),
  );
}
