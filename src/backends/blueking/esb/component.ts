/**
 * One ESB component as the client calls it: where it lives, how it is called, what it takes and
 * what its `data` must look like. Each component is declared once (zod), in the file of its
 * system (`cc.ts`, `job.ts`, `itsm.ts`…); the client (client.ts) is the only thing that sends.
 */
import type { z } from 'zod';
import type { CallScope } from '../../observe.js';

export const ESB_SYSTEMS = ['bk_login', 'cc', 'gse', 'job', 'itsm', 'monitor', 'cmsi', 'sops'] as const;
export type EsbSystem = (typeof ESB_SYSTEMS)[number];

export interface EsbComponent<I, O> {
  readonly system: EsbSystem;
  /** The component's name: `search_host`, `fast_execute_script`… */
  readonly name: string;
  /** GET: fields as query parameters; POST: a JSON body. */
  readonly method: 'GET' | 'POST';
  /** Whether calling it changes something on the platform: never retried, recorded before it is sent. */
  readonly write: boolean;
  /** The component's own fields (without bk_app_code, bk_app_secret, bk_username: the client adds them). */
  readonly request: z.ZodType<I>;
  /** The envelope's `data` on success. */
  readonly data: z.ZodType<O>;
  /** The path when it is not `/api/c/compapi/v2/<system>/<name>/` (CMSI documents `/api/c/compapi/cmsi/send_msg/`). */
  readonly path?: string;
  /**
   * Values of this input that are secret (a sensitive `script_param`): hidden in every error text
   * the client makes from the answer, should the platform echo them.
   */
  readonly sensitive?: (input: I) => readonly (string | undefined)[];
}

export interface EsbCallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** What a backend group needs of the client: one call, typed by its component. */
export interface EsbCaller {
  /** The BlueKing user the calls act as (`bk_username`). */
  readonly username: string;
  call<I, O>(component: EsbComponent<I, O>, input: I, options?: EsbCallOptions): Promise<O>;
  /** The same caller, its calls made in `scope` (whose they are, how long reads may take). */
  scoped?(scope: CallScope): EsbCaller;
}

/** `/api/c/compapi/v2/<system>/<name>/` unless the component says otherwise. */
export function componentPath(component: Pick<EsbComponent<unknown, unknown>, 'system' | 'name' | 'path'>): string {
  return component.path ?? `/api/c/compapi/v2/${component.system}/${component.name}/`;
}

/** What the audit trail and metrics call the component: `job/fast_execute_script`. */
export function componentRoute(component: Pick<EsbComponent<unknown, unknown>, 'system' | 'name'>): string {
  return `${component.system}/${component.name}`;
}
