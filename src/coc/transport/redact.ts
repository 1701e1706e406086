/**
 * Removes secrets (SK, tokens, passwords, sensitive script parameter values) from text that
 * came back from a server before it is put into an error or a log line. COC error messages
 * sometimes echo the offending input, which may be exactly the value that must not leak.
 */

export const REDACTED = '***';

/** Longest error text kept from a server; the rest is cut so a log line stays a line. */
const MAX_MESSAGE_LENGTH = 1_000;

export class Redactor {
  readonly #secrets: string[];
  readonly #needles: string[];

  constructor(secrets: Iterable<string | undefined>) {
    this.#secrets = [...secrets].filter((secret): secret is string => secret !== undefined && secret.length > 0);
    const needles = new Set<string>();
    for (const secret of this.#secrets) {
      needles.add(secret);
      // A value may come back as it travelled in a URL or a JSON string.
      needles.add(encodeURIComponent(secret));
      needles.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a secret that contains another one is replaced whole.
    this.#needles = [...needles].sort((a, b) => b.length - a.length);
  }

  /** A redactor that also hides `more`. */
  with(more: Iterable<string | undefined>): Redactor {
    return new Redactor([...this.#secrets, ...more]);
  }

  redact(text: string): string {
    let result = text;
    for (const needle of this.#needles) result = result.split(needle).join(REDACTED);
    return result.length > MAX_MESSAGE_LENGTH ? `${result.slice(0, MAX_MESSAGE_LENGTH)}…` : result;
  }

  redactOptional(text: string | undefined): string | undefined {
    return text === undefined ? undefined : this.redact(text);
  }
}
