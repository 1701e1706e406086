import { z } from 'zod';
import { nonEmpty, secretString, wholeNumber } from '../fields.js';
import { isPostgresUrl } from '../../store/postgres-url.js';
import { isSchemaName } from '../../store/schema-name.js';

/** PostgreSQL's limits unless configured (the driver's defaults too). */
export const STORE_TIMEOUT_DEFAULTS = { connectTimeoutMs: 5_000, statementTimeoutMs: 15_000 } as const;

export const storeSchema = z
  .strictObject({
    databaseUrl: secretString((text) =>
      text.refine(isPostgresUrl, { error: 'must be a postgres:// or postgresql:// connection string' }),
    )
      .optional()
      .meta({
        description: 'PostgreSQL connection string. Set it to run several replicas; unset = embedded PGlite in store.dataDir.',
        env: 'DATABASE_URL',
        secret: true,
      }),
    dataDir: nonEmpty()
      .default('./data/pglite')
      .meta({
        description: 'Folder of the embedded PGlite database, relative to the working directory; memory:// keeps nothing.',
        env: 'COC_CHATOPS_DATA_DIR',
      }),
    schema: z
      .string()
      .refine(isSchemaName, { error: 'must be a lower-case identifier (letters, digits, _)' })
      .optional()
      .meta({ description: 'Database schema for the tables (created if missing). Unset = the default schema.', env: 'COC_CHATOPS_DB_SCHEMA' }),
    connectTimeoutMs: wholeNumber(100, 600_000)
      .default(STORE_TIMEOUT_DEFAULTS.connectTimeoutMs)
      .meta({
        description: 'PostgreSQL only: how long getting a connection may take before the request fails (ms).',
        env: 'COC_CHATOPS_DB_CONNECT_TIMEOUT_MS',
      }),
    statementTimeoutMs: wholeNumber(100, 3_600_000)
      .default(STORE_TIMEOUT_DEFAULTS.statementTimeoutMs)
      .meta({
        description:
          'PostgreSQL only: how long one store query may run before the server cancels it (ms), so a slow or exhausted database refuses requests instead of holding them. Migrations get 10 minutes.',
        env: 'COC_CHATOPS_DB_STATEMENT_TIMEOUT_MS',
      }),
    secretKey: secretString((text) => text.min(16, { error: 'must be at least 16 characters' }))
      .optional()
      .meta({
        description:
          'Key that seals sensitive script parameters while a run waits for approval. Set it (the same on every replica) with PostgreSQL; unset = a key file beside the PGlite data folder (<dataDir>.key, mode 0600), or a per-process key for memory:// and PostgreSQL.',
        env: 'COC_CHATOPS_SECRET_KEY',
        secret: true,
      }),
  })
  .prefault({})
  .meta({ description: 'Where the bot keeps identities, approvals, audit events and tracked orders.' });

export type StoreConfig = z.infer<typeof storeSchema>;
