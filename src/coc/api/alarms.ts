/** COC's alarm management (coc-api-notes §2.2): show, link to an incident, clear, handling history, auto-process. */
import type { CallOptions, CocHttp } from '../http.js';
import {
  AlarmHandleHistoriesPage,
  AlarmHandleHistoriesQuery,
  AlarmInfo,
  AlarmToIncidentRequest,
  AlarmToIncidentResult,
  AutoProcessAlarmRequest,
  AutoProcessAlarmResult,
  ClearAlarmRequest,
  ClearAlarmResult,
  type AlarmHandleHistoriesInput,
  type AlarmToIncidentInput,
  type AutoProcessAlarmInput,
  type ClearAlarmInput,
} from '../schemas/alarms.js';
import { validateInput } from '../schemas/problems.js';
import { operation, requestFor } from './operation.js';

export const ALARM_OPERATIONS = {
  show: operation('GET', '/v1/alarm-mgmt/alarm/{alarm_id}'),
  linkIncident: operation('POST', '/v1/alarm-mgmt/alarms-linked-incident'),
  clear: operation('POST', '/v1/alarm-mgmt/alarms/cancel'),
  handleHistories: operation('GET', '/v1/alarm-mgmt/alarm/{alarm_id}/handle-histories'),
  autoProcess: operation('POST', '/v1/alarm-mgmt/alarm/{alarm_id}/auto-process'),
} as const;

export async function getAlarm(http: CocHttp, alarmId: string, options?: CallOptions): Promise<AlarmInfo> {
  return http.call(requestFor(ALARM_OPERATIONS.show, { pathParams: { alarm_id: alarmId }, envelope: 'data', response: AlarmInfo }), options);
}

/** Turns alarms into one new incident linked to them; returns what COC answers (the incident's number first). Never retried. */
export async function linkAlarmsToIncident(http: CocHttp, input: AlarmToIncidentInput, options?: CallOptions): Promise<string[]> {
  const body = validateInput(AlarmToIncidentRequest, input, ALARM_OPERATIONS.linkIncident);
  return http.call(requestFor(ALARM_OPERATIONS.linkIncident, { body, envelope: 'data', response: AlarmToIncidentResult }), options);
}

/** Clears alarms, with the reason COC files as the remarks. Never retried. */
export async function clearAlarms(http: CocHttp, input: ClearAlarmInput, options?: CallOptions): Promise<string[]> {
  const body = validateInput(ClearAlarmRequest, input, ALARM_OPERATIONS.clear);
  return http.call(requestFor(ALARM_OPERATIONS.clear, { body, envelope: 'data', response: ClearAlarmResult }), options);
}

/** The alarm's automatic handlings (script or runbook runs) and, once cleared, who cleared it. */
export async function listAlarmHandleHistories(http: CocHttp, alarmId: string, query: AlarmHandleHistoriesInput, options?: CallOptions): Promise<AlarmHandleHistoriesPage> {
  const checked = validateInput(AlarmHandleHistoriesQuery, query, ALARM_OPERATIONS.handleHistories);
  return http.call(
    requestFor(ALARM_OPERATIONS.handleHistories, { pathParams: { alarm_id: alarmId }, query: checked, envelope: 'bare', response: AlarmHandleHistoriesPage }),
    options,
  );
}

/** Runs the alarm's linked script or runbook; returns the work order id when COC names one. Never retried. */
export async function autoProcessAlarm(http: CocHttp, alarmId: string, input: AutoProcessAlarmInput, options?: CallOptions): Promise<string | undefined> {
  const body = validateInput(AutoProcessAlarmRequest, input, ALARM_OPERATIONS.autoProcess);
  return http.call(requestFor(ALARM_OPERATIONS.autoProcess, { pathParams: { alarm_id: alarmId }, body, envelope: 'data', response: AutoProcessAlarmResult }), options);
}
