import type { z } from 'zod';
import { StoreError } from './errors.js';

/**
 * Row schemas are written in camelCase; columns are the same names in snake_case. Selecting
 * through `columnsOf` aliases each column to its camelCase key, so one zod schema describes
 * both the SQL result and the TypeScript type.
 */

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `workspace_id AS "workspaceId", …` for every key of the row schema. */
export function columnsOf(schema: z.ZodObject): string {
  return Object.keys(schema.shape)
    .map((key) => `${snakeCase(key)} AS "${key}"`)
    .join(', ');
}

/** Checks rows against their schema, so a schema drift fails loudly at the store, not later. */
export function parseRows<S extends z.ZodObject>(schema: S, table: string, rows: readonly unknown[]): z.infer<S>[] {
  return rows.map((row) => {
    const result = schema.safeParse(row);
    if (!result.success) {
      const fields = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new StoreError(`a ${table} row does not match its schema (fields: ${fields})`);
    }
    return result.data;
  });
}

export function parseRow<S extends z.ZodObject>(schema: S, table: string, row: unknown): z.infer<S> {
  const [parsed] = parseRows(schema, table, [row]);
  if (parsed === undefined) throw new StoreError(`no ${table} row to parse`);
  return parsed;
}

/** Values for jsonb columns: pg would turn a JS array into a PostgreSQL array, so always send JSON text. */
export function jsonb(value: unknown): string {
  return JSON.stringify(value);
}
