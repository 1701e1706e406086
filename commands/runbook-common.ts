/** What the runbook commands share: the capability, ids as typed, the execution card (src/runbooks/execution-card.ts). */
export * from '../src/runbooks/execution-card.js';
