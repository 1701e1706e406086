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

export interface Message {
  readonly title?: string;
  readonly text?: string;
  readonly tone?: Tone;
  readonly fields?: readonly MessageField[];
  readonly table?: MessageTable;
  /** Small print under the body: paging hints, sources, counts. */
  readonly footer?: string;
}

export function errorMessage(title: string, text: string): Message {
  return { title, text, tone: 'danger' };
}
