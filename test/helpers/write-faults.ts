/**
 * The ways a COC write's answer can fail, shared by the fault-matrix tests of every write from
 * chat: 5xx before and after COC acted, 400 with COC's error body, 429, hang, hang-body, reset
 * before and after, malformed JSON, a 200 carrying an error envelope.
 */
import type { Fault } from '../../src/sim/faults.js';

/** What the reply told the user. */
export type Told = 'done' | 'not-done' | 'refused' | 'unknown';

export interface FaultCase {
  readonly name: string;
  readonly fault: Fault;
  /** The simulator carries the request out before the answer goes wrong. */
  readonly acts: boolean;
  /** COC said no before acting: the user is told it refused. */
  readonly refused?: boolean;
}

/** Every fault case; `errorCode` is the COC error code the 400 case carries (each COC service has its own). */
export function writeFaultCases(errorCode: string): readonly FaultCase[] {
  return [
    { name: '503 before handling', fault: { kind: 'status', status: 503 }, acts: false },
    { name: '503 after handling', fault: { kind: 'status', status: 503, afterHandling: true }, acts: true },
    { name: '502 after handling', fault: { kind: 'status', status: 502, afterHandling: true }, acts: true },
    { name: '504 before handling', fault: { kind: 'status', status: 504 }, acts: false },
    { name: '400 with a COC error body', fault: { kind: 'status', status: 400, errorCode, errorMsg: 'Bad request' }, acts: false, refused: true },
    { name: '429', fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, acts: false, refused: true },
    { name: 'hang', fault: { kind: 'hang' }, acts: false },
    { name: 'hang-body after handling', fault: { kind: 'hang-body', afterHandling: true }, acts: true },
    { name: 'reset before handling', fault: { kind: 'reset' }, acts: false },
    { name: 'reset after handling', fault: { kind: 'reset', afterHandling: true }, acts: true },
    { name: 'malformed JSON after handling', fault: { kind: 'malformed-json', afterHandling: true }, acts: true },
    { name: 'error envelope after handling', fault: { kind: 'error-envelope', afterHandling: true }, acts: true },
  ];
}
