/**
 * What the chat product needs from an operations platform, as one record of optional capability
 * groups. A missing group (or a missing optional method inside one) is the declaration that the
 * platform cannot do it: commands that need it are absent from help, the Slack manifest and the
 * Discord registration (see capabilities.ts).
 */
import type { Locale, Text } from '../i18n/translate.js';
import type { BackendName, IdKind, Id } from './ids.js';
import type { Vocabulary } from './vocabulary.js';
import type { CallScope } from './observe.js';
import type { HostsCapability } from './types/hosts.js';
import type { ScriptsCapability } from './types/scripts.js';
import type { RunsCapability } from './types/runs.js';
import type { IncidentsCapability } from './types/incidents.js';
import type { WarRoomsCapability } from './types/warrooms.js';
import type { AlarmsCapability } from './types/alarms.js';
import type { ChangesCapability } from './types/changes.js';
import type { RunbooksCapability } from './types/runbooks.js';
import type { PatchesCapability } from './types/patches.js';
import type { ExecutionsCapability } from './types/executions.js';
import type { TasksCapability } from './types/tasks.js';
import type { ExternalApprovalsCapability } from './types/approvals.js';
import type { NoticesCapability } from './types/notices.js';

export interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly locale?: Locale;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total?: number;
  /** Opaque cursor of the next page; absent = this was the last page. */
  readonly next?: string;
}

export interface Backend {
  readonly name: BackendName;
  /** The platform's name in texts (`{platform}`): `COC` for Huawei Cloud COC. */
  readonly displayName: Text;
  /** The platform's own codes (statuses, states, levels) in words, per language. */
  readonly vocabulary: Vocabulary;
  /**
   * How a person's own rights apply: COC acts with their own credential when their mapping names
   * one, else the bot's; BlueKing always acts as the mapped user name (whoami says which).
   */
  readonly perUser: 'credential-or-bot' | 'username';
  /**
   * The same backend (same rights, same connections), its calls made in `scope`: whose they are
   * for the audit trail, and how long the invocation's reads may take. The dispatcher hands each
   * invocation its backends this way; absent (a test's stand-in), calls carry no scope.
   */
  within?(scope: CallScope): Backend;
  readonly hosts?: HostsCapability;
  readonly scripts?: ScriptsCapability;
  readonly runs?: RunsCapability;
  readonly incidents?: IncidentsCapability;
  readonly warRooms?: WarRoomsCapability;
  readonly alarms?: AlarmsCapability;
  /** Change tickets (COC's generic ticket APIs). */
  readonly changes?: ChangesCapability;
  /** Runbooks: documents that run steps, and their executions (COC's documents). */
  readonly runbooks?: RunbooksCapability;
  readonly patches?: PatchesCapability;
  /**
   * Single executions for platforms without batches of their own (BlueKing Job). The product never
   * calls it directly: src/batches composes `runs` from it and the store (src/app wires that).
   */
  readonly executions?: ExecutionsCapability;
  /** Approvals held on the platform (BlueKing ITSM), when the deployment chose them. */
  readonly approvals?: ExternalApprovalsCapability;
  /** Standard-operations tasks (BlueKing SOPS). */
  readonly tasks?: TasksCapability;
  /** Notices through the platform's own channels (BlueKing CMSI). */
  readonly notices?: NoticesCapability;
  /** The platform's own users, where a link to one can be checked before it is made (BlueKing's user list). */
  readonly identity?: IdentityCapability;
  /** Turns what a person typed for an id of `kind` (an order uuid, an incident number…) into an id; undefined when it cannot be one. */
  parseId<K extends IdKind>(kind: K, typed: string): Id<K> | undefined;
}

export interface IdentityCapability {
  /** Whether the platform knows a user of this name (a read); undefined = it did not say. */
  userExists(name: string, options?: CallOptions): Promise<boolean | undefined>;
}

/** Whose rights a backend acts with: the bot's own, or a person's (their own credential where their mapping names one). */
export interface BackendSessions {
  readonly botBackend: Backend;
  /** Throws UserCredentialMissingError when the person's named credential is not set: nothing is sent. */
  backendFor(identity: { readonly credentialRef?: string | undefined; readonly iamUserName: string }): Backend;
}

/** A backend group the caller needs; throws a typed error when the deployment's backend lacks it. */
export class BackendCapabilityMissingError extends Error {
  constructor(readonly backend: BackendName, readonly group: string) {
    super(`the ${backend} backend has no ${group}`);
    this.name = 'BackendCapabilityMissingError';
  }
}

/** The group `name` of `backend`, for code that runs only when the command set already required it. */
export function need<G extends keyof Backend>(backend: Backend, group: G): NonNullable<Backend[G]> {
  const found = backend[group];
  if (found === undefined || found === null) throw new BackendCapabilityMissingError(backend.name, String(group));
  return found as NonNullable<Backend[G]>;
}
