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
  /** The language replies use: their own, else their workspace's, else the configuration's. */
  readonly locale: Locale;
  /** The language they chose (their mapping), if any. */
  readonly ownLocale: Locale | undefined;
  readonly credentialRef: string | undefined;
  readonly source: IdentityMappingRow['source'];
}

/** A workspace's language (Slack team, Discord server), from the configuration. */
export interface WorkspaceLocale {
  readonly platform: IdentityMappingRow['platform'];
  readonly workspace: string;
  readonly locale: Locale;
}

function toIdentity(row: IdentityMappingRow, fallback: Locale): Identity {
  return {
    iamUserName: row.iamUserName,
    iamUserId: row.iamUserId ?? undefined,
    role: row.role,
    locale: row.locale ?? fallback,
    ownLocale: row.locale ?? undefined,
    credentialRef: row.cocCredentialRef ?? undefined,
    source: row.source,
  };
}

export class IdentityService {
  /** `defaultLocale` is the configuration's language, for people whose mapping names none. */
  constructor(
    private readonly db: Db,
    private readonly defaultLocale: Locale = 'en-US',
    private readonly workspaceLocales: readonly WorkspaceLocale[] = [],
  ) {}

  /** The language for someone in this workspace who has not chosen one (or is not mapped yet). */
  localeFor(actor: Pick<Actor, 'platform' | 'workspaceId'>): Locale {
    return this.workspaceLocales.find((w) => w.platform === actor.platform && w.workspace === actor.workspaceId)?.locale ?? this.defaultLocale;
  }

  async resolve(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<Identity | undefined> {
    // Ids with a NUL or a broken surrogate were never stored (and PostgreSQL refuses to compare
    // them): nobody is mapped to such an id, so they are simply not linked.
    if (!isStorableText(actor.workspaceId) || !isStorableText(actor.userId)) return undefined;
    const row = await getIdentityMapping(this.db, { platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId });
    return row ? toIdentity(row, this.localeFor(actor)) : undefined;
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
      locale: locale ?? null,
      source: 'admin',
    });
    return toIdentity(row, this.localeFor(actor));
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
          locale: m.locale ?? null,
        })),
      ),
    );
  }
}
