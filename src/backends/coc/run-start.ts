/**
 * COC's side of starting a run: the execute request built from a neutral ExecutionRequest and
 * checked against COC's own schema, the call itself (a custom script's route, or a public
 * script's: same body, same answer, coc-api-notes §2.6), and — when its answer was lost — the
 * search of COC's order list for the order it created.
 *
 * COC gives no idempotency key, so an order is recognised by what was sent: created in the
 * window since the request was sent, the same script, and exactly the same hosts in the same
 * batches (resource ids, batch by batch). An order another plan already holds is never taken
 * (the caller's `takenByOther` answers), so two identical runs whose answers were both lost each
 * get their own order.
 */
import type { CocClient } from '../../coc/client.js';
import { BackendInputError } from '../errors.js';
import { ORDER_OPERATIONS } from '../../coc/api/orders.js';
import { ScriptExecuteRequest, type ScriptOrderListItem } from '../../coc/schemas/orders.js';
import type { CallOptions } from '../backend.js';
import { nativeOf, parseId, type RunId, makeId } from '../ids.js';
import type { BackendOperation } from '../observe.js';
import type { ExecutionRequest, FindOutcome, FindQuery } from '../types/runs.js';
import { mapped } from './errors.js';

/** COC's clock and ours may differ: the window opens this much before the request was sent. */
export const CLOCK_SKEW_MS = 5 * 60_000;
const PAGE = 100;
/** Orders created in the window read at most (a busy tenant); beyond it the outcome stays unknown. */
const MAX_CANDIDATES = 500;
/** Hosts read per batch page (COC's maximum). */
const BATCH_PAGE = 50;

/** The operation a custom-script start is recorded under in the audit trail. */
export const COC_START_OPERATION: BackendOperation = { backend: 'coc', method: ORDER_OPERATIONS.execute.method, route: ORDER_OPERATIONS.execute.route, write: true };
/** The operation a public-script start is recorded under (its own route, coc-api-notes §2.6). */
export const COC_PUBLIC_START_OPERATION: BackendOperation = {
  backend: 'coc',
  method: ORDER_OPERATIONS.executePublic.method,
  route: ORDER_OPERATIONS.executePublic.route,
  write: true,
};

/** Whether the script is one of COC's public (built-in) scripts, started through their own route. */
function isPublic(scriptId: string): boolean {
  return parseId(scriptId)?.kind === 'public-script';
}

/**
 * The operation a start of this script is sent (and so recorded in the audit trail) as: recovery
 * and reconciliation look for the intent rows of exactly this operation.
 */
export function cocStartOperationFor(scriptId: string): BackendOperation {
  return isPublic(scriptId) ? COC_PUBLIC_START_OPERATION : COC_START_OPERATION;
}

/** The execute request's body exactly as COC gets it. */
export function cocExecuteBody(request: ExecutionRequest) {
  return {
    execute_param: {
      timeout: request.timeoutSeconds,
      success_rate: request.successRate,
      execute_user: request.runAs,
      script_params: Object.entries(request.params).map(([param_name, param_value]) => ({ param_name, param_value })),
    },
    execute_batches: request.batches.map((batch) => ({
      batch_index: batch.index,
      rotation_strategy: batch.rotation,
      target_instances: batch.hosts.map((host) => ({ resource_id: nativeOf(host.id), region_id: host.region ?? '' })),
    })),
  };
}

/** What COC would refuse in `request` by its own schema, without sending it (its first problem, as COC's client reports it). */
export function cocCheck(request: ExecutionRequest): readonly { readonly path: string; readonly message: string }[] {
  const checked = ScriptExecuteRequest.safeParse(cocExecuteBody(request));
  if (checked.success) return [];
  return checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Sends the execute request once (never retried); the order's id, or a neutral error (refused or unknown). */
export async function cocStart(client: CocClient, request: ExecutionRequest, options: CallOptions = {}): Promise<RunId> {
  const body = cocExecuteBody(request);
  const scriptUuid = nativeOf(request.script.id);
  const callOptions = {
    ...(request.sensitive ? { sensitiveParams: request.sensitive } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Each kind has its own execute route; recovery finds the intent under `cocStartOperationFor`,
  // and reconciliation matches the order's script uuid, whichever route created it.
  const kind = parseId(request.script.id)?.kind;
  if (kind !== 'script' && kind !== 'public-script') {
    throw new BackendInputError('not a script id', 'coc', COC_START_OPERATION, { problems: [{ path: 'script', message: 'must be a custom or a public script' }] }, false);
  }
  const executeUuid = await mapped(() =>
    kind === 'public-script' ? client.executePublicScript(scriptUuid, body, callOptions) : client.executeScript(scriptUuid, body, callOptions),
  );
  return makeId('coc', 'run', executeUuid);
}

/** Reads COC's order list in the request's window and returns its order, if COC has it. */
export async function cocFind(client: CocClient, query: FindQuery): Promise<FindOutcome> {
  const candidates: ScriptOrderListItem[] = [];
  let marker: number | undefined;
  const sent = query.sentAt.getTime();
  // COC creates the order while it handles the request: not later than the request's own timeout.
  const window = { start_time: sent - CLOCK_SKEW_MS, end_time: sent + query.windowMs + CLOCK_SKEW_MS };
  for (;;) {
    const page = await mapped(() => client.listScriptOrders({ ...window, limit: PAGE, ...(marker !== undefined ? { marker } : {}) }));
    const rows = page.data ?? [];
    candidates.push(...rows);
    if (candidates.length > MAX_CANDIDATES) return { kind: 'too-many', candidates: candidates.length };
    const last = rows.at(-1)?.order_id;
    if (rows.length < PAGE || last === undefined || last === null) break;
    marker = last;
  }
  for (const candidate of candidates) {
    const id = makeId('coc', 'run', candidate.execute_uuid);
    if (await matches(client, query, id)) return { kind: 'found', id };
  }
  return { kind: 'absent', candidates: candidates.length };
}

/** Same script, same hosts in the same batches, and not another plan's order. */
async function matches(client: CocClient, query: FindQuery, id: RunId): Promise<boolean> {
  if (await query.takenByOther(id)) return false;
  const executeUuid = nativeOf(id);
  const order = await mapped(() => client.getScriptOrder(executeUuid));
  if (order.properties?.script_uuid !== nativeOf(query.request.script.id)) return false;
  // An order says which kind of script it ran, where COC fills it in: a public start is never matched to a custom order.
  const source = order.properties?.script_source;
  if (source && (source === 'PUBLIC_SCRIPT') !== isPublic(query.request.script.id)) return false;
  const wanted = query.request.batches;
  const batches = await mapped(() => client.listScriptOrderBatches(executeUuid));
  if (batches.length !== wanted.length) return false;
  for (const batch of wanted) {
    const summary = batches.find((b) => b.batch_index === batch.index);
    if (!summary || (summary.total_instances ?? -1) !== batch.hosts.length) return false;
  }
  for (const batch of wanted) {
    const ids = await resourceIdsOfBatch(client, executeUuid, batch.index);
    const expected = new Set(batch.hosts.map((host) => nativeOf(host.id)));
    if (ids.length !== expected.size || !ids.every((resourceId) => expected.has(resourceId))) return false;
  }
  return true;
}

async function resourceIdsOfBatch(client: CocClient, executeUuid: string, batchIndex: number): Promise<string[]> {
  const ids: string[] = [];
  let marker: number | undefined;
  for (;;) {
    const page = await mapped(() => client.getScriptOrderBatch(executeUuid, batchIndex, { limit: BATCH_PAGE, ...(marker !== undefined ? { marker } : {}) }));
    const instances = page.execute_instances ?? [];
    for (const instance of instances) ids.push(instance.target_instance?.resource_id ?? '');
    if (instances.length < BATCH_PAGE) return ids;
    marker = instances.at(-1)!.id;
  }
}
