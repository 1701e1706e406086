/**
 * Type-ahead for external selects. Slack asks once per keystroke and wants the answer within
 * 3 s, whatever the source (often COC) is doing. So:
 * - answers are kept a few seconds per person, place, source and text typed (the same question
 *   asked again while the first is still running shares it);
 * - when the source has not answered by the request's deadline, the answer is made from what is
 *   known: the last answer for the longest shorter text typed (narrowed to the choices that still
 *   contain what is typed now), marked as incomplete so the person is told to keep typing. The
 *   slow search goes on and its answer is kept for the next keystroke.
 */
import type { types } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from '../../core/dispatcher.js';
import type { SelectOption } from '../../core/message.js';
import type { SuggestionRequest } from './invocations.js';
import { selectOptions } from './render.js';
import { within } from '../../core/within.js';

export interface SuggestionCacheOptions {
  readonly dispatcher: Pick<Dispatcher, 'suggest'>;
  /** How long an answer is reused as the answer to the same text. */
  readonly ttlMs: number;
  /** How long a finished answer is still used to answer a longer text when the source is slow. */
  readonly knownTtlMs?: number;
}

export interface SuggestionAnswer {
  /** As Slack wants them (≤100, values ≤75 characters). */
  readonly options: types.PlainTextOption[];
  /** The source did not answer in time: these are from an earlier, shorter text (maybe none). */
  readonly partial: boolean;
}

/** Stands for "nothing to pick yet, keep typing": never a value anybody submits (invocations drop it). */
export const KEEP_TYPING_VALUE = 'coc|keep-typing';

function contains(option: SelectOption, query: string): boolean {
  const needle = query.toLowerCase();
  return option.label.toLowerCase().includes(needle) || option.value.toLowerCase().includes(needle);
}

export class SuggestionCache {
  readonly #pending: LRUCache<string, Promise<readonly SelectOption[]>>;
  /** Finished answers by person, place and source, then by text typed. */
  readonly #known: LRUCache<string, Map<string, readonly SelectOption[]>>;

  constructor(private readonly options: SuggestionCacheOptions) {
    this.#pending = new LRUCache({ max: 2_000, ttl: options.ttlMs });
    this.#known = new LRUCache({ max: 2_000, ttl: options.knownTtlMs ?? 60_000 });
  }

  /** The options of one request, answered by `deadline` (a `performance.now()` time) at the latest. */
  async answer(request: SuggestionRequest, deadline: number): Promise<SuggestionAnswer> {
    const { actor, place, searchId, query } = request;
    // Keyed by person and place too: what someone may see depends on their role and the channel.
    const scope = JSON.stringify([actor.workspaceId, actor.userId, place.channelId, searchId]);
    const key = `${scope}\n${query}`;
    let found = this.#pending.get(key);
    if (!found) {
      const asked = this.options.dispatcher.suggest(actor, place, searchId, query);
      found = asked;
      this.#pending.set(key, asked);
      asked.then(
        (options) => this.#remember(scope, query, options),
        () => this.#pending.delete(key),
      );
    }
    const answered = await within(found, deadline - performance.now());
    if (answered.done) return { options: selectOptions(answered.value).options, partial: false };
    return { options: selectOptions(this.#fromShorter(scope, query)).options, partial: true };
  }

  #remember(scope: string, query: string, options: readonly SelectOption[]): void {
    let answers = this.#known.get(scope);
    if (!answers) {
      answers = new Map();
      this.#known.set(scope, answers);
    }
    answers.delete(query);
    answers.set(query, options);
    // A person types one text after another: the last few are all that is worth keeping.
    if (answers.size > 50) answers.delete(answers.keys().next().value!);
  }

  /** The last answer for `query` or the longest text it starts with, narrowed to what still matches. */
  #fromShorter(scope: string, query: string): readonly SelectOption[] {
    const answers = this.#known.get(scope);
    if (!answers) return [];
    for (let length = query.length; length >= 0; length--) {
      const shorter = answers.get(query.slice(0, length));
      if (shorter) return query ? shorter.filter((option) => contains(option, query)) : shorter;
    }
    return [];
  }
}
