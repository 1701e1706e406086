/**
 * Work the bot does by itself between invocations: polling orders for live cards, expiring
 * approval requests, watching incidents, posting periodic summaries. Each task is started
 * once the adapters are up and stopped before the store closes.
 */
export interface BackgroundTask {
  readonly name: string;
  start(): void;
  /** Resolves when in-flight work has finished; nothing new starts after it is called. */
  stop(): Promise<void>;
}

export class BackgroundTasks {
  readonly #tasks: BackgroundTask[] = [];
  #started = false;

  add(task: BackgroundTask): void {
    this.#tasks.push(task);
    if (this.#started) task.start();
  }

  get names(): readonly string[] {
    return this.#tasks.map((task) => task.name);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const task of this.#tasks) task.start();
  }

  async stop(): Promise<void> {
    this.#started = false;
    await Promise.allSettled(this.#tasks.map((task) => task.stop()));
  }
}

/** A task that only listens (LISTEN/NOTIFY) while the bot runs. */
export function listening(name: string, listen: () => Promise<() => Promise<void>>, onError: (error: unknown) => void = () => {}): BackgroundTask {
  let stopping: Promise<() => Promise<void>> | undefined;
  return {
    name,
    start() {
      stopping = listen();
      // Without the wake-ups the bot still works (caches expire); a failure is reported, not fatal.
      stopping.catch(onError);
    },
    async stop() {
      const pending = stopping;
      stopping = undefined;
      const unlisten = await pending?.catch(() => undefined);
      await unlisten?.();
    },
  };
}

/**
 * A task that does `work` every `intervalMs` (and once at start with `atStart`: what a restart
 * must settle is settled soon after it), never two rounds at once; a failed round is reported
 * and the next one runs.
 */
export function every(
  name: string,
  intervalMs: number,
  work: () => Promise<unknown>,
  onError: (error: unknown) => void = () => {},
  options: { readonly atStart?: boolean } = {},
): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = work()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  };
  return {
    name,
    start() {
      if (timer) return;
      if (options.atStart) round();
      timer = setInterval(round, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
