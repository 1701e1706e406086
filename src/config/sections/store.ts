import { z } from 'zod';
import { nonEmpty, secretString } from '../fields.js';
import { isPostgresUrl } from '../../store/postgres-url.js';
import { isSchemaName } from '../../store/schema-name.js';

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
