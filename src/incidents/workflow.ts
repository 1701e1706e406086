/**
 * What can be done to an incident in each status, through COC's external handle API
 * (coc-api-notes §1.16): accept a TRIGGERED incident, submit the solution of an ACKNOWLEDGED
 * one, verify or reject (both `confirm`) a RESOLVED one. Nothing else is documented; other
 * statuses (draft, rejected, completed) have no action here.
 */
import type { IncidentDetail } from '../coc/schemas/incidents.js';
import type { Role } from '../store/vocabulary.js';

export type IncidentOperation = 'accept' | 'solve' | 'verify' | 'reject';

export interface OperationRule {
  /** The only status the operation fits. */
  readonly from: string;
  /** The lowest role that may do it. */
  readonly permission: Role;
  readonly operateKey: 'acceptedIncident1' | 'commitSolution1' | 'confirm';
}

export const OPERATIONS: Readonly<Record<IncidentOperation, OperationRule>> = {
  accept: { from: 'INCIDENT_STATUS_TRIGGERED', permission: 'operator', operateKey: 'acceptedIncident1' },
  solve: { from: 'INCIDENT_STATUS_ACKNOWLEDGED', permission: 'operator', operateKey: 'commitSolution1' },
  // Verifying someone's solution closes the incident: a second, more senior pair of eyes.
  verify: { from: 'INCIDENT_STATUS_RESOLVED', permission: 'approver', operateKey: 'confirm' },
  reject: { from: 'INCIDENT_STATUS_RESOLVED', permission: 'approver', operateKey: 'confirm' },
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

export const COMPLETED = 'INCIDENT_STATUS_COMPLETED';

/** Still being worked: polled for changes, summarised, WarRoom may be started. */
export function isOpen(status: string | null | undefined): boolean {
  return status !== COMPLETED && status !== 'incident_draft' && status !== null && status !== undefined;
}

export function operationsFor(status: string | null | undefined): IncidentOperation[] {
  return (Object.keys(OPERATIONS) as IncidentOperation[]).filter((operation) => OPERATIONS[operation].from === status);
}

export function fits(detail: IncidentDetail, operation: IncidentOperation): boolean {
  return detail.status === OPERATIONS[operation].from;
}

/** Incident numbers as COC writes them; checked before they go into a URL or a button. */
const INCIDENT_NUM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isIncidentNum(value: string): boolean {
  return INCIDENT_NUM.test(value);
}
