/** Change tickets of the platform (COC's generic ticket APIs with ticket type `change`), as far as chat needs them. */
import type { CallOptions, Page } from '../backend.js';
import type { Id } from '../ids.js';

/** `coc:ticket:<ticket id>` (a change ticket). */
export type ChangeId = Id<'ticket'>;

export interface ChangeTicket {
  readonly id: ChangeId;
  readonly title: string;
  readonly description?: string;
  /** The platform's status code (shown as it comes: the platform documents none). */
  readonly statusCode: string;
  readonly phase?: string;
  readonly level?: string;
  /** The platform's application id. */
  readonly application?: string;
  readonly region?: string;
  readonly creator?: string;
  readonly assignee?: string;
  readonly createdAt?: number;
  readonly updatedAt?: number;
  /** When the change is planned to start and end, where the platform says. */
  readonly plannedStart?: number;
  readonly plannedEnd?: number;
  /** What may be done to it now (read with the ticket; absent from lists). */
  readonly offers?: ChangeOffers;
}

/** The actions a ticket offers now, and the task they are taken on (checked again by the platform). */
export interface ChangeOffers {
  readonly task: string;
  readonly actions: readonly string[];
}

export interface ChangeQuery {
  /** Only changes of this application (the platform's id). */
  readonly application?: string;
  /** Only these status codes. */
  readonly statusCodes?: readonly string[];
  readonly limit: number;
  readonly page?: number;
}

export interface ChangesCapability {
  /** The status codes of a change that is planned, and of one under way (the "today" list asks for these). */
  readonly openStatusCodes: { readonly scheduled: string; readonly running: string };
  list(query: ChangeQuery, options?: CallOptions): Promise<Page<ChangeTicket>>;
  /** undefined = no such ticket. */
  get(id: ChangeId, options?: CallOptions): Promise<ChangeTicket | undefined>;
  /** Takes one of the actions the ticket offers (a write). */
  act?(request: { readonly id: ChangeId; readonly task: string; readonly action: string }, options?: CallOptions): Promise<void>;
}
