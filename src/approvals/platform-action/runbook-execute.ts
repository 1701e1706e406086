/**
 * A runbook (COC document) executed once approved (`runbook run <id>` on a HIGH-risk or
 * unclassified one). On Approve the runbook is read again as the requester: gone, another version,
 * other parameter definitions, another risk, or values that no longer fit its definitions make
 * the request void, naming what changed. The execute names the version approved; a lost answer is
 * settled by the runbook's executions (a new one with these values = it started).
 */
import { label, nativeOf, need, platformName } from '../../backends/index.js';
import { shown } from '../../i18n/format.js';
import { executionCard } from '../../runbooks/execution-card.js';
import { trackExecutionCard } from '../../runbooks/execution-tracking.js';
import { requesterOf } from '../../script-changes/announce.js';
import { runbookChanges } from '../../runbooks/pin.js';
import { executionStarted } from '../../runbooks/settle-execute.js';
import type { PlatformActionKindDefinition } from './kind.js';
import { RUNBOOK_APPROVAL_TEXT as T } from './runbook-execute-texts.js';

export const RUNBOOK_EXECUTE_ACTION: PlatformActionKindDefinition<'runbook-execute'> = {
  kind: 'runbook-execute',
  texts: T,
  resultLabel: T.execution,
  vars(t, approval, action) {
    return { runbook: action.plan.runbookName, id: nativeOf(action.plan.runbookId), platform: t(platformName(action.backend)), requester: approval.requesterIamUser };
  },
  fields(t, action, locale, vocabulary) {
    const plan = action.plan;
    // Stored without order: shown by name.
    const params = Object.entries(plan.parameters).sort(([a], [b]) => a.localeCompare(b));
    return [
      { label: t(T.runbook), value: `${plan.runbookName} (${nativeOf(plan.runbookId)})` },
      ...(plan.version ? [{ label: t(T.version), value: plan.version }] : []),
      { label: t(T.risk), value: label(vocabulary, 'riskLevel', plan.risk, locale) },
      { label: t(T.parameters), value: params.length ? params.map(([name, value]) => `${name}=${shown(value, 60)}`).join('\n') : t(T.noParameters) },
    ];
  },
  async staleness(backend, _approval, action) {
    const plan = action.plan;
    const runbook = await need(backend, 'runbooks').get(plan.runbookId);
    const then = { id: nativeOf(plan.runbookId), pin: { version: plan.version, definitionHash: plan.definitionHash }, risk: plan.risk, parameters: plan.parameters };
    if (runbookChanges((words) => words['en-US'], runbook, then).length === 0) return undefined;
    return { title: T.changedSince, why: (t) => runbookChanges(t, runbook, then).join('; ') };
  },
  async send(backend, action) {
    const plan = action.plan;
    const id = await need(backend, 'runbooks').execute({
      id: plan.runbookId,
      ...(plan.version ? { version: plan.version } : {}),
      parameters: plan.parameters,
      description: `chat: ${plan.requestedBy}`,
    });
    return nativeOf(id);
  },
  async readBack(backend, action) {
    const plan = action.plan;
    const seen = await executionStarted(need(backend, 'runbooks'), plan.runbookId, plan.parameters, plan.executions);
    return seen === 'unchanged' || seen === undefined ? seen : { done: nativeOf(seen.done) };
  },
  async afterDone(services, approval, action) {
    const execution = action.result ? services.backend.parseId('execution', action.result) : undefined;
    if (!execution) return;
    // The live card goes where the run was asked for, as an approved order's does.
    await trackExecutionCard(services, {
      execution,
      target: { platform: approval.platform, workspaceId: approval.workspaceId, channelId: action.channelId, ...(action.threadRef ? { threadId: action.threadRef } : {}) },
      locale: action.requesterLocale,
      startedBy: requesterOf(approval),
    });
  },
  async doneCard(context, backend, action) {
    if (!action.result) return undefined;
    const execution = await need(backend, 'runbooks').execution(backend.parseId('execution', action.result)!);
    return execution && executionCard(context, execution);
  },
};
