/**
 * Approvals held on the platform (BlueKing ITSM): a ticket carries the plan; its approval node is
 * decided there (by the platform's own processor list) or from chat as the clicking person. The
 * bot still enforces four-eyes and one winner; the ticket is where the platform's rules apply.
 */
import type { CallOptions } from '../backend.js';
import type { Id } from '../ids.js';

/** `blueking:ticket:<sn>`. */
export type TicketId = Id<'ticket'>;

export const TICKET_STATES = ['open', 'approved', 'rejected', 'withdrawn', 'other'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export interface TicketStatus {
  readonly state: TicketState;
  /** The platform's own status code (ITSM `RUNNING`, `FINISHED`, `TERMINATED`, `REVOKED`…). */
  readonly code: string;
  /** Who decided it, when the platform says. */
  readonly decidedBy?: string;
  /** Where a person opens the ticket. */
  readonly url?: string;
}

export interface TicketRequest {
  readonly title: string;
  /** Who asks (the platform user the ticket is created as). */
  readonly requester: string;
  /** The plan in words, already masked: label → value, in this order. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface ExternalApprovalsCapability {
  /** A write: opens a ticket. */
  open(request: TicketRequest, options?: CallOptions): Promise<{ readonly id: TicketId; readonly url?: string }>;
  /** A write: decides the ticket's approval node as `as` (the platform refuses someone not on its processor list). */
  decide(ticket: TicketId, decision: 'approve' | 'reject', as: string, note?: string, options?: CallOptions): Promise<void>;
  /** undefined = the platform does not know the ticket. */
  status(ticket: TicketId, options?: CallOptions): Promise<TicketStatus | undefined>;
  /** A write: withdraws the ticket as `as` (the requester, or the bot when the plan ended). */
  withdraw(ticket: TicketId, as: string, options?: CallOptions): Promise<void>;
}
