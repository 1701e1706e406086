/** What routes and the HTTP plumbing exchange. */
import type { World } from '../state/world.js';

/**
 * Which error body a route answers with, as real COC does per API group:
 * - `coc`: script, job and resource APIs: `{error_code, error_msg}`
 * - `gom`: incident and WarRoom APIs: PCE `{provider_code, error_code, error_msg, data}` with GOM codes
 * - `event`: custom-event API: PCE with COC.0000000x codes
 * - `patch`: patch reports: `{error_code, error_msg}`, always HTTP 500
 * - `iam`: IAM (Keystone style) `{error: {code, title, message}}`
 */
export type ErrorFamily = 'coc' | 'gom' | 'event' | 'patch' | 'iam';

export interface SimResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Thrown by handlers; rendered in the route's error family. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

export type Identity =
  | { readonly kind: 'aksk'; readonly access: string; readonly userName: string; readonly userId: string }
  | { readonly kind: 'token'; readonly userName: string; readonly userId: string; readonly projectId: string | undefined }
  | { readonly kind: 'anonymous' };

export class QueryMap {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const list = this.values.get(key) ?? [];
      list.push(value);
      this.values.set(key, list);
    }
  }

  first(key: string): string | undefined {
    return this.values.get(key)?.[0];
  }

  all(key: string): readonly string[] {
    return this.values.get(key) ?? [];
  }

  toRecord(): Record<string, string[]> {
    return Object.fromEntries([...this.values].map(([key, list]) => [key, [...list]]));
  }

  /** Plain object for schema validation: array keys keep every value, the others the first. */
  toObject(arrayKeys: readonly string[] = []): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [key, list] of this.values) out[key] = arrayKeys.includes(key) ? [...list] : (list[0] as string);
    return out;
  }
}

export interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryMap;
  readonly body: unknown;
  readonly identity: Identity;
  readonly headers: Readonly<Record<string, string>>;
  readonly world: World;
}

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template exactly as the COC reference writes it, e.g. `/v1/job/scripts/{script_uuid}`. */
  readonly path: string;
  readonly family: ErrorFamily;
  /** `none` only for IAM's password-token route. */
  readonly auth: 'required' | 'none';
  handle(context: RouteContext): SimResponse;
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
