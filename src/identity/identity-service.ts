/**
 * Who a chat user is in COC: the mapping from immutable platform ids to an IAM user and a
 * role, kept in the store. The configuration's mappings are synced in at start; admins add
 * more from chat. A display name is never used to decide anything.
 */
import type { IdentityMappingConfig } from '../config.js';
import type { Actor } from '../core/invocation.js';
import { isStorableText } from '../core/storable-text.js';
import type { Db } from '../store/db.js';
import {
  deleteIdentityMapping,
  getIdentityMapping,
  listIdentityMappings,
  replaceConfigIdentityMappings,
  upsertIdentityMapping,
  type IdentityMappingRow,
} from '../store/identity-mappings.js';
import type { Locale, Role } from '../store/vocabulary.js';

export interface Identity {
  readonly iamUserName: string;
  readonly iamUserId: string | undefined;
  readonly role: Role;
  readonly locale: Locale;
  readonly credentialRef: string | undefined;
  readonly source: IdentityMappingRow['source'];
}

function toIdentity(row: IdentityMappingRow): Identity {
  return {
    iamUserName: row.iamUserName,
    iamUserId: row.iamUserId ?? undefined,
    role: row.role,
    locale: row.locale,
    credentialRef: row.cocCredentialRef ?? undefined,
    source: row.source,
  };
}

export class IdentityService {
  /** `defaultLocale` is the configuration's language, for people whose mapping names none. */
  constructor(
    private readonly db: Db,
    private readonly defaultLocale: Locale = 'en-US',
  ) {}

  async resolve(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<Identity | undefined> {
    // Ids with a NUL or a broken surrogate were never stored (and PostgreSQL refuses to compare
    // them): nobody is mapped to such an id, so they are simply not linked.
    if (!isStorableText(actor.workspaceId) || !isStorableText(actor.userId)) return undefined;
    const row = await getIdentityMapping(this.db, { platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId });
    return row ? toIdentity(row) : undefined;
  }

  async link(
    actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>,
    iamUserName: string,
    role: Role,
    locale?: Locale,
    iamUserId?: string,
  ): Promise<Identity> {
    const row = await upsertIdentityMapping(this.db, {
      platform: actor.platform,
      workspaceId: actor.workspaceId,
      platformUserId: actor.userId,
      iamUserName,
      iamUserId: iamUserId ?? null,
      role,
      locale: locale ?? this.defaultLocale,
      source: 'admin',
    });
    return toIdentity(row);
  }

  async unlink(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<boolean> {
    return deleteIdentityMapping(this.db, { platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId });
  }

  list(): Promise<IdentityMappingRow[]> {
    return listIdentityMappings(this.db);
  }

  /** Makes the store's config-sourced mappings equal to the configuration. */
  async syncFromConfig(mappings: readonly IdentityMappingConfig[]): Promise<void> {
    await this.db.transaction((tx) =>
      replaceConfigIdentityMappings(
        tx,
        mappings.map((m) => ({
          platform: m.platform,
          workspaceId: m.workspace,
          platformUserId: m.user,
          iamUserName: m.iamUser,
          iamUserId: m.iamUserId ?? null,
          role: m.role,
          cocCredentialRef: m.credentialRef ?? null,
          locale: m.locale ?? this.defaultLocale,
        })),
      ),
    );
  }
}
