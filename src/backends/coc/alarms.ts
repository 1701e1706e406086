/**
 * COC's alarms: a custom event through an integration (coc-api-notes §1.20). The integration key
 * is a credential held here, never passed through neutral code; without one the group cannot report.
 */
import type { CocClient } from '../../coc/client.js';
import { ALARM_LEVELS, type CustomEventInput } from '../../coc/schemas/events.js';
import type { Secret } from '../../config.js';
import type { AlarmReport, AlarmSeverity, AlarmsCapability } from '../types/alarms.js';
import type { Coded } from '../types/coded.js';
import { nativeOf } from '../ids.js';
import { mapped } from './errors.js';
import { cocCallOptions } from './hosts.js';

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
    ...(integrationKey?.reveal()
      ? {
          async report(report, options) {
            await mapped(() => client.reportCustomEvent(integrationKey.reveal(), customEventOf(report), cocCallOptions(options)));
          },
        }
      : {}),
  };
}
