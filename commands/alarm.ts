/**
 * `alarm`: pushes a custom event to COC (coc-api-notes §1.20) — raises an alarm, or with
 * `--ok` clears the one raised under the same name (and resource).
 *
 * The integration key is a credential (whoever holds it can raise alarms): it comes from the
 * configuration (`coc.integrationKey`, COC_INTEGRATION_KEY; the simulator's own key when the
 * built-in simulator is used), never from chat, and is never shown or audited.
 *
 * The alarm id is derived from the name and the resource, so raising the same alarm twice
 * updates one alarm in COC and `--ok` clears it without anyone copying an id around.
 *
 * The reference requires `applicationId`, a COC application id: `--app` (an application's name
 * as COC names it in its incidents, or its id), else the configured `incidents.alarmApplication`.
 * With neither, nothing is sent and the command says how to give one.
 */
import { createHash } from 'node:crypto';
import { label, nativeOf, need, writeFailureOf, type AlarmSeverity, type Host, type HostsCapability } from '../src/backends/index.js';
import { suggest } from '../src/core/args.js';
import { arg, choicesOf, defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message, MessageField } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { translator } from '../src/i18n/translate.js';
import { refuse } from '../src/core/refusal.js';
import { REPLY_TEXT as COMMON } from '../src/core/reply.js';
import { orNone, quoted, shown, utcTime } from '../src/i18n/format.js';
import { findApplication, knownApplications, loadDirectory, type Directory } from '../src/incidents/directory.js';

const TEXT = {
  raised: { 'en-US': 'Alarm raised in COC: {name}', 'zh-CN': '已在 COC 中发出告警：{name}' },
  cleared: { 'en-US': 'Alarm cleared in COC: {name}', 'zh-CN': '已在 COC 中恢复告警：{name}' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  status: { 'en-US': 'Status', 'zh-CN': '状态' },
  alarmId: { 'en-US': 'Alarm id', 'zh-CN': '告警 ID' },
  resource: { 'en-US': 'Resource', 'zh-CN': '资源' },
  resourceValue: { 'en-US': '{name} · {id} · {region}', 'zh-CN': '{name} · {id} · {region}' },
  description: { 'en-US': 'Description', 'zh-CN': '描述' },
  application: { 'en-US': 'Application id', 'zh-CN': '应用 ID' },
  applicationDefault: { 'en-US': '{app} (configured default; set another with --app)', 'zh-CN': '{app}（配置的默认值；可用 --app 指定）' },
  applicationNamed: { 'en-US': '{name} ({id})', 'zh-CN': '{name}（{id}）' },
  noApp: { 'en-US': 'Which COC application is the alarm for?', 'zh-CN': '告警属于哪个 COC 应用？' },
  noAppText: {
    'en-US': 'Nothing was sent. COC files every alarm under an application: give --app with its name ({known}) or its id (24 hex characters), or an admin sets incidents.alarmApplication (COC_ALARM_APPLICATION) as the default.',
    'zh-CN': '未发送任何内容。COC 的每条告警都归属一个应用：请用 --app 给出应用名称（{known}）或应用 ID（24 位十六进制），或请管理员设置默认值 incidents.alarmApplication（COC_ALARM_APPLICATION）。',
  },
  badApp: { 'en-US': 'No COC application "{value}"', 'zh-CN': '没有 COC 应用“{value}”' },
  badAppText: {
    'en-US': 'Nothing was sent. Give --app as an application COC knows ({known}) or an application id (24 hex characters).',
    'zh-CN': '未发送任何内容。请将 --app 设为 COC 已知的应用（{known}）或应用 ID（24 位十六进制）。',
  },
  ambiguousApp: { 'en-US': '"{value}" names several COC applications', 'zh-CN': '“{value}”对应多个 COC 应用' },
  ambiguousAppText: { 'en-US': 'Nothing was sent. Give --app as the application id.', 'zh-CN': '未发送任何内容。请将 --app 设为应用 ID。' },
  noneKnown: { 'en-US': 'none known yet', 'zh-CN': '暂无已知应用' },
  sentAt: { 'en-US': 'Sent', 'zh-CN': '发送时间' },
  sentBy: { 'en-US': 'Sent by', 'zh-CN': '发送人' },
  clearHint: { 'en-US': 'To clear it: {command}', 'zh-CN': '恢复该告警：{command}' },
  raiseAgain: { 'en-US': 'If the alarm was never raised under this name and resource, COC has nothing to clear.', 'zh-CN': '如果从未以此名称和资源发出过告警，COC 中没有可恢复的告警。' },
  missing: { 'en-US': '--{name} is needed: {what}.', 'zh-CN': '缺少 --{name}：{what}。' },
  needLevel: { 'en-US': 'critical, major, minor or info', 'zh-CN': 'critical、major、minor 或 info' },
  needDesc: { 'en-US': 'what is wrong, for example --desc "p99 above 2 s for 10 minutes"', 'zh-CN': '出了什么问题，例如 --desc "p99 连续 10 分钟超过 2 秒"' },
  nameFlag: { 'en-US': 'Alarm name', 'zh-CN': '告警名称' },
  levelFlag: { 'en-US': 'Alarm level', 'zh-CN': '告警级别' },
  descFlag: { 'en-US': "What's wrong", 'zh-CN': '问题描述' },
  resourceFlag: { 'en-US': 'Host name or cloud resource id', 'zh-CN': '主机名或云资源 id' },
  appFlag: { 'en-US': 'COC application: its name or id (default: incidents.alarmApplication)', 'zh-CN': 'COC 应用：名称或 ID（默认：incidents.alarmApplication）' },
  okFlag: { 'en-US': 'Clear the alarm of this name instead', 'zh-CN': '改为清除此名称的告警' },
  noKey: { 'en-US': 'Alarms are not set up for this bot', 'zh-CN': '此机器人尚未配置告警' },
  noKeyText: {
    'en-US': 'Nothing was sent. An admin sets the integration key of a COC custom-event integration as COC_INTEGRATION_KEY (or coc.integrationKey in the configuration file) and restarts the bot.',
    'zh-CN': '未发送任何内容。请管理员将 COC 自定义事件集成的集成密钥设置为 COC_INTEGRATION_KEY（或配置文件中的 coc.integrationKey），然后重启机器人。',
  },
  noHost: { 'en-US': 'No host called "{name}"', 'zh-CN': '没有名为“{name}”的主机' },
  noHostText: { 'en-US': 'Nothing was sent.{hint} Give --resource as "hosts" lists it (NAME or ID).', 'zh-CN': '未发送任何内容。{hint}请按 "hosts" 列出的名称或 ID 填写 --resource。' },
  didYouMean: { 'en-US': ' Did you mean "{name}"?', 'zh-CN': '您是不是想找“{name}”？' },
  unknownRaised: { 'en-US': 'Outcome unknown: the alarm may have been raised in COC: {name}', 'zh-CN': '结果未知：告警可能已在 COC 中发出：{name}' },
  unknownCleared: { 'en-US': 'Outcome unknown: the alarm may have been cleared in COC: {name}', 'zh-CN': '结果未知：告警可能已在 COC 中恢复：{name}' },
  unknownText: {
    'en-US': 'COC’s answer was lost ({answer}), and COC offers no way to read an alarm back, so nobody can tell from here. It was not retried. Check alarm {alarmId} (source coc-chatops) in the COC console. Sending it again is safe: the same name and resource update this one alarm, they never raise a second.',
    'zh-CN': 'COC 的响应丢失（{answer}），且 COC 不提供读取告警的接口，此处无法确认。未重试。请在 COC 控制台查看告警 {alarmId}（来源 coc-chatops）。再次发送是安全的：相同名称和资源只会更新这一条告警，不会产生第二条。',
  },
  manyHosts: { 'en-US': 'Several hosts are called "{name}"', 'zh-CN': '有多台主机名为“{name}”' },
  manyHostsText: { 'en-US': 'Nothing was sent. Give --resource as one of these ids: {choices}.', 'zh-CN': '未发送任何内容。请将 --resource 设为以下 ID 之一：{choices}。' },
} satisfies Record<string, Text>;

/** COC's field limits (coc-api-notes §1.20): every text 1-255 characters. */
const MAX_TEXT = 255;
/** COC's application ids: 24 hex characters (the reference's example: 6470681a31da2a47ed50a919). */
const APPLICATION_ID = /^[0-9a-f]{24}$/i;
const SOURCE = 'coc-chatops';
const LEVEL_DOT: Readonly<Record<AlarmSeverity, string>> = { critical: '🔴', major: '🟠', minor: '🟡', info: '🔵' };

/** The same name on the same resource is the same alarm. */
export function alarmIdFor(name: string, resourceId: string | undefined): string {
  return `chatops-${createHash('sha256').update(`${name}\u0000${resourceId ?? ''}`).digest('hex').slice(0, 24)}`;
}

function required<T extends string>(context: CommandContext, value: T | undefined, name: string, what: Text): T {
  if (value === undefined) refuse(context.t(COMMON.notRight), context.t(TEXT.missing, { name, what: context.t(what) }));
  return value;
}

/** The names COC gave its applications (in its newest incidents); none when it cannot say. */
async function applications(context: CommandContext): Promise<Directory> {
  const incidents = context.backend.incidents;
  const empty: Directory = { people: new Map(), applications: new Map() };
  return incidents ? loadDirectory(incidents, context.services.db).catch(() => empty) : empty;
}

/**
 * The application the alarm is filed under: `--app` as typed (a name COC gave one id, or an id
 * of COC's form), else the configured default; refused, with what is allowed, otherwise.
 */
async function applicationOf(context: CommandContext, typed: string | undefined): Promise<{ id: string; name: string; configured: boolean }> {
  const { t } = context;
  const configured = context.services.config.incidents.alarmApplication;
  if (typed === undefined && configured !== undefined) return { id: configured, name: configured, configured: true };
  // An id of COC's form is taken as given; only a name needs COC's names (a read).
  if (typed !== undefined && APPLICATION_ID.test(typed.trim())) return { id: typed.trim(), name: typed.trim(), configured: false };
  const directory = await applications(context);
  const known = knownApplications(directory).join(', ') || t(TEXT.noneKnown);
  if (typed === undefined) refuse(t(TEXT.noApp), t(TEXT.noAppText, { known }));
  const found = findApplication(directory, typed);
  if (found.ok) return { ...found, configured: false };
  if (found.ambiguous) refuse(t(TEXT.ambiguousApp, { value: shown(typed, 64) }), t(TEXT.ambiguousAppText));
  refuse(t(TEXT.badApp, { value: shown(typed, 64) }), t(TEXT.badAppText, { known }));
}

/** Hosts read per page while looking for a name. */
const HOST_PAGE = 100;

async function allHostNames(hosts: HostsCapability): Promise<string[]> {
  const names: string[] = [];
  let after: string | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await hosts.list({ limit: HOST_PAGE, ...(after !== undefined ? { after } : {}) });
    names.push(...page.items.map((h) => h.name).filter(Boolean));
    if (page.next === undefined) break;
    after = page.next;
  }
  return names;
}

/** A host by its exact name, or by its cloud resource id. */
async function resolveHost(context: CommandContext, ref: string): Promise<Host> {
  const { backend, t } = context;
  const hosts = need(backend, 'hosts');
  const byName = (await hosts.list({ limit: HOST_PAGE, name: ref })).items.filter((h) => h.name === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    refuse(t(TEXT.manyHosts, { name: shown(ref, 64) }), t(TEXT.manyHostsText, { choices: byName.map((h) => `${nativeOf(h.id)} (${h.region ?? '?'})`).join(', ') }));
  }
  const id = /^[A-Za-z0-9_-]{8,128}$/.test(ref) ? backend.parseId('host', ref) : undefined;
  if (id !== undefined) {
    const byId = (await hosts.list({ limit: HOST_PAGE, ids: [id] })).items.filter((h) => nativeOf(h.id) === ref);
    if (byId.length >= 1) return byId[0]!;
  }
  const hint = suggest(ref, await allHostNames(hosts));
  refuse(t(TEXT.noHost, { name: shown(ref, 64) }), t(TEXT.noHostText, { hint: hint ? t(TEXT.didYouMean, { name: hint }) : '' }));
}

export const alarmCommand = defineCommand({
  family: 'alarm',
  words: ['alarm'],
  discord: {
    name: 'alarm',
    localName: { 'en-US': 'alarm', 'zh-CN': '告警' },
    description: { 'en-US': 'Raise or clear an alarm in COC', 'zh-CN': '在 COC 中发出或清除告警' },
  },
  // Not `alarms.report`: without an integration key the command stays, to say how to set it up;
  // a platform that takes no reported alarms (BlueKing) has no such command.
  needs: ['alarms.takes-reports'],
  permission: 'operator',
  mutates: true,
  summary: {
    'en-US': 'Raise (or with --ok clear) an alarm in COC through its custom-event integration',
    'zh-CN': '通过 COC 自定义事件集成发出告警（或用 --ok 恢复告警）',
  },
  examples: [
    'alarm --name "Checkout latency high" --level major --desc "p99 above 2 s for 10 minutes" --resource web-01 --app storefront',
    'alarm --name "Checkout latency high" --resource web-01 --app storefront --ok',
  ],
  positionals: {},
  flags: {
    name: arg.string({ required: true, max: MAX_TEXT, description: TEXT.nameFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    // The platform's own alarm levels, read from the backend.
    // --level and --desc are needed unless clearing (--ok): the handler says so, as the kinds cannot.
    level: arg.enum({ choices: (limits) => choicesOf(limits.backend?.alarms?.levels.map((known) => known.code) ?? []), description: TEXT.levelFlag }),
    desc: arg.string({ max: MAX_TEXT, description: TEXT.descFlag, placeholder: { 'en-US': 'text', 'zh-CN': '文本' } }),
    resource: arg.string({ max: MAX_TEXT, description: TEXT.resourceFlag, placeholder: { 'en-US': 'host', 'zh-CN': 'host' }, suggest: 'hosts' }),
    app: arg.string({ max: MAX_TEXT, description: TEXT.appFlag, placeholder: { 'en-US': 'name-or-id', 'zh-CN': 'name-or-id' } }),
    ok: arg.boolean({ description: TEXT.okFlag }),
  },
  async run(context, args): Promise<Message> {
    const { backend, t, locale, identity, actor } = context;
    const alarms = need(backend, 'alarms');
    const clearing = args.ok;
    const name = args.name;
    const levelFlag = args.level;
    // A clearing needs no level of its own: the mildest is sent.
    const mildest = alarms.levels.find((level) => level.state === 'info') ?? alarms.levels.at(-1)!;
    const level = clearing ? (levelFlag ?? mildest.code) : required(context, levelFlag, 'level', TEXT.needLevel);
    const severity = alarms.levels.find((known) => known.code === level)?.state;
    const desc = clearing ? (args.desc ?? `Cleared from chat by ${identity.iamUserName}`) : required(context, args.desc, 'desc', TEXT.needDesc);
    const resourceRef = args.resource;
    const report = alarms.report?.bind(alarms);
    if (!report) refuse(t(TEXT.noKey), t(TEXT.noKeyText));
    const app = await applicationOf(context, args.app);

    const host = resourceRef !== undefined ? await resolveHost(context, resourceRef) : undefined;
    const resourceId = host ? nativeOf(host.id) : undefined;
    const alarmId = alarmIdFor(name, resourceId);
    const time = Date.now();
    const status = clearing ? alarms.statusCodes.cleared : alarms.statusCodes.raised;
    const application = app.id;
    context.audit.target = `alarm ${alarmId}`;
    context.audit.maskedParameters = {
      name,
      level,
      status,
      desc,
      ...(host ? { resource: `${host.name} (${resourceId})` } : {}),
      application,
    };
    try {
      await report({
        id: alarmId,
        name,
        levelCode: level,
        description: desc,
        time,
        clear: clearing,
        source: SOURCE,
        application,
        ...(host ? { host: { id: host.id, name: host.name, ...(host.region !== undefined ? { region: host.region } : {}) } } : {}),
        details: { raised_by: identity.iamUserName, chat_user: `${actor.platform}:${actor.userId}`, via: SOURCE },
      });
    } catch (error) {
      // COC refused before acting: the dispatcher explains it. Anything else may have landed.
      if (writeFailureOf(error) === 'refused') throw error;
      context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `unknown (no read-back exists: ${lostAnswer(error, translator('en-US'))})` };
      return {
        title: t(clearing ? TEXT.unknownCleared : TEXT.unknownRaised, { name: shown(name, 80) }),
        text: t(TEXT.unknownText, { answer: lostAnswer(error, t), alarmId }),
        tone: 'danger',
      };
    }

    const fields: MessageField[] = [
      ...(!clearing || levelFlag ? [{ label: t(TEXT.level), value: `${severity ? LEVEL_DOT[severity] : '⚪'} ${label(backend.vocabulary, 'alarmLevel', level, locale)}` }] : []),
      { label: t(TEXT.status), value: label(backend.vocabulary, 'alarmStatus', status, locale) },
      { label: t(TEXT.description), value: desc },
      ...(host ? [{ label: t(TEXT.resource), value: t(TEXT.resourceValue, { name: host.name || '?', id: resourceId ?? '?', region: host.region ?? '?' }) }] : []),
      { label: t(TEXT.application), value: app.configured ? t(TEXT.applicationDefault, { app: app.id }) : app.name === app.id ? app.id : t(TEXT.applicationNamed, { name: app.name, id: app.id }) },
      { label: t(TEXT.alarmId), value: alarmId },
      { label: t(TEXT.sentBy), value: identity.iamUserName },
      { label: t(TEXT.sentAt), value: orNone(utcTime(time), t) },
    ];
    const clearCommand = ['alarm', '--name', quoted(name), ...(resourceRef !== undefined ? ['--resource', quoted(resourceRef)] : []), ...(app.configured ? [] : ['--app', quoted(args.app ?? app.id)]), '--ok'].join(' ');
    return {
      title: t(clearing ? TEXT.cleared : TEXT.raised, { name: shown(name, 80) }),
      tone: clearing ? 'success' : 'warning',
      fields,
      footer: clearing ? t(TEXT.raiseAgain) : t(TEXT.clearHint, { command: clearCommand }),
    };
  },
});
