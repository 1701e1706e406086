/**
 * The rule both chat adapters follow for a reply many people get at once: a card everyone looking
 * at one order within its snapshot's life gets is one reply object (src/orders/show.ts keeps the
 * card per snapshot and language), so from its second answer on its rendering for the platform is
 * made once per variant (language, size) and kept as long as the reply is — not once per person.
 * A reply seen for the first time is rendered for its one answer and not kept: most replies are
 * one person's (whoami, a list they asked for) and never seen again, and keeping each of those
 * cost a map and a key per answer for nothing (on Discord, `whoami` bursts went from 1.15–1.23×
 * a bare app's to 0.94–0.96× when only repeated replies were kept).
 */
import type { Message } from '../core/message.js';

export class RepeatedReplyRenderings<Rendering> {
  readonly #kept = new WeakMap<Message, Map<string, Rendering>>();
  /** Replies rendered once already. */
  readonly #seenOnce = new WeakSet<Message>();

  /**
   * @param keep what is kept of a rendering made for a repeated reply (e.g. frozen, so no one
   *   answering can change what the others send); `forget` drops it again (a rendering that
   *   turned out to have failed).
   */
  constructor(private readonly keep: (made: Rendering, forget: () => void) => Rendering = (made) => made) {}

  /** `render()`'s result for `reply` in `variant`: made anew the first time, made once and shared from the second on. */
  of(reply: Message, variant: string, render: () => Rendering): Rendering {
    let byVariant = this.#kept.get(reply);
    const kept = byVariant?.get(variant);
    if (kept !== undefined) return kept;
    if (!byVariant && !this.#seenOnce.has(reply)) {
      this.#seenOnce.add(reply);
      return render();
    }
    if (!byVariant) this.#kept.set(reply, (byVariant = new Map()));
    const variants = byVariant;
    const made: Rendering = this.keep(render(), () => {
      if (variants.get(variant) === made) variants.delete(variant);
    });
    variants.set(variant, made);
    return made;
  }
}

/**
 * `value` and everything in it made read-only: a rendering shared by many answers, so that an
 * in-place change by whoever sends one throws instead of reaching everyone else's answer.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}
