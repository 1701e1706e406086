/** alarms: neutral types and the capability (filled in as the alarm code moves behind the seam). */
export interface AlarmsCapability {
  report?(...args: never[]): Promise<unknown>;
}
