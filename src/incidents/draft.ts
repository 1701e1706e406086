/**
 * An incident as typed (flags or a form), checked against what the platform accepts (its
 * incident choices) before anything is sent: every problem is reported against its field with
 * the allowed values, and nothing reaches the platform until there are none.
 *
 * Local checks come first; the platform is asked who and which applications it knows (a read)
 * only when they pass, so a wrong level or type sends nothing at all.
 */
import type { IncidentDraft, IncidentsCapability, Vocabulary } from '../backends/index.js';
import { shown as shownUpTo } from '../i18n/format.js';
import type { Translate, Text, Locale } from '../i18n/translate.js';
import type { Identity } from '../identity/identity-service.js';
import type { Queryable } from '../store/db.js';
import type { ChatPlatform } from '../store/vocabulary.js';
import { levelWords, parseLevel, parseType, parseYesNo, typeChoices } from './choices.js';
import { findApplication, findPerson, knownApplications, knownNames, loadDirectory, selfLookup, type Directory, type PersonLookup } from './directory.js';

/** Field ids, shared by the form and by the flags (`--title`, …). */
export const DRAFT_FIELDS = ['title', 'description', 'level', 'type', 'application', 'region', 'interrupted', 'assignee', 'scene', 'role'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];
export type RawDraft = Partial<Record<DraftField, string>>;

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 600;
/** On-call scene and role ids: COC takes 1-255 characters each. */
export const ON_CALL_MAX = 255;
/** One word: no spaces or control characters (an id, not a sentence). */
const ON_CALL_ID = /^[^\s\p{Cc}]+$/u;

const TEXT = {
  required: { 'en-US': 'Required.', 'zh-CN': '必填。' },
  requiredChoice: { 'en-US': 'Required. Allowed: {allowed}.', 'zh-CN': '必填。可选值：{allowed}。' },
  tooLong: { 'en-US': 'At most {max} characters, got {length}.', 'zh-CN': '最多 {max} 个字符，收到 {length} 个。' },
  badLevel: { 'en-US': '"{value}" is not an incident level. Allowed: {allowed} (P1 is the most severe).', 'zh-CN': '“{value}”不是有效的事件级别。可选值：{allowed}（P1 最严重）。' },
  badType: { 'en-US': '"{value}" is not an incident type. Allowed: {allowed}.', 'zh-CN': '“{value}”不是有效的事件类别。可选值：{allowed}。' },
  badYesNo: { 'en-US': '"{value}" is not yes or no. Allowed: yes, no.', 'zh-CN': '“{value}”不是“是”或“否”。可选值：yes、no。' },
  badRegion: { 'en-US': '"{value}" is not a region id. Give one like cn-north-4 or ap-southeast-3.', 'zh-CN': '“{value}”不是区域 ID。请给出类似 cn-north-4 或 ap-southeast-3 的值。' },
  badApplication: {
    'en-US': '"{value}" is not an application COC knows. Allowed: {allowed}, or an application id (24 hex characters).',
    'zh-CN': '“{value}”不是 COC 已知的应用。可选值：{allowed}，或应用 ID（24 位十六进制）。',
  },
  ambiguousApplication: { 'en-US': '"{value}" names several applications; give the application id.', 'zh-CN': '“{value}”对应多个应用，请给出应用 ID。' },
  badAssignee: {
    'en-US': '"{value}" is not a person COC knows. Allowed: a chat user linked to an IAM user (mention them), or one of the IAM users {allowed}.',
    'zh-CN': '“{value}”不是 COC 已知的人员。可选：已关联 IAM 用户的聊天用户（@提及），或以下 IAM 用户之一：{allowed}。',
  },
  unlinkedAssignee: {
    'en-US': 'The chat user {value} is not linked to an IAM user. Allowed: a linked chat user, or one of the IAM users {allowed}.',
    'zh-CN': '聊天用户 {value} 未关联 IAM 用户。可选：已关联的聊天用户，或以下 IAM 用户之一：{allowed}。',
  },
  noIdAssignee: {
    'en-US': 'The IAM user id of {value} is not known (COC names people by id). Ask an admin to link them with --iam-user-id, or choose one of {allowed}.',
    'zh-CN': '不知道 {value} 的 IAM 用户 ID（COC 以 ID 标识人员）。请管理员用 --iam-user-id 关联，或从以下人员中选择：{allowed}。',
  },
  ambiguousAssignee: { 'en-US': '"{value}" stands for {count} IAM user ids in COC ({ids}); give the id.', 'zh-CN': '“{value}”在 COC 中对应 {count} 个 IAM 用户 ID（{ids}），请给出 ID。' },
  noneKnown: { 'en-US': '(none known yet)', 'zh-CN': '（暂无已知人员）' },
  onCallPair: {
    'en-US': 'The on-call scene and role go together: give both (or neither, to assign a person).',
    'zh-CN': '值班场景和值班角色需同时给出（或都不填，改为指派人员）。',
  },
  onCallOrAssignee: {
    'en-US': 'Give either an assignee or an on-call scene and role, not both (COC takes one or the other).',
    'zh-CN': '请只给出处理人，或只给出值班场景和角色，不能同时给出（COC 只接受其中一种）。',
  },
  badOnCallId: { 'en-US': '"{value}" is not an id: one word, without spaces, at most {max} characters.', 'zh-CN': '“{value}”不是有效的 ID：一个词，不含空格，最多 {max} 个字符。' },
  onCallName: { 'en-US': 'on-call scene {scene}, role {role}', 'zh-CN': '值班场景 {scene}，角色 {role}' },
  noAppsKnown: { 'en-US': '(none known yet)', 'zh-CN': '（暂无已知应用）' },
  selfUnknown: {
    'en-US': 'Your IAM user id ({user}) is not known, and COC names creators and operators by id. Ask an admin to link you with --iam-user-id.',
    'zh-CN': '不知道您的 IAM 用户 ID（{user}），而 COC 以 ID 标识创建人和操作人。请管理员用 --iam-user-id 关联您。',
  },
} satisfies Record<string, Text>;

const REGION_ID = /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/;

export interface CheckedDraft {
  readonly input: IncidentDraft;
  /** The person, or the on-call scene and role, in words. */
  readonly assigneeName: string;
  readonly applicationName: string;
}

export type DraftResult = { readonly ok: true; readonly draft: CheckedDraft } | { readonly ok: false; readonly errors: Partial<Record<DraftField, string>> };

export interface DraftContext {
  readonly incidents: IncidentsCapability;
  readonly vocabulary: Vocabulary;
  readonly db: Queryable;
  readonly identity: Identity;
  readonly actor: { readonly platform: ChatPlatform; readonly workspaceId: string };
  readonly t: Translate;
  readonly locale: Locale;
}

function text(raw: string | undefined): string {
  return (raw ?? '').trim();
}

function length(value: string): number {
  return Array.from(value).length;
}

interface LocalValues {
  title: string;
  description: string;
  level: string;
  type: string;
  interrupted: boolean;
  region: string | undefined;
  onCall: { scene: string; role: string } | undefined;
}

function checkOnCallId(errors: Partial<Record<DraftField, string>>, field: 'scene' | 'role', value: string, t: Translate): void {
  if (value && (length(value) > ON_CALL_MAX || !ON_CALL_ID.test(value))) errors[field] = t(TEXT.badOnCallId, { value: shown(value), max: ON_CALL_MAX });
}

function checkLocal(raw: RawDraft, context: DraftContext): { values?: LocalValues; errors: Partial<Record<DraftField, string>> } {
  const { t, locale, incidents, vocabulary } = context;
  const { choices } = incidents;
  const errors: Partial<Record<DraftField, string>> = {};
  const title = text(raw.title);
  if (!title) errors.title = t(TEXT.required);
  else if (length(title) > TITLE_MAX) errors.title = t(TEXT.tooLong, { max: TITLE_MAX, length: length(title) });
  const description = text(raw.description);
  if (!description) errors.description = t(TEXT.required);
  else if (length(description) > DESCRIPTION_MAX) errors.description = t(TEXT.tooLong, { max: DESCRIPTION_MAX, length: length(description) });
  const levels = levelWords(choices).join(', ');
  const level = text(raw.level) ? parseLevel(choices, text(raw.level)) : undefined;
  if (!text(raw.level)) errors.level = t(TEXT.requiredChoice, { allowed: levels });
  else if (!level) errors.level = t(TEXT.badLevel, { value: shown(text(raw.level)), allowed: levels });
  const type = text(raw.type) ? parseType(choices, text(raw.type)) : undefined;
  if (!text(raw.type)) errors.type = t(TEXT.requiredChoice, { allowed: typeChoices(choices, vocabulary, locale) });
  else if (!type) errors.type = t(TEXT.badType, { value: shown(text(raw.type)), allowed: typeChoices(choices, vocabulary, locale) });
  const interrupted = text(raw.interrupted) ? parseYesNo(text(raw.interrupted)) : undefined;
  if (!text(raw.interrupted)) errors.interrupted = t(TEXT.requiredChoice, { allowed: 'yes, no' });
  else if (interrupted === undefined) errors.interrupted = t(TEXT.badYesNo, { value: shown(text(raw.interrupted)) });
  const region = text(raw.region) || undefined;
  if (region !== undefined && !REGION_ID.test(region)) errors.region = t(TEXT.badRegion, { value: shown(region) });
  if (!text(raw.application)) errors.application = t(TEXT.required);
  // Either a person or an on-call scene + role (coc-api-notes §1.15: bound together, one or the other).
  const scene = text(raw.scene);
  const role = text(raw.role);
  checkOnCallId(errors, 'scene', scene, t);
  checkOnCallId(errors, 'role', role, t);
  if (!scene !== !role) errors[scene ? 'role' : 'scene'] = t(TEXT.onCallPair);
  else if (scene && text(raw.assignee)) errors.assignee = t(TEXT.onCallOrAssignee);
  if (Object.keys(errors).length > 0 || !level || !type || interrupted === undefined) return { errors };
  return { values: { title, description, level, type, interrupted, region, onCall: scene && role ? { scene, role } : undefined }, errors };
}

/** Visible but harmless: one line, at most 60 characters (form fields echo longer words than flags). */
function shown(value: string): string {
  return shownUpTo(value, 60);
}

export function personProblem(lookup: Exclude<PersonLookup, { ok: true }>, directory: Directory, t: Translate): string {
  const allowed = knownNames(directory).join(', ') || t(TEXT.noneKnown);
  const value = shown(lookup.name ?? '');
  switch (lookup.problem) {
    case 'ambiguous':
      return t(TEXT.ambiguousAssignee, { value, count: lookup.ids.length, ids: lookup.ids.join(', ') });
    case 'unlinked-chat-user':
      return t(TEXT.unlinkedAssignee, { value, allowed });
    case 'no-id':
      return t(TEXT.noIdAssignee, { value, allowed });
    default:
      return t(TEXT.badAssignee, { value, allowed });
  }
}

/** The IAM user id the person acting is known by in COC, or the reason it is not known. */
export function selfId(directory: Directory, identity: Identity, t: Translate): { ok: true; id: string } | { ok: false; problem: string } {
  const self = selfLookup(directory, identity);
  if (self.ok) return { ok: true, id: self.id };
  if (self.problem === 'ambiguous') return { ok: false, problem: personProblem(self, directory, t) };
  return { ok: false, problem: t(TEXT.selfUnknown, { user: identity.iamUserName }) };
}

export class SelfUnknownError extends Error {
  override readonly name = 'SelfUnknownError';
}

export async function checkDraft(raw: RawDraft, context: DraftContext): Promise<DraftResult> {
  const { t } = context;
  const local = checkLocal(raw, context);
  if (!local.values) return { ok: false, errors: local.errors };
  const values = local.values;
  const directory = await loadDirectory(context.incidents, context.db);
  const errors: Partial<Record<DraftField, string>> = {};
  const application = findApplication(directory, text(raw.application));
  if (!application.ok) {
    errors.application = application.ambiguous
      ? t(TEXT.ambiguousApplication, { value: shown(text(raw.application)) })
      : t(TEXT.badApplication, { value: shown(text(raw.application)), allowed: knownApplications(directory).join(', ') || t(TEXT.noAppsKnown) });
  }
  const self = selfId(directory, context.identity, t);
  // The platform needs the creator's id whatever else is wrong: without it nothing can be created.
  if (!self.ok) throw new SelfUnknownError(self.problem);
  const { onCall } = values;
  // On call: nobody in particular; else the person named, by default whoever creates it.
  const assignee = onCall ? undefined : text(raw.assignee) ? await findPerson(directory, context.db, context.actor, text(raw.assignee)) : selfLookup(directory, context.identity);
  if (assignee && !assignee.ok) errors.assignee = personProblem(assignee, directory, t);
  if (!application.ok || (assignee && !assignee.ok)) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      input: {
        title: values.title,
        description: values.description,
        level: values.level,
        type: values.type,
        serviceInterrupted: values.interrupted,
        application: application.id,
        creator: self.id,
        ...(assignee?.ok ? { assignee: assignee.id } : {}),
        ...(onCall ? { onCall } : {}),
        ...(values.region ? { region: values.region } : {}),
      },
      assigneeName: assignee?.ok ? assignee.name : onCall ? t(TEXT.onCallName, onCall) : '',
      applicationName: application.name,
    },
  };
}
