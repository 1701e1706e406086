/**
 * When the background work starts its first rounds. Started with the bot, the first rounds (the
 * tracker's, the sweeps of what a previous process left) queue a dozen store queries at once,
 * and the first `/readyz` — whose store check is a query too — waited behind all of them: on the
 * embedded store, one query at a time, that was a fifth of a start. So they start just after the
 * first readiness check that follows the bot's start (its queries are queued by then), or after
 * `latestMs` when nobody asks (a terminal without the ops endpoints), whichever comes first.
 */
export interface FirstRounds {
  /** Called from the readiness check: the first rounds start right after this check's queries. */
  askedIfReady(): void;
  /** The bot stops: the rounds never start if they have not yet. */
  cancel(): void;
}

export function startFirstRoundsSoon(start: () => void, latestMs: number): FirstRounds {
  let pending = true;
  const go = () => {
    if (!pending) return;
    pending = false;
    clearTimeout(timer);
    start();
  };
  const timer = setTimeout(go, latestMs);
  return {
    askedIfReady() {
      // setImmediate: after the other checks of the same /readyz have queued their queries.
      if (pending) setImmediate(go);
    },
    cancel() {
      pending = false;
      clearTimeout(timer);
    },
  };
}
