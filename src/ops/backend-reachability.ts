/**
 * "The platform answered recently", for readiness. Every call already reports its outcome (the
 * backend's call observer), so normal traffic keeps this fresh for free. Any answer counts —
 * an API error or a refused credential still proves the platform is there; only network errors
 * and timeouts count against it. When nothing answered for a while (an idle bot) or the last
 * attempt failed, the check asks the platform once with a cheap read — at most once per
 * `probeEveryMs`, shared by concurrent checks — so an idle replica stays ready and a recovered
 * platform is noticed without waiting for a user.
 */
import type { BackendCallEvent, CallOutcome } from '../backends/index.js';
import { failed, passed, type CheckResult, type ReadinessCheck } from './readiness.js';

const UNREACHABLE: ReadonlySet<CallOutcome> = new Set(['network-error', 'timeout']);

export interface BackendReachabilityOptions {
  /** The readiness check's name: the backend's (`coc`). */
  readonly name: string;
  /** The platform's name in the check's detail (`COC`). */
  readonly platform: string;
  /** One cheap read from the platform; its outcome arrives through `observe`. */
  readonly probe: () => Promise<unknown>;
  /** Milliseconds since the epoch. Default: the system clock. */
  readonly now?: () => number;
  /** An answer older than this is not "recent". Default 60 s. */
  readonly freshMs?: number;
  /** Least time between two probes. Default 10 s. */
  readonly probeEveryMs?: number;
}

export class BackendReachability implements ReadinessCheck {
  readonly name: string;
  readonly #platform: string;
  readonly #probe: () => Promise<unknown>;
  readonly #now: () => number;
  readonly #freshMs: number;
  readonly #probeEveryMs: number;
  #lastAnswerAt: number | undefined;
  #lastFailure: { readonly at: number; readonly outcome: CallOutcome } | undefined;
  /** Which came last, an answer or a failure: by order of arrival, since both can share a clock tick. */
  #lastWasFailure = false;
  #lastProbeAt: number | undefined;
  #probing: Promise<void> | undefined;

  constructor(options: BackendReachabilityOptions) {
    this.name = options.name;
    this.#platform = options.platform;
    this.#probe = options.probe;
    this.#now = options.now ?? Date.now;
    this.#freshMs = options.freshMs ?? 60_000;
    this.#probeEveryMs = options.probeEveryMs ?? 10_000;
  }

  /** The backend's call observer (the bot's and people's own calls alike). */
  readonly observe = (event: Pick<BackendCallEvent, 'outcome'>): void => {
    const at = this.#now();
    this.#lastWasFailure = UNREACHABLE.has(event.outcome);
    if (this.#lastWasFailure) this.#lastFailure = { at, outcome: event.outcome };
    else this.#lastAnswerAt = at;
  };

  async check(): Promise<CheckResult> {
    const current = this.#state();
    if (current.ok) return current;
    const now = this.#now();
    if (this.#probing === undefined && (this.#lastProbeAt === undefined || now - this.#lastProbeAt >= this.#probeEveryMs)) {
      this.#lastProbeAt = now;
      this.#probing = this.#probe().then(
        () => undefined,
        () => undefined, // the outcome arrives through observe(); a local failure just leaves the state as it is
      );
      void this.#probing.finally(() => {
        this.#probing = undefined;
      });
    }
    if (this.#probing) await this.#probing;
    return this.#state();
  }

  #state(): CheckResult {
    const now = this.#now();
    const answer = this.#lastAnswerAt;
    const failure = this.#lastFailure;
    if (failure && this.#lastWasFailure) {
      return failed(`${this.#platform} unreachable: ${failure.outcome} ${ago(now - failure.at)}`);
    }
    if (answer === undefined) return failed(`${this.#platform} has not answered yet`);
    if (now - answer > this.#freshMs) return failed(`${this.#platform} last answered ${ago(now - answer)}`);
    return passed(`${this.#platform} answered ${ago(now - answer)}`);
  }
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds === 0 ? 'just now' : `${seconds} s ago`;
}
