/**
 * Job's callbacks: when a job with `bk_callback_url` ends, POST the callback_protocol body
 * `{job_instance_id, status, step_instances: [{step_instance_id, status}]}` to it. Success is
 * HTTP 200; anything else (or no answer) is retried once, then given up — as the reference
 * says. Attempts are recorded on the job (`job.callbacks`) and failures reported through
 * `onFailure`; nothing here ever throws into the simulator.
 */
import type { BkJob } from './state/jobs.js';

export interface CallbackSenderOptions {
  readonly now: () => number;
  /** How long one attempt may take before it counts as failed. */
  readonly timeoutMs: number;
  readonly onFailure: (job: BkJob, message: string) => void;
}

export function callbackBody(job: BkJob) {
  return { job_instance_id: job.job_instance_id, status: job.status, step_instances: [{ step_instance_id: job.step_instance_id, status: job.status }] };
}

export class CallbackSender {
  private readonly pending = new Set<Promise<void>>();
  private readonly controller = new AbortController();

  constructor(private readonly options: CallbackSenderOptions) {}

  send(job: BkJob): void {
    if (!job.callbackUrl) return;
    const delivery = this.deliver(job, job.callbackUrl).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every delivery under way has finished (tests wait on it instead of sleeping). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.controller.abort();
  }

  private async deliver(job: BkJob, url: string): Promise<void> {
    const body = JSON.stringify(callbackBody(job));
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (this.controller.signal.aborted) return;
      const outcome = await this.attempt(url, body);
      job.callbacks.push({ at: this.options.now(), attempt, status: outcome.status, error: outcome.error });
      if (outcome.status === 200) return;
    }
    const last = job.callbacks[job.callbacks.length - 1];
    this.options.onFailure(job, `callback of job ${job.job_instance_id} failed twice (${last?.error ?? `HTTP ${last?.status}`}); not retried again`);
  }

  private async attempt(url: string, body: string): Promise<{ status: number | undefined; error: string | undefined }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status, error: response.status === 200 ? undefined : `HTTP ${response.status}` };
    } catch (error) {
      return { status: undefined, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
