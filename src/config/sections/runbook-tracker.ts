import { z } from 'zod';
import { wholeNumber } from '../fields.js';

/** Live runbook execution cards: read as often as order cards by default, far fewer of them per replica. */
export const runbookTrackerSchema = z
  .strictObject({
    pollIntervalMs: wholeNumber(250, 600_000)
      .default(3000)
      .meta({ description: 'How often live runbook execution cards read their executions, in milliseconds (250-600000).', env: 'COC_RUNBOOK_TRACKER_POLL_INTERVAL_MS' }),
    minEditIntervalMs: wholeNumber(0, 600_000)
      .default(3000)
      .meta({ description: 'Least time between two edits of one execution card, in milliseconds (0-600000); chat platforms rate-limit edits.', env: 'COC_RUNBOOK_TRACKER_MIN_EDIT_INTERVAL_MS' }),
    leaseSeconds: wholeNumber(5, 3600)
      .default(30)
      .meta({
        description: 'Seconds a replica keeps the executions it polls before another replica may take them over (5-3600); renewed on every poll.',
        env: 'COC_RUNBOOK_TRACKER_LEASE_SECONDS',
      }),
    // Each polled execution is one read of the execution per round (its steps only when it moved).
    maxExecutions: wholeNumber(1, 10_000)
      .default(500)
      .meta({
        description: 'Most live runbook executions one replica polls at a time (1-10000); the others wait, still tracked, for a free slot or another replica.',
        env: 'COC_RUNBOOK_TRACKER_MAX_EXECUTIONS',
      }),
  })
  .prefault({})
  .meta({ description: 'Live runbook execution cards: how often executions are read, how often a card may be edited, and how replicas share them.' });

export type RunbookTrackerConfig = z.infer<typeof runbookTrackerSchema>;
