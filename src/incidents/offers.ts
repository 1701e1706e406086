/**
 * The actions the platform offers on an incident now, to the person asking (COC's v2 tasks
 * call), in the product's words: which of accept, solve, verify and reject a card offers, and
 * the platform's task and action each is taken through.
 */
import type { IncidentId, IncidentOffer, IncidentsCapability, IncidentWorkflow } from '../backends/index.js';
import type { IncidentOperation } from './workflow.js';

export type OfferedOperations = ReadonlyMap<IncidentOperation, IncidentOffer>;

const ORDER: readonly IncidentOperation[] = ['accept', 'solve', 'verify', 'reject'];

export function offeredOperations(workflow: IncidentWorkflow): OfferedOperations {
  const offered = new Map<IncidentOperation, IncidentOffer>();
  for (const operation of ORDER) {
    const offer = workflow.offers.find((candidate) => candidate.operations.includes(operation));
    if (offer) offered.set(operation, offer);
  }
  return offered;
}

/** Whether the platform says which actions fit an incident now (and takes them). */
export function hasWorkflow(incidents: IncidentsCapability): incidents is IncidentsCapability & Required<Pick<IncidentsCapability, 'workflow' | 'act'>> {
  return incidents.workflow !== undefined && incidents.act !== undefined;
}

/** The offered operations, or undefined when the platform cannot say (no such API, or it could not be read). */
export async function readOffered(incidents: IncidentsCapability, id: IncidentId): Promise<OfferedOperations | undefined> {
  if (!hasWorkflow(incidents)) return undefined;
  try {
    return offeredOperations(await incidents.workflow(id));
  } catch {
    return undefined;
  }
}
