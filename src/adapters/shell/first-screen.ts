/**
 * What the terminal shows before the first prompt, in the configured language (nobody has
 * typed anything yet): where calls go, the store, what the simulator remembers, who one may be.
 */
import type { Message } from '../../core/message.js';
import { say, type Phrase } from '../../i18n/phrase.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { SHELL_TEXTS as T } from '../../i18n/catalogues/shell.js';

export interface FirstScreenFacts {
  readonly locale: Locale;
  /** Where calls go, as ConnectedBackend.describedAs. */
  readonly connectedTo: Phrase;
  readonly simulatorNote?: Phrase;
  /** The store, safe to print. */
  readonly store: string;
  /** The built-in simulator's demo people are the terminal's. */
  readonly demoPeople: boolean;
  /** How many people the configuration maps on the terminal; 0 or unset when none. */
  readonly configuredPeople?: number;
}

export function firstScreen(facts: FirstScreenFacts): Message {
  const t = translator(facts.locale);
  const people = facts.demoPeople ? t(T.demoPeople) : facts.configuredPeople ? t(T.configuredPeople, { people: facts.configuredPeople }) : undefined;
  return {
    title: 'coc-chatops',
    text: [t(T.connected, { description: say(facts.connectedTo, t), store: facts.store }), facts.simulatorNote ? say(facts.simulatorNote, t) : undefined].filter(Boolean).join('\n'),
    footer: [people, t(T.typeHelp)].filter(Boolean).join('\n'),
  };
}
