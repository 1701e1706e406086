/**
 * COC's alarms: a custom event through an integration (coc-api-notes §1.20), and COC's alarm
 * centre (§2.2): one alarm, turning it into an incident, clearing it, its handling history and
 * running its linked automation. The integration key is a credential held here, never passed
 * through neutral code; without one the group cannot report. COC has no alarm list API, so
 * `list` stays absent (the `alarms` list command is BlueKing's only).
 */
import * as api from '../../coc/api/alarms.js';
import type { CocClient } from '../../coc/client.js';
import { ALARM_IMPORTANCES, type AlarmHandleHistoriesPage, type AlarmInfo } from '../../coc/schemas/alarms.js';
import { ALARM_LEVELS, type CustomEventInput } from '../../coc/schemas/events.js';
import { INCIDENT_LEVELS, INCIDENT_TYPES } from '../../coc/schemas/incidents.js';
import type { Secret } from '../../config.js';
import type { Alarm, AlarmAutomation, AlarmHistory, AlarmReport, AlarmSeverity, AlarmsCapability } from '../types/alarms.js';
import type { Coded } from '../types/coded.js';
import { isNotFound } from '../errors.js';
import { makeId, nativeOf } from '../ids.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

/** The alarm centre's importance in the product's words (urgent 紧急, major 重要, minor 次要, warn 提示). */
const IMPORTANCE: Readonly<Record<(typeof ALARM_IMPORTANCES)[number], AlarmSeverity>> = { urgent: 'critical', major: 'major', minor: 'minor', warn: 'info' };

function severityOf(code: string | null | undefined): Coded<AlarmSeverity> {
  const known = code !== null && code !== undefined && Object.hasOwn(IMPORTANCE, code);
  // An importance COC does not document is shown as it came, at the highest severity: never played down.
  return { state: known ? IMPORTANCE[code as keyof typeof IMPORTANCE] : 'critical', code: code ?? '' };
}

function automationOf(info: AlarmInfo): AlarmAutomation | undefined {
  if (!info.task_type || !info.associated_task_id) return undefined;
  if (info.task_type !== 'SCRIPT' && info.task_type !== 'RUNBOOK') return undefined;
  return {
    kind: info.task_type === 'SCRIPT' ? 'script' : 'runbook',
    id: info.associated_task_id,
    name: info.associated_task_name ?? info.associated_task_id,
    shared: info.associated_task_type === 'COMMUNAL',
  };
}

/** AlarmInfoDto in the product's words. */
export function alarmOf(info: AlarmInfo): Alarm {
  const automation = automationOf(info);
  return {
    id: makeId('coc', 'alarm', info.id),
    title: info.name ?? info.id,
    level: severityOf(info.importance),
    statusCode: info.status ?? '',
    ...(typeof info.create_time === 'number' ? { beganAt: info.create_time } : {}),
    ...(info.status === 'resolved' && typeof info.update_time === 'number' ? { endedAt: info.update_time } : {}),
    ...(info.come_from_en || info.come_from ? { source: (info.come_from_en || info.come_from)! } : {}),
    ...(info.app ? { application: info.app } : {}),
    ...(info.owner_name || info.owner_alias ? { owner: (info.owner_name || info.owner_alias)! } : {}),
    ...(info.region ? { region: info.region, target: info.region } : {}),
    ...(info.associate_event_id ? { incident: info.associate_event_id } : {}),
    ...(info.transfer_rule_name ? { rule: info.transfer_rule_name } : {}),
    ...(typeof info.converge_count === 'number' ? { count: info.converge_count } : {}),
    ...(info.remarks ? { remarks: info.remarks } : {}),
    ...(automation ? { automation } : {}),
  };
}

function historyOf(page: AlarmHandleHistoriesPage): AlarmHistory {
  const record = page.resolved_record;
  return {
    total: page.count,
    handlings: page.alarm_handle_histories.map((entry) => ({
      ...(entry.work_order_id ? { workOrder: entry.work_order_id } : {}),
      ...(entry.create_alias || entry.create_name ? { by: (entry.create_alias || entry.create_name)! } : {}),
      ...(entry.task_type ? { kind: entry.task_type } : {}),
      ...(entry.associated_task_name ? { automation: entry.associated_task_name } : {}),
      ...(entry.status ? { status: entry.status } : {}),
      ...(typeof entry.start_time === 'number' ? { startedAt: entry.start_time } : {}),
      ...(typeof entry.end_time === 'number' ? { endedAt: entry.end_time } : {}),
    })),
    ...(record
      ? {
          cleared: {
            ...(typeof record.resolved_time === 'number' ? { at: record.resolved_time } : {}),
            ...(record.create_name ? { by: record.create_name } : {}),
            ...(record.remarks ? { reason: record.remarks } : {}),
          },
        }
      : {}),
  };
}

const SEVERITY: Readonly<Record<(typeof ALARM_LEVELS)[number], AlarmSeverity>> = { Critical: 'critical', Major: 'major', Minor: 'minor', Info: 'info' };
const LEVELS: readonly Coded<AlarmSeverity>[] = ALARM_LEVELS.map((code) => ({ state: SEVERITY[code], code }));

/** The custom event for a report: its source is both the namespace and the source COC files it under. */
export function customEventOf(report: AlarmReport): CustomEventInput {
  const host = report.host;
  return {
    alarmId: report.id,
    alarmName: report.name,
    alarmLevel: report.levelCode as (typeof ALARM_LEVELS)[number],
    time: report.time,
    nameSpace: report.source,
    alarmDesc: report.description,
    alarmSource: report.source,
    applicationId: report.application,
    alarmStatus: report.clear ? 'ok' : 'alarm',
    ...(host?.region ? { regionId: host.region } : {}),
    ...(host?.name ? { resourceName: host.name } : {}),
    ...(host ? { resourceId: nativeOf(host.id) } : {}),
    additional: { ...report.details },
  };
}

export function cocAlarms(client: CocClient, integrationKey: Secret | undefined): AlarmsCapability {
  return {
    levels: LEVELS,
    statusCodes: { raised: 'alarm', cleared: 'ok' },
    takesReports: true,
    incidentCodes: { levels: INCIDENT_LEVELS, types: INCIDENT_TYPES },
    async get(id, options) {
      try {
        return alarmOf(await mapped(() => api.getAlarm(client.http, nativeOf(id), cocCallOptions(options))));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async linkToIncident(request, options) {
      const answer = await mapped(() =>
        api.linkAlarmsToIncident(
          client.http,
          {
            alarm_ids: nativeOf(request.alarm),
            current_cloud_service_id: request.application,
            description: request.description,
            is_service_interrupt: request.serviceInterrupted,
            level_id: request.levelCode as (typeof INCIDENT_LEVELS)[number],
            mtm_type: request.typeCode as (typeof INCIDENT_TYPES)[number],
            title: request.title,
            ...(request.region ? { mtm_region: request.region } : {}),
            ...(request.assignee ? { assignee: request.assignee } : {}),
          },
          cocCallOptions(options),
        ),
      );
      return answer[0] ? { incident: answer[0] } : {};
    },
    async clear(request, options) {
      await mapped(() =>
        api.clearAlarms(
          client.http,
          { alarm_ids: nativeOf(request.alarm), remarks: request.reason, ...(request.serviceInterrupted !== undefined ? { is_service_interrupt: request.serviceInterrupted } : {}) },
          cocCallOptions(options),
        ),
      );
    },
    async history(id, page, options) {
      return historyOf(await mapped(() => api.listAlarmHandleHistories(client.http, nativeOf(id), page, cocCallOptions(options))));
    },
    async runLinked(request, options) {
      const automation = request.automation;
      const workOrder = await mapped(() =>
        api.autoProcessAlarm(
          client.http,
          nativeOf(request.alarm),
          {
            task_type: automation.kind === 'script' ? 'SCRIPT' : 'RUNBOOK',
            associated_task_id: automation.id,
            associated_task_type: automation.shared ? 'COMMUNAL' : 'CUSTOMIZATION',
            associated_task_name: automation.name,
            input_param: { ...request.parameters },
            ...(request.region ? { region_id: request.region } : {}),
          },
          cocCallOptions(options),
        ),
      );
      return workOrder ? { workOrder } : {};
    },
    ...(integrationKey?.reveal()
      ? {
          async report(report, options) {
            await mapped(() => client.reportCustomEvent(integrationKey.reveal(), customEventOf(report), cocCallOptions(options)));
          },
        }
      : {}),
  };
}
