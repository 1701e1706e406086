/**
 * What can be done to an incident in each state, through the platform's handle call: accept a
 * triggered incident, submit the solution of an acknowledged one, verify or reject a resolved
 * one, and submit a reworked solution for a rejected one (COC's handle call documents three
 * operations; of them only "submit the solution" fits an incident whose solution was
 * rejected, which is how it gets back to verification and on to completion). Other states
 * (draft, completed) have no action here.
 */
import type { Coded, Incident, IncidentState } from '../backends/index.js';
import type { Role } from '../store/vocabulary.js';

export type IncidentOperation = 'accept' | 'solve' | 'verify' | 'reject';

export interface OperationRule {
  /** The states the operation fits. */
  readonly from: readonly IncidentState[];
  /** Where it takes the incident (a rejected solution goes back to rework; a platform may also show it rejected). */
  readonly to: readonly IncidentState[];
  /** The lowest role that may do it. */
  readonly permission: Role;
}

export const OPERATIONS: Readonly<Record<IncidentOperation, OperationRule>> = {
  accept: { from: ['triggered'], to: ['acknowledged'], permission: 'operator' },
  // A rejected solution is reworked and submitted again.
  solve: { from: ['acknowledged', 'rejected'], to: ['resolved'], permission: 'operator' },
  // Verifying someone's solution closes the incident: a second, more senior pair of eyes.
  verify: { from: ['resolved'], to: ['completed'], permission: 'approver' },
  // COC reports a rejected solution as REJECTED; a platform may instead send it back to acknowledged.
  reject: { from: ['resolved'], to: ['rejected', 'acknowledged'], permission: 'approver' },
};

export const INCIDENT_ACTION_IDS = {
  accept: 'incident:accept',
  solve: 'incident:solve',
  verify: 'incident:verify',
  reject: 'incident:reject',
  refresh: 'incident:refresh',
  warRoom: 'incident:warroom',
} as const;

export const INCIDENT_FORM_IDS = {
  create: 'incident:create',
  solution: 'incident:solution',
  verify: 'incident:verify',
  reject: 'incident:reject',
} as const;

type Status = Coded<IncidentState> | undefined;

export function isCompleted(status: Status): boolean {
  return status?.state === 'completed';
}

/** Still being worked: polled for changes, summarised, WarRoom may be started. */
export function isOpen(status: Status): boolean {
  return status !== undefined && status.state !== 'completed' && status.state !== 'draft';
}

export function operationsFor(status: Status): IncidentOperation[] {
  return (Object.keys(OPERATIONS) as IncidentOperation[]).filter((operation) => status !== undefined && OPERATIONS[operation].from.includes(status.state));
}

export function fits(detail: Pick<Incident, 'status'>, operation: IncidentOperation): boolean {
  const state = detail.status?.state;
  return state !== undefined && OPERATIONS[operation].from.includes(state);
}

/** Whether the incident's solution was rejected (it is to be reworked and submitted again). */
export function isRejected(status: Status): boolean {
  return status?.state === 'rejected';
}

/** Incident numbers as the platform writes them; checked before they go into a URL or a button. */
const INCIDENT_NUM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isIncidentNum(value: string): boolean {
  return INCIDENT_NUM.test(value);
}
