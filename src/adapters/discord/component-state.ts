/**
 * What a button, select option or modal needs to carry when it does not fit in Discord's
 * 100-character custom_id: the whole action value, a confirmation to ask first, a form to
 * open. It is kept server-side under a short content-derived key and the component carries
 * the key — a value is never cut.
 *
 * Entries live in the store's settings table (so every replica behind a load balancer can
 * read them, and they survive restarts) with an in-process LRU in front; the key is a hash of
 * the entry, so rendering the same card again writes nothing new. Entries untouched for
 * `RETENTION_DAYS` are pruned at start-up: a button that old answers "expired, run it again".
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Queryable } from '../../store/db.js';
import { getSetting, setSetting } from '../../store/settings.js';

const optionSchema = z.object({ label: z.string(), value: z.string() });

const formFieldSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'multiline', 'select', 'multiselect']),
  required: z.boolean(),
  placeholder: z.string().optional(),
  hint: z.string().optional(),
  initial: z.string().optional(),
  options: z.array(optionSchema).readonly().optional(),
  searchId: z.string().optional(),
  secret: z.boolean().optional(),
  maxLength: z.number().optional(),
});

export const formSchema = z.object({
  id: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  fields: z.array(formFieldSchema).readonly(),
  context: z.string().optional(),
});

const confirmationSchema = z.object({ title: z.string(), text: z.string(), confirmLabel: z.string(), denyLabel: z.string() });

/**
 * A card that a click may decide, seen from a second message (the confirmation question, a
 * modal): the channel message to take the buttons off once the decision goes through.
 */
const decidedCardSchema = z.object({ channelId: z.string(), messageId: z.string(), content: z.string().optional() });

/** What a settling button decides with: its label (for "chose …"), and the card when it is another message. */
export const settleSchema = z.object({ label: z.string().optional(), card: decidedCardSchema.optional() });
export type Settle = z.infer<typeof settleSchema>;

/** A private card as it was before it was turned into its own confirmation question: what "no" (or a refusal) puts back. */
export const restoreSchema = z.object({ content: z.string().optional(), components: z.array(z.unknown()) });
export type Restore = z.infer<typeof restoreSchema>;

export const storedComponentSchema = z.discriminatedUnion('kind', [
  /** `copy` tells apart identical buttons on one message (Discord wants unique custom ids). */
  /** `asked`: the real button of the adapter's confirmation question, which is answered in place. */
  z.object({
    kind: z.literal('action'),
    actionId: z.string(),
    value: z.string(),
    copy: z.number().optional(),
    settle: settleSchema.optional(),
    asked: z.boolean().optional(),
    restore: restoreSchema.optional(),
  }),
  /** The "no" of a private card turned into its own question: puts the card back as it was. */
  z.object({ kind: z.literal('restore'), restore: restoreSchema }),
  z.object({ kind: z.literal('confirm'), actionId: z.string(), value: z.string(), confirm: confirmationSchema, copy: z.number().optional(), settle: settleSchema.optional() }),
  z.object({ kind: z.literal('select'), actionId: z.string(), copy: z.number().optional() }),
  z.object({ kind: z.literal('option'), value: z.string() }),
  /** `settle`: the form was opened by a settling button (Reject asks a reason), whose card its submission decides. */
  z.object({ kind: z.literal('form'), form: formSchema, settle: settleSchema.optional() }),
]);

export type StoredComponent = z.infer<typeof storedComponentSchema>;

const PREFIX = 'discord.component.';
export const RETENTION_DAYS = 30;

export class ComponentState {
  readonly #cache = new LRUCache<string, StoredComponent>({ max: 5000 });
  /**
   * The key of an entry already kept, by the entry as given (its JSON): the same card rendered
   * again — a burst of people viewing one order — is neither validated nor hashed again.
   */
  readonly #keys = new LRUCache<string, string>({ max: 5000 });
  /** Writes under way, by key: renderings of one card at the same moment write its entry once. */
  readonly #writing = new Map<string, Promise<void>>();

  constructor(private readonly db: Queryable) {}

  /** Keeps the entry and returns its key (22 characters). */
  async put(entry: StoredComponent): Promise<string> {
    const given = JSON.stringify(entry);
    const known = this.#keys.get(given);
    if (known !== undefined && this.#cache.has(known)) return known;
    const parsed = storedComponentSchema.parse(entry);
    const key = createHash('sha256').update(JSON.stringify(parsed)).digest('base64url').slice(0, 22);
    if (!this.#cache.has(key)) {
      let writing = this.#writing.get(key);
      if (!writing) {
        writing = setSetting(this.db, PREFIX + key, parsed).then(
          () => {
            this.#cache.set(key, parsed);
            this.#writing.delete(key);
          },
          (error: unknown) => {
            this.#writing.delete(key);
            throw error;
          },
        );
        this.#writing.set(key, writing);
      }
      await writing;
    }
    this.#keys.set(given, key);
    return key;
  }

  /** The entry, or undefined when it was never kept here or has been pruned. */
  async get(key: string): Promise<StoredComponent | undefined> {
    if (!/^[\w-]{22}$/.test(key)) return undefined;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const stored = await getSetting(this.db, PREFIX + key, storedComponentSchema);
    if (stored) this.#cache.set(key, stored);
    return stored;
  }

  /** Deletes entries nobody has written for `RETENTION_DAYS`; returns how many. */
  async prune(now: Date): Promise<number> {
    const before = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    const { rowCount } = await this.db.query('DELETE FROM settings WHERE key LIKE $1 AND updated_at < $2', [`${PREFIX}%`, before]);
    this.#cache.clear();
    this.#keys.clear();
    return rowCount;
  }
}
