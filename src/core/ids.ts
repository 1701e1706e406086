/** Shapes of ids checked before they go into a URL or a query. */
import { ID_PATTERN } from './arguments/schema.js';

/** The bot's own ids (run plans, approval requests): uuids as PostgreSQL writes them, lower case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A platform id the bot may send: 1-64 letters, digits, `-` or `_`. */
export function isPlausibleId(value: string): boolean {
  return ID_PATTERN.test(value);
}
