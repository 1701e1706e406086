/**
 * How refusals name a positional. A positional is typed without a name, so "--role" would send
 * the reader looking for a flag that does not exist: it is called by what it is ("a role", "the
 * incident number"), in the reader's language, from its declaration.
 */
import { TYPED_ARG_TEXTS as A } from '../../i18n/catalogues/args.js';
import { translator, type Text } from '../../i18n/translate.js';
import type { ArgSpec, BackendLimits } from './kinds.js';
import type { Subject } from './schema.js';
import { placeholderOf } from './usage.js';

const EN = translator('en-US');
const ZH = translator('zh-CN');

/** "An incident number" → "incident number"; a leading acronym ("IAM user name") keeps its capitals. */
function bareEnglish(text: string): string {
  const bare = text.trim().replace(/^(?:an?|the)\s+/i, '');
  return /^[A-Z][a-z]/.test(bare) ? bare.charAt(0).toLowerCase() + bare.slice(1) : bare;
}

/**
 * What a positional is, without an article: an id's own `what` ("an incident number"), else its
 * description ("Role", "IAM user name"); Chinese as written.
 */
export function nounOf(spec: ArgSpec): Text {
  const source = spec.kind === 'id' ? spec.what : spec.description;
  return { 'en-US': bareEnglish(EN(source)), 'zh-CN': ZH(source).trim() };
}

/** The noun with its English article ("a role", "an IAM user name"); an id's `what` already has one. */
function withArticle(spec: ArgSpec, noun: Text): Text {
  if (spec.kind === 'id') return { 'en-US': EN(spec.what).trim(), 'zh-CN': noun['zh-CN'] };
  const article = /^[aeiou]/i.test(noun['en-US']) ? A.anArticle : A.aArticle;
  return { 'en-US': EN(article, { what: noun['en-US'] }), 'zh-CN': ZH(article, { what: noun['zh-CN'] }) };
}

/** A positional as refusals name it. */
export function positionalSubject(key: string, spec: ArgSpec, limits: BackendLimits): Subject {
  const what = nounOf(spec);
  return { place: 'positional', what, aWhat: withArticle(spec, what), shownAs: `<${placeholderOf(key, spec, EN, limits)}>` };
}

/** A flag as refusals name it: `--limit`. */
export function flagSubject(name: string): Subject {
  return { place: 'flag', name };
}
