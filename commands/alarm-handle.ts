/**
 * `alarms incident <id>`, `alarms clear <id>` and `alarms history <id>`: turning an alarm of the
 * platform's alarm centre into an incident linked to it, clearing it with a reason, and what was
 * done about it. Both writes are sent once: a lost answer is settled by reading the alarm back
 * (linked to an incident / resolved), never by sending again (alarm-common.ts).
 *
 * An incident needs what COC's alarms-linked-incident requires (level, type, application, title,
 * description, whether service is interrupted): level, type and interruption are asked for; the
 * title, description and application come from the alarm unless given.
 */
import { label, nativeOf } from '../src/backends/index.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message, MessageField } from '../src/core/message.js';
import { refuse } from '../src/core/refusal.js';
import { duration, orNone, shown, utcTime } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { incidentLevelChoices, incidentTypeChoices, YES_NO_CHOICES } from './incident-common.js';
import { ALARM_TEXT, alarmIdArg, alarmsOf, readAlarm, unsettledReply } from './alarm-common.js';
import { sendClaimedWrite } from './write-claim.js';
import { limitArg } from './list-args.js';

const TEXT = {
  linked: { 'en-US': 'Alarm turned into incident {incident}: {name}', 'zh-CN': '告警已转为事件 {incident}：{name}' },
  linkedNoNumber: { 'en-US': 'Alarm turned into an incident: {name}', 'zh-CN': '告警已转为事件：{name}' },
  linkWhat: { 'en-US': 'turn alarm {id} into an incident', 'zh-CN': '将告警 {id} 转为事件' },
  alreadyLinked: { 'en-US': 'Alarm {id} is already linked to incident {incident}', 'zh-CN': '告警 {id} 已关联事件 {incident}' },
  alreadyLinkedText: { 'en-US': 'Nothing was sent. See it with "incident show {incident}".', 'zh-CN': '未发送任何内容。可用“incident show {incident}”查看。' },
  noApp: { 'en-US': 'Which application is the incident for?', 'zh-CN': '事件属于哪个应用？' },
  noAppText: { 'en-US': 'Nothing was sent. The alarm names no application: give --app with the application id.', 'zh-CN': '未发送任何内容。该告警未指明应用：请用 --app 给出应用 ID。' },
  showIncident: { 'en-US': 'The incident: incident show {incident} · clear the alarm: alarms clear {id} --reason "…"', 'zh-CN': '查看事件：incident show {incident} · 清除告警：alarms clear {id} --reason "…"' },
  incident: { 'en-US': 'Incident', 'zh-CN': '事件' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  type: { 'en-US': 'Type', 'zh-CN': '类别' },
  application: { 'en-US': 'Application', 'zh-CN': '应用' },
  interrupted: { 'en-US': 'Service interrupted', 'zh-CN': '业务中断' },
  yes: { 'en-US': 'yes', 'zh-CN': '是' },
  no: { 'en-US': 'no', 'zh-CN': '否' },
  alarm: { 'en-US': 'Alarm', 'zh-CN': '告警' },
  by: { 'en-US': 'By', 'zh-CN': '操作人' },
  levelFlag: { 'en-US': 'Incident level', 'zh-CN': '事件级别' },
  typeFlag: { 'en-US': 'Incident type', 'zh-CN': '事件类别' },
  interruptedFlag: { 'en-US': 'Service interrupted?', 'zh-CN': '业务是否中断' },
  titleFlag: { 'en-US': 'Title (default: the alarm’s)', 'zh-CN': '标题（默认取自告警）' },
  descFlag: { 'en-US': 'Description (default: the alarm’s)', 'zh-CN': '描述（默认取自告警）' },
  appFlag: { 'en-US': 'Application id (default: the alarm’s)', 'zh-CN': '应用 ID（默认取自告警）' },
  assigneeFlag: { 'en-US': 'Who handles it (user name)', 'zh-CN': '处理人（用户名）' },
  defaultDesc: { 'en-US': 'From alarm {id} ({source}): {name}', 'zh-CN': '来自告警 {id}（{source}）：{name}' },
  unknownSource: { 'en-US': 'alarm centre', 'zh-CN': '告警中心' },

  cleared: { 'en-US': 'Alarm cleared: {name}', 'zh-CN': '告警已清除：{name}' },
  clearWhat: { 'en-US': 'clear alarm {id}', 'zh-CN': '清除告警 {id}' },
  alreadyCleared: { 'en-US': 'Alarm {id} is already resolved', 'zh-CN': '告警 {id} 已解决' },
  alreadyClearedText: { 'en-US': 'Nothing was sent. "alarms history {id}" shows who cleared it and why.', 'zh-CN': '未发送任何内容。“alarms history {id}”可查看清除人和原因。' },
  reason: { 'en-US': 'Reason', 'zh-CN': '原因' },
  reasonFlag: { 'en-US': 'Why it is cleared', 'zh-CN': '清除原因' },

  historyTitle: { 'en-US': 'Handling of alarm {id}: {name}', 'zh-CN': '告警 {id} 的处理记录：{name}' },
  noHandling: { 'en-US': 'No automatic handling yet.', 'zh-CN': '尚无自动处理记录。' },
  clearedBy: { 'en-US': 'Cleared {at} by {by}: {reason}', 'zh-CN': '{at} 由 {by} 清除：{reason}' },
  colWhen: { 'en-US': 'STARTED', 'zh-CN': '开始时间' },
  colTask: { 'en-US': 'TASK', 'zh-CN': '任务' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colTook: { 'en-US': 'TOOK', 'zh-CN': '耗时' },
  colBy: { 'en-US': 'BY', 'zh-CN': '执行人' },
  colOrder: { 'en-US': 'WORK ORDER', 'zh-CN': '工单' },
  historyCount: { 'en-US': '{shown} of {total} handlings', 'zh-CN': '共 {total} 条处理记录，显示 {shown} 条' },
  offsetFlag: { 'en-US': 'Handlings to skip', 'zh-CN': '跳过的条数' },
} satisfies Record<string, Text>;

const APPLICATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

function yesNo(context: CommandContext, value: boolean): string {
  return context.t(value ? TEXT.yes : TEXT.no);
}

export const alarmIncidentCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'incident'],
  discord: {
    group: 'alarms',
    name: 'incident',
    localName: { 'en-US': 'incident', 'zh-CN': '转事件' },
    description: { 'en-US': 'Turn an alarm into an incident', 'zh-CN': '将告警转为事件' },
  },
  needs: ['alarms.link-incident', 'incidents'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Turn an alarm into a new incident linked to it (level, type and interruption asked; title, description and application from the alarm)',
    'zh-CN': '将告警转为关联的新事件（需给出级别、类别和是否中断；标题、描述和应用取自告警）',
  },
  examples: ['alarms incident 3d51defbbab1f1de539e2609 --level p2 --type function --interrupted no', 'alarms incident 79cc7817ff28c83c1e28c25b --level p1 --type networking --interrupted yes --title "Checkout down"'],
  positionals: { id: alarmIdArg },
  flags: {
    level: arg.enum({ required: true, choices: incidentLevelChoices, description: TEXT.levelFlag }),
    type: arg.enum({ required: true, choices: incidentTypeChoices, description: TEXT.typeFlag }),
    interrupted: arg.enum({ required: true, choices: YES_NO_CHOICES, description: TEXT.interruptedFlag }),
    title: arg.string({ max: 200, description: TEXT.titleFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    desc: arg.string({ max: 2000, description: TEXT.descFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    app: arg.string({ max: 128, pattern: { re: APPLICATION_ID, says: TEXT.appFlag }, description: TEXT.appFlag, placeholder: { 'en-US': 'id', 'zh-CN': 'id' } }),
    assignee: arg.string({ max: 128, description: TEXT.assigneeFlag, placeholder: { 'en-US': 'user', 'zh-CN': 'user' } }),
  },
  async run(context, args): Promise<Message> {
    const { t, backend, locale, identity } = context;
    const alarms = alarmsOf(context);
    const link = alarms.linkToIncident;
    const get = alarms.get;
    if (!link || !get) throw new Error('alarms incident: the backend declares alarms.link-incident without linkToIncident');
    context.audit.target = `alarm ${args.id}`;
    const alarm = await readAlarm(context, args.id);
    const id = nativeOf(alarm.id);
    if (alarm.incident) refuse(t(TEXT.alreadyLinked, { id, incident: alarm.incident }), t(TEXT.alreadyLinkedText, { incident: alarm.incident }));
    const application = args.app ?? alarm.application;
    if (!application) refuse(t(TEXT.noApp), t(TEXT.noAppText));
    const title = args.title ?? shown(alarm.title, 200);
    const description = args.desc ?? t(TEXT.defaultDesc, { id, source: alarm.source ?? t(TEXT.unknownSource), name: alarm.title });
    const serviceInterrupted = args.interrupted === 'yes';
    context.audit.maskedParameters = { level: args.level, type: args.type, interrupted: args.interrupted, title, application, ...(args.assignee ? { assignee: args.assignee } : {}) };
    // Two people typing it at once (or one line delivered to two replicas) would make two incidents: one sends.
    const result = await sendClaimedWrite(
      context,
      { key: `alarm-link:${id}`, what: t(TEXT.linkWhat, { id }) },
      () =>
        link({
          alarm: alarm.id,
          title,
          description,
          levelCode: args.level,
          typeCode: args.type,
          application,
          serviceInterrupted,
          ...(alarm.region ? { region: alarm.region } : {}),
          ...(args.assignee ? { assignee: args.assignee } : {}),
        }),
      async () => {
        const now = await get(alarm.id);
        if (!now) return undefined;
        return now.incident ? { done: { incident: now.incident } } : 'unchanged';
      },
    );
    if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.linkWhat, { id }), `alarms show ${id}`);
    const incident = result.value.incident;
    const fields: MessageField[] = [
      ...(incident ? [{ label: t(TEXT.incident), value: incident }] : []),
      { label: t(TEXT.level), value: label(backend.vocabulary, 'incidentLevel', args.level, locale) },
      { label: t(TEXT.type), value: label(backend.vocabulary, 'incidentType', args.type, locale) },
      { label: t(TEXT.interrupted), value: yesNo(context, serviceInterrupted) },
      { label: t(TEXT.application), value: application },
      { label: t(TEXT.alarm), value: id },
      { label: t(TEXT.by), value: identity.iamUserName },
    ];
    return {
      title: incident ? t(TEXT.linked, { incident, name: shown(alarm.title, 80) }) : t(TEXT.linkedNoNumber, { name: shown(alarm.title, 80) }),
      ...(result.confirmedAfter ? { text: t(ALARM_TEXT.confirmed, { platform: t(context.backend.displayName), answer: result.confirmedAfter }) } : {}),
      tone: 'success',
      fields,
      ...(incident ? { footer: t(TEXT.showIncident, { incident, id }) } : {}),
    };
  },
});

export const alarmClearCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'clear'],
  discord: {
    group: 'alarms',
    name: 'clear',
    localName: { 'en-US': 'clear', 'zh-CN': '清除' },
    description: { 'en-US': 'Clear an alarm, with a reason', 'zh-CN': '清除告警（需说明原因）' },
  },
  needs: ['alarms.clear'],
  permission: 'operator',
  mutates: true,
  summary: { 'en-US': 'Clear an alarm in the alarm centre, with the reason filed beside it', 'zh-CN': '在告警中心清除告警，并记录原因' },
  examples: ['alarms clear c0ee19fdc4383e5c6a484104 --reason "Cache warmed up, hit rate back at 92%"'],
  positionals: { id: alarmIdArg },
  flags: {
    reason: arg.string({ required: true, max: 1000, description: TEXT.reasonFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' }, localName: { 'en-US': 'reason', 'zh-CN': '原因' } }),
  },
  async run(context, args): Promise<Message> {
    const { t, identity } = context;
    const alarms = alarmsOf(context);
    const clear = alarms.clear;
    const get = alarms.get;
    if (!clear || !get) throw new Error('alarms clear: the backend declares alarms.clear without clear');
    context.audit.target = `alarm ${args.id}`;
    const alarm = await readAlarm(context, args.id);
    const id = nativeOf(alarm.id);
    if (alarm.endedAt !== undefined) refuse(t(TEXT.alreadyCleared, { id }), t(TEXT.alreadyClearedText, { id }));
    context.audit.maskedParameters = { reason: args.reason };
    const result = await sendClaimedWrite(
      context,
      { key: `alarm-clear:${id}`, what: t(TEXT.clearWhat, { id }) },
      () => clear({ alarm: alarm.id, reason: args.reason }),
      async () => {
        const now = await get(alarm.id);
        if (!now) return undefined;
        return now.endedAt !== undefined ? { done: undefined } : 'unchanged';
      },
    );
    if (result.outcome !== 'done') return unsettledReply(context, result, t(TEXT.clearWhat, { id }), `alarms show ${id}`);
    return {
      title: t(TEXT.cleared, { name: shown(alarm.title, 80) }),
      tone: 'success',
      fields: [
        { label: t(TEXT.reason), value: args.reason },
        { label: t(TEXT.alarm), value: id },
        { label: t(TEXT.by), value: identity.iamUserName },
      ],
      ...(result.confirmedAfter ? { text: t(ALARM_TEXT.confirmed, { platform: t(context.backend.displayName), answer: result.confirmedAfter }) } : {}),
    };
  },
});

export const alarmHistoryCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'history'],
  discord: {
    group: 'alarms',
    name: 'history',
    localName: { 'en-US': 'history', 'zh-CN': '处理记录' },
    description: { 'en-US': 'An alarm’s handling history', 'zh-CN': '告警的处理记录' },
  },
  needs: ['alarms.history', 'alarms.get'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'An alarm’s handling history: each run of its linked script or runbook, and who cleared it and why', 'zh-CN': '告警的处理记录：关联脚本或作业的每次执行，以及清除人和原因' },
  examples: ['alarms history 3d51defbbab1f1de539e2609'],
  positionals: { id: alarmIdArg },
  flags: {
    limit: limitArg(20),
    offset: arg.integer({ min: 0, max: 1_000_000, default: 0, description: TEXT.offsetFlag, placeholder: { 'en-US': 'n', 'zh-CN': 'n' }, localName: { 'en-US': 'offset', 'zh-CN': '跳过' } }),
  },
  async run(context, args): Promise<Message> {
    const { t, locale } = context;
    const history = alarmsOf(context).history;
    if (!history) throw new Error('alarms history: the backend declares alarms.history without history');
    context.audit.target = `alarm ${args.id}`;
    const alarm = await readAlarm(context, args.id);
    const id = nativeOf(alarm.id);
    const page = await history(alarm.id, { limit: args.limit, offset: args.offset });
    const cleared = page.cleared
      ? t(TEXT.clearedBy, { at: orNone(utcTime(page.cleared.at), t), by: page.cleared.by ?? '?', reason: page.cleared.reason ?? '—' })
      : undefined;
    const footer = [page.handlings.length ? t(TEXT.historyCount, { shown: page.handlings.length, total: page.total }) : undefined, cleared].filter(Boolean).join('\n');
    return {
      title: t(TEXT.historyTitle, { id, name: shown(alarm.title, 80) }),
      tone: 'info',
      ...(page.handlings.length
        ? {
            table: {
              columns: [t(TEXT.colWhen), t(TEXT.colTask), t(TEXT.colStatus), t(TEXT.colTook), t(TEXT.colBy), t(TEXT.colOrder)],
              rows: page.handlings.map((entry) => [
                orNone(utcTime(entry.startedAt), t),
                `${entry.kind ?? '?'} ${entry.automation ?? ''}`.trim(),
                entry.status ?? '?',
                entry.startedAt !== undefined && entry.endedAt !== undefined ? duration(entry.endedAt - entry.startedAt, locale) : '—',
                entry.by ?? '?',
                entry.workOrder ?? '—',
              ]),
            },
          }
        : { text: t(TEXT.noHandling) }),
      ...(footer ? { footer } : {}),
    };
  },
});

export const ALARM_HANDLE_COMMANDS = [alarmIncidentCommand, alarmClearCommand, alarmHistoryCommand] as const;
