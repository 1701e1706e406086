/** incidents: neutral types and the capability (filled in as the incident code moves behind the seam). */
export interface IncidentsCapability {
  create?(...args: never[]): Promise<unknown>;
  handle?(...args: never[]): Promise<unknown>;
}
