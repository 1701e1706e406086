import { Int8RangeError } from './errors.js';

/**
 * Both drivers return bigint columns (and COUNT(*)) as JavaScript numbers, so row schemas are the
 * same on PGlite and PostgreSQL. Values the bot stores there (epoch milliseconds, counters) fit
 * easily; anything larger is an error rather than a silently rounded number.
 */
export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new Int8RangeError(`bigint value ${text} is outside the safe integer range`);
  }
  return value;
}
