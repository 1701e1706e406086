/**
 * The end of a plan's start, however it ends, said once to everyone concerned: the plan's row,
 * its approval (when it had one) and the request card, the requester, the live card and the
 * audit trail. Each change is a conditional update: when several replicas or a restart race to
 * settle the same plan, one wins and only the winner tells anyone.
 */
import { nativeOf, need, platformName, type RunId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { linkOrderToIncident } from '../incidents/linked-orders.js';
import { say, type Phrase } from '../i18n/phrase.js';
import { translator, type Text } from '../i18n/translate.js';
import { getApproval, updateApprovalIfVersion, type ApprovalRow } from '../store/approvals.js';
import { resolveWriteIntent, type ResolvedOutcome } from '../audit/write-intents.js';
import { insertAuditEvent, writeIntentsFor } from '../store/audit-events.js';
import { moveRunPlan, type RunPlanRow, type RunPlanState } from '../store/run-plans.js';
import { SqlState, sqlStateOf } from '../store/sqlstate.js';
import { announce, APPROVAL_TEXT } from '../approvals/announce.js';
import { planTarget, requesterOf } from './targets.js';

/** How the run's id became known: the platform's answer, or its list of runs after the answer was lost. */
export type FoundBy = 'answer' | 'reconciliation';

async function approvalOf(services: Services, plan: RunPlanRow, states: readonly ApprovalRow['state'][]): Promise<ApprovalRow | undefined> {
  if (!plan.approvalId) return undefined;
  const approval = await getApproval(services.db, plan.approvalId);
  return approval && states.includes(approval.state) ? approval : undefined;
}

async function tellRequester(services: Services, plan: RunPlanRow, title: string, text: string, tone: 'success' | 'danger' | 'warning'): Promise<void> {
  try {
    await services.chat.notify(requesterOf(plan), { title, text, tone, private: true }, planTarget(plan));
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not tell the requester how a run ended');
  }
}

/** A system row of the audit trail about a plan (no chat user acted: the bot settled it). */
export async function auditRun(services: Services, plan: RunPlanRow, command: string, outcome: 'succeeded' | 'failed' | 'pending' | 'unknown', error: string | null): Promise<void> {
  await insertAuditEvent(services.db, {
    platform: 'system',
    workspaceId: plan.workspaceId,
    channelId: plan.channelId,
    command,
    target: plan.scriptName,
    maskedParameters: {
      plan: plan.id,
      ...(plan.approvalId ? { approval: plan.approvalId } : {}),
      ...(plan.runId ? { run: plan.runId } : {}),
      requester: plan.requesterIamUser,
    },
    outcome,
    error,
  });
}

/**
 * The audit rows of this plan's execute request, left open because its answer was lost (or the
 * bot stopped during it), get what reconciliation learned.
 */
async function resolveExecuteIntents(services: Services, plan: RunPlanRow, outcome: ResolvedOutcome, note: string): Promise<void> {
  for (const intent of await executeIntentsOf(services, plan)) {
    if (intent.outcome === 'pending' || intent.outcome === 'unknown') await resolveWriteIntent(services.db, intent.id, outcome, note);
  }
}

/**
 * The audit rows of this plan's start requests (the backend's start operation). Every start is
 * recorded before it is sent, so a plan with none never reached the platform.
 */
export function executeIntentsOf(services: Services, plan: RunPlanRow): Promise<{ id: string; outcome: string }[]> {
  const runs = need(services.backend, 'runs');
  // A platform with several start routes (COC: custom and public scripts) records each under its own.
  const { backend, method, route } = runs.startOperationFor?.(plan.scriptId) ?? runs.startOperation;
  return writeIntentsFor(services.db, `${backend} ${method} ${route}`, { targets: plan.approvalId ? [plan.approvalId] : [], plan: plan.id });
}

/** Asks for the live card of a plan's order, in the plan's channel, for its requester. */
export async function trackPlanOrder(services: Services, plan: RunPlanRow, run: RunId): Promise<void> {
  await services.tracker.track({
    run,
    target: planTarget(plan),
    startedBy: requesterOf(plan),
    startedByIamUser: plan.requesterIamUser,
    ...(plan.approvalId ? { approvalId: plan.approvalId } : {}),
    locale: plan.requesterLocale,
    // Asked for from an invocation (Run, Approve): the card's first read is that invocation's.
    readsIn: services.backend,
  });
}

/**
 * The plan's run exists on the platform: the plan is 'started' with it, its approval 'executed',
 * its live card asked for. Found by reconciliation, it is recorded and told as such. Undefined
 * when the plan was settled by someone else first (or the run is already another plan's).
 */
export async function adoptOrder(
  services: Services,
  plan: RunPlanRow,
  run: RunId,
  foundBy: FoundBy,
  options: { readonly requesterIsWaiting?: boolean } = {},
): Promise<RunPlanRow | undefined> {
  // What people see (replies, logs, notes): the platform's own id of the run.
  const executeUuid = nativeOf(run);
  let started: RunPlanRow | undefined;
  try {
    started = await moveRunPlan(services.db, plan.id, ['starting', 'unknown'], 'started', { runId: run });
  } catch (error) {
    // Another plan holds this run (unique run_id): it is not this plan's.
    if (sqlStateOf(error) === SqlState.uniqueViolation) return undefined;
    throw error;
  }
  if (!started) return undefined;
  // The order runs now; losing its card or its incident link must not hide that from anyone.
  try {
    await linkOrderToIncident(services.db, { run, place: planTarget(started), startedByIamUser: started.requesterIamUser });
  } catch (error) {
    services.log.error({ err: error, executeUuid }, 'could not link the order to its incident');
  }
  try {
    await trackPlanOrder(services, started, run);
  } catch (error) {
    services.log.error({ err: error, executeUuid }, 'could not start the live card of an order');
  }
  const approval = await approvalOf(services, started, ['approved', 'unknown']);
  const executed = approval ? await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'executed', runId: run }) : undefined;
  const vars = { approver: approval?.approverIamUser ?? '?', script: started.scriptName, uuid: executeUuid, platform: translator(started.requesterLocale)(platformName(started.backend)) };
  if (foundBy === 'reconciliation') {
    await resolveExecuteIntents(services, started, 'succeeded', `order ${executeUuid} found in COC's order list after the answer was lost`);
    await auditRun(services, started, 'run started (confirmed after a lost answer)', 'succeeded', null);
    const t = translator(started.requesterLocale);
    if (executed && approval) await announce(services, executed, started, APPROVAL_TEXT.toRequesterFoundLate, vars);
    // A requester who clicked Run and is waiting for the reply hears it there instead.
    else if (!options.requesterIsWaiting) await tellRequester(services, started, t(APPROVAL_TEXT.toRequesterFoundLate, vars), '', 'success');
  } else if (executed && approval) {
    await announce(services, executed, started, APPROVAL_TEXT.toRequesterApproved, vars);
  }
  return started;
}

/**
 * The run did not start and never will: the plan 'failed' with the reason (stored in the
 * requester's language), its approval too, the requester told when someone else decided it.
 */
export async function failPlan(
  services: Services,
  plan: RunPlanRow,
  from: readonly RunPlanState[],
  reason: Phrase,
  tellTheRequester: boolean,
  options: { readonly onlyIfUnsent?: boolean } = {},
): Promise<RunPlanRow | undefined> {
  const t = translator(plan.requesterLocale);
  const failed = await moveRunPlan(services.db, plan.id, from, 'failed', { error: say(reason, t), ...(options.onlyIfUnsent ? { onlyIfUnsent: true } : {}) });
  if (!failed) return undefined;
  // Only a plan whose outcome was unknown has an open execute request to settle: proven absent.
  if (plan.state === 'unknown') await resolveExecuteIntents(services, failed, 'failed', say(reason, translator('en-US')));
  const approval = await approvalOf(services, failed, ['approved', 'unknown']);
  const vars = { approver: approval?.approverIamUser ?? '?', script: failed.scriptName };
  if (approval) {
    const changed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'failed', error: say(reason, t) });
    if (changed && tellTheRequester) await announce(services, changed, failed, approval.state === 'unknown' ? APPROVAL_TEXT.toRequesterNotStarted : APPROVAL_TEXT.toRequesterFailed, vars);
  } else if (tellTheRequester) {
    await tellRequester(services, failed, t(APPROVAL_TEXT.toRequesterNotStarted, vars), say(reason, t), 'danger');
  }
  return failed;
}

/**
 * The execute may or may not have reached COC: the plan (and its approval) become 'unknown' and
 * are reconciled against COC until the order is found or proven absent. Never sent again.
 */
export async function markUnknown(
  services: Services,
  plan: RunPlanRow,
  reason: Phrase,
  options: { readonly tellTheRequester: boolean; readonly notice?: Text },
): Promise<RunPlanRow | undefined> {
  const t = translator(plan.requesterLocale);
  // The window to look for the order opens when the plan was claimed, just before the request.
  const unknown = await moveRunPlan(services.db, plan.id, ['starting'], 'unknown', { error: say(reason, t), executeSentAt: plan.executeSentAt ?? plan.updatedAt });
  if (!unknown) return undefined;
  await auditRun(services, unknown, 'run outcome unknown', 'pending', 'the answer to the execute request was lost; not sent again; looking for the order in COC');
  const approval = await approvalOf(services, unknown, ['approved']);
  const vars = { approver: approval?.approverIamUser ?? '?', script: unknown.scriptName };
  if (approval) {
    const changed = await updateApprovalIfVersion(services.db, approval.id, approval.version, { state: 'unknown', error: say(reason, t) });
    if (changed && options.tellTheRequester) await announce(services, changed, unknown, options.notice ?? APPROVAL_TEXT.toRequesterUnknown, vars);
  } else if (options.tellTheRequester) {
    await tellRequester(services, unknown, t(options.notice ?? APPROVAL_TEXT.toRequesterUnknown, vars), say(reason, t), 'warning');
  }
  return unknown;
}
