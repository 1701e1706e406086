/**
 * The custom_id grammar of the bot's buttons, selects and modals (at most 100 characters):
 *
 *   a|<actionId>|<value>   button: run the action with this value
 *   A|<actionId>|<value>   button: the same, and a click that goes through decides its card
 *   k|<key>                button: run the action kept server-side (its value did not fit)
 *   c|<key>                button: ask the kept confirmation first (Discord has no confirm dialog)
 *   s|<actionId>           select: each option's value is `v:<value>` or `k:<key>`
 *   S|<key>                select whose action id did not fit
 *   f|<key>|<page>|<draft> button: open (a page of) the kept form as a modal, e.g. after a deferral
 *   m|<key>|<page>|<draft> modal: page <page> of the kept form; <draft> holds earlier pages
 *   x                      button: do not do what the confirmation asked
 *   r|<key>                button: the same, for a private card that became its own question: put it back
 *
 * Everything too long for an id is kept in ComponentState and carried as a key; nothing is cut.
 */
import type { Button } from '../../core/message.js';
import { LIMITS } from './limits.js';
import type { ComponentState } from './component-state.js';

export type DecodedId =
  | { readonly kind: 'action'; readonly actionId: string; readonly value: string; readonly settles: boolean }
  | { readonly kind: 'stored-action'; readonly key: string }
  | { readonly kind: 'confirm'; readonly key: string }
  | { readonly kind: 'select'; readonly actionId: string }
  | { readonly kind: 'stored-select'; readonly key: string }
  | { readonly kind: 'form'; readonly key: string; readonly page: number; readonly draft: string | undefined }
  | { readonly kind: 'modal'; readonly key: string; readonly page: number; readonly draft: string | undefined }
  | { readonly kind: 'deny' }
  | { readonly kind: 'restore'; readonly key: string }
  | { readonly kind: 'unknown' };

export const DENY_ID = 'x';

export function formButtonId(key: string, page = 1, draft?: string): string {
  return `f|${key}|${page}|${draft ?? ''}`;
}

export function decodeCustomId(id: string): DecodedId {
  const bar = id.indexOf('|');
  const tag = bar === -1 ? id : id.slice(0, bar);
  const rest = bar === -1 ? '' : id.slice(bar + 1);
  switch (tag) {
    case 'a':
    case 'A': {
      const split = rest.indexOf('|');
      if (split <= 0) return { kind: 'unknown' };
      return { kind: 'action', actionId: rest.slice(0, split), value: rest.slice(split + 1), settles: tag === 'A' };
    }
    case 'k':
      return rest ? { kind: 'stored-action', key: rest } : { kind: 'unknown' };
    case 'c':
      return rest ? { kind: 'confirm', key: rest } : { kind: 'unknown' };
    case 's':
      return rest ? { kind: 'select', actionId: rest } : { kind: 'unknown' };
    case 'S':
      return rest ? { kind: 'stored-select', key: rest } : { kind: 'unknown' };
    case 'f':
    case 'm': {
      const [key, page = '1', draft] = rest.split('|');
      const pageNumber = Number(page);
      if (!key || !Number.isInteger(pageNumber) || pageNumber < 1) return { kind: 'unknown' };
      return { kind: tag === 'f' ? 'form' : 'modal', key, page: pageNumber, draft: draft || undefined };
    }
    case 'x':
      return { kind: 'deny' };
    case 'r':
      return rest ? { kind: 'restore', key: rest } : { kind: 'unknown' };
    default:
      return { kind: 'unknown' };
  }
}

/** A select option's value: the value itself, or the key of the kept one. */
export async function encodeOptionValue(state: ComponentState, value: string): Promise<string> {
  const inline = `v:${value}`;
  if (inline.length <= LIMITS.selectOptionValue) return inline;
  return `k:${await state.put({ kind: 'option', value })}`;
}

export async function decodeOptionValue(state: ComponentState, raw: string): Promise<string | undefined> {
  if (raw.startsWith('v:')) return raw.slice(2);
  if (raw.startsWith('k:')) {
    const stored = await state.get(raw.slice(2));
    return stored?.kind === 'option' ? stored.value : undefined;
  }
  return undefined;
}

/**
 * Custom ids for the components of one message: Discord refuses a message in which two
 * components share an id, so a repeated button is kept server-side as a numbered copy.
 */
export class MessageIds {
  readonly #used = new Set<string>();

  constructor(private readonly state: ComponentState) {}

  async button(button: Pick<Button, 'actionId' | 'value' | 'confirm' | 'settles' | 'label'>): Promise<string> {
    const settle = button.settles ? { settle: { label: button.label } } : {};
    if (button.confirm) {
      return this.unique((copy) =>
        this.state.put({ kind: 'confirm', actionId: button.actionId, value: button.value, confirm: { ...button.confirm! }, ...(copy ? { copy } : {}), ...settle }).then((key) => `c|${key}`),
      );
    }
    const inline = `${button.settles ? 'A' : 'a'}|${button.actionId}|${button.value}`;
    if (inline.length <= LIMITS.customId && !button.actionId.includes('|') && !this.#used.has(inline)) {
      this.#used.add(inline);
      return inline;
    }
    return this.unique((copy) => this.state.put({ kind: 'action', actionId: button.actionId, value: button.value, ...(copy ? { copy } : {}), ...settle }).then((key) => `k|${key}`));
  }

  async select(actionId: string): Promise<string> {
    const inline = `s|${actionId}`;
    if (inline.length <= LIMITS.customId && !this.#used.has(inline)) {
      this.#used.add(inline);
      return inline;
    }
    return this.unique((copy) => this.state.put({ kind: 'select', actionId, ...(copy ? { copy } : {}) }).then((key) => `S|${key}`));
  }

  /** An id no other component of this message has; `copy` numbers repeats. */
  private async unique(make: (copy: number) => Promise<string>): Promise<string> {
    for (let copy = 0; ; copy++) {
      const id = await make(copy);
      if (!this.#used.has(id)) {
        this.#used.add(id);
        return id;
      }
    }
  }

  /** Ids for components the adapter adds itself (a button that opens a form). */
  reserve(id: string): string {
    this.#used.add(id);
    return id;
  }
}
