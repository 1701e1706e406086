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

export interface Button {
  /** Routed to the action handler of that id, e.g. `order:cancel`. */
  readonly actionId: string;
  readonly label: string;
  /** Opaque to adapters; the handler re-reads everything it needs (never trusts the card). */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: Confirmation;
}

export interface SelectOption {
  readonly label: string;
  readonly value: string;
}

export interface Select {
  readonly actionId: string;
  readonly placeholder: string;
  readonly options: readonly SelectOption[];
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
}
