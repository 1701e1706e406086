/**
 * A command's declarative definition: its words, its typed arguments (src/core/arguments), who
 * may run it, and the handler that turns parsed arguments into a neutral Message. Buttons
 * and selects route to action definitions, which are permission-checked the same way.
 */
import type { Backend } from '../backends/index.js';
import type { CommandFamily, Config } from '../config.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import type { OrderSnapshotCache } from '../orders/snapshot-cache.js';
import type { ParamSealer } from '../run/sealing.js';
import type { OrderTracking } from '../orders/tracking.js';
import type { ExecutionTracking } from '../runbooks/execution-tracking.js';
import type { ChatSurfaces } from './chat-surface.js';
import type { AuditLog, AuditScope } from '../audit/audit-log.js';
import type { Identity, IdentityService } from '../identity/identity-service.js';
import type { Role } from '../identity/roles.js';
import type { Policy } from '../policy/policy.js';
import type { Locale, Translate } from '../i18n/translate.js';
import { parseArgs, type ParserFlag } from './args.js';
import type { SomeTypedCommand } from './arguments/define.js';
import { flagSpecsOf } from './arguments/parse.js';
import type { Actor, Invocation, Place } from './invocation.js';
import type { Registry } from './registry.js';
import { tokenize } from './tokenize.js';
import type { Message, SelectOption } from './message.js';

export interface Services {
  /** The deployment's operations platform with the bot's own rights (tracker, watcher, recovery). */
  readonly backend: Backend;
  /** The platform acting as this person: their own credential when their mapping names one, else the bot's (throws UserCredentialMissingError: nothing sent). */
  backendFor(identity: Pick<Identity, 'credentialRef' | 'iamUserName'>): Backend;
  readonly identities: IdentityService;
  readonly audit: AuditLog;
  readonly policy: Policy;
  /** The database: approvals, tracked orders, incident channels live here, never only in memory. */
  readonly db: Db;
  /** Posting and editing messages nobody asked for right now (cards, approval requests, notifications). */
  readonly chat: ChatSurfaces;
  /** The time; tests pass a fake clock. */
  readonly now: () => Date;
  readonly config: Config;
  /** Live order cards: `track()` posts a card that edits itself until the order ends. */
  readonly tracker: OrderTracking;
  /** Live runbook execution cards: `track()` posts a card that edits itself as the execution's steps move, until it ends. */
  readonly executions: ExecutionTracking;
  /** Order snapshots read in the last moments (ended orders for longer), shared by everyone looking. */
  readonly orderSnapshots: OrderSnapshotCache;
  /** Seals sensitive script parameters while a run waits for its approval. */
  readonly sealer: ParamSealer;
  /** The COC client that acts as this person: their own credential when their mapping names one, else the bot's. */
  /** Prometheus metrics: ack latency, missed deadlines, approval wait, tracked orders, card edits (COC calls are recorded already). */
  readonly metrics: Metrics;
  /** The structured log (pino); secrets and sensitive parameters are scrubbed from whatever is logged. */
  readonly log: Logger;
}

export interface CommandContext {
  readonly services: Services;
  /** The platform acting as this person (resolved on first use). */
  readonly backend: Backend;
  readonly actor: Actor;
  readonly place: Place;
  readonly identity: Identity;
  /** Where the handler names its target and masked parameters for the audit trail. */
  readonly audit: AuditScope;
  /** The reader's language, and texts in it. */
  readonly locale: Locale;
  readonly t: Translate;
  /** The commands this deployment offers (those its backend can serve), for answers that name them. */
  readonly commands: readonly CommandDefinition[];
}

export interface Guarded {
  readonly family: CommandFamily;
  /** The lowest role that may use it. */
  readonly permission: Role;
  /** Runs or changes something in COC; refused in direct messages unless allowed. */
  readonly mutates: boolean;
}

/**
 * Whether a reply may be a form to fill in. Chat platforms open a form only within a few seconds
 * of the click or command (Slack's trigger id lives 3 s), so adapters open a placeholder at once
 * for these when the answer is slow, and fill it in when it comes. Unset: never a form.
 */
interface MayOpenForm {
  readonly mayOpenForm?: boolean;
}

export interface ActionDefinition extends Guarded, MayOpenForm {
  /** Matches Button.actionId / Select.actionId. */
  readonly id: string;
  run(context: CommandContext, value: string): Promise<Message>;
}

/** Where a submitted form (modal) goes; permission-checked like a command. */
export interface FormDefinition extends Guarded, MayOpenForm {
  /** Matches Form.id. */
  readonly id: string;
  run(context: CommandContext, values: Readonly<Record<string, string>>, formContext: string | undefined): Promise<Message>;
}

/**
 * Options searched as the user types (Slack external select, Discord autocomplete, the
 * terminal's numbered list). Read-only and answered fast: implementations cache.
 */
export interface SuggestionDefinition {
  readonly id: string;
  readonly family: CommandFamily;
  readonly permission: Role;
  search(context: CommandContext, query: string): Promise<SuggestionAnswer>;
}

/**
 * What a search found. Type-ahead lists show `options` only; the terminal, which takes the one
 * option a typed part names, must also know whether the list was cut (a single option of a cut
 * list is not "the only match") and what matched the text exactly but is not offered (typing
 * the exact name of such a thing must never pick another thing that contains it).
 */
export interface SuggestionAnswer {
  readonly options: readonly SelectOption[];
  /** Whether `options` hold everything that matches the text (false: cut at a page). */
  readonly complete: boolean;
  /** Things named exactly as the text that cannot be offered, with why (in the reader's language). */
  readonly withheld?: readonly { readonly name: string; readonly why: string }[];
}

/**
 * A command the registry holds: declared with typed arguments (`positionals` and `flags` as
 * kinds, see src/core/arguments), so everything said about its arguments comes from the data.
 */
export type CommandDefinition = SomeTypedCommand;

export function commandName(command: Pick<CommandDefinition, 'words'>): string {
  return command.words.join(' ');
}

/** The summary in the reader's language. */
export function summaryOf(command: CommandDefinition, t: Translate): string {
  return t(command.summary);
}

/** The flags the line parser reads for a command. */
export function lineFlagsOf(command: CommandDefinition): readonly ParserFlag[] {
  return flagSpecsOf(command.flags);
}

/**
 * Whether the command, button or form an invocation reaches is declared to possibly answer
 * with a form (`mayOpenForm`). Decided before anything runs, from the definitions alone; a line
 * that cannot be read, or reaches nothing, is not.
 */
export function mayAnswerWithForm(registry: Pick<Registry, 'find' | 'action' | 'form'>, invocation: Invocation): boolean {
  if (invocation.kind === 'action') return registry.action(invocation.actionId)?.mayOpenForm === true;
  if (invocation.kind === 'submission') return registry.form(invocation.formId)?.mayOpenForm === true;
  let words: string[];
  try {
    words = tokenize(invocation.text);
  } catch {
    return false;
  }
  if (words[0] === '/coc' || words[0] === 'coc') words.shift();
  const found = registry.find(words);
  if (!found || found.rest.includes('--help')) return false;
  const declared = found.command.mayOpenForm;
  if (typeof declared !== 'function') return declared === true;
  try {
    return declared(parseArgs(found.rest, lineFlagsOf(found.command)));
  } catch {
    // Arguments the command refuses: the answer is that refusal, never a form.
    return false;
  }
}
