import type { z } from 'zod';
import type { Queryable } from './db.js';
import { jsonb } from './rows.js';
import { StoreError } from './errors.js';

/**
 * Small key/value state that must survive restarts and be shared by replicas. Each caller
 * passes the zod schema of its value, so a stored value of the wrong shape is caught on read.
 */

export async function getSetting<S extends z.ZodType>(db: Queryable, key: string, schema: S): Promise<z.infer<S> | undefined> {
  const { rows } = await db.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [key]);
  const row = rows[0];
  if (row === undefined) return undefined;
  const parsed = schema.safeParse(row.value);
  if (!parsed.success) throw new StoreError(`setting "${key}" holds a value of the wrong shape`);
  return parsed.data;
}

export async function setSetting(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, jsonb(value)],
  );
}

export async function deleteSetting(db: Queryable, key: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM settings WHERE key = $1', [key]);
  return rowCount > 0;
}
