/**
 * A simulated world as JSON and back: what changes while the simulator runs (orders with their
 * instances and planned outcomes, incidents, WarRooms, alarms reported and the alarm centre's
 * alarms with their handlings, change tickets with their histories, scripts, hosts added or
 * synced, the id counters). The alarm centre and the change tickets are seeded on first use:
 * a file written before anyone read them holds none, and they are seeded after the restore. What the seed builds and never changes (regions, public scripts, patch
 * reports, IAM users) is built again from the seed, so a file only fits a world of its own seed.
 *
 * Sensitive values are never written: a script's sensitive defaults, and the values an order
 * gave its sensitive parameters, are saved as `******`. On restore a seeded script gets its seeded
 * default back (so the seeded world stays usable); a created script, and a restored run, keep
 * `******` in their place.
 */
import { z } from 'zod';
import type { IdCounters } from '../ids.js';
import type { Alarm, ExecInstance, Host, Incident, Order, OrderBatch, Script, WarRoom } from './model.js';
import { plannedRun, type ResolvedParam, type RunContext, type RunFailure } from './script-logs.js';
import type { World } from './world.js';
import type { ManagedAlarm } from './alarms.js';
import { restoreChanges, savedChanges, type ChangeTicketState } from './changes.js';

export const WORLD_FILE_FORMAT = 'coc-simulator-world';
export const WORLD_FILE_VERSION = 1;
const MASK = '******';

type SavedContext = Omit<RunContext, 'host'> & { readonly hostId: string };

interface SavedInstance extends Omit<ExecInstance, 'host' | 'run'> {
  readonly hostId: string;
  readonly run: { readonly succeeds: boolean; readonly header: string; readonly failure: RunFailure | null; readonly context: SavedContext | null };
}

interface SavedOrder extends Omit<Order, 'batches'> {
  readonly batches: readonly (Omit<OrderBatch, 'instances'> & { readonly instances: readonly SavedInstance[] })[];
}

/** The file's envelope is checked; the records inside are the simulator's own, written by `worldToJson`. */
const worldFileSchema = z.object({
  format: z.literal(WORLD_FILE_FORMAT),
  version: z.literal(WORLD_FILE_VERSION),
  seed: z.number().int(),
  savedAt: z.number(),
  ids: z.object({ scriptId: z.number().int().min(1), orderId: z.number().int().min(1), instanceId: z.number().int().min(1) }),
  hosts: z.array(z.object({ id: z.string(), resourceId: z.string() }).loose()),
  unsyncedHosts: z.array(z.object({ id: z.string(), resourceId: z.string() }).loose()),
  scripts: z.array(z.object({ scriptUuid: z.string() }).loose()),
  orders: z.array(z.object({ executeUuid: z.string(), orderId: z.number().int(), batches: z.array(z.object({ instances: z.array(z.object({ hostId: z.string() }).loose()) }).loose()) }).loose()),
  incidents: z.array(z.object({ incidentNum: z.string() }).loose()),
  warRooms: z.array(z.object({ id: z.string() }).loose()),
  alarms: z.array(z.object({ alarmId: z.string() }).loose()),
  // Optional: a file written before these were kept still restores (they are seeded afresh then).
  managedAlarms: z.array(z.object({ id: z.string(), handlings: z.array(z.object({}).loose()) }).loose()).optional(),
  changeTickets: z.object({ seq: z.number().int().min(0), tickets: z.array(z.object({ ticketId: z.string(), history: z.array(z.object({}).loose()) }).loose()) }).optional(),
});
export type WorldFile = z.infer<typeof worldFileSchema>;

/** Why a file could not be used: the simulator then starts a fresh world and says so. */
export class WorldFileUnusable extends Error {}

function maskedParams(params: readonly ResolvedParam[]): ResolvedParam[] {
  return params.map((param) => (param.sensitive ? { ...param, value: MASK } : param));
}

function savedInstance(instance: ExecInstance): SavedInstance {
  const { host, run, ...rest } = instance;
  const decided = run.decided;
  const context = decided ? (({ host: _host, ...kept }) => ({ ...kept, params: maskedParams(kept.params), hostId: host.id }))(decided.context) : null;
  return { ...rest, hostId: host.id, run: { succeeds: run.succeeds, header: run.header, failure: decided?.failure ?? null, context } };
}

function savedScript(script: Script): Script {
  return { ...script, params: script.params.map((param) => (param.sensitive ? { ...param, param_value: MASK } : param)) };
}

/** A saved script's masked defaults, given back from the seed's own script of that uuid where it has one. */
function restoredScript(saved: Script, seeded: Script | undefined): Script {
  const seededValue = new Map((seeded?.params ?? []).filter((param) => param.sensitive).map((param) => [param.param_name, param.param_value]));
  return {
    ...saved,
    params: saved.params.map((param) => {
      const value = param.sensitive && param.param_value === MASK ? seededValue.get(param.param_name) : undefined;
      return value === undefined ? param : { ...param, param_value: value };
    }),
  };
}

function savedOrder(order: Order, scripts: ReadonlyMap<string, Script>): SavedOrder {
  // Sensitive by the script's definition (even before any instance was planned) or by a planned run.
  const sensitive = new Set([
    ...(scripts.get(order.script.uuid)?.params ?? []).filter((param) => param.sensitive).map((param) => param.param_name),
    ...order.batches.flatMap((batch) => batch.instances.flatMap((instance) => (instance.run.decided?.context.params ?? []).filter((p) => p.sensitive).map((p) => p.name))),
  ]);
  const scriptParams = order.executeParam.script_params?.map((param) => (sensitive.has(param.param_name) && param.param_value !== undefined ? { ...param, param_value: MASK } : param));
  return {
    ...order,
    executeParam: { ...order.executeParam, ...(scriptParams ? { script_params: scriptParams } : {}) },
    batches: order.batches.map((batch) => ({ ...batch, instances: batch.instances.map(savedInstance) })),
  };
}

/** The world's changing part, ready for JSON.stringify. */
export function worldToJson(world: World, savedAt: number): WorldFile {
  const counters: IdCounters = world.ids.counters();
  const managed = world.alarms.managedSaved();
  const changes = savedChanges(world);
  return {
    format: WORLD_FILE_FORMAT,
    version: WORLD_FILE_VERSION,
    seed: world.seed,
    savedAt,
    ids: counters,
    hosts: [...world.hosts],
    unsyncedHosts: [...world.unsynced],
    scripts: [...world.scripts.values()].map(savedScript),
    orders: world.orders.all().map((order) => savedOrder(order, world.scripts)),
    incidents: [...world.incidents.all()],
    warRooms: [...world.warRooms.all()],
    alarms: [...world.alarms.all()],
    ...(managed ? { managedAlarms: [...managed] } : {}),
    ...(changes ? { changeTickets: { seq: changes.seq, tickets: [...changes.tickets] } } : {}),
  } as unknown as WorldFile;
}

/** The file's text as a world file of `seed`; throws WorldFileUnusable saying why not. */
export function parseWorldFile(text: string, seed: number): WorldFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WorldFileUnusable('the file is not JSON');
  }
  const parsed = worldFileSchema.safeParse(json);
  if (!parsed.success) throw new WorldFileUnusable(`the file is not a saved simulator world of version ${WORLD_FILE_VERSION}`);
  if (parsed.data.seed !== seed) throw new WorldFileUnusable(`the file holds a world of seed ${parsed.data.seed}, not ${seed}`);
  return parsed.data;
}

/**
 * Puts a saved world into a world freshly built from the same seed. Orders that were running go
 * on at the next tick; new ids never repeat saved ones. Throws WorldFileUnusable when a record
 * names what the world does not have (the file was edited or is from another build).
 */
export function restoreWorld(world: World, file: WorldFile, streamSeed: number): void {
  world.restoreHosts(file.hosts as unknown as Host[], file.unsyncedHosts as unknown as Host[]);
  const hostById = new Map<string, Host>([...world.hosts, ...world.unsynced].map((host) => [host.id, host]));
  const hostOf = (id: string): Host => {
    const host = hostById.get(id);
    if (!host) throw new WorldFileUnusable(`an order names host ${id}, which the world does not have`);
    return host;
  };
  const orders = (file.orders as unknown as SavedOrder[]).map(
    (saved): Order => ({
      ...saved,
      batches: saved.batches.map((batch) => ({
        ...batch,
        instances: batch.instances.map(({ hostId, run, ...instance }): ExecInstance => {
          const host = hostOf(hostId);
          const context = run.context ? (({ hostId: _id, ...kept }) => ({ ...kept, host }))(run.context) : undefined;
          return {
            ...instance,
            host,
            run: context ? plannedRun(context, run.failure ?? undefined) : { succeeds: run.succeeds, header: run.header, finalLog: () => run.header },
          };
        }),
      })),
    }),
  );
  const seededScripts = new Map(world.scripts);
  world.scripts.clear();
  for (const script of file.scripts as unknown as Script[]) world.scripts.set(script.scriptUuid, restoredScript(script, seededScripts.get(script.scriptUuid)));
  world.orders.replaceAll(orders);
  world.incidents.replaceAll(file.incidents as unknown as Incident[]);
  world.warRooms.replaceAll(file.warRooms as unknown as WarRoom[]);
  world.alarms.replaceAll(file.alarms as unknown as Alarm[]);
  if (file.managedAlarms) world.alarms.restoreManaged(file.managedAlarms as unknown as ManagedAlarm[]);
  if (file.changeTickets) restoreChanges(world, file.changeTickets as unknown as { seq: number; tickets: ChangeTicketState[] });
  world.ids.resume(file.ids, streamSeed);
}
