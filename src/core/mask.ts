/**
 * What stands in for a secret wherever it would be shown: `MASK` in replies, cards, audit rows
 * and order logs; `HIDDEN_VALUE` in a command line as it is echoed or stored.
 */
export { HIDDEN_VALUE } from './mask-line.js';

/** What stands in for a sensitive value wherever it would be shown. */
export const MASK = '••••••';
