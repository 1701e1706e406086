/**
 * The audit trail: every invocation and every platform call it made, with who (chat user and
 * IAM user), where, what, on what, masked parameters, the outcome and the platform's request id.
 *
 * Calls are attributed through the call scope the invocation's backends carry (`Backend.within`,
 * set up by the dispatcher): the backend's call observer and write hook are handed the scope of
 * the call, so no command has to pass an audit handle around, and no implicit async context
 * (AsyncLocalStorage, a hook on every promise) is needed.
 *
 * A write (for COC: POST, PUT, DELETE) is not left to the end of the invocation: its row is
 * committed before the request is sent (`beforeWrite`, the backend's hook) and completed with
 * the outcome, so a process that dies mid-call still leaves the write in the trail.
 */
import type { BackendCallEvent, BackendOperation, BeforeWrite, CallScope, WriteIntentResult } from '../backends/index.js';
import type { Actor, Place } from '../core/invocation.js';
import { toStorableJson, toStorableText } from '../core/storable-text.js';
import type { Db } from '../store/db.js';
import { completeWriteIntent, holdAuditRows, insertAuditEvents, insertWriteIntent, listAuditEvents, type AuditEventFilter, type AuditEventInput, type AuditEventRow } from '../store/audit-events.js';
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
/**
 * How long a read's rows are held before they are written, so that the reads of a burst go in a
 * few statements (each a round trip, and on the embedded store a turn of its single-threaded
 * engine that would delay the next answers). A crash of the bot process (kill -9) loses at most
 * this much of reads' rows; a graceful stop loses none.
 */
export const READ_ROWS_HOLD_MS = 50;

export class AuditLog {
  constructor(
    private readonly db: Db,
    /** Told when a write's outcome could not be recorded (its intent stays pending until the sweep). */
    private readonly onError: (error: unknown) => void = () => {},
    /** Told when reads' rows, written after their answers, could not be written. */
    private readonly onReadRowsLost: (error: unknown) => void = onError,
  ) {
    holdAuditRows(db, () => this.writeHeldReads());
  }

  /**
   * Runs `fn` with a fresh scope that collects the platform calls made in it: calls made through
   * backends scoped to it (`Backend.within({ audit: scope })`).
   */
  within<T>(scope: Omit<AuditScope, 'calls'>, fn: (scope: AuditScope) => Promise<T>): Promise<T> {
    return fn({ ...scope, calls: [] });
  }

  /** The backend's call observer: remembers each final attempt in the scope it was made in. */
  readonly observeCall = (event: BackendCallEvent, scope: CallScope | undefined): void => {
    if (event.willRetry) return;
    scope?.audit?.calls.push(event);
  };

  /**
   * The backend's `beforeWrite`: commits the write's row (outcome 'pending') before the request
   * is sent, and completes that row with the outcome. Who is the current invocation's actor, or
   * the bot itself ('system') for background work. Only safe fields: the route template, the
   * invocation's name, target and already masked parameters.
   */
  readonly beforeWrite: BeforeWrite = async (operation, callScope) => {
    const scope = callScope?.audit;
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
    // A read that went as asked, and read only, is recorded just after its answer and without
    // waiting for the database's disk flush; a refusal, a failure or any change is recorded
    // before its answer, with the flush waited for.
    const waitForFlush = !(scope.readOnly && outcome === 'succeeded' && scope.calls.every((call) => call.method === 'GET'));
    // One statement for the invocation and its platform calls: one round trip, all or nothing.
    const rows: AuditEventInput[] = [
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
    ];
    // A read that went as asked is written just after its answer, without waiting for the disk flush.
    if (waitForFlush) await insertAuditEvents(this.db, true, rows);
    else {
      // Written a moment later: the row keeps when it happened, so the trail's order stays the invocations'.
      const occurredAt = new Date();
      this.#holdRead(rows.map((row) => ({ ...row, occurredAt })));
    }
  }

  /**
   * Reads' rows (the usual command) are written just after their answers, never on the answer's
   * path: they are held here for a moment (READ_ROWS_HOLD_MS, or until MAX_INVOCATIONS_PER_STATEMENT
   * invocations are held) and go together in one INSERT, so a burst of 200 `/coc whoami` costs a
   * few statements instead of 200 and no answer waits for one. Rows held while a statement is at
   * the store go in the next. Each invocation's rows stay all or nothing: when a grouped statement
   * fails, each invocation's rows are tried on their own, and rows that still cannot be written are
   * reported (`onReadRowsLost`). A listing in this process and the store's close write them first
   * (store/audit-events.ts), so a graceful stop loses none.
   */
  readonly #holdRead = (rows: readonly AuditEventInput[]): void => {
    this.#readRows.push(rows);
    if (this.#readRows.length >= MAX_INVOCATIONS_PER_STATEMENT) void this.writeHeldReads();
    else this.#readTimer ??= setTimeout(() => void this.writeHeldReads(), READ_ROWS_HOLD_MS);
  };

  readonly #readRows: (readonly AuditEventInput[])[] = [];
  #readTimer: NodeJS.Timeout | undefined;
  /** The statements of held rows under way, one after another; settles when all held so far are written. */
  #writingReads: Promise<void> = Promise.resolve();

  /** Writes the reads' rows held now (resolves once they are written or reported lost; never rejects). */
  writeHeldReads(): Promise<void> {
    clearTimeout(this.#readTimer);
    this.#readTimer = undefined;
    if (this.#readRows.length === 0) return this.#writingReads;
    const held = this.#readRows.splice(0);
    this.#writingReads = this.#writingReads.then(() => this.#writeReads(held));
    return this.#writingReads;
  }

  async #writeReads(held: readonly (readonly AuditEventInput[])[]): Promise<void> {
    for (let from = 0; from < held.length; from += MAX_INVOCATIONS_PER_STATEMENT) {
      const group = held.slice(from, from + MAX_INVOCATIONS_PER_STATEMENT);
      try {
        await insertAuditEvents(this.db, false, group.flat());
      } catch (error) {
        if (group.length === 1) this.onReadRowsLost(error);
        else for (const rows of group) await insertAuditEvents(this.db, false, rows).catch(this.onReadRowsLost);
      }
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
