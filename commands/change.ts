/**
 * Change tickets: `changes` (what is scheduled or running today in this application), `change
 * show <ticket>` (one, with the actions it offers now as buttons) and `change act <ticket>
 * <action>`. "This application" is --app, else the configured incidents.alarmApplication, else
 * every application (the title says which).
 *
 * An action is taken only when the ticket's own detail offers it now, on the task it names; the
 * write is sent once, and a lost answer is settled by reading the ticket back (its status or task
 * moved = it was taken), else reported as unknown with a check that works.
 */
import { nativeOf, need, type ChangeTicket, type ChangesCapability } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { ActionDefinition, CommandContext } from '../src/core/command.js';
import type { Button, Message, MessageField } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { cell, orNone, shown, utcTime } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { limitArg } from './list-args.js';
import { unsettledReply } from './alarm-common.js';
import { sendClaimedWrite } from './write-claim.js';

export const CHANGE_ACTION_ID = 'change:act';

const TICKET_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const ACTION_WORD = /^[A-Za-z0-9_.-]{1,64}$/;
const DAY_MS = 86_400_000;

const TEXT = {
  listTitle: { 'en-US': 'Changes today in {app} ({shown})', 'zh-CN': '{app} 今日的变更（{shown} 条）' },
  everyApp: { 'en-US': 'every application', 'zh-CN': '所有应用' },
  none: { 'en-US': 'Nothing is scheduled or running today.', 'zh-CN': '今天没有计划中或进行中的变更。' },
  colId: { 'en-US': 'TICKET', 'zh-CN': '工单' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colPlanned: { 'en-US': 'PLANNED', 'zh-CN': '计划时间' },
  colTitle: { 'en-US': 'TITLE', 'zh-CN': '标题' },
  colAssignee: { 'en-US': 'ASSIGNEE', 'zh-CN': '处理人' },
  showHint: { 'en-US': 'One change and what may be done to it: change show <ticket>', 'zh-CN': '查看单个变更及可执行的操作：change show <工单>' },
  appFlag: { 'en-US': 'Application id (default: incidents.alarmApplication)', 'zh-CN': '应用 ID（默认：incidents.alarmApplication）' },
  ticketWhat: { 'en-US': 'a change ticket id', 'zh-CN': '变更工单 ID' },
  ticketDescription: { 'en-US': 'Change ticket id (the TICKET column of "changes")', 'zh-CN': '变更工单 ID（“changes”的工单列）' },
  notFound: { 'en-US': 'No change ticket {id} in {platform}', 'zh-CN': '{platform} 中没有变更工单 {id}' },
  notFoundText: { 'en-US': '"changes" lists today’s with their ids. Nothing was sent.', 'zh-CN': '“changes”可列出今天的变更及其 ID。未发送任何内容。' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  phase: { 'en-US': 'Phase', 'zh-CN': '阶段' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  application: { 'en-US': 'Application', 'zh-CN': '应用' },
  planned: { 'en-US': 'Planned', 'zh-CN': '计划时间' },
  assignee: { 'en-US': 'Assignee', 'zh-CN': '处理人' },
  creator: { 'en-US': 'Created by', 'zh-CN': '创建人' },
  offers: { 'en-US': 'Actions now', 'zh-CN': '当前可执行操作' },
  noOffers: { 'en-US': 'none from chat', 'zh-CN': '聊天中无可执行操作' },
  actHint: { 'en-US': 'Take one: change act {id} <action>', 'zh-CN': '执行操作：change act {id} <操作>' },
  actionWhat: { 'en-US': 'Action the ticket offers now (see "change show")', 'zh-CN': '工单当前提供的操作（见“change show”）' },
  actionSays: { 'en-US': 'give one word, as "change show" lists it', 'zh-CN': '请给出一个词，如“change show”所列' },
  notOffered: { 'en-US': 'Change {id} does not offer "{action}" now', 'zh-CN': '变更 {id} 当前不提供“{action}”操作' },
  notOfferedText: { 'en-US': 'Nothing was sent. It offers: {offers}.', 'zh-CN': '未发送任何内容。当前可执行：{offers}。' },
  acted: { 'en-US': 'Change {id}: {action} taken, now {status}', 'zh-CN': '变更 {id}：已执行 {action}，当前状态 {status}' },
  actedNoRead: { 'en-US': 'Change {id}: {action} taken', 'zh-CN': '变更 {id}：已执行 {action}' },
  actWhat: { 'en-US': '{action} on change {id}', 'zh-CN': '对变更 {id} 执行 {action}' },
  confirmTitle: { 'en-US': '{action} change {id}?', 'zh-CN': '对变更 {id} 执行 {action}？' },
  confirmText: { 'en-US': '{title}', 'zh-CN': '{title}' },
  confirmYes: { 'en-US': 'Yes', 'zh-CN': '是' },
  confirmNo: { 'en-US': 'Not now', 'zh-CN': '暂不' },
  badButton: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badButtonText: { 'en-US': 'Nothing was sent. Run "change show <ticket>" for a fresh card.', 'zh-CN': '未发送任何内容。请运行“change show <工单>”获取新的卡片。' },
  stale: { 'en-US': 'Change {id} moved on since this card', 'zh-CN': '变更 {id} 在此卡片之后已有变化' },
  staleText: { 'en-US': 'Nothing was sent. Run "change show {id}" for what it offers now.', 'zh-CN': '未发送任何内容。请运行“change show {id}”查看当前可执行的操作。' },
  ticket: { 'en-US': 'ticket', 'zh-CN': '工单' },
  confirmed: { 'en-US': 'Confirmed by reading the ticket back after the answer was lost ({answer}); it was not sent again.', 'zh-CN': '响应丢失（{answer}），之后读取工单确认已执行；未重复发送。' },
} satisfies Record<string, Text>;

const ticketArg = arg.id({
  required: true,
  what: TEXT.ticketWhat,
  example: 'CH20250601000000000002',
  pattern: TICKET_ID,
  description: TEXT.ticketDescription,
  placeholder: { 'en-US': 'ticket', 'zh-CN': 'ticket' },
  localName: { 'en-US': 'ticket', 'zh-CN': '工单' },
});

function changesOf(context: CommandContext): ChangesCapability {
  return need(context.backend, 'changes');
}

async function readChange(context: CommandContext, typed: string): Promise<ChangeTicket> {
  const { t, backend } = context;
  const id = TICKET_ID.test(typed) ? backend.parseId('ticket', typed) : undefined;
  const ticket = id === undefined ? undefined : await changesOf(context).get(id);
  if (!ticket) refuse(t(TEXT.notFound, { id: shown(typed, 64), platform: t(backend.displayName) }), t(TEXT.notFoundText));
  return ticket;
}

function planned(ticket: ChangeTicket): string {
  if (ticket.plannedStart === undefined) return '—';
  return ticket.plannedEnd !== undefined ? `${utcTime(ticket.plannedStart)} – ${utcTime(ticket.plannedEnd).slice(11)}` : utcTime(ticket.plannedStart);
}

/** Running now, or planned to start within today (UTC); a change with no planned time is kept. */
function isToday(ticket: ChangeTicket, running: string, now: number): boolean {
  if (ticket.statusCode === running || ticket.plannedStart === undefined) return true;
  const day = now - (now % DAY_MS);
  return ticket.plannedStart >= day && ticket.plannedStart < day + DAY_MS;
}

export const changesCommand = defineCommand({
  family: 'change',
  words: ['changes'],
  discord: { group: 'changes', name: 'today', localName: { 'en-US': 'today', 'zh-CN': '今日' }, description: { 'en-US': 'Changes scheduled or running today', 'zh-CN': '今日计划中或进行中的变更' } },
  needs: ['changes'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'The change tickets scheduled or running today in this application', 'zh-CN': '本应用今日计划中或进行中的变更工单' },
  examples: ['changes', 'changes --app ad075aa0c9c32baab0092520'],
  positionals: {},
  flags: {
    app: arg.string({ max: 128, pattern: { re: TICKET_ID, says: TEXT.appFlag }, description: TEXT.appFlag, placeholder: { 'en-US': 'id', 'zh-CN': 'id' } }),
    limit: limitArg(20),
  },
  async run(context, args): Promise<Message> {
    const { t } = context;
    const changes = changesOf(context);
    const application = args.app ?? context.services.config.incidents.alarmApplication;
    const { scheduled, running } = changes.openStatusCodes;
    const page = await changes.list({ limit: 100, statusCodes: [scheduled, running], ...(application ? { application } : {}) });
    const now = Date.now();
    const today = page.items.filter((ticket) => isToday(ticket, running, now)).slice(0, args.limit);
    const title = t(TEXT.listTitle, { app: application ?? t(TEXT.everyApp), shown: today.length });
    if (today.length === 0) return { title, text: t(TEXT.none), tone: 'info' };
    return {
      title,
      tone: 'info',
      table: {
        columns: [t(TEXT.colId), t(TEXT.colStatus), t(TEXT.colPlanned), t(TEXT.colTitle), t(TEXT.colAssignee)],
        rows: today.map((ticket) => [nativeOf(ticket.id), ticket.statusCode, planned(ticket), cell(ticket.title, 50), ticket.assignee ?? '—']),
      },
      footer: t(TEXT.showHint),
    };
  },
});

function actionButtons(context: CommandContext, ticket: ChangeTicket): Button[] {
  const offers = ticket.offers;
  if (!offers) return [];
  const id = nativeOf(ticket.id);
  return offers.actions.map((action) => ({
    actionId: CHANGE_ACTION_ID,
    label: action,
    value: `${id}|${offers.task}|${action}`,
    settles: true,
    confirm: {
      title: context.t(TEXT.confirmTitle, { action, id }),
      text: context.t(TEXT.confirmText, { title: ticket.title }),
      confirmLabel: context.t(TEXT.confirmYes),
      denyLabel: context.t(TEXT.confirmNo),
    },
  }));
}

export const changeShowCommand = defineCommand({
  family: 'change',
  words: ['change', 'show'],
  discord: { group: 'change', name: 'show', localName: { 'en-US': 'show', 'zh-CN': '详情' }, description: { 'en-US': 'One change and the actions it offers now', 'zh-CN': '单个变更及当前可执行的操作' } },
  needs: ['changes'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One change ticket: status, phase, plan, who, and the actions it offers now', 'zh-CN': '单个变更工单：状态、阶段、计划、人员及当前可执行的操作' },
  examples: ['change show CH20250601000000000002'],
  positionals: { id: ticketArg },
  flags: {},
  async run(context, args): Promise<Message> {
    const { t } = context;
    context.audit.target = `change ${args.id}`;
    const ticket = await readChange(context, args.id);
    const id = nativeOf(ticket.id);
    const fields: MessageField[] = [
      { label: t(TEXT.status), value: orNone(ticket.statusCode, t) },
      ...(ticket.phase ? [{ label: t(TEXT.phase), value: ticket.phase }] : []),
      ...(ticket.level ? [{ label: t(TEXT.level), value: ticket.level }] : []),
      ...(ticket.application ? [{ label: t(TEXT.application), value: ticket.application }] : []),
      { label: t(TEXT.planned), value: planned(ticket) },
      ...(ticket.assignee ? [{ label: t(TEXT.assignee), value: ticket.assignee }] : []),
      ...(ticket.creator ? [{ label: t(TEXT.creator), value: ticket.creator }] : []),
      { label: t(TEXT.offers), value: ticket.offers?.actions.length ? ticket.offers.actions.join(', ') : t(TEXT.noOffers) },
    ];
    const buttons = context.backend.changes?.act ? actionButtons(context, ticket) : [];
    return {
      title: `${id}: ${ticket.title}`,
      ...(ticket.description ? { text: ticket.description } : {}),
      tone: 'info',
      fields,
      ...(buttons.length ? { buttons, footer: t(TEXT.actHint, { id }) } : {}),
    };
  },
});

/** Takes `action` on the ticket, when its detail offers it now on `task` (the one a card showed, or the current one). */
async function takeAction(context: CommandContext, typedId: string, action: string, shownTask: string | undefined): Promise<Message> {
  const { t } = context;
  const changes = changesOf(context);
  const act = changes.act;
  if (!act) throw new Error('change act: the backend declares changes.act without act');
  context.audit.target = `change ${typedId}`;
  const ticket = await readChange(context, typedId);
  const id = nativeOf(ticket.id);
  const offers = ticket.offers;
  if (shownTask !== undefined && offers?.task !== shownTask) refuse(t(TEXT.stale, { id }), t(TEXT.staleText, { id }));
  if (!offers || !offers.actions.includes(action)) {
    refuse(t(TEXT.notOffered, { id, action: shown(action, 64) }), t(TEXT.notOfferedText, { offers: offers?.actions.join(', ') || t(TEXT.noOffers) }));
  }
  context.audit.maskedParameters = { action, from: ticket.statusCode };
  // One action per task and status the click read, whichever clicks arrive at once.
  const result = await sendClaimedWrite(
    context,
    { key: `change-act:${ticket.id}|${offers.task}|${ticket.statusCode}`, what: t(TEXT.actWhat, { action, id }) },
    () => act({ id: ticket.id, task: offers.task, action }),
    async () => {
      const now = await changes.get(ticket.id);
      if (!now) return undefined;
      return now.statusCode !== ticket.statusCode || now.offers?.task !== offers.task ? { done: undefined } : 'unchanged';
    },
  );
  if (result.outcome !== 'done') {
    return unsettledReply(context, result, t(TEXT.actWhat, { action, id }), `change show ${id}`, TEXT.ticket);
  }
  const after = await changes.get(ticket.id).catch(() => undefined);
  return {
    title: after ? t(TEXT.acted, { id, action, status: after.statusCode }) : t(TEXT.actedNoRead, { id, action }),
    ...(result.confirmedAfter ? { text: t(TEXT.confirmed, { answer: result.confirmedAfter }) } : {}),
    tone: 'success',
    fields: [{ label: t(TEXT.offers), value: after?.offers?.actions.length ? after.offers.actions.join(', ') : t(TEXT.noOffers) }],
  };
}

export const changeActCommand = defineCommand({
  family: 'change',
  words: ['change', 'act'],
  discord: { group: 'change', name: 'act', localName: { 'en-US': 'act', 'zh-CN': '操作' }, description: { 'en-US': 'Take an action a change offers now', 'zh-CN': '执行变更当前提供的操作' } },
  needs: ['changes.act'],
  permission: 'operator',
  mutates: true,
  summary: { 'en-US': 'Take one of the actions a change ticket offers now (start, finish, cancel… as COC offers them)', 'zh-CN': '执行变更工单当前提供的操作（开始、完成、取消等，以 COC 提供的为准）' },
  examples: ['change act CH20250601000000000002 start'],
  positionals: {
    id: ticketArg,
    action: arg.string({ required: true, max: 64, pattern: { re: ACTION_WORD, says: TEXT.actionSays }, description: TEXT.actionWhat, placeholder: { 'en-US': 'action', 'zh-CN': 'action' }, localName: { 'en-US': 'action', 'zh-CN': '操作' } }),
  },
  flags: {},
  run: (context, args) => takeAction(context, args.id, args.action, undefined),
});

export const CHANGE_ACTIONS: readonly ActionDefinition[] = [
  {
    id: CHANGE_ACTION_ID,
    family: 'change',
    permission: 'operator',
    mutates: true,
    run: async (context, value) => {
      const [id, task, action, ...rest] = value.split('|');
      if (!id || !task || !action || rest.length || !TICKET_ID.test(id) || !ACTION_WORD.test(action)) refuse(context.t(TEXT.badButton), context.t(TEXT.badButtonText));
      return takeAction(context, id, action, task);
    },
  },
];

export const CHANGE_COMMANDS = [changesCommand, changeShowCommand, changeActCommand] as const;
