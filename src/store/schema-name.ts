import { StoreOptionsError } from './errors.js';

/**
 * Schema names end up inside SQL text (CREATE SCHEMA, search_path), where parameters cannot be
 * used, so only plain lower-case identifiers are accepted: nothing there needs quoting.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreOptionsError(
      `schema name "${schema}" must be a lower-case identifier: letters, digits and _, at most 63 characters`,
    );
  }
  return schema;
}

export function isSchemaName(schema: string): boolean {
  return SCHEMA_NAME.test(schema);
}
