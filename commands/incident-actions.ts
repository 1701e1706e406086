/**
 * Working an incident: accept it, submit its solution, verify or reject the solution
 * (coc-api-notes §1.16), from the card's buttons, from the forms they open, or typed
 * (`incident accept|solve|verify|reject <number>`). Where the platform says which actions it
 * offers now to the person (COC's v2 tasks, §2.1), the action is taken through the task it
 * offers (v2 actions); otherwise through the handle call.
 *
 * Every click and every submitted form reads the incident again first: an action that no
 * longer fits its status, or that the platform no longer offers this person (somebody else
 * acted, or COC moved on), is refused with the status it has now, and nothing is sent. Changes to one incident are serialized in this process, so a
 * double click sends at most one request; COC calls that change something are sent once and
 * never retried. The change is then posted in the incident's places, exactly once.
 */
import { BackendCapabilityMissingError, nativeOf, writeFailureOf, type Incident, type IncidentAction, type IncidentHistoryEntry, type IncidentId, type IncidentOffer, type IncidentsCapability } from '../src/backends/index.js';
import { arg, defineCommand, type SomeTypedCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext, FormDefinition } from '../src/core/command.js';
import type { Form, Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { parseType, parseYesNo, typeChoices, typeOptions, yesNoOptions } from '../src/incidents/choices.js';
import { statusOf } from '../src/incidents/names.js';
import { announceStatus } from '../src/incidents/transitions.js';
import { hasWorkflow, offeredOperations } from '../src/incidents/offers.js';
import { fits, INCIDENT_ACTION_IDS, INCIDENT_FORM_IDS, OPERATIONS, type IncidentOperation } from '../src/incidents/workflow.js';
import { Refusal } from '../src/core/refusal.js';
import {
  auditReadBack,
  confirmedNote,
  explainRefusedChange,
  fullCard,
  incidentIdOf,
  incidentNumberArg,
  incidentNumOf,
  incidentsOf,
  incidentTypeChoices,
  myIamUserId,
  readTimeline,
  oneAtATime,
  readBackChange,
  readIncident,
  rereadIncident,
  unconfirmedChange,
  YES_NO_CHOICES,
  type IntendedMove,
} from './incident-common.js';

const CAUSE_MAX = 10_000;
const SOLUTION_MAX = 10_000;
const COMMENT_MAX = 300;

const TEXT = {
  stale: {
    accept: { 'en-US': 'Incident {num} is {status} now; it cannot be accepted', 'zh-CN': '事件 {num} 当前为{status}，无法受理' },
    solve: { 'en-US': 'Incident {num} is {status} now; a solution cannot be submitted', 'zh-CN': '事件 {num} 当前为{status}，无法提交解决方案' },
    verify: { 'en-US': 'Incident {num} is {status} now; there is no solution to verify', 'zh-CN': '事件 {num} 当前为{status}，没有待验证的解决方案' },
    reject: { 'en-US': 'Incident {num} is {status} now; there is no solution to reject', 'zh-CN': '事件 {num} 当前为{status}，没有待验证的解决方案' },
  } satisfies Record<IncidentOperation, Text>,
  staleText: { 'en-US': 'Nothing was sent to COC. This is the incident as it is now:', 'zh-CN': '未向 COC 发送任何操作。以下是事件的当前情况：' },
  notOffered: { 'en-US': 'COC does not offer you to {what} incident {num} now (it is {status})', 'zh-CN': 'COC 当前不允许您{what}事件 {num}（当前为{status}）' },
  done: {
    accept: { 'en-US': 'Accepted: {title}', 'zh-CN': '已受理：{title}' },
    solve: { 'en-US': 'Solution submitted: {title}', 'zh-CN': '已提交解决方案：{title}' },
    verify: { 'en-US': 'Verified: {title}', 'zh-CN': '验证通过：{title}' },
    reject: { 'en-US': 'Solution rejected: {title}', 'zh-CN': '验证不通过：{title}' },
  } satisfies Record<IncidentOperation, Text>,
  what: {
    accept: { 'en-US': 'accept', 'zh-CN': '受理' },
    solve: { 'en-US': 'submit the solution of', 'zh-CN': '提交解决方案' },
    verify: { 'en-US': 'verify', 'zh-CN': '验证' },
    reject: { 'en-US': 'reject the solution of', 'zh-CN': '驳回解决方案' },
  } satisfies Record<IncidentOperation, Text>,
  unread: { 'en-US': 'COC accepted it; the incident could not be read again yet: "incident show {num}".', 'zh-CN': 'COC 已接受；暂时无法再次读取事件，请用“incident show {num}”查看。' },
  // forms
  solutionTitle: { 'en-US': 'Solution of {num}', 'zh-CN': '{num} 的解决方案' },
  submit: { 'en-US': 'Submit', 'zh-CN': '提交' },
  cause: { 'en-US': 'Cause', 'zh-CN': '原因' },
  causeHint: { 'en-US': 'What caused the incident (at most 10000 characters).', 'zh-CN': '事件的原因（最多 10000 个字符）。' },
  solution: { 'en-US': 'Solution', 'zh-CN': '解决方案' },
  solutionHint: { 'en-US': 'What was done to resolve it (at most 10000 characters).', 'zh-CN': '为解决事件所做的处理（最多 10000 个字符）。' },
  type: { 'en-US': 'Incident type', 'zh-CN': '事件类别' },
  interrupted: { 'en-US': 'Was service interrupted?', 'zh-CN': '业务是否中断？' },
  verifyTitle: { 'en-US': 'Verify the solution of {num}', 'zh-CN': '验证 {num} 的解决方案' },
  verifySubmit: { 'en-US': 'Verify', 'zh-CN': '验证通过' },
  rejectTitle: { 'en-US': 'Reject the solution of {num}', 'zh-CN': '驳回 {num} 的解决方案' },
  rejectSubmit: { 'en-US': 'Reject', 'zh-CN': '驳回' },
  comment: { 'en-US': 'Comment', 'zh-CN': '验证说明' },
  verifyHint: { 'en-US': 'How the result was checked (at most 300 characters).', 'zh-CN': '如何确认结果（最多 300 个字符）。' },
  rejectHint: { 'en-US': 'Why the solution is not enough (required, at most 300 characters).', 'zh-CN': '解决方案为何不够（必填，最多 300 个字符）。' },
  openForm: { 'en-US': 'Fill in the form to {what} incident {num}.', 'zh-CN': '请填写表单以{what}事件 {num}。' },
  required: { 'en-US': 'Required.', 'zh-CN': '必填。' },
  tooLong: { 'en-US': 'At most {max} characters, got {length}.', 'zh-CN': '最多 {max} 个字符，收到 {length} 个。' },
  badType: { 'en-US': '"{value}" is not an incident type. Allowed: {allowed}.', 'zh-CN': '“{value}”不是有效的事件类别。可选值：{allowed}。' },
  badYesNo: { 'en-US': '"{value}" is not yes or no. Allowed: yes, no.', 'zh-CN': '“{value}”不是“是”或“否”。可选值：yes、no。' },
  notSent: { 'en-US': 'Nothing was sent to COC', 'zh-CN': '未向 COC 发送任何内容' },
  badFlags: { 'en-US': 'Fix these and try again (or leave out --cause and --solution for a form):\n{problems}', 'zh-CN': '请修正以下问题后重试（或不带 --cause 和 --solution 以打开表单）：\n{problems}' },
} satisfies Record<string, unknown>;

/** Where each operation takes the incident (workflow.ts), from the state it was read in. */
function intendedMove(operation: IncidentOperation, before: Incident): IntendedMove {
  return { from: before.status?.state ?? 'other', to: OPERATIONS[operation].to };
}

type Parameters =
  | { readonly operation: 'accept' }
  | { readonly operation: 'solve'; readonly cause: string; readonly solution: string; readonly type: string; readonly interrupted: boolean }
  | { readonly operation: 'verify' | 'reject'; readonly comment: string };

/** The incident as it is now, when it no longer fits the operation or COC does not offer it to this person (nothing sent). */
async function staleReply(context: CommandContext, detail: Incident, operation: IncidentOperation, notOffered = false): Promise<Message> {
  const card = await fullCard(context, detail);
  const words = { num: nativeOf(detail.id), status: statusOf(detail, context.backend.vocabulary, context.locale) };
  return {
    ...card,
    title: notOffered ? context.t(TEXT.notOffered, { ...words, what: context.t(TEXT.what[operation]) }) : context.t(TEXT.stale[operation], words),
    text: context.t(TEXT.staleText),
    tone: 'danger',
  };
}

/**
 * Whether the operation may be taken now: where COC says what it offers this person (v2
 * tasks), the task it is offered through; elsewhere, whether it fits the status.
 */
async function availability(context: CommandContext, detail: Incident, operation: IncidentOperation): Promise<{ ok: true; offer?: IncidentOffer } | { ok: false; reply: Message }> {
  const incidents = incidentsOf(context);
  if (!hasWorkflow(incidents)) return fits(detail, operation) ? { ok: true } : { ok: false, reply: await staleReply(context, detail, operation) };
  const offer = offeredOperations(await incidents.workflow(detail.id)).get(operation);
  if (offer) return { ok: true, offer };
  return { ok: false, reply: await staleReply(context, detail, operation, fits(detail, operation)) };
}

/** Whether the timeline now shows the action taken by this person once more than before sending. */
async function takenSince(incidents: IncidentsCapability, id: IncidentId, action: string, operator: string, before: number | undefined): Promise<boolean> {
  if (before === undefined) return false;
  const after = timesTaken(await readTimeline(incidents, id), action, operator);
  return after !== undefined && after > before;
}

/** How many times the timeline shows this action taken by this person. */
function timesTaken(timeline: readonly IncidentHistoryEntry[] | undefined, action: string, operator: string): number | undefined {
  return timeline?.filter((entry) => entry.action === action && entry.operator === operator).length;
}

function actionOf(parameters: Parameters): IncidentAction {
  switch (parameters.operation) {
    case 'accept':
      return { kind: 'accept' };
    case 'solve':
      return { kind: 'solve', type: parameters.type, serviceInterrupted: parameters.interrupted, cause: parameters.cause, solution: parameters.solution };
    default:
      return { kind: parameters.operation, comment: parameters.comment };
  }
}

/**
 * Reads the incident, refuses if the operation no longer fits its status, sends the change
 * once, reads it again, and posts the change in the incident's places.
 */
export async function performOperation(context: CommandContext, num: string, parameters: Parameters): Promise<Message> {
  const { operation } = parameters;
  context.audit.target = num;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, operation };
  return oneAtATime(num, async () => {
    const before = await readIncident(context, num);
    const available = await availability(context, before, operation);
    if (!available.ok) return available.reply;
    const { offer } = available;
    const { id: operator } = await myIamUserId(context);
    let confirmed: { note: string; detail?: Incident } | undefined;
    const incidents = incidentsOf(context);
    const id = incidentIdOf(context, num);
    if (offer) context.audit.maskedParameters = { ...context.audit.maskedParameters, action: offer.action };
    // What the timeline showed before sending: a lost answer can then be proved by the entry it added.
    const takenBefore = offer ? timesTaken(await readTimeline(incidents, id), offer.action, operator) : undefined;
    try {
      if (offer && incidents.act) await incidents.act(id, offer, actionOf(parameters), operator);
      else if (incidents.handle) await incidents.handle(id, actionOf(parameters), operator);
      else throw new BackendCapabilityMissingError(context.backend.name, 'incidents.handle');
    } catch (error) {
      if (writeFailureOf(error) === 'refused') return explainRefusedChange(context, error, num, TEXT.what[operation]);
      // The answer was lost: the incident, read back, says whether it moved. Never resent.
      const readBack = await readBackChange(context, num, intendedMove(operation, before));
      // The status cannot always tell (unreadable, or moved on since): one more entry of this action by this person in the timeline can.
      const provedByTimeline = readBack.verdict === 'unknown' && offer !== undefined && (await takenSince(incidents, id, offer.action, operator, takenBefore));
      auditReadBack(context, provedByTimeline ? 'done' : readBack.verdict, error);
      if (provedByTimeline) {
        confirmed = { note: confirmedNote(context, error), ...(readBack.detail ? { detail: readBack.detail } : {}) };
      } else {
        if (readBack.verdict !== 'done' || !readBack.detail) return unconfirmedChange(context, error, num, TEXT.what[operation], { verdict: readBack.verdict === 'done' ? 'unknown' : readBack.verdict, detail: readBack.detail });
        confirmed = { note: confirmedNote(context, error), detail: readBack.detail };
      }
    }
    const after = confirmed?.detail ?? (await rereadIncident(context, num));
    if (!after) return { title: context.t(TEXT.done[operation], { title: num }), text: [confirmed?.note, context.t(TEXT.unread, { num })].filter(Boolean).join(' '), tone: 'success' };
    await announceStatus(context.services, after, context.identity.iamUserName);
    const card = await fullCard(context, after, confirmed?.note);
    return { ...card, title: context.t(TEXT.done[operation], { title: card.title ?? num }), tone: 'success' };
  });
}

// ---- forms -------------------------------------------------------------------------------

function solutionForm(context: CommandContext, detail: Incident): Form {
  const { t, locale } = context;
  const { choices } = incidentsOf(context);
  const num = nativeOf(detail.id);
  const type = detail.type && parseType(choices, detail.type) ? detail.type : undefined;
  const interrupted = detail.serviceInterrupted === true ? 'yes' : detail.serviceInterrupted === false ? 'no' : undefined;
  return {
    id: INCIDENT_FORM_IDS.solution,
    title: t(TEXT.solutionTitle, { num }),
    submitLabel: t(TEXT.submit),
    context: num,
    fields: [
      { id: 'cause', label: t(TEXT.cause), kind: 'multiline', required: true, hint: t(TEXT.causeHint), maxLength: CAUSE_MAX },
      { id: 'solution', label: t(TEXT.solution), kind: 'multiline', required: true, hint: t(TEXT.solutionHint), maxLength: SOLUTION_MAX },
      { id: 'type', label: t(TEXT.type), kind: 'select', required: true, options: typeOptions(choices, context.backend.vocabulary, locale), ...(type ? { initial: type } : {}) },
      { id: 'interrupted', label: t(TEXT.interrupted), kind: 'select', required: true, options: yesNoOptions(locale), ...(interrupted ? { initial: interrupted } : {}) },
    ],
  };
}

function confirmForm(context: CommandContext, num: string, operation: 'verify' | 'reject'): Form {
  const { t } = context;
  const verify = operation === 'verify';
  return {
    id: verify ? INCIDENT_FORM_IDS.verify : INCIDENT_FORM_IDS.reject,
    title: t(verify ? TEXT.verifyTitle : TEXT.rejectTitle, { num }),
    submitLabel: t(verify ? TEXT.verifySubmit : TEXT.rejectSubmit),
    context: num,
    fields: [{ id: 'comment', label: t(TEXT.comment), kind: 'multiline', required: !verify, hint: t(verify ? TEXT.verifyHint : TEXT.rejectHint), maxLength: COMMENT_MAX }],
  };
}

/** Opens the operation's form, once the incident has been read and still fits it. */
async function openForm(context: CommandContext, num: string, operation: 'solve' | 'verify' | 'reject'): Promise<Message> {
  context.audit.target = num;
  const detail = await readIncident(context, num);
  const available = await availability(context, detail, operation);
  if (!available.ok) return available.reply;
  const form = operation === 'solve' ? solutionForm(context, detail) : confirmForm(context, num, operation);
  return { text: context.t(TEXT.openForm, { what: context.t(TEXT.what[operation]), num }), form, private: true };
}

type FieldErrors = Record<string, string>;

function lengthOf(value: string): number {
  return Array.from(value).length;
}

function checkText(errors: FieldErrors, field: string, value: string | undefined, max: number, required: boolean, context: CommandContext): string {
  const text = (value ?? '').trim();
  if (!text && required) errors[field] = context.t(TEXT.required);
  else if (lengthOf(text) > max) errors[field] = context.t(TEXT.tooLong, { max, length: lengthOf(text) });
  return text;
}

function checkSolution(context: CommandContext, values: Readonly<Record<string, string | undefined>>): { errors: FieldErrors; parameters?: Parameters } {
  const errors: FieldErrors = {};
  const cause = checkText(errors, 'cause', values['cause'], CAUSE_MAX, true, context);
  const solution = checkText(errors, 'solution', values['solution'], SOLUTION_MAX, true, context);
  const { choices } = incidentsOf(context);
  const allowed = typeChoices(choices, context.backend.vocabulary, context.locale);
  const rawType = (values['type'] ?? '').trim();
  const type = rawType ? parseType(choices, rawType) : undefined;
  if (!rawType) errors['type'] = `${context.t(TEXT.required)} ${allowed}`;
  else if (!type) errors['type'] = context.t(TEXT.badType, { value: rawType.slice(0, 60), allowed });
  const rawInterrupted = (values['interrupted'] ?? '').trim();
  const interrupted = rawInterrupted ? parseYesNo(rawInterrupted) : undefined;
  if (!rawInterrupted) errors['interrupted'] = `${context.t(TEXT.required)} yes, no`;
  else if (interrupted === undefined) errors['interrupted'] = context.t(TEXT.badYesNo, { value: rawInterrupted.slice(0, 60) });
  if (Object.keys(errors).length > 0 || !type || interrupted === undefined) return { errors };
  return { errors, parameters: { operation: 'solve', cause, solution, type, interrupted } };
}

function checkComment(context: CommandContext, operation: 'verify' | 'reject', raw: string | undefined): { errors: FieldErrors; parameters?: Parameters } {
  const errors: FieldErrors = {};
  const comment = checkText(errors, 'comment', raw, COMMENT_MAX, operation === 'reject', context);
  return Object.keys(errors).length ? { errors } : { errors, parameters: { operation, comment } };
}

function refusedForm(context: CommandContext, errors: FieldErrors): Message {
  return { title: context.t(TEXT.notSent), fieldErrors: errors, tone: 'danger', private: true };
}

export const INCIDENT_FORMS: readonly FormDefinition[] = [
  {
    id: INCIDENT_FORM_IDS.solution,
    family: 'incident',
    permission: OPERATIONS.solve.permission,
    mutates: true,
    run: async (context, values, formContext) => {
      const num = incidentNumOf(context, formContext);
      const checked = checkSolution(context, values);
      if (!checked.parameters) return refusedForm(context, checked.errors);
      return performOperation(context, num, checked.parameters);
    },
  },
  ...(['verify', 'reject'] as const).map(
    (operation): FormDefinition => ({
      id: INCIDENT_FORM_IDS[operation],
      family: 'incident',
      permission: OPERATIONS[operation].permission,
      mutates: true,
      run: async (context, values, formContext) => {
        const num = incidentNumOf(context, formContext);
        const checked = checkComment(context, operation, values['comment']);
        if (!checked.parameters) return refusedForm(context, checked.errors);
        return performOperation(context, num, checked.parameters);
      },
    }),
  ),
];

// ---- buttons -----------------------------------------------------------------------------

export const INCIDENT_ACTIONS: readonly ActionDefinition[] = [
  {
    id: INCIDENT_ACTION_IDS.accept,
    family: 'incident',
    permission: OPERATIONS.accept.permission,
    mutates: true,
    run: async (context, value) => performOperation(context, incidentNumOf(context, value), { operation: 'accept' }),
  },
  ...(['solve', 'verify', 'reject'] as const).map(
    (operation): ActionDefinition => ({
      id: INCIDENT_ACTION_IDS[operation],
      family: 'incident',
      permission: OPERATIONS[operation].permission,
      mutates: true,
      mayOpenForm: true,
      run: async (context, value) => openForm(context, incidentNumOf(context, value), operation),
    }),
  ),
  {
    id: INCIDENT_ACTION_IDS.refresh,
    family: 'incident',
    permission: 'viewer',
    mutates: false,
    run: async (context, value) => {
      const num = incidentNumOf(context, value);
      context.audit.target = num;
      return fullCard(context, await readIncident(context, num));
    },
  },
];

// ---- typed -------------------------------------------------------------------------------

function flagErrors(context: CommandContext, errors: FieldErrors): never {
  const problems = Object.entries(errors)
    .map(([field, problem]) => `--${field}: ${problem}`)
    .join('\n');
  throw new Refusal(context.t(TEXT.notSent), context.t(TEXT.badFlags, { problems }));
}

const acceptCommand = defineCommand({
  family: 'incident',
  words: ['incident', 'accept'],
  discord: { group: 'incident', name: 'accept', description: { 'en-US': 'Accept a waiting (TRIGGERED) incident', 'zh-CN': '受理等待中（TRIGGERED）的事件' } },
  needs: ['incidents.handle'],
  permission: OPERATIONS.accept.permission,
  mutates: true,
  summary: { 'en-US': 'Accept an incident that is waiting for someone (TRIGGERED)', 'zh-CN': '受理等待处理的事件（TRIGGERED）' },
  examples: ['incident accept IM202603140925001234567890'],
  positionals: { num: incidentNumberArg },
  flags: {},
  run: (context, { num }) => performOperation(context, num, { operation: 'accept' }),
});

const solveCommand = defineCommand({
  family: 'incident',
  words: ['incident', 'solve'],
  discord: { group: 'incident', name: 'solve', description: { 'en-US': 'Give cause and solution (a form, or options)', 'zh-CN': '提交原因与解决方案（表单或选项）' } },
  needs: ['incidents.handle'],
  permission: OPERATIONS.solve.permission,
  mutates: true,
  mayOpenForm: (args) => !args.flags.has('cause') && !args.flags.has('solution'),
  summary: {
    'en-US': 'Submit the cause and solution of an accepted incident, or a reworked one after a rejection (a form, or flags)',
    'zh-CN': '提交已受理事件的原因和解决方案，或在被驳回后重新提交（表单或参数）',
  },
  examples: ['incident solve IM202603140925001234567890', 'incident solve IM202603140925001234567890 --cause "disk full" --solution "rotated logs" --type config --interrupted no'],
  positionals: { num: incidentNumberArg },
  flags: {
    cause: arg.string({ max: CAUSE_MAX, description: { 'en-US': 'What caused it', 'zh-CN': '原因' } }),
    solution: arg.string({ max: SOLUTION_MAX, description: { 'en-US': 'What resolved it', 'zh-CN': '解决方案' } }),
    type: arg.enum({ choices: incidentTypeChoices, description: { 'en-US': 'The incident type (default: as it is now)', 'zh-CN': '事件类别（默认：保持不变）' } }),
    interrupted: arg.enum({ choices: YES_NO_CHOICES, description: { 'en-US': 'Was service interrupted (default: as it is now)', 'zh-CN': '业务是否中断（默认：保持不变）' } }),
  },
  async run(context, { num, cause, solution, type, interrupted }) {
    if (cause === undefined && solution === undefined) return openForm(context, num, 'solve');
    const current = await readIncident(context, num);
    const checked = checkSolution(context, {
      cause,
      solution,
      type: type ?? current.type ?? undefined,
      interrupted: interrupted ?? (current.serviceInterrupted === undefined ? undefined : current.serviceInterrupted ? 'yes' : 'no'),
    });
    if (!checked.parameters) return flagErrors(context, checked.errors);
    return performOperation(context, num, checked.parameters);
  },
});

const CONFIRM_TEXTS = {
  verify: {
    discord: { 'en-US': 'Verify the solution; completes it', 'zh-CN': '验证解决方案并完成事件' },
    summary: { 'en-US': 'Verify the solution of a resolved incident, which completes it', 'zh-CN': '验证已解决事件的解决方案，事件随之完成' },
    comment: { 'en-US': 'How the result was checked', 'zh-CN': '如何确认结果' },
    example: 'incident verify IM202603140925001234567890 --comment "latency normal for 30 min"',
  },
  reject: {
    discord: { 'en-US': 'Reject the solution, with a reason', 'zh-CN': '驳回解决方案并说明原因' },
    summary: { 'en-US': 'Reject the solution of a resolved incident, with a reason', 'zh-CN': '驳回已解决事件的解决方案，并说明原因' },
    comment: { 'en-US': 'Why the solution is not enough', 'zh-CN': '解决方案为何不够' },
    example: 'incident reject IM202603140925001234567890 --comment "errors still at 2%"',
  },
} as const;

function confirmCommand(operation: 'verify' | 'reject') {
  const verify = operation === 'verify';
  const texts = CONFIRM_TEXTS[operation];
  return defineCommand({
    family: 'incident',
    words: ['incident', operation],
    discord: { group: 'incident', name: operation, description: texts.discord },
    needs: ['incidents.handle'],
    permission: OPERATIONS[operation].permission,
    mutates: true,
    mayOpenForm: (args) => !verify && !args.flags.has('comment'),
    summary: texts.summary,
    examples: [texts.example],
    positionals: { num: incidentNumberArg },
    flags: {
      comment: arg.string({ max: COMMENT_MAX, description: texts.comment }),
    },
    async run(context, { num, comment }) {
      if (comment === undefined && !verify) return openForm(context, num, operation);
      const checked = checkComment(context, operation, comment ?? '');
      if (!checked.parameters) return flagErrors(context, checked.errors);
      return performOperation(context, num, checked.parameters);
    },
  });
}

export const INCIDENT_ACTION_COMMANDS: readonly SomeTypedCommand[] = [acceptCommand, solveCommand, confirmCommand('verify'), confirmCommand('reject')];
