/**
 * What a platform event becomes before the core sees it: who (immutable platform ids), where,
 * and either a command line, a button/select click, or a form submission.
 */
import type { ChatPlatform } from '../store/vocabulary.js';
import type { FileReader } from './arguments/file-value.js';

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

interface Common {
  readonly actor: Actor;
  readonly place: Place;
  /**
   * The platform's id of this one interaction (Slack trigger id, Discord interaction id, a
   * terminal counter). A redelivered event carries the same id, so handlers that file
   * something (an approval request) use it as an idempotency key.
   */
  readonly interactionId?: string;
  /** How this surface fetches a file a file argument names (a path, a shared file, an attachment); none: files are refused. */
  readonly files?: FileReader;
}

export type Invocation =
  | (Common & { readonly kind: 'command'; readonly text: string })
  | (Common & { readonly kind: 'action'; readonly actionId: string; readonly value: string })
  | (Common & {
      readonly kind: 'submission';
      readonly formId: string;
      readonly values: Readonly<Record<string, string>>;
      /** The form's `context`, as it was sent out. */
      readonly context?: string;
    });
