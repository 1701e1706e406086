/**
 * The incident workflow as COC's v2 incident APIs show it (coc-api-notes §2.1): the nodes of an
 * incident's handling (accept → submit the solution → verify), each with the actions it offers
 * now to whoever asks, and the incident's history as `histories` lists it.
 *
 * The nodes and action keys are the external handle API's documented ones (§1.16: operate_keys
 * acceptedIncident1, commitSolution1, confirm), on the statuses the simulator already knows;
 * the v2 pages document neither, so they are a model, not COC's recorded answer. Who may act:
 *
 * - accept and submit the solution: the incident's assignee (anyone, when it is assigned to an
 *   on-call scene and role instead of a person);
 * - verify or reject (confirm): anyone but the person who submitted the solution;
 * - the tenant's automation account (the IAM user owning the simulator's default AK/SK) acts
 *   for people (a chat bot sharing one credential): it is offered every action that fits the
 *   status, and the person it names as `operator` is recorded.
 *
 * A task id names one node in one round of the incident: it changes whenever the incident
 * moves, so an action on a task that is no longer current is refused, as COC refuses a
 * finished task.
 */
import type { Incident, IncidentStatus } from './model.js';
import { INCIDENT_STATUS_NAMES, type EnumName } from './incident-enums.js';
import type { OperateKey } from './incidents.js';

/** The IAM user name of the tenant's automation account (the demo AK/SK's owner). */
export const AUTOMATION_ACCOUNT = 'chatops-bot';

export interface WorkflowNode {
  readonly key: 'acceptedIncident' | 'commitSolution' | 'confirm';
  readonly action: OperateKey;
  readonly name: EnumName;
  /** The statuses in which the node is the one being worked. */
  readonly runningIn: readonly IncidentStatus[];
  /** The statuses after it. */
  readonly finishedIn: readonly IncidentStatus[];
}

export const WORKFLOW_NODES: readonly WorkflowNode[] = [
  {
    key: 'acceptedIncident',
    action: 'acceptedIncident1',
    name: { zh: '受理', en: 'Accept' },
    runningIn: ['INCIDENT_STATUS_TRIGGERED'],
    finishedIn: ['INCIDENT_STATUS_ACKNOWLEDGED', 'INCIDENT_STATUS_REJECTED', 'INCIDENT_STATUS_RESOLVED', 'INCIDENT_STATUS_COMPLETED'],
  },
  {
    key: 'commitSolution',
    action: 'commitSolution1',
    name: { zh: '处理', en: 'Resolve' },
    runningIn: ['INCIDENT_STATUS_ACKNOWLEDGED', 'INCIDENT_STATUS_REJECTED'],
    finishedIn: ['INCIDENT_STATUS_RESOLVED', 'INCIDENT_STATUS_COMPLETED'],
  },
  {
    key: 'confirm',
    action: 'confirm',
    name: { zh: '验证', en: 'Verify' },
    runningIn: ['INCIDENT_STATUS_RESOLVED'],
    finishedIn: ['INCIDENT_STATUS_COMPLETED'],
  },
];

/** The names `histories` gives each action (the handle API's keys, creation and the WarRoom). */
export const HISTORY_ACTION_NAMES: Readonly<Record<string, EnumName>> = {
  createIncident: { zh: '创建事件', en: 'Create incident' },
  acceptedIncident1: { zh: '受理', en: 'Accept' },
  commitSolution1: { zh: '提交解决方案', en: 'Submit solution' },
  confirm: { zh: '验证', en: 'Verify' },
  startWarRoom: { zh: '拉起 WarRoom', en: 'Start WarRoom' },
};

export interface Caller {
  readonly userId: string;
  readonly userName: string;
}

export function isAutomationAccount(caller: Caller): boolean {
  return caller.userName === AUTOMATION_ACCOUNT;
}

/** Who submitted the solution now awaiting verification. */
function solver(incident: Incident): string | undefined {
  return incident.history.findLast((entry) => entry.action === 'commitSolution1')?.operator;
}

/** Whether this person may take the node's action now (the status aside). */
export function mayAct(incident: Incident, node: WorkflowNode, userId: string): boolean {
  const assignedToPeople = incident.assignee.length > 0;
  switch (node.action) {
    case 'acceptedIncident1':
    case 'commitSolution1':
      return !assignedToPeople || incident.assignee.includes(userId);
    default:
      return solver(incident) !== userId;
  }
}

export function taskIdOf(incident: Incident, node: WorkflowNode): string {
  return `${incident.incidentNum}-${node.key}-${incident.history.length}`;
}

export interface TaskView {
  readonly type: string;
  readonly key: string;
  readonly name: string;
  readonly state: 'finished' | 'running' | 'pending';
  readonly operations: { readonly task_id: string; readonly key: string }[];
}

/** The nodes as the tasks call answers them, for this caller (names in the caller's language). */
export function tasksFor(incident: Incident, caller: Caller, language: 'zh' | 'en'): TaskView[] {
  return WORKFLOW_NODES.map((node) => {
    const running = node.runningIn.includes(incident.status);
    const state = running ? 'running' : node.finishedIn.includes(incident.status) ? 'finished' : 'pending';
    const offered = running && (isAutomationAccount(caller) || mayAct(incident, node, caller.userId));
    return {
      type: 'userTask',
      key: node.key,
      name: node.name[language],
      state,
      operations: offered ? [{ task_id: taskIdOf(incident, node), key: node.action }] : [],
    };
  });
}

export function statusName(status: string): EnumName {
  return INCIDENT_STATUS_NAMES[status] ?? { zh: status, en: status };
}
