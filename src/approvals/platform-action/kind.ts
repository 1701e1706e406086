/**
 * What each kind of approved platform action brings to the one approval path (request.ts,
 * decide.ts): its words, the card's lines about its plan, the re-check against the platform on
 * Approve, the one write, and how a lost answer is read back. Everything else — four eyes, who
 * may decide, one winner, expiry, reject, the requester told, recovery — is the path's, the same
 * for every kind.
 */
import type { Backend, Vocabulary } from '../../backends/index.js';
import type { CommandContext, Services } from '../../core/command.js';
import type { Message, MessageField } from '../../core/message.js';
import type { Locale, Text, Translate } from '../../i18n/translate.js';
import type { ApprovalRow } from '../../store/approvals.js';
import type { PlatformActionKind, PlatformActionRow } from '../../store/platform-actions.js';
import type { ActionTexts } from './texts.js';

/** Words said later in whichever language the reader reads. */
export type Said = (t: Translate) => string;

/** What a lost answer's read-back shows: done (with what the platform made), unchanged, or undefined when it cannot tell. */
export type ReadBack = { readonly done: string | undefined } | 'unchanged' | undefined;

export interface PlatformActionKindDefinition<K extends PlatformActionKind = PlatformActionKind> {
  readonly kind: K;
  readonly texts: ActionTexts;
  /** The words every message about the request uses (requester and platform included). */
  vars(t: Translate, approval: ApprovalRow, action: PlatformActionRow<K>): Record<string, string>;
  /** The card's lines about the plan (what, risk, parameters), after who may approve. */
  fields(t: Translate, action: PlatformActionRow<K>, locale: Locale, vocabulary: Vocabulary): MessageField[];
  /**
   * Why the request no longer matches the platform (void, nothing sent), or undefined when it
   * does. Throws the platform's errors when it cannot be read now (the request stays open).
   */
  staleness(backend: Backend, approval: ApprovalRow, action: PlatformActionRow<K>): Promise<{ readonly title: Text; readonly why?: Said } | undefined>;
  /** The one write; what the platform made (a work order, an execution) when it names it. */
  send(backend: Backend, action: PlatformActionRow<K>): Promise<string | undefined>;
  /** After a lost answer (or a stop while sending): what the platform shows now. */
  readBack(backend: Backend, action: PlatformActionRow<K>): Promise<ReadBack>;
  /**
   * Once the platform has acted (approved and sent, or found done by a read-back or recovery),
   * whatever follows in the requester's channel (an execution's live card). Never throws.
   */
  afterDone?(services: Services, approval: ApprovalRow, action: PlatformActionRow<K>): Promise<void>;
  /** The approver's answer once done, beyond the path's own words (an execution card). */
  doneCard?(context: CommandContext, backend: Backend, action: PlatformActionRow<K>): Promise<Message | undefined>;
  /** Where the result is shown, as a card's field. */
  readonly resultLabel: Text;
}
