/**
 * What the bot puts into Slack's ids and gets back with a click, a type-ahead or a submission:
 * `action_id`s that name the neutral action (or form field) and the type-ahead source, and the
 * modal's `private_metadata` (where the form was opened, and the form's own state).
 *
 * Nothing here is trusted for a decision: the dispatcher re-checks who may do what on every
 * click and submission. Slack keeps these ids and the metadata on its side, so a user cannot
 * change them, but a stale card can carry old ones.
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';

const PREFIX = 'coc';

/** b: a button, s: a select in a message, f: a form field in a modal. */
export type ElementKind = 'b' | 's' | 'f';

export interface ElementId {
  readonly kind: ElementKind;
  /** The action id (b, s) or the form field id (f). */
  readonly id: string;
  /** A SuggestionDefinition id, for type-ahead selects. */
  readonly searchId?: string;
}

/**
 * `coc|b|3|order%3Acancel|`: the index keeps ids unique within a message (Slack refuses two
 * equal action ids in one block); undefined when it would exceed Slack's 255 characters.
 */
export function encodeElementId(kind: ElementKind, index: number, id: string, searchId?: string): string | undefined {
  const encoded = [PREFIX, kind, String(index), encodeURIComponent(id), encodeURIComponent(searchId ?? '')].join('|');
  return encoded.length <= LIMITS.actionId ? encoded : undefined;
}

export function decodeElementId(actionId: string): ElementId | undefined {
  const parts = actionId.split('|');
  if (parts.length !== 5 || parts[0] !== PREFIX) return undefined;
  const [, kind, index, id, searchId] = parts as [string, string, string, string, string];
  if ((kind !== 'b' && kind !== 's' && kind !== 'f') || !/^\d{1,4}$/.test(index)) return undefined;
  try {
    const decodedId = decodeURIComponent(id);
    const decodedSearch = decodeURIComponent(searchId);
    if (decodedId === '') return undefined;
    return { kind, id: decodedId, ...(decodedSearch ? { searchId: decodedSearch } : {}) };
  } catch {
    return undefined;
  }
}

/** Block ids of a modal's inputs: the field id, so `response_action: errors` can name it. */
export function fieldBlockId(fieldId: string): string | undefined {
  const id = `f|${encodeURIComponent(fieldId)}`;
  return id.length <= LIMITS.blockId ? id : undefined;
}

const metadataSchema = z.strictObject({
  v: z.literal(1),
  /** Channel the form was opened from. */
  c: z.string().min(1),
  /** Thread, if any. */
  t: z.string().min(1).optional(),
  /** A direct message. */
  d: z.boolean(),
  /** The form's context (opaque state). */
  x: z.string().optional(),
});

export interface FormOrigin {
  readonly channelId: string;
  readonly threadId?: string;
  readonly isDirect: boolean;
  readonly context?: string;
}

/** undefined when it does not fit Slack's 3000 characters. */
export function encodeFormOrigin(origin: FormOrigin): string | undefined {
  const text = JSON.stringify({
    v: 1,
    c: origin.channelId,
    ...(origin.threadId ? { t: origin.threadId } : {}),
    d: origin.isDirect,
    ...(origin.context !== undefined ? { x: origin.context } : {}),
  });
  return text.length <= LIMITS.privateMetadata ? text : undefined;
}

export function decodeFormOrigin(text: string | undefined): FormOrigin | undefined {
  if (!text) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const { c, t, d, x } = parsed.data;
  return { channelId: c, isDirect: d, ...(t ? { threadId: t } : {}), ...(x !== undefined ? { context: x } : {}) };
}
