/**
 * Incident tickets and their workflow, as COC's external incident API drives it:
 *
 *   create → TRIGGERED --acceptedIncident1--> ACKNOWLEDGED --commitSolution1--> RESOLVED
 *   RESOLVED --confirm(virtual_confirm_result=true)--> COMPLETED
 *   RESOLVED --confirm(virtual_confirm_result=false)--> REJECTED (INCIDENT_STATUS_REJECTED, "被驳回")
 *   REJECTED --commitSolution1--> RESOLVED (the solution reworked and submitted again)
 *
 * The handle API documents three operate_keys only (accept, submit a solution, verify); of
 * them, submitting a solution is the one that fits a rejected incident, which is still being
 * handled: it was accepted before, and what was rejected is its solution.
 */
import type { SimClock } from '../clock.js';
import type { IdFactory } from '../ids.js';
import type { Incident, IncidentStatus } from './model.js';

export const OPERATE_KEYS = ['acceptedIncident1', 'commitSolution1', 'confirm'] as const;
export type OperateKey = (typeof OPERATE_KEYS)[number];

const ALLOWED_FROM: Readonly<Record<OperateKey, readonly IncidentStatus[]>> = {
  acceptedIncident1: ['INCIDENT_STATUS_TRIGGERED'],
  commitSolution1: ['INCIDENT_STATUS_ACKNOWLEDGED', 'INCIDENT_STATUS_REJECTED'],
  confirm: ['INCIDENT_STATUS_RESOLVED'],
};

/** operate_key does not fit the incident's status (rendered as 400 GOM.00007256). */
export class IncidentTransitionRejected extends Error {}

export type NewIncident = Omit<
  Incident,
  'incidentNum' | 'status' | 'createTime' | 'updateTime' | 'warroomId' | 'handleTime' | 'lastOperator' | 'faultRecoveryTime' | 'cause' | 'solution' | 'history'
>;

export class IncidentDesk {
  private readonly byNum = new Map<string, Incident>();
  private readonly ordered: Incident[] = [];

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: SimClock,
  ) {}

  /** Adds an incident as it is (seeding). */
  add(incident: Incident): void {
    this.byNum.set(incident.incidentNum, incident);
    this.ordered.push(incident);
  }

  create(input: NewIncident): Incident {
    const now = this.clock.now();
    const incident: Incident = {
      ...input,
      incidentNum: this.ids.incidentNum(now),
      status: 'INCIDENT_STATUS_TRIGGERED',
      createTime: now,
      updateTime: now,
      warroomId: null,
      handleTime: null,
      lastOperator: input.creator,
      faultRecoveryTime: null,
      cause: null,
      solution: null,
      history: [],
    };
    this.add(incident);
    return incident;
  }

  /** Every incident replaced by these, oldest first (a world restored from its file). */
  replaceAll(incidents: readonly Incident[]): void {
    this.byNum.clear();
    this.ordered.length = 0;
    for (const incident of incidents) this.add(incident);
  }

  get(incidentNum: string): Incident | undefined {
    return this.byNum.get(incidentNum);
  }

  /** Oldest first. */
  all(): readonly Incident[] {
    return this.ordered;
  }

  assertCanHandle(incident: Incident, key: OperateKey): void {
    const expected = ALLOWED_FROM[key];
    if (!expected.includes(incident.status)) {
      throw new IncidentTransitionRejected(
        `The incident ${incident.incidentNum} is ${incident.status}; operate_key [${key}] is only allowed when it is ${expected.join(' or ')}.`,
      );
    }
  }

  accept(incident: Incident, operator: string): void {
    this.assertCanHandle(incident, 'acceptedIncident1');
    const now = this.clock.now();
    incident.handleTime = now;
    this.move(incident, 'acceptedIncident1', operator, 'INCIDENT_STATUS_ACKNOWLEDGED', undefined);
  }

  commitSolution(incident: Incident, operator: string, solution: { mtmType: string; isServiceInterrupt: boolean; cause: string; solution: string }): void {
    this.assertCanHandle(incident, 'commitSolution1');
    incident.type = solution.mtmType;
    incident.isServiceInterrupt = solution.isServiceInterrupt;
    incident.cause = solution.cause;
    incident.solution = solution.solution;
    incident.faultRecoveryTime = this.clock.now();
    this.move(incident, 'commitSolution1', operator, 'INCIDENT_STATUS_RESOLVED', solution.solution);
  }

  confirm(incident: Incident, operator: string, accepted: boolean, comment: string): void {
    this.assertCanHandle(incident, 'confirm');
    this.move(incident, 'confirm', operator, accepted ? 'INCIDENT_STATUS_COMPLETED' : 'INCIDENT_STATUS_REJECTED', comment);
  }

  private move(incident: Incident, action: OperateKey, operator: string, to: IncidentStatus, comment: string | undefined): void {
    const now = this.clock.now();
    incident.history.push({ action, operator, fromStatus: incident.status, toStatus: to, at: now, comment });
    incident.status = to;
    incident.lastOperator = operator;
    incident.updateTime = now;
  }
}
