import { z } from 'zod';
import { wholeNumber } from '../fields.js';

export const trackerSchema = z
  .strictObject({
    pollIntervalMs: wholeNumber(250, 600_000)
      .default(3000)
      .meta({ description: 'How often live order cards read their orders from COC, in milliseconds (250-600000).', env: 'COC_TRACKER_POLL_INTERVAL_MS' }),
    minEditIntervalMs: wholeNumber(0, 600_000)
      .default(3000)
      .meta({ description: 'Least time between two edits of one card, in milliseconds (0-600000); chat platforms rate-limit edits.', env: 'COC_TRACKER_MIN_EDIT_INTERVAL_MS' }),
    leaseSeconds: wholeNumber(5, 3600)
      .default(30)
      .meta({
        description: 'Seconds a replica keeps the orders it polls before another replica may take them over (5-3600); renewed on every poll.',
        env: 'COC_TRACKER_LEASE_SECONDS',
      }),
    // 10,000 by default: one replica's round over 10,000 orders is one statistics read each
    // (bench/tracker.ts measures its CPU, RSS and staleness there), its store reads are bounded
    // (the lease query's LIMIT, cards listed 100 orders at a time) and long rounds renew their
    // leases as they go. Past the limit orders wait; they are never dropped.
    maxOrders: wholeNumber(1, 100_000)
      .default(10_000)
      .meta({
        description:
          'Most live orders one replica polls at a time (1-100000); the others wait, still tracked, for a free slot or another replica. Each polled order costs about one COC read per poll interval. With several replicas, each takes up to this many: set it near (live orders / replicas) to spread them.',
        env: 'COC_TRACKER_MAX_ORDERS',
      }),
  })
  .prefault({})
  .meta({ description: 'Live order cards: how often orders are read, how often a card may be edited, and how replicas share the orders.' });

export type TrackerConfig = z.infer<typeof trackerSchema>;
