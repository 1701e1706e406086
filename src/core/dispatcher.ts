/**
 * From one Invocation to one reply: who is this (identity), which command or action, may
 * they do it here (policy), parse the flags, run it, and record it all in the audit trail.
 * Every failure becomes a clear message; `handle` never throws.
 */
import type { AuditScope } from '../audit/audit-log.js';
import type { Identity } from '../identity/identity-service.js';
import { ArgumentError, parseArgs, type ParsedArgs } from './args.js';
import { commandName, lineFlagsOf, summaryOf, type CommandDefinition, type CommandContext, type Services, type SuggestionAnswer } from './command.js';
import { maskTypedArgs } from './arguments/mask.js';
import { ArgumentRefusal, typedArgs } from './arguments/parse.js';
import { resolveFileArgs } from './arguments/file.js';
import { helpFields, usageLine } from './arguments/usage.js';
import { needsArgument } from './arguments/define.js';
import { errorToMessage, isExpectedError } from './errors-to-message.js';
import type { Actor, Invocation, Place } from './invocation.js';
import { replyFailed, type Message, type SelectOption } from './message.js';
import type { Registry } from './registry.js';
import { firstUnstorable, isStorableText, toStorableText } from './storable-text.js';
import { optionHolding } from './unstorable-input.js';
import { offeredTo } from './offered.js';
import { tokenize } from './tokenize.js';
import { maskCommandLine } from './mask-line.js';
import { translator, type Locale, type Translate } from '../i18n/translate.js';
import { backendNouns } from '../backends/names.js';
import { CORE_TEXTS as T } from '../i18n/catalogues/core.js';
import { ARG_TEXTS as A, BROKEN_TEXT_PLACES } from '../i18n/catalogues/args.js';
import { STORABLE_TEXTS as S } from '../i18n/catalogues/storable.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import type { GuardedAction, PolicyDecision } from '../policy/policy.js';
import type { ChatPlatform, Role } from '../store/vocabulary.js';
import { slashCommandFor } from './discord-roots.js';
import { DEFAULT_COMMAND_DEADLINE_MS, withCommandDeadline } from './command-deadline.js';
import { servicesIn } from './services-in.js';
import type { CallScope } from '../backends/index.js';

/** A search's whole answer, or why it failed (said to the person). */
export type LookupResult = { readonly ok: true; readonly answer: SuggestionAnswer } | { readonly ok: false; readonly reply: Message };

export class Dispatcher {
  constructor(
    readonly registry: Registry,
    private readonly services: Services,
    private readonly onUnexpected: (error: unknown) => void = () => {},
    /** The language for people the bot does not know yet (unmapped users). */
    private readonly defaultLocale: Locale = 'en-US',
    /** How long one command (or form submission) may wait for the platform's answers to its reads, in all. */
    private readonly commandDeadlineMs: number = DEFAULT_COMMAND_DEADLINE_MS,
  ) {}

  /** A typed line as it may be echoed or stored: secret flag values hidden (see mask-line.ts). */
  maskLine(line: string): string {
    return maskCommandLine(line, this.registry.maskRules);
  }

  /** Replies in `locale`, with `{platform}`, `{agent}` and `{identity}` the deployment's platform's own nouns in that language. */
  translatorFor(locale: Locale): Translate {
    return translator(locale, { ...backendNouns(this.services.backend.name, locale), platform: this.services.backend.displayName[locale] ?? this.services.backend.displayName['en-US'] });
  }

  async handle(invocation: Invocation): Promise<Message> {
    const label = invocation.kind === 'command' ? 'command' : invocation.kind === 'action' ? `action ${invocation.actionId}` : `form ${invocation.formId}`;
    return this.services.audit.within(
      { actor: invocation.actor, place: invocation.place, iamUserName: undefined, command: label, target: undefined, maskedParameters: {} },
      async (scope) => {
        let outcome: 'succeeded' | 'failed' | 'denied' = 'failed';
        let reason: string | undefined;
        let reply: Message;
        let t = this.translatorFor(this.defaultLocale);
        try {
          // Someone not mapped yet is answered in their workspace's language.
          t = this.translatorFor(this.services.identities.localeFor(invocation.actor));
          const identity = await this.services.identities.resolve(invocation.actor);
          if (identity) {
            scope.iamUserName = identity.iamUserName;
            t = this.translatorFor(identity.locale);
          }
          const result = await this.route(invocation, identity, scope, t);
          outcome = result.outcome;
          reason = result.reason;
          // A private reply is seen by this one person: it offers only what they may click.
          reply = result.reply.private ? this.offeredTo(result.reply, invocation.actor, invocation.place, identity) : result.reply;
        } catch (error) {
          reply = errorToMessage(error, t);
          // Expected errors are built to be safe to store (no secrets); anything else keeps only the title.
          reason = isExpectedError(error) && error instanceof Error ? error.message : reply.title;
          if (!isExpectedError(error)) this.onUnexpected(error);
        }
        try {
          await this.services.audit.write(scope, outcome, reason);
        } catch (error) {
          // The action already happened; losing its record must be loud, not silent.
          this.onUnexpected(error);
          return { ...reply, footer: [reply.footer, t(T.auditWriteFailed)].filter(Boolean).join('\n') };
        }
        return reply;
      },
    );
  }

  private async route(
    invocation: Invocation,
    identity: Identity | undefined,
    scope: AuditScope,
    t: Translate,
  ): Promise<{ outcome: 'succeeded' | 'failed' | 'denied'; reason?: string; reply: Message }> {
    if (invocation.kind === 'submission') return this.routeSubmission(invocation, identity, scope, t);
    if (invocation.kind === 'action') return this.routeAction(invocation, identity, scope, t);

    let words: string[];
    try {
      words = tokenize(invocation.text);
      if (words[0] === '/coc' || words[0] === 'coc') words.shift();
      scope.command = words.slice(0, 2).join(' ') || 'help';
    } catch (error) {
      return { outcome: 'failed', reason: 'unreadable command line', reply: errorToMessage(error, t) };
    }
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    try {
      this.refuseUnstorableLine(invocation.text, words, scope);
    } catch (error) {
      return { outcome: 'failed', reason: 'a value that cannot be stored', reply: errorToMessage(error, t) };
    }
    if (words.length === 0 || words[0] === 'help' || words[0] === '--help') {
      scope.command = 'help';
      return { outcome: 'succeeded', reply: this.help(identity, invocation.actor, invocation.place, words.slice(1), t) };
    }
    const unserved = this.registry.unservedFor(words);
    if (unserved) throw new ArgumentError(phrase(A.notOnThisPlatform, { command: unserved }));
    let found = this.registry.find(words);
    // "order" alone: a command that needs an argument and whose word also starts others
    // ("order show", "order cancel"); list them rather than guess. ("scripts" alone lists scripts.)
    if (
      found &&
      found.rest.length === 0 &&
      found.command.words.length === 1 &&
      needsArgument(found.command) &&
      this.registry.commands.some((c) => c.words.length > 1 && c.words[0] === words[0])
    ) {
      found = undefined;
    }
    if (!found) {
      // "admin" alone: the word starts several commands; list them rather than guess.
      const family = this.registry.commands.filter((c) => c.words[0] === words[0]).map((c) => (c.words.length === 1 ? withPositionals(c) : commandName(c)));
      if (family.length > 0) throw new ArgumentError(phrase(A.needsOneMoreWord, { word: words[0]!, family: family.join(', ') }), family);
      const hint = this.registry.suggestFor(words);
      throw new ArgumentError(phrase(A.unknownCommand, { command: words.slice(0, 2).join(' '), hint: hint ? phrase(A.didYouMeanCommand, { hint }) : undefined }));
    }
    const { command, rest } = found;
    scope.command = commandName(command);
    if (rest.includes('--help')) return { outcome: 'succeeded', reply: this.commandHelp(command, t, identity.locale, invocation.actor.platform) };
    identity = await this.freshFor(command, invocation.actor, identity, scope);
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    const decision = this.services.policy.check(identity.role, invocation.actor, invocation.place, command);
    if (!decision.allowed) return { outcome: 'denied', reason: decision.reason, reply: refusal(t(T.mayNotUse, { command: scope.command }), decision, t) };
    let args: ParsedArgs;
    let typed: Parameters<typeof command.run>[1];
    try {
      args = parseArgs(rest, lineFlagsOf(command));
      scope.maskedParameters = maskTypedArgs(args, command);
      typed = typedArgs(args, command, { t, locale: identity.locale, limits: this.registry.limits, now: this.services.now().getTime() });
      // Files named by the line are read by the surface now; the audit keeps their name, size and hash.
      const files = await resolveFileArgs(typed, command, invocation.files, t);
      typed = files.args;
      for (const [key, audit] of Object.entries(files.audit)) scope.maskedParameters = { ...scope.maskedParameters, [key]: audit };
    } catch (error) {
      // A command whose answers or refusals are private (admin, previews, your own audit rows) is
      // refused privately here too: what was mistyped is seen by the one who typed it.
      const privately = command.answersPrivately === true || command.refusesPrivately === true;
      if (!privately || !(error instanceof ArgumentError || error instanceof ArgumentRefusal)) throw error;
      const reply = errorToMessage(error, t);
      return { outcome: 'failed', reason: error.message, reply: { ...reply, private: true } };
    }
    // What a viewer may do changes nothing (admin, approval and run commands need more).
    scope.readOnly = command.permission === 'viewer' && !command.mutates;
    // Its reads share one deadline (see command-deadline.ts): a hanging platform gets one clear answer at it.
    const reply = await withCommandDeadline(this.commandDeadlineMs, (deadline) => command.run(this.context(invocation.actor, invocation.place, identity, { audit: scope, deadline }), typed, args));
    return outcomeOf(reply);
  }

  private async routeAction(
    invocation: Extract<Invocation, { kind: 'action' }>,
    identity: Identity | undefined,
    scope: AuditScope,
    t: Translate,
  ): Promise<{ outcome: 'succeeded' | 'failed' | 'denied'; reason?: string; reply: Message }> {
    scope.command = `action ${invocation.actionId}`;
    scope.maskedParameters = { value: invocation.value.slice(0, 200) };
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    const action = this.registry.action(invocation.actionId);
    if (!action) {
      return { outcome: 'failed', reason: 'unknown action', reply: { title: t(T.unknownButton), text: t(T.unknownButtonText), tone: 'danger', private: true } };
    }
    identity = await this.freshFor(action, invocation.actor, identity, scope);
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    // Re-checked on every click: a card may outlive the role or the channel rule that showed it.
    const decision = this.services.policy.check(identity.role, invocation.actor, invocation.place, action);
    if (!decision.allowed) return { outcome: 'denied', reason: decision.reason, reply: refusal(t(T.mayNotDo), decision, t) };
    try {
      refuseUnstorable(invocation.value, phrase(BROKEN_TEXT_PLACES.button));
    } catch (error) {
      return { outcome: 'failed', reason: 'unreadable button value', reply: errorToMessage(error, t) };
    }
    const reply = await action.run(this.context(invocation.actor, invocation.place, identity, { audit: scope }), invocation.value);
    return outcomeOf(reply);
  }

  private async routeSubmission(
    invocation: Extract<Invocation, { kind: 'submission' }>,
    identity: Identity | undefined,
    scope: AuditScope,
    t: Translate,
  ): Promise<{ outcome: 'succeeded' | 'failed' | 'denied'; reason?: string; reply: Message }> {
    scope.command = `form ${invocation.formId}`;
    // Field names only: values may hold sensitive script parameters; the handler records what it sends, masked.
    scope.maskedParameters = { fields: Object.keys(invocation.values).slice(0, 50) };
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    const form = this.registry.form(invocation.formId);
    if (!form) {
      return {
        outcome: 'failed',
        reason: 'unknown form',
        reply: { title: t(T.unknownForm), text: t(T.unknownFormText, { form: invocation.formId.slice(0, 100) }), tone: 'danger', private: true },
      };
    }
    identity = await this.freshFor(form, invocation.actor, identity, scope);
    if (!identity) return this.refuseUnmapped(invocation.actor, t);
    // Re-checked on submit: the form may have been opened before a role or channel rule changed.
    const decision = this.services.policy.check(identity.role, invocation.actor, invocation.place, form);
    if (!decision.allowed) return { outcome: 'denied', reason: decision.reason, reply: refusal(t(T.mayNotDo), decision, t) };
    // Before the handler: nothing it would store (a reject reason, an incident's text) may fail in the database.
    const unstorable = unstorableFields(invocation.values, t);
    if (unstorable) return { outcome: 'failed', reason: 'a form field holds text that cannot be stored', reply: unstorable };
    try {
      if (invocation.context !== undefined) refuseUnstorable(invocation.context, phrase(BROKEN_TEXT_PLACES.formState));
    } catch (error) {
      return { outcome: 'failed', reason: 'unreadable form value', reply: errorToMessage(error, t) };
    }
    const reply = await withCommandDeadline(this.commandDeadlineMs, (deadline) =>
      form.run(this.context(invocation.actor, invocation.place, identity, { audit: scope, deadline }), invocation.values, invocation.context),
    );
    return outcomeOf(reply);
  }

  /**
   * Options for a type-ahead (external select, autocomplete). Read-only and frequent, so it is
   * not written to the audit trail; an unknown source, an unmapped user or a refused permission
   * simply gets no options. Never throws.
   */
  async suggest(actor: Actor, place: Place, sourceId: string, query: string): Promise<readonly SelectOption[]> {
    const found = await this.lookup(actor, place, sourceId, query);
    return found.ok ? found.answer.options : [];
  }

  /**
   * The whole answer of a search, for the terminal's part-of-a-name fields: whether the list is
   * complete, what matched exactly but is not offered, and a failed search as a reply that says
   * why (never "nothing matches"). Never throws.
   */
  async lookup(actor: Actor, place: Place, sourceId: string, query: string): Promise<LookupResult> {
    const nothing: LookupResult = { ok: true, answer: { options: [], complete: true } };
    let t = this.translatorFor(this.services.identities.localeFor(actor));
    try {
      const source = this.registry.suggestion(sourceId);
      if (!source || !isStorableText(query)) return nothing;
      const identity = await this.services.identities.resolve(actor);
      if (!identity) return nothing;
      t = this.translatorFor(identity.locale);
      const decision = this.services.policy.check(identity.role, actor, place, { family: source.family, permission: source.permission, mutates: false });
      if (!decision.allowed) return nothing;
      const scope: AuditScope = { actor, place, iamUserName: identity.iamUserName, command: `suggest ${sourceId}`, target: undefined, maskedParameters: {}, calls: [] };
      const context = this.context(actor, place, identity, { audit: scope });
      return { ok: true, answer: await source.search(context, query.slice(0, 200)) };
    } catch (error) {
      if (!isExpectedError(error)) this.onUnexpected(error);
      return { ok: false, reply: errorToMessage(error, t) };
    }
  }

  /** Who `actor` is, for showing them a card (the terminal); undefined when not linked or not known now. Never throws. */
  async viewer(actor: Actor): Promise<Identity | undefined> {
    try {
      return await this.services.identities.resolve(actor);
    } catch {
      // Unknown now (the store is unreachable): offered nothing, which is safe; a click is checked again anyway.
      return undefined;
    }
  }

  /** The people linked on one platform's workspace, by name (the terminal's "/as" lists them); [] when not known now. Never throws. */
  async peopleOn(platform: ChatPlatform, workspaceId: string): Promise<readonly { readonly userId: string; readonly role: Role }[]> {
    try {
      const rows = await this.services.identities.list();
      return rows
        .filter((row) => row.platform === platform && row.workspaceId === workspaceId)
        .map((row) => ({ userId: row.platformUserId, role: row.role }))
        .sort((a, b) => a.userId.localeCompare(b.userId));
    } catch {
      return [];
    }
  }

  /**
   * `message` as this person may use it here: without the buttons the dispatcher would refuse
   * them (by the action's role, the channel's rules) or that name them as refused (an
   * approval's requester). For cards shown to one person; a shared card keeps its buttons.
   */
  offeredTo(message: Message, actor: Actor, place: Place, identity: Identity | undefined): Message {
    return offeredTo(message, { actor, identity }, (actionId) => {
      const action = this.registry.action(actionId);
      return action !== undefined && identity !== undefined && this.services.policy.check(identity.role, actor, place, action).allowed;
    });
  }

  /**
   * Who is acting, read afresh from the store for anything beyond a viewer's read (a change, an
   * approval, an admin's command): the identity resolved at the start may come from the cache,
   * which a change on another replica reaches within seconds, and such acts never rest on a
   * stale link or role. A viewer's read keeps the one it has.
   */
  private async freshFor(guarded: GuardedAction, actor: Actor, identity: Identity, scope: AuditScope): Promise<Identity | undefined> {
    if (guarded.permission === 'viewer' && !guarded.mutates) return identity;
    const fresh = await this.services.identities.resolve(actor, { fresh: true });
    scope.iamUserName = fresh?.iamUserName;
    return fresh;
  }

  /**
   * A typed line holding a character the store cannot hold (NUL, an unpaired surrogate) is
   * refused before anything runs, naming the option that holds it when it is an option's value.
   */
  private refuseUnstorableLine(text: string, words: readonly string[], scope: AuditScope): void {
    const bad = firstUnstorable(text);
    if (!bad) return;
    const found = this.registry.find(words);
    if (found) scope.command = commandName(found.command);
    const option = found ? optionHolding(found.rest, lineFlagsOf(found.command)) : undefined;
    const what = option ? phrase(S.option, { name: option }) : phrase(BROKEN_TEXT_PLACES.command);
    throw new ArgumentError(phrase(bad.kind === 'nul' ? S.nul : S.surrogate, { what, at: bad.index + 1 }));
  }

  /**
   * What a command, action or form runs with. Its services hand out backends scoped to `scope`
   * (`servicesIn`): every platform call it makes, through whichever backend, is attributed to its
   * audit scope and bounded by its deadline.
   */
  private context(actor: Actor, place: Place, identity: Identity, scope: CallScope & { readonly audit: AuditScope }): CommandContext {
    const services = servicesIn(this.services, scope);
    const audit = scope.audit;
    return {
      services,
      // Resolved on first use: a command that never calls COC (whoami, help) works even when
      // the person's own credential is missing.
      get backend() {
        return services.backendFor(identity);
      },
      actor,
      place,
      identity,
      audit,
      locale: identity.locale,
      t: this.translatorFor(identity.locale),
      commands: this.registry.commands,
    };
  }

  private refuseUnmapped(actor: Actor, t: Translate): { outcome: 'denied'; reason: string; reply: Message } {
    const where = actor.platform === 'shell' ? '' : t(T.inWorkspace, { workspace: actor.workspaceId });
    return {
      outcome: 'denied',
      reason: 'chat user is not linked to an IAM user',
      reply: {
        title: t(T.unmapped),
        text: t(T.unmappedText, { user: actor.userId, platform: actor.platform, where, slash: this.slashFor(['admin', 'link'], actor.platform) }),
        tone: 'danger',
        private: true,
      },
    };
  }

  /** The slash command that holds the command of these words on this platform (`/coc` if none does). */
  private slashFor(words: readonly string[], platform: ChatPlatform): string {
    const command = this.registry.commands.find((candidate) => candidate.words.join(' ') === words.join(' '));
    return command ? slashCommandFor(command, platform) : '/coc';
  }

  /** Only what this user may do here. */
  help(identity: Identity, actor: Actor, place: Place, words: readonly string[] = [], t: Translate = this.translatorFor(identity.locale)): Message {
    const found = words.length ? this.registry.find(words) : undefined;
    if (found) return this.commandHelp(found.command, t, identity.locale, actor.platform);
    // "help admin": the commands the word starts; "help foo": said, with the likely one, never the whole list unasked.
    const family = words.length ? this.registry.commands.filter((command) => command.words[0] === words[0]) : [];
    if (words.length && family.length === 0) {
      const unserved = this.registry.unservedFor(words);
      if (unserved) throw new ArgumentError(phrase(A.notOnThisPlatform, { command: unserved }));
      const hint = this.registry.suggestFor(words);
      throw new ArgumentError(phrase(A.noCommandToExplain, { command: words.join(' '), hint: hint ? phrase(A.didYouMeanCommand, { hint: `help ${hint}` }) : undefined }));
    }
    const mayUse = (command: CommandDefinition) => this.services.policy.check(identity.role, actor, place, command).allowed;
    // A family none of which is open to this person: the whole list of what is.
    const usable = family.some(mayUse) ? family.filter(mayUse) : this.registry.commands.filter(mayUse);
    return {
      title: t(T.helpTitle),
      table: { columns: t(T.helpColumns).split('|'), rows: usable.map((c) => [`${slashCommandFor(c, actor.platform)} ${commandName(c)}`, summaryOf(c, t)]) },
      footer: t(T.helpFooter, { user: identity.iamUserName, role: identity.role }),
      private: true,
    };
  }

  /** `platform`: where the reader types it (Discord offers administration under /coc-admin: discord-roots.ts). */
  commandHelp(command: CommandDefinition, t: Translate = this.translatorFor(this.defaultLocale), locale: Locale = this.defaultLocale, platform: ChatPlatform = 'slack'): Message {
    const fields = helpFields(command, t, this.registry.limits);
    const slash = slashCommandFor(command, platform);
    return {
      title: `${commandName(command)}: ${t(command.summary)}`,
      text: t(T.usage, { usage: usageLine(command, locale, this.registry.limits), slash }),
      ...(fields.length ? { fields } : {}),
      footer: t(T.needsRole, { role: command.permission, examples: (command.examplesOn?.[this.services.backend.name] ?? command.examples).map((example) => `${slash} ${example}`).join('  ·  ') }),
      private: true,
    };
  }
}

/** How "needs one more word" lists a one-word command: with the positionals it needs. */
function withPositionals(command: CommandDefinition): string {
  const needed = Object.entries(command.positionals as Record<string, { required?: boolean }>).filter(([, spec]) => spec.required);
  return [commandName(command), ...needed.map(([key]) => `<${key}>`)].join(' ');
}

/** What the audit records of a handler's reply: a refusal or an error is a failure, with its title as the reason. */
function outcomeOf(reply: Message): { outcome: 'succeeded' | 'failed'; reason?: string; reply: Message } {
  const failed = replyFailed(reply);
  return { outcome: failed ? 'failed' : 'succeeded', ...(failed && reply.title ? { reason: reply.title } : {}), reply };
}

/**
 * Text with a NUL byte or an unpaired UTF-16 surrogate cannot be stored (PostgreSQL refuses
 * both: 22021, 22P05), and the latter is not Unicode at all (it cannot be URL-encoded for COC
 * or shown). Neither comes from a keyboard, so it is refused, not repaired: repairing would
 * silently change what reaches COC or the store.
 */
function refuseUnstorable(text: string, what: Phrase): void {
  const bad = firstUnstorable(text);
  if (bad) throw new ArgumentError(phrase(bad.kind === 'nul' ? S.nul : S.surrogate, { what, at: bad.index + 1 }));
}

/** A form's fields that cannot be stored, each refused under its own field (and named in the text); undefined when all can. */
function unstorableFields(values: Readonly<Record<string, string>>, t: Translate): Message | undefined {
  const fieldErrors: Record<string, string> = {};
  const named: string[] = [];
  for (const [field, value] of Object.entries(values)) {
    const bad = firstUnstorable(value);
    if (!bad) continue;
    // A field id the store cannot hold either (a forged submission) is named in its storable form.
    const id = toStorableText(field, 50);
    fieldErrors[id] = t(bad.kind === 'nul' ? S.fieldNul : S.fieldSurrogate, { at: bad.index + 1 });
    named.push(t(bad.kind === 'nul' ? S.nul : S.surrogate, { what: t(BROKEN_TEXT_PLACES.field, { field: id }), at: bad.index + 1 }));
  }
  if (named.length === 0) return undefined;
  return { title: t(S.formTitle), text: named.join('\n'), fieldErrors, tone: 'danger', private: true };
}

const REFUSAL_TEXTS = { role: T.deniedRole, channel: T.deniedChannel, 'direct-message': T.deniedDm } as const;

function refusal(title: string, decision: Extract<PolicyDecision, { allowed: false }>, t: Translate): Message {
  return { title, text: t(REFUSAL_TEXTS[decision.code], decision.vars), tone: 'danger', private: true };
}
