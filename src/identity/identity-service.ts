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
  getIdentityMappings,
  listIdentityMappings,
  configIdentityMappingsAre,
  replaceConfigIdentityMappings,
  upsertIdentityMapping,
  type IdentityMappingRow,
} from '../store/identity-mappings.js';
import type { Locale, Role } from '../store/vocabulary.js';
import { LRUCache } from 'lru-cache';

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

/** Replicas tell each other a mapping changed on this channel; the payload is the cache key. */
export const IDENTITY_CHANGED_CHANNEL = 'identity_changed';
const ALL = '*';
/** How long a looked-up mapping is trusted without hearing of a change (a lost notification is healed by then). */
const CACHE_TTL_MS = 15_000;

type ChatUser = Pick<Actor, 'platform' | 'workspaceId' | 'userId'>;

function cacheKey(actor: ChatUser): string {
  return JSON.stringify([actor.platform, actor.workspaceId, actor.userId]);
}

/**
 * Every invocation starts by resolving who is acting, so mappings are cached for a short
 * while. A change made here drops the entry at once, and is announced (NOTIFY) so other
 * replicas drop theirs; the time limit bounds staleness if an announcement is lost.
 */
export class IdentityService {
  readonly #cache = new LRUCache<string, { identity: Identity | null }>({ max: 10_000, ttl: CACHE_TTL_MS });

  /** `defaultLocale` is the configuration's language, for people whose mapping names none. */
  constructor(
    private readonly db: Db,
    private readonly defaultLocale: Locale = 'en-US',
    private readonly workspaceLocales: readonly WorkspaceLocale[] = [],
  ) {}

  /** Hears other replicas' changes; returns how to stop listening. */
  listenForChanges(): Promise<() => Promise<void>> {
    return this.db.listen(IDENTITY_CHANGED_CHANNEL, (key) => this.forget(key));
  }

  private forget(key: string): void {
    if (key === ALL) this.#cache.clear();
    else this.#cache.delete(key);
  }

  private async changed(key: string): Promise<void> {
    this.forget(key);
    try {
      await this.db.notify(IDENTITY_CHANGED_CHANNEL, key);
    } catch {
      // The change is stored; other replicas pick it up when their cached entry expires.
    }
  }

  /** The language for someone in this workspace who has not chosen one (or is not mapped yet). */
  localeFor(actor: Pick<Actor, 'platform' | 'workspaceId'>): Locale {
    return this.workspaceLocales.find((w) => w.platform === actor.platform && w.workspace === actor.workspaceId)?.locale ?? this.defaultLocale;
  }

  /**
   * Who `actor` is. A read may be answered from the cache (at most CACHE_TTL_MS old when a
   * change on another replica was not heard of); `fresh` reads the store, for anything that
   * changes something or decides (writes, approvals): those never act on a stale link or role.
   */
  async resolve(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>, options: { readonly fresh?: boolean } = {}): Promise<Identity | undefined> {
    // Ids with a NUL or a broken surrogate were never stored (and PostgreSQL refuses to compare
    // them): nobody is mapped to such an id, so they are simply not linked.
    if (!isStorableText(actor.workspaceId) || !isStorableText(actor.userId)) return undefined;
    const key = cacheKey(actor);
    if (options.fresh) {
      const row = await getIdentityMapping(this.db, { platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId });
      const identity = row ? toIdentity(row, this.localeFor(actor)) : undefined;
      this.#cache.set(key, { identity: identity ?? null });
      return identity;
    }
    const cached = this.#cache.get(key);
    if (cached) return cached.identity ?? undefined;
    return this.#lookUp(key, actor);
  }

  /**
   * Lookups for reads that missed the cache in one turn of the event loop go to the store in one
   * statement (a burst of people on the embedded store costs one turn of its engine, not one each);
   * lookups of one person at the same moment share one.
   */
  #lookUp(key: string, actor: ChatUser): Promise<Identity | undefined> {
    const waiting = this.#lookups.get(key);
    if (waiting) return waiting.identity;
    let settle!: { resolve: (identity: Identity | undefined) => void; reject: (error: unknown) => void };
    const identity = new Promise<Identity | undefined>((resolve, reject) => (settle = { resolve, reject }));
    this.#lookups.set(key, { actor, identity, ...settle });
    if (this.#lookups.size === 1) setImmediate(() => void this.#lookUpWaiting());
    return identity;
  }

  readonly #lookups = new Map<string, { actor: ChatUser; identity: Promise<Identity | undefined>; resolve: (identity: Identity | undefined) => void; reject: (error: unknown) => void }>();

  async #lookUpWaiting(): Promise<void> {
    const batch = [...this.#lookups.entries()];
    this.#lookups.clear();
    try {
      const rows = await getIdentityMappings(
        this.db,
        batch.map(([, { actor }]) => ({ platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId })),
      );
      const byKey = new Map(rows.map((row) => [cacheKey({ platform: row.platform, workspaceId: row.workspaceId, userId: row.platformUserId }), row]));
      for (const [key, waiting] of batch) {
        const row = byKey.get(key);
        const identity = row ? toIdentity(row, this.localeFor(waiting.actor)) : undefined;
        this.#cache.set(key, { identity: identity ?? null });
        waiting.resolve(identity);
      }
    } catch (error) {
      for (const [, waiting] of batch) waiting.reject(error);
    }
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
    await this.changed(cacheKey(actor));
    return toIdentity(row, this.localeFor(actor));
  }

  async unlink(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<boolean> {
    const removed = await deleteIdentityMapping(this.db, { platform: actor.platform, workspaceId: actor.workspaceId, platformUserId: actor.userId });
    await this.changed(cacheKey(actor));
    return removed;
  }

  list(): Promise<IdentityMappingRow[]> {
    return listIdentityMappings(this.db);
  }

  /** Makes the store's config-sourced mappings equal to the configuration. */
  async syncFromConfig(mappings: readonly IdentityMappingConfig[]): Promise<void> {
    const wanted = mappings.map((m) => ({
      platform: m.platform,
      workspaceId: m.workspace,
      platformUserId: m.user,
      iamUserName: m.iamUser,
      iamUserId: m.iamUserId ?? null,
      role: m.role,
      cocCredentialRef: m.credentialRef ?? null,
      locale: m.locale ?? null,
    }));
    // Every start comes here: when the store holds them already (a restart with the same
    // configuration), nothing is written and no replica is told of a change that did not happen.
    if (await configIdentityMappingsAre(this.db, wanted)) return;
    await this.db.transaction((tx) => replaceConfigIdentityMappings(tx, wanted));
    await this.changed(ALL);
  }
}
