import { z } from 'zod';
import type { Queryable } from './db.js';
import { columnsOf, parseRow, parseRows } from './rows.js';
import { CHAT_PLATFORMS, IDENTITY_SOURCES, LOCALES, ROLES } from './vocabulary.js';

export const identityMappingRowSchema = z.object({
  id: z.uuid(),
  platform: z.enum(CHAT_PLATFORMS),
  workspaceId: z.string(),
  platformUserId: z.string(),
  iamUserName: z.string(),
  iamUserId: z.string().nullable(),
  role: z.enum(ROLES),
  cocCredentialRef: z.string().nullable(),
  /** Null: the workspace's language, else the configuration's. */
  locale: z.enum(LOCALES).nullable(),
  source: z.enum(IDENTITY_SOURCES),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type IdentityMappingRow = z.infer<typeof identityMappingRowSchema>;

/** The immutable platform ids that identify one chat user. */
export interface ChatUserKey {
  platform: IdentityMappingRow['platform'];
  workspaceId: string;
  platformUserId: string;
}

export interface IdentityMappingInput extends ChatUserKey {
  iamUserName: string;
  iamUserId?: string | null;
  role: IdentityMappingRow['role'];
  cocCredentialRef?: string | null;
  locale?: IdentityMappingRow['locale'] | undefined;
  source?: IdentityMappingRow['source'];
}

const TABLE = 'identity_mappings';
const COLUMNS = columnsOf(identityMappingRowSchema);

/** Creates the mapping, or replaces everything but its id and creation time. */
export async function upsertIdentityMapping(db: Queryable, input: IdentityMappingInput): Promise<IdentityMappingRow> {
  const { rows } = await db.query(
    `INSERT INTO identity_mappings
       (platform, workspace_id, platform_user_id, iam_user_name, iam_user_id, role, coc_credential_ref, locale, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (platform, workspace_id, platform_user_id) DO UPDATE SET
       iam_user_name = EXCLUDED.iam_user_name,
       iam_user_id = EXCLUDED.iam_user_id,
       role = EXCLUDED.role,
       coc_credential_ref = EXCLUDED.coc_credential_ref,
       locale = EXCLUDED.locale,
       source = EXCLUDED.source,
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [
      input.platform,
      input.workspaceId,
      input.platformUserId,
      input.iamUserName,
      input.iamUserId ?? null,
      input.role,
      input.cocCredentialRef ?? null,
      input.locale ?? null,
      input.source ?? 'admin',
    ],
  );
  return parseRow(identityMappingRowSchema, TABLE, rows[0]);
}

export async function getIdentityMapping(db: Queryable, key: ChatUserKey): Promise<IdentityMappingRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM identity_mappings
     WHERE platform = $1 AND workspace_id = $2 AND platform_user_id = $3`,
    [key.platform, key.workspaceId, key.platformUserId],
  );
  return rows.length === 0 ? undefined : parseRow(identityMappingRowSchema, TABLE, rows[0]);
}

/** The mappings of several chat users in one statement (those that have one). */
export async function getIdentityMappings(db: Queryable, keys: readonly ChatUserKey[]): Promise<IdentityMappingRow[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM identity_mappings
     WHERE (platform, workspace_id, platform_user_id) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
    [keys.map((key) => key.platform), keys.map((key) => key.workspaceId), keys.map((key) => key.platformUserId)],
  );
  return parseRows(identityMappingRowSchema, TABLE, rows);
}

export async function deleteIdentityMapping(db: Queryable, key: ChatUserKey): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM identity_mappings WHERE platform = $1 AND workspace_id = $2 AND platform_user_id = $3',
    [key.platform, key.workspaceId, key.platformUserId],
  );
  return rowCount > 0;
}

export async function listIdentityMappings(db: Queryable): Promise<IdentityMappingRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM identity_mappings ORDER BY platform, workspace_id, platform_user_id`,
  );
  return parseRows(identityMappingRowSchema, TABLE, rows);
}

/**
 * Whether the stored 'config' mappings are exactly `mappings`: the same people with the same
 * fields, and no others. A restart with an unchanged configuration then takes this one read
 * instead of a transaction that writes every mapping again.
 */
export async function configIdentityMappingsAre(db: Queryable, mappings: readonly Omit<IdentityMappingInput, 'source'>[]): Promise<boolean> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM identity_mappings WHERE source = 'config'`);
  const stored = parseRows(identityMappingRowSchema, TABLE, rows);
  if (stored.length !== mappings.length) return false;
  const keyOf = (key: ChatUserKey) => JSON.stringify([key.platform, key.workspaceId, key.platformUserId]);
  const byKey = new Map(stored.map((row) => [keyOf(row), row]));
  return mappings.every((mapping) => {
    const row = byKey.get(keyOf(mapping));
    return (
      row !== undefined &&
      row.iamUserName === mapping.iamUserName &&
      row.iamUserId === (mapping.iamUserId ?? null) &&
      row.role === mapping.role &&
      row.cocCredentialRef === (mapping.cocCredentialRef ?? null) &&
      row.locale === (mapping.locale ?? null)
    );
  });
}

/**
 * Makes the 'config' mappings equal to the configuration file: upserts each one and deletes
 * config mappings the file no longer lists, leaving mappings added from chat alone. Run it inside
 * a transaction so a reader never sees the half-replaced set.
 */
export async function replaceConfigIdentityMappings(
  tx: Queryable,
  mappings: readonly Omit<IdentityMappingInput, 'source'>[],
): Promise<{ upserted: number; deleted: number }> {
  for (const mapping of mappings) await upsertIdentityMapping(tx, { ...mapping, source: 'config' });
  const { rowCount } = await tx.query(
    `DELETE FROM identity_mappings
     WHERE source = 'config'
       AND (platform, workspace_id, platform_user_id) NOT IN (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`,
    [mappings.map((m) => m.platform), mappings.map((m) => m.workspaceId), mappings.map((m) => m.platformUserId)],
  );
  return { upserted: mappings.length, deleted: rowCount };
}
