/**
 * Reconciling a run whose outcome is unknown against the platform itself: its run is searched
 * in the platform's own list (the backend's `runs.find`). Found → adopted exactly as if the
 * answer had arrived. Not found → it is proven absent only by two reads a settle period apart,
 * both after the request could have ended (its own timeout); until then it stays unknown. A
 * read that fails changes nothing. Nothing here ever sends the start again.
 */
import { platformName, type Backend, type RunId } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { backendTimeoutMs } from '../config.js';
import { phrase } from '../i18n/phrase.js';
import { utcTime } from '../i18n/format.js';
import { isOrderOfAnotherPlan, listUnknownPlansOf, noteRunPlanAbsent, type RunPlanRow } from '../store/run-plans.js';
import { FAILURE_TEXTS } from './failure-reasons.js';
import { executionRequestOf } from './plan-details.js';
import { adoptOrder, auditRun, failPlan } from './settle.js';
import { planTarget, requesterOf } from './targets.js';
import { translator, type Text } from '../i18n/translate.js';

/** Between the two reads that prove a run absent: longer than the platform takes to list a new one. */
export const ABSENCE_SETTLE_MS = 30_000;

export type Reconciled =
  | { readonly kind: 'started'; readonly run: RunId }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown' };

export interface ReconcileOptions {
  /** The requester is waiting for the reply of the click that sent the request (no separate note). */
  readonly requesterIsWaiting?: boolean;
}

/** One look on the platform for an 'unknown' plan's run; settles the plan when the look is conclusive. */
export async function reconcilePlan(services: Services, plan: RunPlanRow, options: ReconcileOptions = {}): Promise<Reconciled> {
  if (plan.state !== 'unknown') return { kind: 'unknown' };
  const sentAt = plan.executeSentAt ?? plan.updatedAt;
  let found;
  try {
    // Read with the requester's rights when they have their own credential: the platform lists their runs.
    const find = readerFor(services, plan).runs?.find;
    if (!find) return { kind: 'unknown' };
    found = await find({
      sentAt,
      request: executionRequestOf(plan, {}),
      windowMs: backendTimeoutMs(services.config),
      takenByOther: (id) => isOrderOfAnotherPlan(services.db, id, plan.id),
    });
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not read COC to reconcile a run whose outcome is unknown');
    return { kind: 'unknown' };
  }
  if (found.kind === 'found') {
    const adopted = await adoptOrder(services, plan, found.id, 'reconciliation', options);
    return adopted ? { kind: 'started', run: found.id } : { kind: 'unknown' };
  }
  if (found.kind === 'cannot-tell' && found.stopped) {
    await tellStopped(services, plan, found.stopped.task);
    return { kind: 'unknown' };
  }
  if (found.kind !== 'absent') return { kind: 'unknown' };
  // Before the request's own time limit has passed, the platform may still be creating the run.
  const check = await noteRunPlanAbsent(services.db, plan.id, backendTimeoutMs(services.config) + ABSENCE_SETTLE_MS, ABSENCE_SETTLE_MS);
  if (check.kind !== 'noted' || !check.proven) return { kind: 'unknown' };
  const reason = phrase(FAILURE_TEXTS.provenAbsent, { first: utcTime(check.since.getTime()), second: utcTime(check.at.getTime()), script: plan.scriptName });
  const failed = await failPlan(services, plan, ['unknown'], reason, true);
  return failed ? { kind: 'absent' } : { kind: 'unknown' };
}

const STOPPED_TEXT = {
  title: { 'en-US': 'Run of {script} stopped: its outcome stays unknown', 'zh-CN': '{script} 的执行已停止：结果仍未知' },
  text: {
    'en-US': 'No answer to the start of its first batch and no report from {platform} by the batch’s deadline. It was not sent again and no later batch ran. Check the task {task} on {platform} by hand: it may have run.',
    'zh-CN': '第一批的启动请求没有应答，且到该批次截止时间仍未收到 {platform} 的通知。请求未重发，后续批次均未执行。请在 {platform} 中人工核对任务 {task}：它可能已经执行。',
  },
} satisfies Record<string, Text>;

/** The look gave up on a run whose first batch stayed unknown: its requester is told, once (the give-up is one conditional change). */
async function tellStopped(services: Services, plan: RunPlanRow, task: string): Promise<void> {
  const platform = platformName(plan.backend);
  const t = translator(plan.requesterLocale, { platform: platform[plan.requesterLocale] ?? platform['en-US'] });
  try {
    await services.chat.notify(requesterOf(plan), { title: t(STOPPED_TEXT.title, { script: plan.scriptName }), text: t(STOPPED_TEXT.text, { task }), tone: 'warning', private: true }, planTarget(plan));
  } catch (error) {
    services.log.warn({ err: error, plan: plan.id }, 'could not tell the requester that a run stopped with its outcome unknown');
  }
  await auditRun(services, plan, 'run stopped', 'unknown', `the first batch's outcome stayed unknown past its deadline; check the task ${task} by hand`);
}

function readerFor(services: Services, plan: RunPlanRow): Backend {
  try {
    return services.backendFor({ credentialRef: plan.credentialRef ?? undefined, iamUserName: plan.requesterIamUser });
  } catch {
    // The requester's credential is gone from the bot's environment: the bot's own rights read the list.
    return services.backend;
  }
}

/** Looks for the runs of one person's unknown starts now (before their own list is shown). */
export async function reconcileRunsOf(services: Services, iamUserName: string): Promise<void> {
  for (const plan of await listUnknownPlansOf(services.db, iamUserName)) await reconcilePlan(services, plan, { requesterIsWaiting: true });
}
