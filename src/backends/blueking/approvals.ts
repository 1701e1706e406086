/**
 * Approvals held on BlueKing ITSM: a ticket on the configured service carries the plan; its
 * running approval node is decided as the clicking person (ITSM checks its processor list); the
 * outcome is read back from the ticket's status and, once it ended, from its log.
 */
import type { CallOptions } from '../backend.js';
import { BackendInputError, BackendRefusedError } from '../errors.js';
import { makeId, nativeOf } from '../ids.js';
import type { ExternalApprovalsCapability, TicketId, TicketRequest, TicketState, TicketStatus } from '../types/approvals.js';
import { mapped } from './errors.js';
import { esbOptions, operationOf } from './call-options.js';
import type { EsbCaller } from './esb/component.js';
import {
  CREATE_TICKET,
  GET_SERVICE_DETAIL,
  GET_TICKET_LOGS,
  GET_TICKET_STATUS,
  OPERATE_NODE,
  OPERATE_TICKET,
  type ServiceField,
  type StepField,
  type TicketFieldValue,
  type TicketLog,
  type TicketStep,
} from './esb/itsm.js';
import { isMissing } from './missing.js';
import type { BluekingSettings } from './settings.js';

/** Field types that take free text: where the plan goes. */
const TEXT_TYPES = new Set(['TEXT', 'STRING', 'RICHTEXT']);
/** Multi-line first: the plan reads best there. */
const TEXT_PREFERENCE = ['TEXT', 'RICHTEXT', 'STRING'];

const same = (a: string | null | undefined, b: string): boolean => (a ?? '').trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The service's fields filled from a request: `title` gets the title; a text field named like a
 * plan label (by its name or key) gets that value; every other plan line goes, as `label: value`
 * lines, into the service's first free text field. A service with no text field left for the
 * plan is refused before anything is sent: a ticket must never be approved without its plan.
 */
export function ticketFieldsOf(serviceFields: readonly ServiceField[], request: TicketRequest): TicketFieldValue[] {
  const values = new Map<string, string>();
  const titleField = serviceFields.find((field) => field.key === 'title');
  if (titleField) values.set(titleField.key, request.title);
  const textFields = serviceFields.filter((field) => TEXT_TYPES.has(field.type) && field.key !== 'title');
  // Without a title field the title heads the plan's text, so the ticket still says what it is.
  const rest: string[] = titleField ? [] : [request.title];
  for (const [label, value] of Object.entries(request.fields)) {
    const named = textFields.find((field) => !values.has(field.key) && (same(field.name, label) || same(field.key, label)));
    if (named) values.set(named.key, value);
    else rest.push(`${label}: ${value}`);
  }
  if (rest.length > 0) {
    const free = TEXT_PREFERENCE.map((type) => textFields.find((field) => field.type === type && !values.has(field.key))).find((field) => field !== undefined);
    if (!free) {
      throw new BackendInputError(
        'the ITSM service has no free text field to carry the plan',
        'blueking',
        operationOf(CREATE_TICKET),
        { problems: [{ path: 'fields', message: 'the ITSM service needs a text field (TEXT, RICHTEXT or STRING) for the plan' }] },
        false,
      );
    }
    values.set(free.key, rest.join('\n'));
  }
  // A required text field the plan did not fill still needs a value: the title says what it is about.
  for (const field of textFields) {
    if (field.validate_type === 'REQUIRE' && !values.has(field.key)) values.set(field.key, request.title);
  }
  return [...values].map(([key, value]) => ({ key, value }));
}

/** The running approval node: the one a person decides. */
export function approvalNodeOf(steps: readonly TicketStep[]): TicketStep | undefined {
  const running = steps.filter((step) => step.status === 'RUNNING');
  return (
    running.find((step) => step.action_type === 'TRANSITION') ??
    running.find((step) => (step.operations ?? []).some((operation) => operation.key === 'TRANSITION'))
  );
}

const APPROVE_WORDS = /同意|通过|批准|approve|agree|accept|^yes$|^y$|^true$|^是$|TONGYI|TONGGUO/i;
const REJECT_WORDS = /拒绝|驳回|不同意|不通过|reject|refuse|deny|^no$|^n$|^false$|^否$|JUJUE|BOHUI/i;

/** Whether a choice reads as `words`, by its name or its key (each alone, so anchored words work). */
function says(words: RegExp, choice: { key: string | number; name?: string | null | undefined }): boolean {
  return words.test((choice.name ?? '').trim()) || words.test(String(choice.key).trim());
}

/** The node's result field (审批结果) and its approve and reject choices, when it has one. */
export function resultFieldOf(fields: readonly StepField[]): { field: StepField; approve: string; reject: string } | undefined {
  for (const field of fields) {
    const choices = field.choice ?? [];
    const reject = choices.find((choice) => says(REJECT_WORDS, choice));
    const approve = choices.find((choice) => choice !== reject && says(APPROVE_WORDS, choice) && !says(REJECT_WORDS, choice));
    if (approve && reject) return { field, approve: String(approve.key), reject: String(reject.key) };
  }
  return undefined;
}

/** The action a node log names: `bob 处理节点【审批】(通过): remark` → `通过` (the bracket right after the node). */
function nodeActionOf(message: string): string | undefined {
  return (/【[^】]*】\s*[(（]([^()（）]*)[)）]/.exec(message) ?? /[(（]([^()（）]*)[)）]\s*$/.exec(message))?.[1];
}

/** The decision a log line records: `xxx 处理节点【审批】(通过)` → approved. */
export function decisionOfLog(log: TicketLog): 'approved' | 'rejected' | undefined {
  const action = nodeActionOf(log.message ?? '');
  if (action === undefined) return undefined;
  if (REJECT_WORDS.test(action)) return 'rejected';
  if (APPROVE_WORDS.test(action)) return 'approved';
  return undefined;
}

const WITHDRAW_WORDS = /撤销单据|撤单|撤回|withdr[ae]w/i;
const TERMINATE_WORDS = /终止|terminat/i;

export interface LoggedOutcome {
  readonly state?: 'approved' | 'rejected' | 'withdrawn';
  readonly by?: string;
}

/**
 * How an ended ticket ended, from its log read newest first: a decision on a node, a withdrawal
 * (ITSM may end a withdrawn ticket TERMINATED, like a refusal: only the log tells them apart), or
 * a terminated node. System lines (`流程结束`) are passed over.
 */
export function outcomeOfLogs(logs: readonly TicketLog[]): LoggedOutcome {
  for (const log of [...logs].reverse()) {
    const message = log.message ?? '';
    const by = log.operator ? { by: log.operator } : {};
    const decision = decisionOfLog(log);
    if (decision) return { state: decision, ...by };
    if (WITHDRAW_WORDS.test(message)) return { state: 'withdrawn', ...by };
    if (TERMINATE_WORDS.test(message)) return { state: 'rejected', ...by };
  }
  return {};
}

function stateOfCode(code: string): TicketState | 'ended' {
  switch (code) {
    case 'RUNNING':
    case 'SUSPENDED':
      return 'open';
    case 'TERMINATED':
      return 'rejected';
    case 'REVOKED':
    case 'WITHDRAWN':
    case 'WITHDRAW':
      return 'withdrawn';
    case 'FINISHED':
      return 'ended';
    default:
      return 'other';
  }
}

export function bluekingApprovals(caller: EsbCaller, settings: BluekingSettings): ExternalApprovalsCapability {
  const serviceId = settings.itsmServiceId;
  if (serviceId === undefined) throw new TypeError('bluekingApprovals needs settings.itsmServiceId');

  async function ticketStatus(sn: string, options?: CallOptions) {
    return mapped(() => caller.call(GET_TICKET_STATUS, { sn }, esbOptions(options)));
  }

  async function loggedOutcome(sn: string, options?: CallOptions): Promise<LoggedOutcome> {
    const { logs } = await mapped(() => caller.call(GET_TICKET_LOGS, { sn }, esbOptions(options)));
    return outcomeOfLogs(logs);
  }

  return {
    async open(request, options) {
      const service = await mapped(() => caller.call(GET_SERVICE_DETAIL, { service_id: serviceId }, esbOptions(options)));
      const fields = ticketFieldsOf(service.fields, request);
      const { sn } = await mapped(() => caller.call(CREATE_TICKET, { service_id: serviceId, creator: request.requester, fields }, esbOptions(options)));
      const id: TicketId = makeId('blueking', 'ticket', sn);
      // The link is a convenience: the ticket exists whether or not this read answers.
      const url = await ticketStatus(sn, options).then(
        (status) => status.ticket_url ?? undefined,
        () => undefined,
      );
      return url ? { id, url } : { id };
    },

    async decide(ticket, decision, as, note, options) {
      const sn = nativeOf(ticket);
      const status = await ticketStatus(sn, options);
      const node = approvalNodeOf(status.current_steps ?? []);
      if (!node) {
        throw new BackendRefusedError(
          `ITSM ticket ${sn} has no approval node waiting for a decision (${status.current_status})`,
          'blueking',
          operationOf(OPERATE_NODE),
          { code: 'NO_RUNNING_APPROVAL_NODE', platformMessage: status.current_status },
          false,
        );
      }
      const nodeFields = node.fields ?? [];
      const result = resultFieldOf(nodeFields);
      if (decision === 'reject' && !result) {
        // A node without a result field can only refuse by ending the ticket.
        await mapped(() =>
          caller.call(OPERATE_NODE, { sn, operator: as, state_id: node.state_id, action_type: 'TERMINATE', action_message: note?.trim() || 'rejected' }, esbOptions(options)),
        );
        return;
      }
      const fields: TicketFieldValue[] = [];
      for (const field of nodeFields) {
        if (result && field.key === result.field.key) fields.push({ key: field.key, value: decision === 'approve' ? result.approve : result.reject });
        else if (TEXT_TYPES.has(field.type) && (note?.trim() || field.validate_type === 'REQUIRE')) {
          fields.push({ key: field.key, value: note?.trim() || (decision === 'approve' ? 'approved' : 'rejected') });
        }
      }
      await mapped(() => caller.call(OPERATE_NODE, { sn, operator: as, state_id: node.state_id, action_type: 'TRANSITION', fields }, esbOptions(options)));
    },

    async status(ticket, options): Promise<TicketStatus | undefined> {
      const sn = nativeOf(ticket);
      let status;
      try {
        status = await ticketStatus(sn, options);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      const code = status.current_status;
      const url = status.ticket_url ? { url: status.ticket_url } : {};
      const state = stateOfCode(code);
      if (state === 'open' || state === 'withdrawn' || state === 'other') return { state, code, ...url };
      // Ended: the log says how and by whom (a terminated ticket was refused, or withdrawn).
      const outcome = await loggedOutcome(sn, options);
      const decidedBy = outcome.by ? { decidedBy: outcome.by } : {};
      if (state === 'rejected') {
        if (outcome.state === 'withdrawn') return { state: 'withdrawn', code, ...url };
        return { state: 'rejected', code, ...decidedBy, ...url };
      }
      if (outcome.state === 'approved' || outcome.state === 'rejected') return { state: outcome.state, code, ...decidedBy, ...url };
      return { state: 'other', code, ...url };
    },

    async withdraw(ticket, as, options) {
      await mapped(() => caller.call(OPERATE_TICKET, { sn: nativeOf(ticket), operator: as, action_type: 'WITHDRAW' }, esbOptions(options)));
    },
  };
}
