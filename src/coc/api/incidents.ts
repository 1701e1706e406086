/** Incidents: create, handle, detail (coc-api-notes §1.15–§1.17), the v2 list and the v2 workflow (§2.1). */
import type { CallOptions, CocHttp } from '../http.js';
import { validateInput } from '../schemas/problems.js';
import {
  CreatedIncident,
  CreateIncidentRequest,
  IncidentActionRequest,
  IncidentActionResult,
  IncidentHistories,
  IncidentTasks,
  ListIncidentHistoriesRequest,
  HandleIncidentRequest,
  HandleIncidentResult,
  IncidentDetail,
  IncidentListPage,
  ListIncidentsRequest,
  type CreateIncidentInput,
  type HandleIncidentInput,
  type IncidentActionInput,
  type ListIncidentHistoriesInput,
  type ListIncidentsInput,
} from '../schemas/incidents.js';
import { operation, requestFor } from './operation.js';

export const INCIDENT_OPERATIONS = {
  create: operation('POST', '/v1/external/incident/create'),
  handle: operation('POST', '/v1/external/incident/handle'),
  get: operation('GET', '/v1/external/incident/{incident_num}'),
  list: operation('POST', '/v2/incidents/list'),
  tasks: operation('GET', '/v2/incidents/{incident_id}/tasks'),
  act: operation('POST', '/v2/incidents/{incident_id}/actions'),
  histories: operation('POST', '/v2/incidents/{incident_id}/histories'),
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

/** The incident's workflow nodes and the actions each offers now, to whoever asks (ShowIncidentTask). */
export async function showIncidentTasks(http: CocHttp, incidentId: string, options?: CallOptions): Promise<IncidentTasks> {
  return http.call(requestFor(INCIDENT_OPERATIONS.tasks, { pathParams: { incident_id: incidentId }, envelope: 'pce', response: IncidentTasks }), options);
}

/** Takes one action the tasks call offered (HandleIncident v2). A write: never retried. */
export async function actOnIncident(http: CocHttp, incidentId: string, input: IncidentActionInput, options?: CallOptions): Promise<void> {
  const body = validateInput(IncidentActionRequest, input, INCIDENT_OPERATIONS.act);
  await http.call(requestFor(INCIDENT_OPERATIONS.act, { pathParams: { incident_id: incidentId }, body, envelope: 'pce', response: IncidentActionResult }), options);
}

/**
 * What was done to the incident, by whom and when (ListIncidentsHistories). A POST that only
 * reads (no audit intent), sent once like the list.
 */
export async function listIncidentHistories(http: CocHttp, incidentId: string, input: ListIncidentHistoriesInput = {}, options?: CallOptions): Promise<IncidentHistories> {
  const body = validateInput(ListIncidentHistoriesRequest, input, INCIDENT_OPERATIONS.histories);
  return http.call(requestFor(INCIDENT_OPERATIONS.histories, { pathParams: { incident_id: incidentId }, body, envelope: 'pce', response: IncidentHistories }), options);
}
