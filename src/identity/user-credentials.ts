/**
 * A person's own credential on the operations platform, named by their mapping
 * (`credentialRef`), so the platform enforces that person's rights instead of the bot's. How a
 * backend reads and uses it is its own business (COC: src/backends/coc/sessions.ts); what every
 * backend shares is the refusal when it is named but not set: nothing is sent, rather than the
 * person quietly getting the bot's (usually wider) rights.
 */
export class UserCredentialMissingError extends Error {
  override readonly name = 'UserCredentialMissingError';
  constructor(
    readonly ref: string,
    /** Each a complete way to set it, e.g. "COC_CREDENTIAL_X_AK and COC_CREDENTIAL_X_SK". */
    readonly variables: readonly string[],
  ) {
    super(
      `your COC credential "${ref}" is named in your mapping but not set on the bot (set ${variables.join(', or ')}; or remove the credential from the mapping to act with the bot's identity). Nothing was sent to COC; ask an admin.`,
    );
  }
}
