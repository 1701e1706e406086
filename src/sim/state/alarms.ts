/**
 * Alarms reported through the custom-event API. A report with alarmStatus "ok" for an alarm
 * id already seen under the same integration key clears it instead of adding a new one.
 */
import type { Alarm } from './model.js';

export class AlarmInbox {
  private readonly byKey = new Map<string, Alarm>();
  private readonly ordered: Alarm[] = [];

  receive(alarm: Alarm): Alarm {
    const key = `${alarm.integrationKey}\u0000${alarm.alarmId}`;
    const existing = this.byKey.get(key);
    if (existing && alarm.alarmStatus === 'ok') {
      existing.alarmStatus = 'ok';
      existing.updatedAt = alarm.receivedAt;
      return existing;
    }
    this.byKey.set(key, alarm);
    this.ordered.push(alarm);
    return alarm;
  }

  /** Every alarm replaced by these, oldest first (a world restored from its file). */
  replaceAll(alarms: readonly Alarm[]): void {
    this.byKey.clear();
    this.ordered.length = 0;
    for (const alarm of alarms) {
      this.byKey.set(`${alarm.integrationKey}\u0000${alarm.alarmId}`, alarm);
      this.ordered.push(alarm);
    }
  }

  /** Oldest first. */
  all(): readonly Alarm[] {
    return this.ordered;
  }

  private board: AlarmBoard | undefined;

  /** The alarm centre's alarms, oldest first, once seeded (undefined before anyone read them). */
  managedSaved(): readonly ManagedAlarm[] | undefined {
    return this.board?.all();
  }

  /** The alarm centre as a world file kept it (a world restored from its file): never seeded again. */
  restoreManaged(alarms: readonly ManagedAlarm[]): void {
    this.board = new AlarmBoard();
    for (const alarm of alarms) this.board.add(alarm);
  }

  /** COC's alarm centre, seeded by `seed` the first time it is asked for. */
  managed(seed: (board: AlarmBoard) => void): AlarmBoard {
    if (!this.board) {
      this.board = new AlarmBoard();
      seed(this.board);
    }
    return this.board;
  }
}

/**
 * COC's alarm management (coc-api-notes §2.2): alarms as COC's own alarm centre holds them,
 * with their linked automation (a script or a runbook), the incident they were turned into,
 * their automatic handlings and who cleared them. Seeded once per world, the first time
 * anyone reads them, from the start of the current UTC day (so "today" holds them).
 */
export type AlarmImportance = 'urgent' | 'major' | 'minor' | 'warn';

export interface AlarmHandling {
  readonly workOrderId: string;
  readonly createName: string;
  readonly taskType: 'SCRIPT' | 'RUNBOOK';
  readonly startTime: number;
  readonly endTime: number;
  readonly status: string;
  readonly associatedTaskId: string;
  readonly associatedTaskName: string;
}

export interface ManagedAlarm {
  readonly id: string;
  readonly name: string;
  readonly importance: AlarmImportance;
  readonly comeFrom: string;
  readonly comeFromEn: string;
  /** The application id (as the incident APIs' current_cloud_service). */
  readonly app: string;
  status: 'alarming' | 'resolved';
  readonly owner: string;
  readonly ownerName: string;
  readonly convergeCount: number;
  /** The incident the alarm was turned into, once linked. */
  associateEventId: string | undefined;
  readonly createTime: number;
  updateTime: number;
  remarks: string | undefined;
  readonly region: string;
  readonly task: { readonly type: 'SCRIPT' | 'RUNBOOK'; readonly kind: 'CUSTOMIZATION' | 'COMMUNAL'; readonly id: string; readonly name: string } | undefined;
  readonly handlings: AlarmHandling[];
  resolved: { readonly time: number; readonly by: string; readonly remarks: string | undefined } | undefined;
}

/** The seeded alarms' linked automations, by name: resolved against the world's scripts when seeded. */
export interface AlarmSeed {
  readonly name: string;
  readonly importance: AlarmImportance;
  readonly appName: string;
  readonly region: string;
  readonly minutesAgo: number;
  readonly status: 'alarming' | 'resolved';
  /** A custom script's name, a runbook's name, or none. */
  readonly task?: { readonly type: 'SCRIPT' | 'RUNBOOK'; readonly name: string };
}

export const ALARM_SEEDS: readonly AlarmSeed[] = [
  { name: 'Disk usage above 90% on web-01', importance: 'urgent', appName: 'storefront', region: 'cn-north-4', minutesAgo: 25, status: 'alarming', task: { type: 'SCRIPT', name: 'disk_usage' } },
  { name: 'Database password older than 90 days', importance: 'major', appName: 'orders', region: 'cn-north-4', minutesAgo: 90, status: 'alarming', task: { type: 'SCRIPT', name: 'rotate_db_password' } },
  { name: 'Session cache hit rate below 60%', importance: 'minor', appName: 'sessions', region: 'cn-north-4', minutesAgo: 130, status: 'alarming', task: { type: 'RUNBOOK', name: 'Flush session cache' } },
  { name: 'Report job finished late', importance: 'warn', appName: 'reports', region: 'cn-north-4', minutesAgo: 300, status: 'resolved' },
];

export class AlarmBoard {
  private readonly byId = new Map<string, ManagedAlarm>();
  private readonly ordered: ManagedAlarm[] = [];

  add(alarm: ManagedAlarm): void {
    this.byId.set(alarm.id, alarm);
    this.ordered.push(alarm);
  }

  get(id: string): ManagedAlarm | undefined {
    return this.byId.get(id);
  }

  /** Oldest first. */
  all(): readonly ManagedAlarm[] {
    return this.ordered;
  }
}
