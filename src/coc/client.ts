/**
 * `CocClient`: every COC operation the bot uses, as methods over one connection pool and one
 * set of credentials.
 *
 * ```ts
 * const coc = new CocClient({ endpoint: 'https://coc.myhuaweicloud.com', auth: { kind: 'aksk', ak, sk, projectId } });
 * const executeUuid = await coc.executeScript(scriptUuid, body, { sensitiveParams: ['db_password'] });
 * const order = await coc.getScriptOrder(executeUuid);
 * await coc.close();
 * ```
 *
 * Inputs are checked before anything is sent (CocValidationError). Failures are typed:
 * CocApiError (COC said no), CocNetworkError, CocTimeoutError, CocResponseShapeError,
 * CocAuthError. Only GETs are retried; POST/PUT/DELETE are sent exactly once.
 */
import { createAuthenticator, type CocAuth } from './auth/credentials.js';
import { IamTokenProvider } from './auth/token.js';
import { CocHttp, type AttemptExpiry, type CallOptions, type CocCallEvent, type CocLanguage } from './http.js';
import * as events from './api/events.js';
import * as incidents from './api/incidents.js';
import * as orders from './api/orders.js';
import * as patches from './api/patches.js';
import * as resources from './api/resources.js';
import * as scripts from './api/scripts.js';
import * as warrooms from './api/warrooms.js';
import type { ExecuteOptions } from './api/orders.js';
import type { CustomEventInput } from './schemas/events.js';
import type {
  CreateIncidentInput,
  HandleIncidentInput,
  IncidentActionInput,
  IncidentDetail,
  IncidentHistories,
  IncidentListPage,
  IncidentTasks,
  ListIncidentHistoriesInput,
  ListIncidentsInput,
} from './schemas/incidents.js';
import type {
  ListScriptOrdersInput,
  OperateScriptOrderInput,
  ScriptExecuteInput,
  ScriptOrder,
  ScriptOrderBatch,
  ScriptOrderBatchInput,
  ScriptOrderBatchSummary,
  ScriptOrderListPage,
  ScriptOrderStatistics,
} from './schemas/orders.js';
import type { ListPatchComplianceInput, ListPatchItemsInput, PatchCompliancePage, PatchItemsPage } from './schemas/patches.js';
import type { CountResourcesInput, ListResourcesInput, Resource, SyncResourceAgentsInput, SyncResourcesInput } from './schemas/resources.js';
import type {
  CreateScriptInput,
  ListPublicScriptsInput,
  ListScriptsInput,
  PublicScriptDetail,
  PublicScriptListPage,
  ScriptDetail,
  ScriptListPage,
  UpdateScriptInput,
} from './schemas/scripts.js';
import type { CreateWarRoomInput, ListWarRoomsInput, WarRoomListPage } from './schemas/warrooms.js';
import { PoolSet } from './transport/pools.js';
import type { CallScope } from '../backends/observe.js';
import type { RetryOptions } from './transport/retry-policy.js';
import type { BeforeWrite } from './write-intent.js';

export interface CocClientOptions {
  /** COC endpoint, e.g. `https://coc.myhuaweicloud.com` or the simulator's URL. */
  readonly endpoint: string;
  readonly auth: CocAuth;
  /** Time limit of one request (headers and body). Default 15 s. */
  readonly timeoutMs?: number;
  /** GET retry policy. Default: 3 retries, 200 ms base, 5 s cap, Retry-After up to 30 s. */
  readonly retry?: RetryOptions;
  /** `X-Language` for the script, job and public-script APIs. */
  readonly language?: CocLanguage;
  /** Told about every attempt of every call (safe fields only) and the scope it was made in, e.g. for the audit log. */
  readonly onCall?: (event: CocCallEvent, scope: CallScope | undefined) => void;
  /** Records each write before it is sent (the audit trail's intent); when it throws, the write is not sent. */
  readonly beforeWrite?: BeforeWrite;
  /** For tests: retry waits, jitter, the clock (epoch ms) used for budgets, signing and token expiry. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  /** For tests: what ends an attempt for lack of an answer (default a real timer; see CocHttpOptions). */
  readonly expiry?: AttemptExpiry;
}

/** What a scoped view is constructed with: unused, its transport is its parent's. */
const VIEW_OPTIONS: CocClientOptions = { endpoint: 'https://coc.invalid', auth: { kind: 'aksk', ak: 'view', sk: 'view' } };

export class CocClient {
  /** The transport, for calls this facade does not wrap. */
  readonly http: CocHttp;
  readonly #pools = new PoolSet();
  readonly #tokens: IamTokenProvider | undefined;
  /** A scoped view (`scoped`) owns nothing: closing it closes nothing. */
  readonly #view: boolean;

  constructor(options: CocClientOptions, view?: { readonly http: CocHttp }) {
    this.#view = view !== undefined;
    if (view) {
      this.http = view.http;
      this.#tokens = undefined;
      return;
    }
    const now = options.now;
    this.#tokens =
      options.auth.kind === 'token'
        ? new IamTokenProvider({ pools: this.#pools, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(now ? { now } : {}) })
        : undefined;
    const auth = createAuthenticator(options.auth, { ...(this.#tokens ? { tokens: this.#tokens } : {}), ...(now ? { now: () => new Date(now()) } : {}) });
    this.http = new CocHttp({
      endpoint: options.endpoint,
      auth,
      pools: this.#pools,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.language ? { language: options.language } : {}),
      ...(options.onCall ? { onCall: options.onCall } : {}),
      ...(options.beforeWrite ? { beforeWrite: options.beforeWrite } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(now ? { now } : {}),
      ...(options.expiry ? { expiry: options.expiry } : {}),
    });
  }

  // ---- resources ----
  syncResources(input?: SyncResourcesInput, options?: CallOptions): Promise<boolean | undefined> {
    return resources.syncResources(this.http, input, options);
  }
  listResources(query: ListResourcesInput, options?: CallOptions): Promise<Resource[]> {
    return resources.listResources(this.http, query, options);
  }
  countResources(query: CountResourcesInput, options?: CallOptions): Promise<number> {
    return resources.countResources(this.http, query, options);
  }
  syncResourceAgents(input: SyncResourceAgentsInput, options?: CallOptions): Promise<string | undefined> {
    return resources.syncResourceAgents(this.http, input, options);
  }

  // ---- scripts ----
  createScript(input: CreateScriptInput, options?: CallOptions): Promise<string> {
    return scripts.createScript(this.http, input, options);
  }
  listScripts(query: ListScriptsInput, options?: CallOptions): Promise<ScriptListPage> {
    return scripts.listScripts(this.http, query, options);
  }
  getScript(scriptUuid: string, options?: CallOptions): Promise<ScriptDetail> {
    return scripts.getScript(this.http, scriptUuid, options);
  }
  updateScript(scriptUuid: string, input: UpdateScriptInput, options?: CallOptions): Promise<string> {
    return scripts.updateScript(this.http, scriptUuid, input, options);
  }
  deleteScript(scriptUuid: string, options?: CallOptions): Promise<string> {
    return scripts.deleteScript(this.http, scriptUuid, options);
  }
  listPublicScripts(query: ListPublicScriptsInput, options?: CallOptions): Promise<PublicScriptListPage> {
    return scripts.listPublicScripts(this.http, query, options);
  }
  getPublicScript(scriptUuid: string, options?: CallOptions): Promise<PublicScriptDetail> {
    return scripts.getPublicScript(this.http, scriptUuid, options);
  }

  // ---- execution and orders ----
  executeScript(scriptUuid: string, input: ScriptExecuteInput, options?: ExecuteOptions): Promise<string> {
    return orders.executeScript(this.http, scriptUuid, input, options);
  }
  executePublicScript(scriptUuid: string, input: ScriptExecuteInput, options?: ExecuteOptions): Promise<string> {
    return orders.executePublicScript(this.http, scriptUuid, input, options);
  }
  getScriptOrder(executeUuid: string, options?: CallOptions): Promise<ScriptOrder> {
    return orders.getScriptOrder(this.http, executeUuid, options);
  }
  listScriptOrderBatches(executeUuid: string, options?: CallOptions): Promise<ScriptOrderBatchSummary[]> {
    return orders.listScriptOrderBatches(this.http, executeUuid, options);
  }
  getScriptOrderStatistics(executeUuid: string, options?: CallOptions): Promise<ScriptOrderStatistics> {
    return orders.getScriptOrderStatistics(this.http, executeUuid, options);
  }
  getScriptOrderBatch(executeUuid: string, batchIndex: number, query: ScriptOrderBatchInput, options?: CallOptions): Promise<ScriptOrderBatch> {
    return orders.getScriptOrderBatch(this.http, executeUuid, batchIndex, query, options);
  }
  listScriptOrders(query?: ListScriptOrdersInput, options?: CallOptions): Promise<ScriptOrderListPage> {
    return orders.listScriptOrders(this.http, query, options);
  }
  operateScriptOrder(executeUuid: string, input: OperateScriptOrderInput, options?: CallOptions): Promise<string | undefined> {
    return orders.operateScriptOrder(this.http, executeUuid, input, options);
  }

  // ---- incidents ----
  createIncident(input: CreateIncidentInput, options?: CallOptions): Promise<string> {
    return incidents.createIncident(this.http, input, options);
  }
  handleIncident(input: HandleIncidentInput, options?: CallOptions): Promise<void> {
    return incidents.handleIncident(this.http, input, options);
  }
  getIncident(incidentNum: string, options?: CallOptions): Promise<IncidentDetail> {
    return incidents.getIncident(this.http, incidentNum, options);
  }
  listIncidents(input?: ListIncidentsInput, options?: CallOptions): Promise<IncidentListPage> {
    return incidents.listIncidents(this.http, input, options);
  }
  showIncidentTasks(incidentId: string, options?: CallOptions): Promise<IncidentTasks> {
    return incidents.showIncidentTasks(this.http, incidentId, options);
  }
  actOnIncident(incidentId: string, input: IncidentActionInput, options?: CallOptions): Promise<void> {
    return incidents.actOnIncident(this.http, incidentId, input, options);
  }
  listIncidentHistories(incidentId: string, input?: ListIncidentHistoriesInput, options?: CallOptions): Promise<IncidentHistories> {
    return incidents.listIncidentHistories(this.http, incidentId, input, options);
  }

  // ---- WarRooms ----
  createWarRoom(input: CreateWarRoomInput, options?: CallOptions): Promise<string> {
    return warrooms.createWarRoom(this.http, input, options);
  }
  listWarRooms(input?: ListWarRoomsInput, options?: CallOptions): Promise<WarRoomListPage> {
    return warrooms.listWarRooms(this.http, input, options);
  }

  // ---- events ----
  reportCustomEvent(integrationKey: string, input: CustomEventInput, options?: CallOptions): Promise<void> {
    return events.reportCustomEvent(this.http, integrationKey, input, options);
  }

  // ---- patches ----
  listPatchCompliance(query?: ListPatchComplianceInput, options?: CallOptions): Promise<PatchCompliancePage> {
    return patches.listPatchCompliance(this.http, query, options);
  }
  listPatchItems(instanceComplianceId: string, query?: ListPatchItemsInput, options?: CallOptions): Promise<PatchItemsPage> {
    return patches.listPatchItems(this.http, instanceComplianceId, query, options);
  }

  /** Closes every connection (COC and IAM) and forgets cached tokens. */
  /**
   * This client (its connections, credentials and hooks), its calls made in `scope`: whose they
   * are for the audit trail, and how long the invocation's reads may take.
   */
  scoped(scope: CallScope): CocClient {
    return new CocClient(VIEW_OPTIONS, { http: this.http.scoped(scope) });
  }

  async close(): Promise<void> {
    if (this.#view) return;
    await this.#tokens?.close();
    await this.#pools.close();
  }
}
