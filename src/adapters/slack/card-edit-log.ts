/**
 * Which messages were edited (`chat.update`) through the bot's client, counted per message. A
 * click that decides a card takes the card's buttons off by editing it from the click's
 * payload (what the card showed when clicked); when the core edited that card itself while the
 * click was handled (an approval card shows who decided and what ran), that newer edit already
 * shows the decision and must not be overwritten by the older content.
 */
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';

export class CardEditLog {
  readonly #counts = new LRUCache<string, number>({ max: 10_000 });

  /** Counts every `chat.update` made through `client` from now on. */
  watch(client: webApi.WebClient): void {
    const update = client.chat.update.bind(client.chat);
    client.chat.update = (args) => {
      const key = `${args.channel}|${args.ts}`;
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
      return update(args);
    };
  }

  /** How many edits of the message were started so far. */
  edits(channelId: string, ts: string): number {
    return this.#counts.get(`${channelId}|${ts}`) ?? 0;
  }
}
