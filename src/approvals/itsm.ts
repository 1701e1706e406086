/**
 * Requests decided through the platform's ITSM (`approvals.via: itsm`, BlueKing): the ticket
 * carries the plan (parameters masked), ITSM enforces who may decide it (its processor list), the
 * bot still enforces four eyes and one winner. Every call here is one write or one read, never
 * retried; a write's failure is three-valued — refused (ITSM said no before acting) or unknown
 * (it may have acted) — and an unknown one is settled by reading the ticket, never by sending again.
 */
import { label, nativeOf, normalizeError, writeFailureOf, type ExternalApprovalsCapability, type TicketId, type TicketRequest } from '../backends/index.js';
import type { Services } from '../core/command.js';
import { lostAnswerPhrase } from '../core/lost-answer.js';
import { phrase, type Phrase } from '../i18n/phrase.js';
import { translator } from '../i18n/translate.js';
import type { ApprovalRow, ApprovalVia } from '../store/approvals.js';
import type { RunPlanRow } from '../store/run-plans.js';
import { hostCount, planDetails } from '../run/plan-details.js';
import { ITSM_TEXT } from './itsm-texts.js';

/** How the deployment wants new requests decided (`approvals.via`). */
export function approvalsVia(services: Services): ApprovalVia {
  return services.config.approvals.via;
}

/** The ITSM new requests go through, when the deployment chose it and its platform has one. */
export function ticketsForNewRequests(services: Services): ExternalApprovalsCapability | undefined {
  if (approvalsVia(services) !== 'itsm') return undefined;
  if (!services.backend.approvals) services.log.warn('approvals.via is itsm, but the backend has no ITSM: requests are decided in chat only');
  return services.backend.approvals;
}

/** The ITSM a filed request's ticket lives in (whatever the configuration says now). */
export function ticketsOf(services: Services): ExternalApprovalsCapability | undefined {
  return services.backend.approvals;
}

/** What a write to ITSM came to. */
export type TicketWrite = { readonly kind: 'done' } | { readonly kind: 'refused'; readonly reason: Phrase } | { readonly kind: 'unknown'; readonly reason: Phrase };

/** Why ITSM refused, from its own answer (code and words), never a body or a parameter. */
function refusedBy(error: unknown): Phrase {
  const known = normalizeError(error);
  const detail = known ? [known.detail.code, known.detail.platformMessage].filter(Boolean).join(': ') || known.message : 'refused';
  return phrase(ITSM_TEXT.refusedBy, { detail });
}

async function classify<T>(write: () => Promise<T>): Promise<{ kind: 'done'; value: T } | Exclude<TicketWrite, { kind: 'done' }>> {
  try {
    return { kind: 'done', value: await write() };
  } catch (error) {
    if (writeFailureOf(error) === 'refused') return { kind: 'refused', reason: refusedBy(error) };
    return { kind: 'unknown', reason: lostAnswerPhrase(error) };
  }
}

/** The ticket's title and fields, in the requester's language, sensitive values masked as the card shows them. */
export function ticketRequestOf(approval: ApprovalRow, plan: RunPlanRow, vocabulary: Services['backend']['vocabulary']): TicketRequest {
  const t = translator(plan.requesterLocale);
  const details = planDetails(plan);
  const hosts = details.batches.flatMap((batch) => batch.hosts.map((host) => host.name));
  // shownParams are the values as displayed: every sensitive one already masked.
  const params = Object.entries(details.shownParams).map(([name, value]) => `${name}=${value}`);
  const batches = details.batches.map((batch) =>
    t(ITSM_TEXT.batchLine, { index: batch.index, hosts: batch.hosts.length, rotation: label(vocabulary, 'rotation', batch.rotation, plan.requesterLocale) }),
  );
  return {
    title: ticketTitle(plan),
    requester: plan.requesterIamUser,
    fields: {
      [t(ITSM_TEXT.fieldScript)]: `${plan.scriptName} (${nativeOf(plan.scriptId)}, ${plan.riskLevel})`,
      [t(ITSM_TEXT.fieldHosts)]: hosts.join(', '),
      [t(ITSM_TEXT.fieldParameters)]: params.length > 0 ? params.join(' ') : t(ITSM_TEXT.noParameters),
      [t(ITSM_TEXT.fieldBatches)]: batches.join('; '),
      [t(ITSM_TEXT.fieldRequester)]: t(ITSM_TEXT.requesterLine, { user: plan.requesterIamUser, chatUser: plan.requesterChatUserId, platform: plan.platform }),
      [t(ITSM_TEXT.fieldReason)]: approval.reason ?? t(ITSM_TEXT.noReason),
      [t(ITSM_TEXT.fieldRequest)]: approval.id,
    },
  };
}

export function ticketTitle(plan: RunPlanRow): string {
  return translator(plan.requesterLocale)(ITSM_TEXT.ticketTitle, { script: plan.scriptName, hosts: hostCount(planDetails(plan)) });
}

/** Opens the request's ticket as its requester: once per request (the caller holds the request's first filing). */
export async function openTicket(
  tickets: ExternalApprovalsCapability,
  request: TicketRequest,
): Promise<{ readonly kind: 'done'; readonly id: TicketId; readonly url?: string } | Exclude<TicketWrite, { kind: 'done' }>> {
  const opened = await classify(() => tickets.open(request));
  return opened.kind === 'done' ? { kind: 'done', id: opened.value.id, ...(opened.value.url ? { url: opened.value.url } : {}) } : opened;
}

/** Sends a chat winner's decision to the ticket as the person who clicked. */
export async function sendDecision(tickets: ExternalApprovalsCapability, ticket: TicketId, decision: 'approve' | 'reject', as: string, note?: string): Promise<TicketWrite> {
  const sent = await classify(() => tickets.decide(ticket, decision, as, note));
  return sent.kind === 'done' ? { kind: 'done' } : sent;
}

/**
 * Withdraws the ticket of a request that ended undecided here (expired, withdrawn, void), as
 * its requester. Best effort: the request is settled already; a failure is logged, never retried.
 */
export async function withdrawTicket(services: Services, approval: ApprovalRow): Promise<void> {
  if (approval.via !== 'itsm' || !approval.externalRef) return;
  const tickets = ticketsOf(services);
  if (!tickets) return;
  try {
    await tickets.withdraw(approval.externalRef, approval.requesterIamUser);
    services.log.info({ approval: approval.id, ticket: approval.externalRef }, 'withdrew the ITSM ticket of a request that ended undecided');
  } catch (error) {
    services.log.warn({ err: error, approval: approval.id, ticket: approval.externalRef, outcome: writeFailureOf(error) }, 'could not withdraw the ITSM ticket of a request that ended undecided');
  }
}
