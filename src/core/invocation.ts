/**
 * What a platform event becomes before the core sees it: who (immutable platform ids), where,
 * and either a command line, a button/select click, or a form submission.
 */
import type { ChatPlatform } from '../store/vocabulary.js';

export interface Actor {
  readonly platform: ChatPlatform;
  /** Slack team id, Discord guild id, or "local" for the terminal. */
  readonly workspaceId: string;
  /** Slack member id, Discord user id, or the terminal user name. */
  readonly userId: string;
  /** Shown in replies only; never used to decide anything. */
  readonly displayName?: string;
}

export interface Place {
  readonly channelId: string;
  /** A direct message: nobody else sees what happens there. */
  readonly isDirect: boolean;
  readonly threadId?: string;
}

export type Invocation =
  | { readonly kind: 'command'; readonly actor: Actor; readonly place: Place; readonly text: string }
  | { readonly kind: 'action'; readonly actor: Actor; readonly place: Place; readonly actionId: string; readonly value: string }
  | {
      readonly kind: 'submission';
      readonly actor: Actor;
      readonly place: Place;
      readonly formId: string;
      readonly values: Readonly<Record<string, string>>;
    };
