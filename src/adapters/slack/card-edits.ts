/**
 * Edits of one card go out one at a time. While one is on its way, newer states wait and only
 * the newest is sent next: a card that changed three times during a slow edit costs one more
 * call, not three. Whoever asked for a state that was overtaken is answered when the newer
 * one is delivered (the card then shows something at least as recent).
 */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface CardQueue<P> {
  running: boolean;
  pending: { payload: P; waiters: Waiter[] } | undefined;
}

export class CoalescingEdits<P> {
  readonly #cards = new Map<string, CardQueue<P>>();

  constructor(private readonly send: (key: string, payload: P) => Promise<void>) {}

  edit(key: string, payload: P): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let card = this.#cards.get(key);
      if (!card) {
        card = { running: false, pending: undefined };
        this.#cards.set(key, card);
      }
      const waiters = card.pending?.waiters ?? [];
      waiters.push({ resolve, reject });
      card.pending = { payload, waiters };
      if (!card.running) void this.#drain(key, card);
    });
  }

  /** Cards with an edit on its way or waiting. */
  get busy(): number {
    return this.#cards.size;
  }

  async #drain(key: string, card: CardQueue<P>): Promise<void> {
    card.running = true;
    while (card.pending) {
      const { payload, waiters } = card.pending;
      card.pending = undefined;
      try {
        await this.send(key, payload);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    card.running = false;
    this.#cards.delete(key);
  }
}
