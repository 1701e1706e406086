/**
 * Every backend the bot hands out — its own and each person's — with `runs` composed from the
 * backend's single executions and the store (bot-driven batches, src/batches), for platforms that
 * have no batches of their own (BlueKing Job). A backend with runs of its own (COC) passes through
 * unchanged, so COC mode is exactly what it was.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { backendIn, type Backend, type BackendSessions, type CallScope, type ExecutionsCapability } from '../backends/index.js';
import { withBotBatches, type BotBatchDeps } from '../batches/index.js';
import { isExpectedError } from '../core/errors-to-message.js';
import type { RunPlanRow } from '../store/run-plans.js';

/** What every wrapped backend shares; each one's executions and name come from the backend itself. */
export type SessionBatchDeps = Omit<BotBatchDeps, 'executions' | 'executionsFor' | 'backend' | 'audit'> & {
  /** Later batches are sent by the tracker, outside any command: each send gets its own audit scope. */
  readonly audit?: AuditLog;
};

export function withBotBatchSessions(sessions: BackendSessions, deps: SessionBatchDeps): BackendSessions {
  const { audit: auditLog, ...shared } = deps;
  // A batch after the first is sent with the requester's rights, as the first was.
  const executionsFor = (plan: RunPlanRow, scope?: CallScope): ExecutionsCapability => {
    const person = sessions.backendFor({ iamUserName: plan.requesterIamUser, credentialRef: plan.credentialRef ?? undefined });
    const requester = scope ? backendIn(person, scope) : person;
    const executions = requester.executions ?? sessions.botBackend.executions;
    if (!executions) throw new Error(`the ${requester.name} backend has no executions`);
    return executions;
  };
  const wrapped = new WeakMap<Backend, Backend>();
  const wrap = (backend: Backend): Backend => {
    let found = wrapped.get(backend);
    if (!found) {
      found = withBotBatches(backend, { ...shared, executionsFor, ...(auditLog ? { audit: batchAudit(auditLog) } : {}) });
      wrapped.set(backend, found);
    }
    return found;
  };
  const botBackend = wrap(sessions.botBackend);
  return {
    botBackend,
    backendFor: (identity) => wrap(sessions.backendFor(identity)),
  };
}

/**
 * A later batch's send as an invocation of its requester in the audit trail: the write intent
 * (recorded before the send) and the row after it name who asked, where, the script and the plan.
 */
function batchAudit(audit: AuditLog): NonNullable<BotBatchDeps['audit']> {
  return (plan, batch, send) =>
    audit.within(
      {
        actor: { platform: plan.platform, workspaceId: plan.workspaceId, userId: plan.requesterChatUserId },
        place: { channelId: plan.channelId, isDirect: false },
        iamUserName: plan.requesterIamUser,
        command: 'run batch',
        target: plan.scriptName,
        maskedParameters: { plan: plan.id, batch },
      },
      async (scope) => {
        let outcome: 'succeeded' | 'failed' = 'failed';
        let reason: string | undefined;
        try {
          const result = await send({ audit: scope });
          // A refused or unanswered send comes back as a value, not a throw: the row says what it was.
          const kind = typeof result === 'object' && result !== null && 'kind' in result ? (result as { kind: unknown }).kind : 'sent';
          if (kind === 'refused') reason = 'the platform refused the batch; nothing ran on its hosts';
          else if (kind === 'unknown') reason = 'the answer to the batch’s start was lost; outcome unknown, not sent again';
          else outcome = 'succeeded';
          return result;
        } catch (error) {
          // Expected errors are built to be safe to store; anything else is named, never quoted.
          reason = isExpectedError(error) && error instanceof Error ? error.message : 'the batch could not be sent (unexpected error)';
          throw error;
        } finally {
          // The write's own row is already in the trail (its intent); losing this summary row must not stop the run.
          await audit.write(scope, outcome, reason).catch(() => undefined);
        }
      },
    );
}
