/**
 * The neutral reply every command returns. Adapters render it in their own idiom (ANSI text,
 * Block Kit, embeds); commands never know which platform they answer on.
 */

export type Tone = 'info' | 'success' | 'warning' | 'danger';

export interface MessageField {
  readonly label: string;
  readonly value: string;
}

export interface MessageTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /**
   * Columns of ids the commands accept by a prefix (column index -> characters that identify a
   * value): where the table is too wide for the screen, a terminal shows only that prefix.
   */
  readonly idPrefixes?: Readonly<Record<number, number>>;
}

export interface MessageSection {
  readonly title?: string;
  readonly text?: string;
  readonly fields?: readonly MessageField[];
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly label?: string;
}

/** A second question before a risky click goes through. */
export interface Confirmation {
  readonly title: string;
  readonly text: string;
  readonly confirmLabel: string;
  readonly denyLabel: string;
}

/**
 * Someone whose click the action refuses although their role allows it (the requester of an
 * approval: four eyes). Where a card is shown to one known person (the terminal, a private
 * reply) the button is not offered to them; on a card shared in a channel it stays, and the
 * click is refused with the reason.
 */
export interface NotOfferedTo {
  readonly chatUser?: { readonly platform: string; readonly workspaceId: string; readonly userId: string };
  /** Compared case-insensitively, from any platform. */
  readonly iamUserName?: string;
}

export interface Button {
  /** Routed to the action handler of that id, e.g. `order:cancel`. */
  readonly actionId: string;
  readonly label: string;
  /** Opaque to adapters; the handler re-reads everything it needs (never trusts the card). */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: Confirmation;
  /**
   * The action changes nothing: it answers with its own confirmation question (a MEDIUM run's
   * Run). A dialog (Slack, Discord) still shows `confirm` first; the terminal, where `confirm`
   * and that question would be the same typed step twice, asks only the action's question.
   */
  readonly onlyAsks?: boolean;
  readonly notFor?: NotOfferedTo;
  /**
   * A click on it that goes through decides the card it is on (a preview's Run or Cancel, an
   * approval's Approve or Reject, a confirmation's answer): adapters take the buttons off the
   * clicked card and note who chose what, so a decided card never looks clickable. Buttons of
   * live cards (an order's Pause, Cancel) leave this unset: the card stays in use.
   */
  readonly settles?: boolean;
}

export interface SelectOption {
  readonly label: string;
  readonly value: string;
}

export interface Select {
  readonly actionId: string;
  readonly placeholder: string;
  /** Static options; with `searchId` these are only the first page (adapters ask for more as the user types). */
  readonly options: readonly SelectOption[];
  /** A SuggestionDefinition id: the options are searched as the user types (Slack external select, Discord autocomplete). */
  readonly searchId?: string;
}

/**
 * One input of a form (Slack modal, Discord modal, terminal questions). Values come back as
 * strings keyed by `id`; multi-value kinds join their values with commas.
 */
export interface FormField {
  readonly id: string;
  readonly label: string;
  readonly kind: 'text' | 'multiline' | 'select' | 'multiselect';
  readonly required: boolean;
  readonly placeholder?: string;
  /** Help under the field: allowed values, ranges. */
  readonly hint?: string;
  readonly initial?: string;
  /** For select kinds: the fixed choices. */
  readonly options?: readonly SelectOption[];
  /** For select kinds: a SuggestionDefinition id searched as the user types. */
  readonly searchId?: string;
  /** A sensitive value: never echoed back, never pre-filled with a real secret. */
  readonly secret?: boolean;
  readonly maxLength?: number;
  /**
   * A file's text (a file argument, at most `maxLength` bytes): a modal takes the text pasted
   * in; the terminal asks for the path of a file and sends its text.
   */
  readonly file?: boolean;
}

/** A form to open; its submission is routed to the FormDefinition with the same id. */
export interface Form {
  readonly id: string;
  readonly title: string;
  readonly submitLabel: string;
  readonly fields: readonly FormField[];
  /** Opaque state carried back with the submission (e.g. a script uuid); the handler re-checks it. */
  readonly context?: string;
}

export interface Message {
  readonly title?: string;
  readonly text?: string;
  readonly tone?: Tone;
  readonly fields?: readonly MessageField[];
  readonly sections?: readonly MessageSection[];
  readonly table?: MessageTable;
  readonly progress?: Progress;
  readonly buttons?: readonly Button[];
  readonly select?: Select;
  /** Small print under the body: paging hints, sources, counts. */
  readonly footer?: string;
  /** Only the person who asked sees it (Slack ephemeral, Discord ephemeral). */
  readonly private?: boolean;
  /** Open this form for the person who clicked or typed (the rest of the message is shown if a form cannot be opened). */
  readonly form?: Form;
  /**
   * A submitted form was refused: field id -> what was wrong and what is allowed. Adapters show
   * each next to its field and keep the form open; nothing was done.
   */
  readonly fieldErrors?: Readonly<Record<string, string>>;
  /**
   * Whether the request this answers failed, where the tone alone would mislead: a "danger"
   * tone is a refusal or an error unless the reply says `succeeded` (a HIGH-risk plan, an
   * approval that was rejected — shown in red, yet what was asked for was done).
   */
  readonly outcome?: 'succeeded' | 'failed';
  /**
   * Nothing proceeds until the person who asked answers it (a run preview's Run / Cancel, a
   * confirmation question): a surface that presses no buttons (the terminal's `--exec`) fails
   * such a reply. Cards whose buttons are optional actions (an approval, an incident) leave it unset.
   */
  readonly awaitsAnswer?: boolean;
}

/** Whether a reply tells of a refusal or an error: for the audit, and the terminal's exit code. */
export function replyFailed(reply: Message): boolean {
  return reply.outcome ? reply.outcome === 'failed' : reply.tone === 'danger' || reply.fieldErrors !== undefined;
}
