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
}
