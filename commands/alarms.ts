/**
 * `alarms` and `alarms show <id>`: the alarms the platform's own monitoring holds (BlueKing
 * Monitor), newest first and paged, and one alarm in full. Read only; a deployment whose backend
 * cannot read alarms has neither command.
 */
import { capabilitiesOf, codesOf, isKnownCode, label, nativeOf, need, type Alarm, type AlarmSeverity, type Backend } from '../src/backends/index.js';
import { arg, choicesOf, defineCommand, typedForm, type Choice } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message, MessageField } from '../src/core/message.js';
import { Refusal } from '../src/core/refusal.js';
import { nextPageHint } from '../src/core/reply.js';
import { cell, orNone, shown, utcTime } from '../src/i18n/format.js';
import type { Text } from '../src/i18n/translate.js';
import { limitArg } from './list-args.js';
import { ALARM_HANDLE_COMMANDS } from './alarm-handle.js';
import { alarmRunCommand } from './alarm-run.js';

const TEXT = {
  listTitle: { 'en-US': 'Alarms in {platform} ({shown})', 'zh-CN': '{platform} 中的告警（{shown} 条）' },
  listTitleTotal: { 'en-US': 'Alarms in {platform} ({shown} of {total})', 'zh-CN': '{platform} 中的告警（显示 {shown} 条，共 {total} 条）' },
  none: { 'en-US': 'No alarm matches.', 'zh-CN': '没有匹配的告警。' },
  noneFiltered: { 'en-US': 'No alarm matches these filters. Try fewer of them or a longer --since.', 'zh-CN': '没有符合这些筛选条件的告警，请减少筛选条件或加长 --since。' },
  colId: { 'en-US': 'ID', 'zh-CN': 'ID' },
  colLevel: { 'en-US': 'LEVEL', 'zh-CN': '级别' },
  colStatus: { 'en-US': 'STATUS', 'zh-CN': '状态' },
  colBegan: { 'en-US': 'BEGAN', 'zh-CN': '开始时间' },
  colTarget: { 'en-US': 'TARGET', 'zh-CN': '对象' },
  colTitle: { 'en-US': 'TITLE', 'zh-CN': '标题' },
  showHint: { 'en-US': 'One alarm in full: alarms show <id>', 'zh-CN': '查看单条告警：alarms show <ID>' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  began: { 'en-US': 'Began', 'zh-CN': '开始时间' },
  ended: { 'en-US': 'Ended', 'zh-CN': '结束时间' },
  target: { 'en-US': 'Target', 'zh-CN': '对象' },
  rule: { 'en-US': 'Rule', 'zh-CN': '策略' },
  count: { 'en-US': 'Times', 'zh-CN': '次数' },
  source: { 'en-US': 'Source', 'zh-CN': '来源' },
  application: { 'en-US': 'Application', 'zh-CN': '应用' },
  owner: { 'en-US': 'Owner', 'zh-CN': '责任人' },
  incident: { 'en-US': 'Incident', 'zh-CN': '事件' },
  automation: { 'en-US': 'Linked automation', 'zh-CN': '关联自动化' },
  automationScript: { 'en-US': 'script {name}', 'zh-CN': '脚本 {name}' },
  automationRunbook: { 'en-US': 'runbook {name} (not offered from chat yet)', 'zh-CN': '作业 {name}（聊天中暂不支持）' },
  remarks: { 'en-US': 'Remarks', 'zh-CN': '备注' },
  nextSteps: { 'en-US': 'Next: {commands}', 'zh-CN': '下一步：{commands}' },
  id: { 'en-US': 'Alarm id', 'zh-CN': '告警 ID' },
  notFound: { 'en-US': 'No alarm {id} in {platform}', 'zh-CN': '{platform} 中没有告警 {id}' },
  notFoundText: { 'en-US': '"alarms" lists recent ones with their ids.', 'zh-CN': '“alarms”可列出最近的告警及其 ID。' },
  statusFlag: { 'en-US': 'Alarm status', 'zh-CN': '告警状态' },
  levelFlag: { 'en-US': 'Alarm level', 'zh-CN': '告警级别' },
  sinceFlag: { 'en-US': 'Only alarms that began since then (30m, 2h, 1d or a UTC date)', 'zh-CN': '仅此后开始的告警（30m、2h、1d 或 UTC 日期）' },
  afterFlag: { 'en-US': 'Where the next page starts (from "More:")', 'zh-CN': '下一页的起点（见“下一页：”）' },
  afterSays: { 'en-US': 'give the value printed after --after in "More:" on the previous page', 'zh-CN': '请给出上一页“下一页：”中 --after 后的值' },
  idWhat: { 'en-US': 'an alarm id', 'zh-CN': '告警 ID' },
  idDescription: { 'en-US': 'Alarm id (the ID column of "alarms")', 'zh-CN': '告警 ID（“alarms”的 ID 列）' },
} satisfies Record<string, Text>;

const LEVEL_DOT: Readonly<Record<AlarmSeverity, string>> = { critical: '🔴', major: '🟠', minor: '🟡', info: '🔵' };
/** Opaque page cursors and platform ids: obviously wrong input (spaces, quotes, huge) never leaves. */
const OPAQUE = /^[A-Za-z0-9_.:=-]{1,128}$/;

/**
 * The platform's levels as one types them: the product's word (`critical`), its code sent, its
 * own name shown. Where two codes share a word, each is typed as its code instead.
 */
function levelChoices(backend: Backend | undefined): Choice[] {
  const levels = backend?.alarms?.levels ?? [];
  const shared = (state: AlarmSeverity): boolean => levels.filter((level) => level.state === state).length > 1;
  return levels.map((level) => ({
    value: level.code,
    typed: shared(level.state) ? typedForm(level.code) : level.state,
    ...(backend && isKnownCode(backend.vocabulary, 'alarmLevel', level.code) ? { label: backend.vocabulary.alarmLevel[level.code]! } : {}),
  }));
}

function levelBadge(context: CommandContext, alarm: Alarm): string {
  return `${LEVEL_DOT[alarm.level.state]} ${label(context.backend.vocabulary, 'alarmLevel', alarm.level.code, context.locale)}`;
}

function statusWords(context: CommandContext, code: string): string {
  return label(context.backend.vocabulary, 'alarmStatus', code, context.locale);
}

export const alarmsCommand = defineCommand({
  family: 'alarm',
  words: ['alarms'],
  discord: {
    group: 'alarms',
    name: 'list',
    localName: { 'en-US': 'list', 'zh-CN': '列表' },
    description: { 'en-US': 'Alarms of the monitoring, newest first', 'zh-CN': '监控告警，最新的在前' },
  },
  needs: ['alarms.read'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'List the platform’s alarms, newest first: level, status, when, target', 'zh-CN': '列出平台告警（最新的在前）：级别、状态、时间、对象' },
  examples: ['alarms', 'alarms --level critical --since 2h', 'alarms --status abnormal'],
  positionals: {},
  flags: {
    // The platform's own codes, read from the backend's vocabulary and levels.
    status: arg.enum({ choices: (limits) => choicesOf(limits.backend ? codesOf(limits.backend.vocabulary, 'alarmStatus') : []), description: TEXT.statusFlag, localName: { 'en-US': 'status', 'zh-CN': '状态' } }),
    level: arg.enum({ choices: (limits) => levelChoices(limits.backend), description: TEXT.levelFlag, localName: { 'en-US': 'level', 'zh-CN': '级别' } }),
    since: arg.since({ description: TEXT.sinceFlag, localName: { 'en-US': 'since', 'zh-CN': '时间范围' } }),
    limit: limitArg(20),
    after: arg.string({ max: 128, pattern: { re: OPAQUE, says: TEXT.afterSays }, description: TEXT.afterFlag, placeholder: { 'en-US': 'cursor', 'zh-CN': 'cursor' }, localName: { 'en-US': 'after', 'zh-CN': '起始' } }),
  },
  async run(context, args, raw): Promise<Message> {
    const { t, backend } = context;
    const alarms = need(backend, 'alarms');
    const list = alarms.list;
    if (!list) throw new Error('alarms: the backend declares alarms.read without list');
    const page = await list({
      limit: args.limit,
      ...(args.status ? { statusCode: args.status } : {}),
      ...(args.level ? { levelCode: args.level } : {}),
      ...(args.since !== undefined ? { from: args.since } : {}),
      ...(args.after ? { after: args.after } : {}),
    });
    const platform = t(backend.displayName);
    const items = page.items;
    const title = page.total !== undefined ? t(TEXT.listTitleTotal, { platform, shown: items.length, total: page.total }) : t(TEXT.listTitle, { platform, shown: items.length });
    const filtered = ['status', 'level', 'since'].some((flag) => raw.flags.has(flag));
    if (items.length === 0) return { title, text: filtered ? t(TEXT.noneFiltered) : t(TEXT.none), tone: 'info' };
    const footer = [t(TEXT.showHint), page.next !== undefined ? nextPageHint(t, 'alarms', raw, 'after', page.next) : undefined].filter(Boolean).join('\n');
    return {
      title,
      ...(items.some((alarm) => alarm.level.state === 'critical') ? { tone: 'warning' as const } : {}),
      table: {
        columns: [t(TEXT.colId), t(TEXT.colLevel), t(TEXT.colStatus), t(TEXT.colBegan), t(TEXT.colTarget), t(TEXT.colTitle)],
        rows: items.map((alarm) => [nativeOf(alarm.id), levelBadge(context, alarm), statusWords(context, alarm.statusCode), utcTime(alarm.beganAt), cell(alarm.target, 40), cell(alarm.title, 60)]),
      },
      footer,
    };
  },
});

export const alarmShowCommand = defineCommand({
  family: 'alarm',
  words: ['alarms', 'show'],
  discord: {
    group: 'alarms',
    name: 'show',
    localName: { 'en-US': 'show', 'zh-CN': '详情' },
    description: { 'en-US': 'One alarm: level, status, times, target, rule', 'zh-CN': '单条告警：级别、状态、时间、对象、策略' },
  },
  needs: ['alarms.get'],
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'One alarm in full: level, status, when it began and ended, target, rule, description', 'zh-CN': '单条告警详情：级别、状态、起止时间、对象、策略、描述' },
  // COC: one of the simulator's seeded alarm-centre alarms (the same id in every world); BlueKing: a Monitor alarm.
  examples: ['alarms show 3d51defbbab1f1de539e2609'],
  examplesOn: { blueking: ['alarms show 16424'] },
  positionals: {
    id: arg.id({ required: true, what: TEXT.idWhat, example: '16424', pattern: OPAQUE, description: TEXT.idDescription, placeholder: { 'en-US': 'id', 'zh-CN': 'id' }, localName: { 'en-US': 'id', 'zh-CN': '告警id' } }),
  },
  flags: {},
  async run(context, args): Promise<Message> {
    const { t, backend } = context;
    const alarms = need(backend, 'alarms');
    const get = alarms.get;
    if (!get) throw new Error('alarms show: the backend declares alarms.get without get');
    context.audit.target = `alarm ${args.id}`;
    const platform = t(backend.displayName);
    const id = backend.parseId('alarm', args.id);
    const alarm = id === undefined ? undefined : await get(id);
    if (!alarm) throw new Refusal(t(TEXT.notFound, { id: shown(args.id, 64), platform }), t(TEXT.notFoundText));
    const fields: MessageField[] = [
      { label: t(TEXT.level), value: levelBadge(context, alarm) },
      { label: t(TEXT.status), value: orNone(statusWords(context, alarm.statusCode), t) },
      { label: t(TEXT.began), value: orNone(utcTime(alarm.beganAt), t) },
      ...(alarm.endedAt ? [{ label: t(TEXT.ended), value: utcTime(alarm.endedAt) }] : []),
      { label: t(TEXT.target), value: orNone(alarm.target ?? '', t) },
      ...(alarm.rule ? [{ label: t(TEXT.rule), value: alarm.rule }] : []),
      ...(alarm.count !== undefined ? [{ label: t(TEXT.count), value: String(alarm.count) }] : []),
      ...(alarm.source ? [{ label: t(TEXT.source), value: alarm.source }] : []),
      ...(alarm.application ? [{ label: t(TEXT.application), value: alarm.application }] : []),
      ...(alarm.owner ? [{ label: t(TEXT.owner), value: alarm.owner }] : []),
      ...(alarm.incident ? [{ label: t(TEXT.incident), value: alarm.incident }] : []),
      ...(alarm.automation
        ? [{ label: t(TEXT.automation), value: t(alarm.automation.kind === 'script' ? TEXT.automationScript : TEXT.automationRunbook, { name: alarm.automation.name }) }]
        : []),
      ...(alarm.remarks ? [{ label: t(TEXT.remarks), value: alarm.remarks }] : []),
      { label: t(TEXT.id), value: nativeOf(alarm.id) },
    ];
    const footer = nextSteps(context, alarm);
    return {
      title: `${LEVEL_DOT[alarm.level.state]} ${alarm.title}`,
      ...(alarm.description ? { text: alarm.description } : {}),
      tone: alarm.level.state === 'critical' || alarm.level.state === 'major' ? 'warning' : 'info',
      fields,
      ...(footer ? { footer } : {}),
    };
  },
});

/** What can be done about the alarm from chat, as commands to type (the ones this backend offers). */
function nextSteps(context: CommandContext, alarm: Alarm): string | undefined {
  const have = capabilitiesOf(context.backend);
  const id = nativeOf(alarm.id);
  const open = alarm.endedAt === undefined;
  const commands = [
    open && !alarm.incident && have.has('alarms.link-incident') ? `alarms incident ${id} --level … --type … --interrupted …` : undefined,
    open && alarm.automation?.kind === 'script' && have.has('alarms.run-linked') ? `alarms run ${id}` : undefined,
    open && have.has('alarms.clear') ? `alarms clear ${id} --reason "…"` : undefined,
    have.has('alarms.history') ? `alarms history ${id}` : undefined,
  ].filter((command): command is string => command !== undefined);
  return commands.length ? context.t(TEXT.nextSteps, { commands: commands.join(' · ') }) : undefined;
}

export const ALARMS_COMMANDS = [alarmsCommand, alarmShowCommand, ...ALARM_HANDLE_COMMANDS, alarmRunCommand] as const;
