/**
 * From one Invocation to one reply: who is this (identity), which command or action, may
 * they do it here (policy), parse the flags, run it, and record it all in the audit trail.
 * Every failure becomes a clear message; `handle` never throws.
 */
import type { AuditScope } from '../audit/audit-log.js';
import type { Identity } from '../identity/identity-service.js';
import { ArgumentError, parseArgs, type ParsedArgs } from './args.js';
import { commandName, type CommandContext, type CommandDefinition, type Services } from './command.js';
import { errorToMessage } from './errors-to-message.js';
import type { Actor, Invocation, Place } from './invocation.js';
import type { Message } from './message.js';
import type { Registry } from './registry.js';
import { loneSurrogateIndex } from './storable-text.js';
import { tokenize } from './tokenize.js';
import { translator } from '../i18n/translate.js';

/** What the audit trail keeps of typed flags: secrets and script parameter values masked. */
export function maskArgs(args: ParsedArgs, secretFlags: readonly string[] = []): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  if (args.positionals.length) masked['args'] = args.positionals;
  for (const [name, values] of args.flags) {
    if (secretFlags.includes(name)) masked[name] = values.map(() => '***');
    else if (name === 'param') masked[name] = values.map((v) => `${v.split('=')[0]}=***`);
    else masked[name] = values.length === 1 ? values[0] : values;
  }
  return masked;
}

export class Dispatcher {
  constructor(
    readonly registry: Registry,
    private readonly services: Services,
    private readonly onUnexpected: (error: unknown) => void = () => {},
  ) {}

  async handle(invocation: Invocation): Promise<Message> {
    const label = invocation.kind === 'command' ? 'command' : invocation.kind === 'action' ? `action ${invocation.actionId}` : `form ${invocation.formId}`;
    return this.services.audit.within(
      { actor: invocation.actor, place: invocation.place, iamUserName: undefined, command: label, target: undefined, maskedParameters: {} },
      async (scope) => {
        let outcome: 'succeeded' | 'failed' | 'denied' = 'failed';
        let reason: string | undefined;
        let reply: Message;
        try {
          const identity = await this.services.identities.resolve(invocation.actor);
          if (identity) scope.iamUserName = identity.iamUserName;
          const result = await this.route(invocation, identity, scope);
          outcome = result.outcome;
          reason = result.reason;
          reply = result.reply;
        } catch (error) {
          reply = errorToMessage(error);
          reason = reply.title;
          if (reply.title === 'Something went wrong') this.onUnexpected(error);
        }
        try {
          await this.services.audit.write(scope, outcome, reason);
        } catch (error) {
          // The action already happened; losing its record must be loud, not silent.
          this.onUnexpected(error);
          return { ...reply, footer: [reply.footer, 'Warning: this could not be written to the audit trail.'].filter(Boolean).join('\n') };
        }
        return reply;
      },
    );
  }

  private async route(
    invocation: Invocation,
    identity: Identity | undefined,
    scope: AuditScope,
  ): Promise<{ outcome: 'succeeded' | 'failed' | 'denied'; reason?: string; reply: Message }> {
    if (invocation.kind === 'submission') {
      scope.command = `form ${invocation.formId}`;
      return { outcome: 'failed', reason: 'unknown form', reply: { title: 'This form is not known', text: `No form is called "${invocation.formId}".`, tone: 'danger', private: true } };
    }
    if (invocation.kind === 'action') return this.routeAction(invocation, identity, scope);

    let words: string[];
    try {
      refuseBrokenText(invocation.text, 'The command');
      words = tokenize(invocation.text);
    } catch (error) {
      return { outcome: 'failed', reason: 'unreadable command line', reply: errorToMessage(error) };
    }
    if (words[0] === '/coc' || words[0] === 'coc') words.shift();
    scope.command = words.slice(0, 2).join(' ') || 'help';
    if (!identity) return this.refuseUnmapped(invocation.actor);
    if (words.length === 0 || words[0] === 'help' || words[0] === '--help') {
      scope.command = 'help';
      return { outcome: 'succeeded', reply: this.help(identity, invocation.actor, invocation.place, words.slice(1)) };
    }
    const found = this.registry.find(words);
    if (!found) {
      const hint = this.registry.suggestFor(words);
      throw new ArgumentError(`unknown command "${words.slice(0, 2).join(' ')}".${hint ? ` Did you mean "${hint}"?` : ''} Type "help" for the list.`);
    }
    const { command, rest } = found;
    scope.command = commandName(command);
    if (rest.includes('--help')) return { outcome: 'succeeded', reply: this.commandHelp(command) };
    const decision = this.services.policy.check(identity.role, invocation.actor, invocation.place, command);
    if (!decision.allowed) return { outcome: 'denied', reason: decision.reason, reply: refusal(`You may not use "${scope.command}" here`, decision.reason) };
    const args = parseArgs(rest, command.flags);
    scope.maskedParameters = maskArgs(args, command.secretFlags);
    const reply = await command.run(this.context(invocation.actor, invocation.place, identity, scope), args);
    return { outcome: reply.tone === 'danger' ? 'failed' : 'succeeded', ...(reply.tone === 'danger' && reply.title ? { reason: reply.title } : {}), reply };
  }

  private async routeAction(
    invocation: Extract<Invocation, { kind: 'action' }>,
    identity: Identity | undefined,
    scope: AuditScope,
  ): Promise<{ outcome: 'succeeded' | 'failed' | 'denied'; reason?: string; reply: Message }> {
    scope.command = `action ${invocation.actionId}`;
    scope.maskedParameters = { value: invocation.value.slice(0, 200) };
    if (!identity) return this.refuseUnmapped(invocation.actor);
    const action = this.registry.action(invocation.actionId);
    if (!action) {
      return { outcome: 'failed', reason: 'unknown action', reply: { title: 'This button is not known', text: 'It may come from an older version of the bot. Run the command again.', tone: 'danger', private: true } };
    }
    // Re-checked on every click: a card may outlive the role or the channel rule that showed it.
    const decision = this.services.policy.check(identity.role, invocation.actor, invocation.place, action);
    if (!decision.allowed) return { outcome: 'denied', reason: decision.reason, reply: refusal('You may not do that here', decision.reason) };
    try {
      refuseBrokenText(invocation.value, "The button's value");
    } catch (error) {
      return { outcome: 'failed', reason: 'unreadable button value', reply: errorToMessage(error) };
    }
    const reply = await action.run(this.context(invocation.actor, invocation.place, identity, scope), invocation.value);
    return { outcome: reply.tone === 'danger' ? 'failed' : 'succeeded', ...(reply.tone === 'danger' && reply.title ? { reason: reply.title } : {}), reply };
  }

  private context(actor: Actor, place: Place, identity: Identity, audit: AuditScope): CommandContext {
    return { services: this.services, coc: this.services.coc, actor, place, identity, audit, locale: identity.locale, t: translator(identity.locale) };
  }

  private refuseUnmapped(actor: Actor): { outcome: 'denied'; reason: string; reply: Message } {
    const reason = 'chat user is not linked to an IAM user';
    return {
      outcome: 'denied',
      reason,
      reply: {
        title: 'You are not linked to a COC (IAM) user yet',
        text:
          `Nothing was done. Ask a coc-chatops admin to link you: ` +
          `/coc admin link ${actor.userId} <iam-user-name> <viewer|operator|approver|admin>` +
          ` (your ${actor.platform} id is ${actor.userId}${actor.platform === 'shell' ? '' : ` in workspace ${actor.workspaceId}`}).`,
        tone: 'danger',
        private: true,
      },
    };
  }

  /** Only what this user may do here. */
  help(identity: Identity, actor: Actor, place: Place, words: readonly string[] = []): Message {
    const found = words.length ? this.registry.find(words) : undefined;
    if (found) return this.commandHelp(found.command);
    const usable = this.registry.commands.filter((command) => this.services.policy.check(identity.role, actor, place, command).allowed);
    return {
      title: 'coc-chatops commands you can use here',
      table: { columns: ['COMMAND', 'WHAT IT DOES'], rows: usable.map((c) => [`/coc ${commandName(c)}`, c.summary]) },
      footer: `You are ${identity.iamUserName} (${identity.role}). Type "help <command>" for its options.`,
      private: true,
    };
  }

  commandHelp(command: CommandDefinition): Message {
    return {
      title: `${commandName(command)}: ${command.summary}`,
      text: `Usage: /coc ${command.usage}`,
      ...(command.flags.length ? { fields: command.flags.map((flag) => ({ label: `--${flag.name}`, value: flag.description })) } : {}),
      footer: `Needs the ${command.permission} role. Examples: ${command.examples.map((example) => `/coc ${example}`).join('  ·  ')}`,
      private: true,
    };
  }
}

/**
 * Text with an unpaired UTF-16 surrogate is not Unicode at all: it cannot be URL-encoded for
 * COC, stored, or shown. It never comes from a keyboard, so it is refused, not repaired
 * (repairing would silently change what reaches COC).
 */
function refuseBrokenText(text: string, what: string): void {
  const at = loneSurrogateIndex(text);
  if (at !== -1) throw new ArgumentError(`${what} holds a broken character (an unpaired UTF-16 surrogate) at position ${at + 1}. Nothing was done; retype it.`);
}

function refusal(title: string, reason: string): Message {
  return { title, text: `${reason[0]?.toUpperCase() ?? ''}${reason.slice(1)}`, tone: 'danger', private: true };
}
