/** patches: neutral types and the capability (filled in as the patches code moves behind the seam). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PatchesCapability {}
