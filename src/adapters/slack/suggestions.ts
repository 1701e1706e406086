/**
 * Type-ahead for external selects. Slack asks once per keystroke and wants the answer within
 * 3 s, so answers are kept a few seconds per person, place, source and text typed (the same
 * question asked again while the first is still running shares it), and a slow source is
 * answered with no options rather than an error.
 */
import type { types } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from '../../core/dispatcher.js';
import type { SelectOption } from '../../core/message.js';
import type { SuggestionRequest } from './invocations.js';
import { selectOptions } from './render.js';

export interface SuggestionCacheOptions {
  readonly dispatcher: Pick<Dispatcher, 'suggest'>;
  readonly ttlMs: number;
  /** Slack's deadline minus a margin. */
  readonly answerWithinMs: number;
}

export class SuggestionCache {
  readonly #cache: LRUCache<string, Promise<readonly SelectOption[]>>;

  constructor(private readonly options: SuggestionCacheOptions) {
    this.#cache = new LRUCache({ max: 2_000, ttl: options.ttlMs });
  }

  /** The options of one request, as Slack wants them (≤100, values ≤75 characters). */
  async answer(request: SuggestionRequest): Promise<types.PlainTextOption[]> {
    const { actor, place, searchId, query } = request;
    // Keyed by person and place too: what someone may see depends on their role and the channel.
    const key = JSON.stringify([actor.workspaceId, actor.userId, place.channelId, searchId, query]);
    let found = this.#cache.get(key);
    if (!found) {
      found = this.options.dispatcher.suggest(actor, place, searchId, query);
      this.#cache.set(key, found);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<readonly SelectOption[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.options.answerWithinMs);
    });
    try {
      return selectOptions(await Promise.race([found, late])).options;
    } finally {
      clearTimeout(timer);
    }
  }
}
