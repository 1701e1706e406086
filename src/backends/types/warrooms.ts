/** warrooms: neutral types and the capability (filled in as the warrooms code moves behind the seam). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WarRoomsCapability {}
