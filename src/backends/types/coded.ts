/** A platform state in the product's words, with the platform's own code (shown, and looked up in the vocabulary). */
export interface Coded<S extends string> {
  readonly state: S;
  /** The platform's own code, e.g. COC `PROCESSING`; '' when the platform sent none. */
  readonly code: string;
}
