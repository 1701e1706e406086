/**
 * `incident create`: opens a COC incident from chat, with flags or (with none) a form. Every
 * field is checked against what COC accepts first (level, type, yes/no, lengths, region,
 * application, assignee), and each problem is named with the allowed values; nothing is sent
 * until there are none. The create call is sent once and never retried. When its answer is
 * lost, COC's incident list decides (src/incidents/create-readback.ts): found → adopted as if
 * the answer had arrived; proven absent → "not created"; else "outcome unknown" with a check
 * that lists it.
 *
 * Then the incident's place is opened on the platform it was created from (a new Slack
 * channel or thread, a Discord thread, the terminal's stream), recorded, and given the card;
 * its status changes are posted there from now on.
 */
import { BackendCapabilityMissingError, nativeOf, writeFailureOf, type Incident } from '../src/backends/index.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { CREATE_READ_BACK, findCreatedIncident } from '../src/incidents/create-readback.js';
import { translator } from '../src/i18n/translate.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import { targetOf } from '../src/core/chat-surface.js';
import type { CommandContext, FormDefinition } from '../src/core/command.js';
import type { Form, Message, SelectOption } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { levelOptions, typeOptions, yesNoOptions } from '../src/incidents/choices.js';
import { knownApplications, loadDirectory } from '../src/incidents/directory.js';
import { checkDraft, DESCRIPTION_MAX, DRAFT_FIELDS, ON_CALL_MAX, SelfUnknownError, TITLE_MAX, type CheckedDraft, type DraftField, type RawDraft } from '../src/incidents/draft.js';
import { describeTarget, openIncidentPlace } from '../src/incidents/places.js';
import { announcementKey } from '../src/incidents/watcher.js';
import { INCIDENT_FORM_IDS } from '../src/incidents/workflow.js';
import { claimIncidentRequest, finishIncidentRequest } from '../src/store/incident-requests.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';
import { fullCard, incidentLevelChoices, incidentsOf, incidentTypeChoices, platformRefusal, refusalWords, rereadIncident, YES_NO_CHOICES } from './incident-common.js';

const TEXT = {
  notCreated: { 'en-US': 'Incident not created: {count} to fix', 'zh-CN': '事件未创建：有 {count} 处需要修正' },
  notCreatedText: { 'en-US': 'Nothing was sent to COC.\n{problems}', 'zh-CN': '未向 COC 发送任何内容。\n{problems}' },
  formHint: { 'en-US': 'Or leave out every flag to fill in a form.', 'zh-CN': '或不带任何参数以填写表单。' },
  selfUnknown: { 'en-US': 'Incident not created: COC does not know who you are yet', 'zh-CN': '事件未创建：COC 还不知道您是谁' },
  formTitle: { 'en-US': 'New incident', 'zh-CN': '新建事件' },
  formText: { 'en-US': 'Fill in the form to open a COC incident.', 'zh-CN': '请填写表单以创建 COC 事件。' },
  create: { 'en-US': 'Create', 'zh-CN': '创建' },
  title: { 'en-US': 'Title', 'zh-CN': '标题' },
  description: { 'en-US': 'Description', 'zh-CN': '描述' },
  level: { 'en-US': 'Level', 'zh-CN': '级别' },
  levelHint: { 'en-US': 'P1 is the most severe.', 'zh-CN': 'P1 最严重。' },
  type: { 'en-US': 'Type', 'zh-CN': '类别' },
  application: { 'en-US': 'Application', 'zh-CN': '应用' },
  applicationHint: { 'en-US': 'Its name ({known}) or its id (24 hex characters).', 'zh-CN': '应用名称（{known}）或应用 ID（24 位十六进制）。' },
  applicationHintNone: { 'en-US': 'The application id (24 hex characters).', 'zh-CN': '应用 ID（24 位十六进制）。' },
  region: { 'en-US': 'Region', 'zh-CN': '区域' },
  regionHint: { 'en-US': 'A region id such as cn-north-4; needed if COC starts a WarRoom by itself.', 'zh-CN': '区域 ID，例如 cn-north-4；若 COC 自动拉起 WarRoom 则需要。' },
  interrupted: { 'en-US': 'Is service interrupted?', 'zh-CN': '业务是否中断？' },
  assignee: { 'en-US': 'Assignee', 'zh-CN': '处理人' },
  assigneeHint: { 'en-US': 'A chat user (mention) or an IAM user name; empty = you (or the on-call role below).', 'zh-CN': '聊天用户（@提及）或 IAM 用户名；留空 = 您自己（或下方的值班角色）。' },
  scene: { 'en-US': 'On-call scene', 'zh-CN': '值班场景' },
  sceneHint: { 'en-US': 'Instead of an assignee: the id of a COC on-call scene, with a role below.', 'zh-CN': '代替处理人：COC 值班场景 ID，并在下方填写角色。' },
  role: { 'en-US': 'On-call role', 'zh-CN': '值班角色' },
  roleHint: { 'en-US': 'The id of the on-call role in that scene.', 'zh-CN': '该值班场景中的值班角色 ID。' },
  maxChars: { 'en-US': 'At most {max} characters.', 'zh-CN': '最多 {max} 个字符。' },
  created: { 'en-US': 'Incident {num} created', 'zh-CN': '已创建事件 {num}' },
  createdUnread: { 'en-US': 'COC created it; it could not be read back yet: "incident show {num}".', 'zh-CN': 'COC 已创建；暂时无法读取，请用“incident show {num}”查看。' },
  place: { 'en-US': 'Status changes and summaries go to {place}.', 'zh-CN': '状态变化和摘要将发送到 {place}。' },
  noPlace: { 'en-US': 'No notification place could be opened ({reason}); "incident show {num}" shows it.', 'zh-CN': '无法打开通知位置（{reason}）；可用“incident show {num}”查看。' },
  cocRefused: { 'en-US': 'COC refused to create the incident', 'zh-CN': 'COC 拒绝创建事件' },
  cocRefusedText: { 'en-US': 'HTTP {status}{code}: {reason}. Nothing was retried.', 'zh-CN': 'HTTP {status}{code}：{reason}。未重试。' },
  // the answer was lost (outcome unknown at first), then COC's incident list was read
  confirmed: {
    'en-US': 'Confirmed by finding it in COC’s incident list after COC’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': 'COC 的响应丢失（{answer}），之后在 COC 的事件列表中找到了它；未重复发送。',
  },
  absent: { 'en-US': 'COC did not create the incident', 'zh-CN': 'COC 未创建该事件' },
  absentText: {
    'en-US': 'COC’s answer was lost ({answer}); COC’s incident list, read twice {seconds} s apart, has no incident "{title}" created by you since {since}. Nothing was retried; you may create it again.',
    'zh-CN': 'COC 的响应丢失（{answer}）；COC 的事件列表间隔 {seconds} 秒读取两次，都没有您自 {since} 起创建的事件“{title}”。未重试，您可以重新创建。',
  },
  noAnswer: { 'en-US': 'Outcome unknown: the incident may have been created', 'zh-CN': '结果未知：事件可能已创建' },
  noAnswerText: {
    'en-US': 'COC’s answer was lost ({answer}) and COC’s incident list could not tell{candidates}. It was not retried. Check with "{check}" before creating it again.',
    'zh-CN': 'COC 的响应丢失（{answer}），COC 的事件列表也无法确认{candidates}。未重试。重新创建前请先用“{check}”查看。',
  },
  candidates: { 'en-US': ' (it lists several with this title: {nums})', 'zh-CN': '（有多个同名事件：{nums}）' },

} satisfies Record<string, Text>;

async function createForm(context: CommandContext): Promise<Form> {
  const { t, locale } = context;
  const incidents = incidentsOf(context);
  const directory = await loadDirectory(incidents, context.services.db).catch(() => undefined);
  const apps = directory ? [...directory.applications].map(([id, name]): SelectOption => ({ label: name, value: id })).sort((a, b) => a.label.localeCompare(b.label)) : [];
  const known = directory ? knownApplications(directory) : [];
  return {
    id: INCIDENT_FORM_IDS.create,
    title: t(TEXT.formTitle),
    submitLabel: t(TEXT.create),
    fields: [
      { id: 'title', label: t(TEXT.title), kind: 'text', required: true, maxLength: TITLE_MAX, hint: t(TEXT.maxChars, { max: TITLE_MAX }) },
      { id: 'description', label: t(TEXT.description), kind: 'multiline', required: true, maxLength: DESCRIPTION_MAX, hint: t(TEXT.maxChars, { max: DESCRIPTION_MAX }) },
      { id: 'level', label: t(TEXT.level), kind: 'select', required: true, options: levelOptions(incidents.choices), hint: t(TEXT.levelHint) },
      { id: 'type', label: t(TEXT.type), kind: 'select', required: true, options: typeOptions(incidents.choices, context.backend.vocabulary, locale) },
      apps.length
        ? { id: 'application', label: t(TEXT.application), kind: 'select', required: true, options: apps }
        : { id: 'application', label: t(TEXT.application), kind: 'text', required: true, hint: known.length ? t(TEXT.applicationHint, { known: known.join(', ') }) : t(TEXT.applicationHintNone) },
      { id: 'interrupted', label: t(TEXT.interrupted), kind: 'select', required: true, options: yesNoOptions(locale) },
      { id: 'region', label: t(TEXT.region), kind: 'text', required: false, hint: t(TEXT.regionHint), maxLength: 64 },
      { id: 'assignee', label: t(TEXT.assignee), kind: 'text', required: false, hint: t(TEXT.assigneeHint), maxLength: 300 },
      { id: 'scene', label: t(TEXT.scene), kind: 'text', required: false, hint: t(TEXT.sceneHint), maxLength: ON_CALL_MAX },
      { id: 'role', label: t(TEXT.role), kind: 'text', required: false, hint: t(TEXT.roleHint), maxLength: ON_CALL_MAX },
    ],
  };
}

/** The flags as the draft checker reads them (level, type and yes/no already the platform's values). */
function draftFromFlags(flags: Partial<Record<DraftField, string | undefined>>): RawDraft {
  const raw: RawDraft = {};
  for (const field of DRAFT_FIELDS) {
    const value = flags[field];
    if (value !== undefined) raw[field] = value;
  }
  return raw;
}

async function checked(context: CommandContext, raw: RawDraft) {
  try {
    return await checkDraft(raw, { incidents: incidentsOf(context), vocabulary: context.backend.vocabulary, db: context.services.db, identity: context.identity, actor: context.actor, t: context.t, locale: context.locale });
  } catch (error) {
    if (error instanceof SelfUnknownError) throw new Refusal(context.t(TEXT.selfUnknown), error.message);
    throw error;
  }
}

/** Sends the create call once, then opens the incident's place and answers with its card. */
async function create(context: CommandContext, draft: CheckedDraft): Promise<Message> {
  const { t, services, actor, place } = context;
  context.audit.maskedParameters = {
    ...context.audit.maskedParameters,
    level: draft.input.level,
    type: draft.input.type,
    application: draft.applicationName,
    assignee: draft.assigneeName,
  };
  const sentAt = services.now().getTime();
  let num: string;
  let confirmed: string | undefined;
  const incidents = incidentsOf(context);
  if (!incidents.create) throw new BackendCapabilityMissingError(context.backend.name, 'incidents.create');
  try {
    num = nativeOf(await incidents.create(draft.input));
  } catch (error) {
    if (writeFailureOf(error) === 'refused') {
      const refusal = platformRefusal(error);
      if (!refusal) throw error;
      throw new Refusal(t(TEXT.cocRefused), t(TEXT.cocRefusedText, refusalWords(refusal, t)));
    }
    const found = await reconcileCreate(context, draft, sentAt, error);
    num = found.num;
    confirmed = found.confirmed;
  }
  context.audit.target = num;
  // Created from chat: the poller must not announce it a second time.
  const claim = await claimIncidentRequest(services.db, announcementKey(num), num);
  if (claim.claimed) await finishIncidentRequest(services.db, announcementKey(num), 'done', num);
  const detail: Incident | undefined = await rereadIncident(context, num);
  if (!detail) return { title: t(TEXT.created, { num }), text: [confirmed, t(TEXT.createdUnread, { num })].filter(Boolean).join(' '), tone: 'success' };
  const opened = await openIncidentPlace(services, detail, {
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    from: targetOf(actor, place),
    invite: [actor],
  });
  const placeNote = opened.ok ? t(TEXT.place, { place: describeTarget(opened.target) }) : t(TEXT.noPlace, { reason: opened.reason, num });
  const note = confirmed ? `${confirmed} ${placeNote}` : placeNote;
  const card = await fullCard(context, detail, note);
  return { ...card, title: `${t(TEXT.created, { num })}: ${detail.title ?? ''}`, tone: 'success' };
}

/** The audit trail is written in one language, whoever acted. */
const EN = translator('en-US');

/**
 * The create's answer was lost: COC's incident list says whether it exists. Found → its
 * number (adopted as if the answer had arrived); proven absent or undecidable → a reply.
 */
async function reconcileCreate(context: CommandContext, draft: CheckedDraft, sentAt: number, error: unknown): Promise<{ num: string; confirmed: string }> {
  const { t } = context;
  const answer = lostAnswer(error, t);
  const title = draft.input.title;
  const found = await findCreatedIncident(incidentsOf(context), { title, creator: draft.input.creator, sentAt });
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `${found.kind} (read back after a lost answer: ${lostAnswer(error, EN)})` };
  if (found.kind === 'found') return { num: found.num, confirmed: t(TEXT.confirmed, { answer }) };
  if (found.kind === 'absent') {
    const since = new Date(sentAt - CREATE_READ_BACK.skewMs).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
    throw new Refusal(t(TEXT.absent), t(TEXT.absentText, { answer, seconds: CREATE_READ_BACK.settleMs / 1000, title: shown(title, 60), since }));
  }
  // `--mine` lists incidents assigned to the reader: only advised when that is who it is for.
  const mine = draft.input.assignee !== undefined && draft.input.assignee === draft.input.creator;
  const check = `incidents --since 10m${mine ? ' --mine' : ''}`;
  const candidates = found.candidates.length ? t(TEXT.candidates, { nums: found.candidates.join(', ') }) : '';
  throw new Refusal(t(TEXT.noAnswer), t(TEXT.noAnswerText, { answer, candidates, check }));
}

export const incidentCreateCommand = defineCommand({
  family: 'incident',
  words: ['incident', 'create'],
  discord: { group: 'incident', name: 'create', description: { 'en-US': 'Open an incident (a form, or options)', 'zh-CN': '创建事件（表单或选项）' } },
  needs: ['incidents.create'],
  permission: 'operator',
  mutates: true,
  mayOpenForm: (args) => args.positionals.length === 0 && args.flags.size === 0,
  summary: { 'en-US': 'Open a COC incident (a form, or flags), with a notification place for it', 'zh-CN': '创建 COC 事件（表单或参数），并为其开设通知位置' },
  examples: [
    'incident create',
    'incident create --title "Checkout errors" --description "5xx on /pay since 09:40" --level p2 --type function --application storefront --interrupted yes --assignee bob',
    'incident create --title "Checkout errors" --description "5xx on /pay" --level p2 --type function --application storefront --interrupted yes --scene payments-oncall --role first-line',
  ],
  positionals: {},
  flags: {
    title: arg.string({ max: TITLE_MAX, description: { 'en-US': 'What is wrong', 'zh-CN': '问题概述' } }),
    description: arg.string({ max: DESCRIPTION_MAX, description: { 'en-US': 'Details', 'zh-CN': '详细信息' } }),
    level: arg.enum({ choices: incidentLevelChoices, description: { 'en-US': 'Incident level, most severe first', 'zh-CN': '事件级别，最严重的在前' } }),
    type: arg.enum({ choices: incidentTypeChoices, description: { 'en-US': 'Incident type', 'zh-CN': '事件类别' } }),
    application: arg.string({ max: 300, placeholder: { 'en-US': 'name-or-id', 'zh-CN': 'name-or-id' }, description: { 'en-US': 'The affected application: its name or id', 'zh-CN': '受影响的应用：名称或 ID' } }),
    region: arg.string({ max: 64, description: { 'en-US': 'A region id such as cn-north-4', 'zh-CN': '区域 ID，例如 cn-north-4' } }),
    interrupted: arg.enum({ choices: YES_NO_CHOICES, description: { 'en-US': 'Is service interrupted', 'zh-CN': '业务是否中断' } }),
    assignee: arg.string({ max: 300, placeholder: { 'en-US': '@user|iam-user', 'zh-CN': '@user|iam-user' }, description: { 'en-US': 'A chat user (mention) or IAM user name (default: you)', 'zh-CN': '聊天用户（@提及）或 IAM 用户名（默认：您自己）' } }),
    scene: arg.string({ max: ON_CALL_MAX, localName: { 'en-US': 'scene', 'zh-CN': '值班场景' }, placeholder: { 'en-US': 'scene-id', 'zh-CN': 'scene-id' }, description: { 'en-US': 'Or on call: scene id (with --role)', 'zh-CN': '或指派值班：场景 ID（与 --role 一起）' } }),
    role: arg.string({ max: ON_CALL_MAX, placeholder: { 'en-US': 'role-id', 'zh-CN': 'role-id' }, description: { 'en-US': 'On-call role id (with --scene)', 'zh-CN': '值班角色 ID（与 --scene 一起）' } }),
  },
  async run(context, args, raw) {
    const { t } = context;
    if (raw.flags.size === 0) {
      const form = await createForm(context);
      return { text: t(TEXT.formText), form, private: true };
    }
    const result = await checked(context, draftFromFlags(args));
    if (!result.ok) {
      const problems = Object.entries(result.errors).map(([field, problem]) => `--${field}: ${problem}`);
      return { title: t(TEXT.notCreated, { count: problems.length }), text: t(TEXT.notCreatedText, { problems: problems.join('\n') }), footer: t(TEXT.formHint), tone: 'danger' };
    }
    return create(context, result.draft);
  },
});

export const incidentCreateForm: FormDefinition = {
  id: INCIDENT_FORM_IDS.create,
  family: 'incident',
  permission: 'operator',
  mutates: true,
  run: async (context, values) => {
    const raw: RawDraft = {};
    for (const field of DRAFT_FIELDS) if (values[field] !== undefined) raw[field] = values[field];
    const result = await checked(context, raw);
    if (!result.ok) return { title: context.t(TEXT.notCreated, { count: Object.keys(result.errors).length }), fieldErrors: result.errors, tone: 'danger', private: true };
    return create(context, result.draft);
  },
};
