/**
 * What a user may do in a place: their role ∩ the channel's guardrails. Roles say who;
 * channel allow lists say where (e.g. read-only commands in a public channel); changes to
 * running systems are refused in direct messages unless the configuration allows them.
 */
import type { Config, CommandFamily } from '../config.js';
import type { Actor, Place } from '../core/invocation.js';
import { roleAtLeast, type Role } from '../identity/roles.js';

export interface GuardedAction {
  readonly family: CommandFamily;
  readonly permission: Role;
  /** Runs or changes something in COC (not just reads). */
  readonly mutates: boolean;
}

/** A refusal carries a code (for the reader's language) and an English reason (for the audit trail). */
export type PolicyDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly code: 'role' | 'channel' | 'direct-message';
      readonly reason: string;
      readonly vars: Readonly<Record<string, string>>;
    };

export class Policy {
  constructor(private readonly policy: Config['policy']) {}

  /** Whether changes (mutating commands and buttons) may be made from direct messages. */
  get executionInDmsAllowed(): boolean {
    return this.policy.allowExecutionInDms;
  }

  familiesAllowedIn(actor: Pick<Actor, 'platform'>, place: Place): readonly CommandFamily[] {
    const rule = this.policy.channels.find((r) => r.platform === actor.platform && r.channel === place.channelId);
    return rule ? rule.allow : this.policy.defaultAllow;
  }

  check(role: Role, actor: Pick<Actor, 'platform'>, place: Place, action: GuardedAction): PolicyDecision {
    if (!roleAtLeast(role, action.permission)) {
      return {
        allowed: false,
        code: 'role',
        reason: `this needs the ${action.permission} role or higher; you are ${role}. Ask an admin if you need more.`,
        vars: { required: action.permission, role },
      };
    }
    if (!this.familiesAllowedIn(actor, place).includes(action.family)) {
      return {
        allowed: false,
        code: 'channel',
        reason: `"${action.family}" commands are not allowed in this channel. Try a channel where they are.`,
        vars: { family: action.family },
      };
    }
    if (action.mutates && place.isDirect && !this.policy.allowExecutionInDms) {
      return {
        allowed: false,
        code: 'direct-message',
        reason: 'changes are not made from direct messages, where nobody else sees them. Use a team channel.',
        vars: {},
      };
    }
    return { allowed: true };
  }
}
