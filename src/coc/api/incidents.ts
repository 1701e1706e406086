/** Incidents: create, handle, detail (coc-api-notes §1.15–§1.17) and the v2 list (§2.1). */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import {
  CreatedIncident,
  CreateIncidentRequest,
  HandleIncidentRequest,
  HandleIncidentResult,
  IncidentDetail,
  IncidentListPage,
  ListIncidentsRequest,
  type CreateIncidentInput,
  type HandleIncidentInput,
  type ListIncidentsInput,
} from '../schemas/incidents.js';
import { operation, requestFor } from './operation.js';

export const INCIDENT_OPERATIONS = {
  create: operation('POST', '/v1/external/incident/create'),
  handle: operation('POST', '/v1/external/incident/handle'),
  get: operation('GET', '/v1/external/incident/{incident_num}'),
  list: operation('POST', '/v2/incidents/list'),
} as const;

/** Opens an incident; returns its number (`IM…`). Never retried. */
export async function createIncident(http: CocHttp, input: CreateIncidentInput, options?: CallOptions): Promise<string> {
  const body = validateInput(CreateIncidentRequest, input, INCIDENT_OPERATIONS.create);
  const created = await http.call(requestFor(INCIDENT_OPERATIONS.create, { body, envelope: 'pce', response: CreatedIncident }), options);
  return created.incident_num;
}

/** Accepts an incident, submits its solution, or confirms (verifies) the result. Never retried. */
export async function handleIncident(http: CocHttp, input: HandleIncidentInput, options?: CallOptions): Promise<void> {
  const body = validateInput(HandleIncidentRequest, input, INCIDENT_OPERATIONS.handle);
  await http.call(requestFor(INCIDENT_OPERATIONS.handle, { body, envelope: 'pce', response: HandleIncidentResult }), options);
}

export async function getIncident(http: CocHttp, incidentNum: string, options?: CallOptions): Promise<IncidentDetail> {
  return http.call(requestFor(INCIDENT_OPERATIONS.get, { pathParams: { incident_num: incidentNum }, envelope: 'pce', response: IncidentDetail }), options);
}

/**
 * Lists incidents with filters (v2). A POST that only reads, but it is still sent once: the
 * client retries GETs only.
 */
export async function listIncidents(http: CocHttp, input: ListIncidentsInput = {}, options?: CallOptions): Promise<IncidentListPage> {
  const body = validateInput(ListIncidentsRequest, input, INCIDENT_OPERATIONS.list);
  return http.call(requestFor(INCIDENT_OPERATIONS.list, { body, envelope: 'pce', response: IncidentListPage }), options);
}
