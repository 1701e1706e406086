/**
 * Readiness: whether this replica should be sent chat traffic. Parts of the bot register a
 * named check (the store answers, COC answered recently, the bot has started, each chat adapter
 * is connected); `/readyz` is ready when every check passes. A check that throws or hangs
 * counts as failing, with its reason, so one stuck dependency cannot hang the probe.
 */

export interface CheckResult {
  readonly ok: boolean;
  /** Why, in a few words, safe to show to anyone who can reach the endpoint. */
  readonly detail: string;
}

export interface ReadinessCheck {
  readonly name: string;
  check(): CheckResult | Promise<CheckResult>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly (CheckResult & { readonly name: string })[];
}

/** How long one check may take before it counts as failing. */
export const CHECK_TIMEOUT_MS = 2_500;

export function passed(detail: string): CheckResult {
  return { ok: true, detail };
}

export function failed(detail: string): CheckResult {
  return { ok: false, detail };
}

export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();

  /** Adds (or replaces, by name) a check; the returned function removes it. */
  add(check: ReadinessCheck): () => void {
    this.#checks.set(check.name, check);
    return () => {
      if (this.#checks.get(check.name) === check) this.#checks.delete(check.name);
    };
  }

  get names(): readonly string[] {
    return [...this.#checks.keys()];
  }

  async report(timeoutMs: number = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.#checks.values()].map(async (check) => ({ name: check.name, ...(await run(check, timeoutMs)) })));
    if (checks.length === 0) return { ready: false, checks: [{ name: 'checks', ok: false, detail: 'nothing registered yet: still starting' }] };
    return { ready: checks.every((check) => check.ok), checks };
  }
}

async function run(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve(failed(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
  } catch (error) {
    return failed(error instanceof Error ? error.name : 'failed');
  } finally {
    clearTimeout(timer);
  }
}
