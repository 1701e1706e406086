/**
 * The audit trail: every invocation and every platform call it made, with who (chat user and
 * IAM user), where, what, on what, masked parameters, the outcome and the platform's request id.
 *
 * Calls are attributed through AsyncLocalStorage: the backend's call observer runs inside the
 * invocation's async context, so no command has to pass an audit handle around.
 *
 * A write (for COC: POST, PUT, DELETE) is not left to the end of the invocation: its row is
 * committed before the request is sent (`beforeWrite`, the backend's hook) and completed with
 * the outcome, so a process that dies mid-call still leaves the write in the trail.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendCallEvent, BackendOperation, BeforeWrite, WriteIntentResult } from '../backends/index.js';
import type { Actor, Place } from '../core/invocation.js';
import { toStorableJson, toStorableText } from '../core/storable-text.js';
import type { Db } from '../store/db.js';
import { completeWriteIntent, insertAuditEvents, insertWriteIntent, listAuditEvents, type AuditEventFilter, type AuditEventInput, type AuditEventRow } from '../store/audit-events.js';
import { intentCompletion } from './write-intents.js';

export interface AuditScope {
  readonly actor: Actor;
  readonly place: Place;
  iamUserName: string | undefined;
  command: string;
  target: string | undefined;
  maskedParameters: Record<string, unknown>;
  /** The platform calls made inside the invocation (final attempts). */
  readonly calls: BackendCallEvent[];
  /** Set once the invocation is known to be a read (a viewer's command that changes nothing). */
  readOnly?: boolean;
}

/** Invocations whose rows are written together at most (a statement of a few hundred rows). */
const MAX_INVOCATIONS_PER_STATEMENT = 100;

export class AuditLog {
  readonly #scopes = new AsyncLocalStorage<AuditScope>();

  constructor(
    private readonly db: Db,
    /** Told when a write's outcome could not be recorded (its intent stays pending until the sweep). */
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Runs `fn` with a fresh scope that collects the platform calls made inside it. */
  within<T>(scope: Omit<AuditScope, 'calls'>, fn: (scope: AuditScope) => Promise<T>): Promise<T> {
    const full: AuditScope = { ...scope, calls: [] };
    return this.#scopes.run(full, () => fn(full));
  }

  current(): AuditScope | undefined {
    return this.#scopes.getStore();
  }

  /** The backend's call observer: remembers each final attempt in the current scope. */
  readonly observeCall = (event: BackendCallEvent): void => {
    if (event.willRetry) return;
    this.#scopes.getStore()?.calls.push(event);
  };

  /**
   * The backend's `beforeWrite`: commits the write's row (outcome 'pending') before the request
   * is sent, and completes that row with the outcome. Who is the current invocation's actor, or
   * the bot itself ('system') for background work. Only safe fields: the route template, the
   * invocation's name, target and already masked parameters.
   */
  readonly beforeWrite: BeforeWrite = async (operation) => {
    const scope = this.#scopes.getStore();
    const text = (value: string | undefined, max: number) => (value === undefined ? null : toStorableText(value, max));
    const id = await insertWriteIntent(this.db, {
      ...(scope ? this.#who(scope) : { platform: 'system' as const }),
      command: toStorableText(operationText(operation), 300),
      backend: operation.backend,
      target: text(scope?.target, 500),
      maskedParameters: scope ? (toStorableJson({ invocation: scope.command, parameters: scope.maskedParameters }, 500) as Record<string, unknown>) : {},
    });
    return {
      complete: async (result: WriteIntentResult) => {
        try {
          await completeWriteIntent(this.db, id, { ...intentCompletion(result), target: text(scope?.target, 500) });
        } catch (error) {
          this.onError(error);
        }
      },
    };
  };

  #who(scope: AuditScope) {
    const text = (value: string | undefined, max: number) => (value === undefined ? null : toStorableText(value, max));
    return {
      platform: scope.actor.platform,
      workspaceId: text(scope.actor.workspaceId, 300),
      channelId: text(scope.place.channelId, 300),
      chatUserId: text(scope.actor.userId, 300),
      iamUserName: text(scope.iamUserName, 300),
    };
  }

  /**
   * Writes the invocation's row and one row per platform call it made — but none for a write whose
   * intent row already holds it.
   */
  async write(scope: AuditScope, outcome: AuditEventInput['outcome'], error?: string): Promise<void> {
    // Whatever was typed or sent, the row must be writable (no NUL, no lone surrogate, bounded).
    const text = (value: string | undefined, max: number) => (value === undefined ? null : toStorableText(value, max));
    const who = this.#who(scope);
    const target = text(scope.target, 500);
    // A read that went as asked, and read only, is recorded without waiting for the database's
    // disk flush (it is on the reply's path); a refusal, a failure or any change waits for it.
    const waitForFlush = !(scope.readOnly && outcome === 'succeeded' && scope.calls.every((call) => call.method === 'GET'));
    // One statement for the invocation and its platform calls: one round trip, all or nothing.
    await (waitForFlush ? (rows: readonly AuditEventInput[]) => insertAuditEvents(this.db, true, rows) : this.#insertRead)([
      {
        ...who,
        command: toStorableText(scope.command, 300),
        target,
        maskedParameters: toStorableJson(scope.maskedParameters, 500) as Record<string, unknown>,
        outcome,
        error: text(error, 1_000),
        requestId: text(scope.calls.at(-1)?.requestId, 300),
        // The platform the invocation went to, when it went to one.
        ...(scope.calls.length > 0 ? { backend: scope.calls.at(-1)!.backend } : {}),
      },
      ...scope.calls.filter((call) => !call.intentRecorded).map((call) => ({
        ...who,
        command: operationText(call),
        backend: call.backend,
        target,
        maskedParameters: { status: call.status ?? null, durationMs: Math.round(call.durationMs), attempt: call.attempt },
        outcome: call.outcome === 'ok' ? ('succeeded' as const) : ('failed' as const),
        error: call.outcome === 'ok' ? null : toStorableText(`${call.outcome}${call.errorCode ? ` ${call.errorCode}` : ''}`, 1_000),
        requestId: text(call.requestId, 300),
      })),
    ]);
  }

  /**
   * Group commit of reads' rows (the usual command, on the reply's path): rows written while a
   * statement of them is at the store wait and then go together in one INSERT, so a burst of
   * 200 `/coc whoami` costs a few statements instead of 200. Each invocation's rows stay all or
   * nothing: when a grouped statement fails, each invocation's rows are tried on their own.
   */
  readonly #insertRead = (rows: readonly AuditEventInput[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      this.#readRows.push({ rows, resolve, reject });
      if (!this.#writingReads) void this.#writeReads();
    });

  readonly #readRows: { rows: readonly AuditEventInput[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #writingReads = false;

  async #writeReads(): Promise<void> {
    this.#writingReads = true;
    try {
      while (this.#readRows.length > 0) {
        const group = this.#readRows.splice(0, MAX_INVOCATIONS_PER_STATEMENT);
        try {
          await insertAuditEvents(this.db, false, group.flatMap((one) => one.rows));
          for (const one of group) one.resolve();
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const one of group) await insertAuditEvents(this.db, false, one.rows).then(one.resolve, one.reject);
        }
      }
    } finally {
      this.#writingReads = false;
    }
  }

  list(filter: AuditEventFilter): Promise<AuditEventRow[]> {
    return listAuditEvents(this.db, filter);
  }
}

/**
 * What a call is in the trail: `<backend> <METHOD> <route template>` — for COC exactly
 * `coc POST /v1/job/scripts/{script_uuid}`, so rows written before and after read alike.
 */
export function operationText(operation: Pick<BackendOperation, 'backend' | 'method' | 'route'>): string {
  return `${operation.backend} ${operation.method} ${operation.route}`;
}
