/** Helpers for the simulator tests: signed calls over real HTTP, and world lookups. */
import { makeId, type HostTarget } from '../src/backends/index.js';
import { signRequest, type AkSk } from '../src/coc/auth/signer.js';
import { CocClient, type CocClientOptions } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';

export const DEMO_KEYS: AkSk = { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK };

export interface CallResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: T;
}

export interface CallOptions {
  readonly keys?: AkSk;
  readonly token?: string;
  /** Skip signing entirely. */
  readonly unsigned?: boolean;
  /** Sign as if at this time. */
  readonly signAt?: Date;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** One HTTP call to the simulator, AK/SK-signed by default (or with an IAM token). */
export async function call<T = any>(sim: Simulator, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<CallResult<T>> {
  const url = `${sim.url}${path}`;
  const text = body === undefined ? undefined : JSON.stringify(body);
  let headers: Record<string, string> = { 'Content-Type': 'application/json', Host: new URL(url).host, ...options.headers };
  if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
  else if (!options.unsigned) headers = signRequest({ method, url, headers, body: text }, options.keys ?? DEMO_KEYS, { now: options.signAt ?? new Date(sim.now()) });
  const response = await fetch(url, { method, headers, body: text, signal: options.signal });
  const responseText = await response.text();
  let json: any;
  try {
    json = responseText === '' ? undefined : JSON.parse(responseText);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text: responseText, json: json as T };
}

/** A host whose script runs succeed: UniAgent ONLINE, Linux, not tagged `flaky`. */
export function isHealthyHost(host: Host): boolean {
  return host.agentState === 'ONLINE' && !host.tags.some((tag) => tag.key === 'flaky') && host.osType === 'linux';
}

export function hostsIn(sim: Simulator, regionId: string) {
  return sim.world.hosts.filter((host) => host.regionId === regionId);
}

export function target(host: { resourceId: string; regionId: string }) {
  return { resource_id: host.resourceId, region_id: host.regionId };
}

export function scriptUuid(sim: Simulator, name: string): string {
  const script = [...sim.world.scripts.values()].find((candidate) => candidate.name === name);
  if (!script) throw new Error(`no script ${name}`);
  return script.scriptUuid;
}

export function executeBody(
  batches: readonly { hosts: readonly { resourceId: string; regionId: string }[]; rotation?: 'CONTINUE' | 'PAUSE' }[],
  extra: { successRate?: number; timeout?: number; params?: { param_name: string; param_value: string }[] } = {},
) {
  return {
    execute_param: { timeout: extra.timeout ?? 300, success_rate: extra.successRate ?? 100, execute_user: 'root', script_params: extra.params ?? [] },
    execute_batches: batches.map((batch, index) => ({
      batch_index: index + 1,
      rotation_strategy: batch.rotation ?? 'CONTINUE',
      target_instances: batch.hosts.map(target),
    })),
  };
}

/** A fixed clock so seeded timestamps are identical between simulators. */
export const FIXED_NOW = Date.UTC(2026, 2, 14, 9, 30, 0);

/** A COC client of the simulator with its default keys (the backend contract tests' client). */
export function simClient(sim: Pick<Simulator, 'url'>, options: Partial<Omit<CocClientOptions, 'endpoint' | 'auth'>> = {}): CocClient {
  return new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...options });
}

/** A simulator host as a run targets it. */
export function targetOf(host: Host): HostTarget {
  return { id: makeId('coc', 'host', host.resourceId), name: host.name, region: host.regionId };
}

/** One host's execute input (a single batch of it), as the client sends it. */
export function oneHostExecute(host: Host): ReturnType<typeof executeBody> {
  return executeBody([{ hosts: [host] }]);
}

/**
 * The fixture of the client's fault tests: cn-north-4's healthy hosts, disk_usage's uuid read through
 * the client, and one order of it on the second host run to its end (a read target that never moves).
 */
export async function diskUsageWithFinishedOrder(sim: Simulator, coc: CocClient): Promise<{ hosts: Host[]; scriptUuid: string; finishedOrderUuid: string }> {
  const hosts = hostsIn(sim, 'cn-north-4').filter(isHealthyHost);
  const page = await coc.listScripts({ limit: 10, name_like: 'disk_usage' });
  const uuid = page.data?.find((script) => script.name === 'disk_usage')?.script_uuid ?? '';
  if (!uuid) throw new Error('the simulator has no disk_usage script');
  const finishedOrderUuid = await coc.executeScript(uuid, oneHostExecute(hosts[1]!));
  if (sim.settle(finishedOrderUuid) !== 'FINISHED') throw new Error(`order ${finishedOrderUuid} did not finish`);
  return { hosts, scriptUuid: uuid, finishedOrderUuid };
}
