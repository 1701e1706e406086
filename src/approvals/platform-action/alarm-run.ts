/**
 * An alarm's linked automation (a script or a runbook) auto-processed by the platform once
 * approved (`alarms run <id>` on a HIGH-risk one). On Approve the alarm is read again as the
 * requester: gone, cleared, handled since the request, linked to something else, or its script
 * (hash and modification time) or runbook (version, definitions, risk, the values) changed since
 * makes the request void. A lost answer is settled by the alarm's handlings: one more = it ran.
 */
import { label, makeId, nativeOf, need, platformName, type Backend } from '../../backends/index.js';
import { shown } from '../../i18n/format.js';
import { runbookChanges } from '../../runbooks/pin.js';
import type { PlatformActionRow } from '../../store/platform-actions.js';
import { ALARM_RUN_APPROVAL_TEXT as T } from './alarm-run-texts.js';
import type { PlatformActionKindDefinition } from './kind.js';

type AlarmRunAction = PlatformActionRow<'alarm-run'>;

async function staleness(backend: Backend, approval: Parameters<PlatformActionKindDefinition<'alarm-run'>['staleness']>[1], action: AlarmRunAction) {
  const plan = action.plan;
  const alarms = need(backend, 'alarms');
  const alarm = await alarms.get!(plan.alarmId);
  if (!alarm) return { title: T.goneSince };
  // Ended (the alarm centre's resolved alarm) or cleared (a reported one): nothing is left to handle.
  if (alarm.endedAt !== undefined || alarm.statusCode === alarms.statusCodes.cleared) return { title: T.clearedSince };
  const automation = alarm.automation;
  if (!automation || automation.kind !== plan.automation.kind || automation.id !== plan.automation.id) return { title: T.relinkedSince };
  if (automation.kind === 'runbook') {
    const runbook = await need(backend, 'runbooks').get(makeId(backend.name, 'template', automation.id));
    const then = { id: automation.id, pin: plan.runbook ?? { version: null, definitionHash: '' }, risk: plan.risk, parameters: plan.parameters };
    if (runbookChanges((words) => words['en-US'], runbook, then).length > 0) {
      return { title: T.scriptChangedSince, why: (t: Parameters<typeof runbookChanges>[0]) => runbookChanges(t, runbook, then).join('; ') };
    }
  } else {
    const script = await need(backend, 'scripts').get(makeId(backend.name, 'script', automation.id));
    if (!script || script.pin.hash !== approval.scriptContentHash || script.pin.modifiedAt !== approval.scriptModifiedAt) return { title: T.scriptChangedSince };
  }
  if (plan.handlings !== null && alarms.history) {
    const now = await alarms.history(plan.alarmId, { limit: 1, offset: 0 });
    if (now.total > plan.handlings) return { title: T.handledSince };
  }
  return undefined;
}

export const ALARM_RUN_ACTION: PlatformActionKindDefinition<'alarm-run'> = {
  kind: 'alarm-run',
  texts: T,
  resultLabel: T.workOrder,
  vars(t, approval, action) {
    const plan = action.plan;
    return {
      script: approval.scriptName,
      id: nativeOf(plan.alarmId),
      alarm: shown(plan.alarmTitle, 80),
      thing: t(plan.automation.kind === 'runbook' ? T.thingRunbook : T.thingScript),
      platform: t(platformName(action.backend)),
      requester: approval.requesterIamUser,
    };
  },
  fields(t, action, locale, vocabulary) {
    const plan = action.plan;
    // Stored without order: shown by name.
    const params = Object.entries(plan.parameters).sort(([a], [b]) => a.localeCompare(b));
    return [
      { label: t(T.alarm), value: `${shown(plan.alarmTitle, 80)} (${nativeOf(plan.alarmId)})` },
      { label: t(plan.automation.kind === 'runbook' ? T.runbook : T.script), value: plan.automation.name },
      { label: t(T.risk), value: label(vocabulary, 'riskLevel', plan.risk, locale) },
      ...(plan.region ? [{ label: t(T.region), value: plan.region }] : []),
      { label: t(T.parameters), value: params.length ? params.map(([name, value]) => `${name}=${shown(value, 60)}`).join('\n') : t(T.noParameters) },
    ];
  },
  staleness,
  async send(backend, action) {
    const alarms = need(backend, 'alarms');
    if (!alarms.runLinked) throw new Error('alarm run approval: the backend declares alarms.run-linked without runLinked');
    const plan = action.plan;
    const sent = await alarms.runLinked({ alarm: plan.alarmId, automation: plan.automation, parameters: plan.parameters, ...(plan.region ? { region: plan.region } : {}) });
    return sent.workOrder;
  },
  async readBack(backend, action) {
    const history = need(backend, 'alarms').history;
    const plan = action.plan;
    if (!history || plan.handlings === null) return undefined;
    const after = await history(plan.alarmId, { limit: 1, offset: 0 });
    return after.total > plan.handlings ? { done: after.handlings[0]?.workOrder } : 'unchanged';
  },
};
