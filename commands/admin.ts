/**
 * `admin link | unlink | users`: who may use the bot, managed from chat by an admin.
 *
 * - Mappings are keyed by immutable platform ids in the admin's own platform and workspace;
 *   an id that does not look like one (e.g. a display name) is refused.
 * - An admin cannot unlink or demote themselves, so a workspace never loses its last admin by
 *   accident (someone else must do it).
 * - Mappings from the configuration file stay as the file says: changing or removing them from
 *   chat would be undone at the next start, so it is refused with "edit the configuration".
 * - The audit target is the chat user being linked or unlinked.
 *
 * These commands are the `admin` family, so a channel's allow list can leave them out while
 * still allowing `audit`.
 */
import { suggest, type ParsedArgs } from '../src/core/args.js';
import type { CommandContext, CommandDefinition } from '../src/core/command.js';
import type { Actor } from '../src/core/invocation.js';
import { flagValue, noPositionals } from '../src/core/flags.js';
import type { Message } from '../src/core/message.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { LOCALES, ROLES, type Locale, type Role } from '../src/store/vocabulary.js';
import {
  IAM_USER_ID_PATTERN,
  IAM_USER_PATTERN,
  PLATFORM_NAME,
  parsePlatformUserId,
  refusal,
  roleLine,
  ROLE_NAME,
  shown,
  SOURCE_TEXT,
} from './identity-common.js';

const TEXT = {
  usageTitle: { 'en-US': 'admin {sub} needs {count}', 'zh-CN': 'admin {sub} 需要 {count}' },
  linkArgs: {
    'en-US': 'three words: the chat user id, the IAM user name and the role. Usage: {usage}',
    'zh-CN': '三个参数：聊天用户 ID、IAM 用户名和角色。用法：{usage}',
  },
  unlinkArgs: { 'en-US': 'one word: the chat user id. Usage: {usage}', 'zh-CN': '一个参数：聊天用户 ID。用法：{usage}' },
  badUserId: { 'en-US': '"{id}" is not a {platform} user id', 'zh-CN': '“{id}”不是有效的 {platform} 用户 ID' },
  badUserIdText: {
    'en-US': 'Link people by their immutable id, never a display name (anyone could take a name). {hint}.',
    'zh-CN': '请使用不可变的用户 ID 关联，而不是显示名称（任何人都可以使用同一名称）。{hint}。',
  },
  badIamUser: { 'en-US': '"{name}" is not an IAM user name', 'zh-CN': '“{name}”不是有效的 IAM 用户名' },
  badIamUserText: {
    'en-US': 'IAM user names are 1-64 letters, digits, spaces, dashes, underscores or dots, and do not start with a digit or a space.',
    'zh-CN': 'IAM 用户名为 1-64 个字母、数字、空格、连字符、下划线或点，且不能以数字或空格开头。',
  },
  badIamUserId: { 'en-US': '--iam-user-id "{id}" is not an IAM user id', 'zh-CN': '--iam-user-id “{id}”不是有效的 IAM 用户 ID' },
  badIamUserIdText: {
    'en-US': 'IAM user ids are 1-64 letters, digits, dashes or underscores (IAM console > Users > the user > ID).',
    'zh-CN': 'IAM 用户 ID 为 1-64 个字母、数字、连字符或下划线（IAM 控制台 > 用户 > 该用户 > ID）。',
  },
  badRole: { 'en-US': '"{role}" is not a role', 'zh-CN': '“{role}”不是有效的角色' },
  badRoleText: { 'en-US': '{hint}Allowed: viewer, operator, approver, admin.', 'zh-CN': '{hint}允许的角色：viewer、operator、approver、admin。' },
  didYouMean: { 'en-US': 'Did you mean {value}? ', 'zh-CN': '您是不是要输入 {value}？' },
  badLocale: { 'en-US': '--locale "{locale}" is not a language the bot speaks', 'zh-CN': '--locale “{locale}”不是机器人支持的语言' },
  badLocaleText: { 'en-US': 'Allowed: en-US, zh-CN.', 'zh-CN': '允许的值：en-US、zh-CN。' },
  fromConfig: { 'en-US': '{user} is linked in the configuration file', 'zh-CN': '{user} 的关联来自配置文件' },
  fromConfigText: {
    'en-US': 'Nothing was changed. Mappings from the configuration cannot be changed or removed from chat (the next start would undo it): edit the configuration (identity.mappings) and restart the bot.',
    'zh-CN': '未做任何更改。来自配置文件的关联不能在聊天中修改或删除（下次启动会被还原）：请编辑配置（identity.mappings）后重启机器人。',
  },
  selfDemote: { 'en-US': 'You cannot demote yourself', 'zh-CN': '您不能降低自己的角色' },
  selfDemoteText: {
    'en-US': 'Nothing was changed. So that a workspace never loses its last admin by accident, another admin must change your role.',
    'zh-CN': '未做任何更改。为避免工作区意外失去最后一位管理员，请由另一位管理员修改您的角色。',
  },
  selfUnlink: { 'en-US': 'You cannot unlink yourself', 'zh-CN': '您不能解除自己的关联' },
  selfUnlinkText: {
    'en-US': 'Nothing was changed. So that a workspace never loses its last admin by accident, another admin must unlink you.',
    'zh-CN': '未做任何更改。为避免工作区意外失去最后一位管理员，请由另一位管理员解除您的关联。',
  },
  linked: { 'en-US': 'Linked {user} to IAM user {iamUser} as {role}', 'zh-CN': '已将 {user} 关联到 IAM 用户 {iamUser}，角色为 {role}' },
  updated: { 'en-US': 'Updated {user}: IAM user {iamUser}, role {role}', 'zh-CN': '已更新 {user}：IAM 用户 {iamUser}，角色 {role}' },
  chatUser: { 'en-US': 'Chat user', 'zh-CN': '聊天用户' },
  chatUserValue: { 'en-US': '{user} ({platform}, workspace {workspace})', 'zh-CN': '{user}（{platform}，工作区 {workspace}）' },
  iamUser: { 'en-US': 'IAM user', 'zh-CN': 'IAM 用户' },
  role: { 'en-US': 'Role', 'zh-CN': '角色' },
  locale: { 'en-US': 'Language', 'zh-CN': '语言' },
  before: { 'en-US': 'Before', 'zh-CN': '之前' },
  beforeValue: { 'en-US': '{iamUser} as {role}', 'zh-CN': '{iamUser}，角色 {role}' },
  linkFooter: { 'en-US': 'They can use the bot now; "admin unlink {user}" takes it back.', 'zh-CN': '对方现在即可使用机器人；“admin unlink {user}” 可撤销。' },
  notLinked: { 'en-US': '{user} was not linked', 'zh-CN': '{user} 原本就未关联' },
  notLinkedText: { 'en-US': 'Nothing to do. "admin users" lists who is linked.', 'zh-CN': '无需操作。“admin users” 可列出已关联的用户。' },
  unlinked: { 'en-US': 'Unlinked {user}', 'zh-CN': '已解除 {user} 的关联' },
  unlinkedText: {
    'en-US': 'They acted as IAM user {iamUser} ({role}); from now on the bot refuses them until an admin links them again.',
    'zh-CN': '对方之前以 IAM 用户 {iamUser}（{role}）操作；此后机器人将拒绝其请求，直到管理员重新关联。',
  },
  usersTitle: { 'en-US': 'Linked chat users ({count})', 'zh-CN': '已关联的聊天用户（{count}）' },
  usersNone: { 'en-US': 'Nobody is linked yet.', 'zh-CN': '还没有任何已关联的用户。' },
  colPlatform: { 'en-US': 'PLATFORM', 'zh-CN': '平台' },
  colWorkspace: { 'en-US': 'WORKSPACE', 'zh-CN': '工作区' },
  colUser: { 'en-US': 'USER', 'zh-CN': '用户' },
  colIamUser: { 'en-US': 'IAM USER', 'zh-CN': 'IAM 用户' },
  colRole: { 'en-US': 'ROLE', 'zh-CN': '角色' },
  colSource: { 'en-US': 'SOURCE', 'zh-CN': '来源' },
  you: { 'en-US': '{user} (you)', 'zh-CN': '{user}（您）' },
  usersFooter: {
    'en-US': '"config" rows come from the configuration file (edit it to change them); "admin" rows were added from chat (admin link / admin unlink).',
    'zh-CN': '“配置文件”行来自配置文件（需编辑配置文件修改）；“管理员添加”行由聊天添加（admin link / admin unlink）。',
  },
} satisfies Record<string, Text>;

const LINK_USAGE = 'admin link <platform-user-id> <iam-user> <viewer|operator|approver|admin> [--locale en-US|zh-CN] [--iam-user-id id]';
const UNLINK_USAGE = 'admin unlink <platform-user-id>';

function role(t: Translate, raw: string): Role | Message {
  const match = ROLES.find((candidate) => candidate === raw.toLowerCase());
  if (match) return match;
  const hint = suggest(raw, ROLES);
  return refusal(t(TEXT.badRole, { role: shown(raw) }), t(TEXT.badRoleText, { hint: hint ? t(TEXT.didYouMean, { value: hint }) : '' }));
}

function locale(t: Translate, args: ParsedArgs): Locale | undefined | Message {
  const raw = flagValue(args, 'locale');
  if (raw === undefined) return undefined;
  const match = LOCALES.find((candidate) => candidate.toLowerCase() === raw.toLowerCase().replace('_', '-'));
  return match ?? refusal(t(TEXT.badLocale, { locale: shown(raw) }), t(TEXT.badLocaleText));
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null;
}

/** The chat user an admin names, in the admin's own platform and workspace; or a refusal. */
function chatUser(context: CommandContext, raw: string): { key: Pick<Actor, 'platform' | 'workspaceId' | 'userId'> } | { refused: Message } {
  const { t, actor } = context;
  const parsed = parsePlatformUserId(actor.platform, raw);
  if (!parsed.ok) {
    return {
      refused: refusal(
        t(TEXT.badUserId, { id: shown(raw), platform: t(PLATFORM_NAME[actor.platform]) }),
        t(TEXT.badUserIdText, { hint: t(parsed.hint) }),
      ),
    };
  }
  return { key: { platform: actor.platform, workspaceId: actor.workspaceId, userId: parsed.id } };
}

function chatUserField(context: CommandContext, userId: string) {
  const { t, actor } = context;
  return {
    label: t(TEXT.chatUser),
    value: t(TEXT.chatUserValue, { user: userId, platform: t(PLATFORM_NAME[actor.platform]), workspace: actor.workspaceId }),
  };
}

export const adminLinkCommand: CommandDefinition = {
  family: 'admin',
  words: ['admin', 'link'],
  permission: 'admin',
  mutates: false,
  summary: 'Link a chat user (in this workspace) to an IAM user with a role, or change their link',
  usage: LINK_USAGE,
  examples: ['admin link U0123ABCD jdoe operator', 'admin link @jdoe jdoe viewer --locale zh-CN'],
  flags: [
    { name: 'locale', takesValue: true, description: 'language of their replies: en-US or zh-CN (default: the bot\'s)' },
    { name: 'iam-user-id', takesValue: true, description: 'the IAM user id, when known' },
  ],
  async run(context, args) {
    const { t, services, actor } = context;
    const [rawUser, iamUser, rawRole] = args.positionals;
    if (args.positionals.length !== 3 || rawUser === undefined || iamUser === undefined || rawRole === undefined) {
      return refusal(t(TEXT.usageTitle, { sub: 'link', count: '3' }), t(TEXT.linkArgs, { usage: LINK_USAGE }));
    }
    const named = chatUser(context, rawUser);
    if ('refused' in named) return named.refused;
    const { key } = named;
    context.audit.target = key.userId;
    if (!IAM_USER_PATTERN.test(iamUser) || iamUser.endsWith(' ')) return refusal(t(TEXT.badIamUser, { name: shown(iamUser) }), t(TEXT.badIamUserText));
    const newRole = role(t, rawRole);
    if (isMessage(newRole)) return newRole;
    const newLocale = locale(t, args);
    if (isMessage(newLocale)) return newLocale;
    const iamUserIdFlag = flagValue(args, 'iam-user-id');
    if (iamUserIdFlag !== undefined && !IAM_USER_ID_PATTERN.test(iamUserIdFlag)) {
      return refusal(t(TEXT.badIamUserId, { id: shown(iamUserIdFlag) }), t(TEXT.badIamUserIdText));
    }

    const existing = await services.identities.resolve(key);
    if (existing?.source === 'config') return refusal(t(TEXT.fromConfig, { user: key.userId }), t(TEXT.fromConfigText));
    if (key.userId === actor.userId && newRole !== 'admin') return refusal(t(TEXT.selfDemote), t(TEXT.selfDemoteText));

    // A re-link keeps what it does not change: the language, and the IAM id of the same IAM user.
    const iamUserId = iamUserIdFlag ?? (existing && existing.iamUserName === iamUser ? existing.iamUserId : undefined);
    const linked = await services.identities.link(key, iamUser, newRole, newLocale ?? existing?.ownLocale, iamUserId);
    const vars = { user: key.userId, iamUser: linked.iamUserName, role: newRole };
    return {
      title: existing ? t(TEXT.updated, vars) : t(TEXT.linked, vars),
      tone: 'success',
      fields: [
        chatUserField(context, key.userId),
        { label: t(TEXT.iamUser), value: linked.iamUserId ? `${linked.iamUserName} (${linked.iamUserId})` : linked.iamUserName },
        { label: t(TEXT.role), value: roleLine(t, linked.role) },
        { label: t(TEXT.locale), value: linked.locale },
        ...(existing ? [{ label: t(TEXT.before), value: t(TEXT.beforeValue, { iamUser: existing.iamUserName, role: existing.role }) }] : []),
      ],
      footer: t(TEXT.linkFooter, { user: key.userId }),
    };
  },
};

export const adminUnlinkCommand: CommandDefinition = {
  family: 'admin',
  words: ['admin', 'unlink'],
  permission: 'admin',
  mutates: false,
  summary: 'Unlink a chat user (in this workspace): the bot refuses them from then on',
  usage: UNLINK_USAGE,
  examples: ['admin unlink U0123ABCD'],
  flags: [],
  async run(context, args) {
    const { t, services, actor } = context;
    const [rawUser] = args.positionals;
    if (args.positionals.length !== 1 || rawUser === undefined) {
      return refusal(t(TEXT.usageTitle, { sub: 'unlink', count: '1' }), t(TEXT.unlinkArgs, { usage: UNLINK_USAGE }));
    }
    const named = chatUser(context, rawUser);
    if ('refused' in named) return named.refused;
    const { key } = named;
    context.audit.target = key.userId;
    if (key.userId === actor.userId) return refusal(t(TEXT.selfUnlink), t(TEXT.selfUnlinkText));
    const existing = await services.identities.resolve(key);
    if (!existing) return { title: t(TEXT.notLinked, { user: key.userId }), text: t(TEXT.notLinkedText), tone: 'warning', private: true };
    if (existing.source === 'config') return refusal(t(TEXT.fromConfig, { user: key.userId }), t(TEXT.fromConfigText));
    await services.identities.unlink(key);
    return {
      title: t(TEXT.unlinked, { user: key.userId }),
      text: t(TEXT.unlinkedText, { iamUser: existing.iamUserName, role: existing.role }),
      tone: 'success',
      fields: [chatUserField(context, key.userId)],
    };
  },
};

export const adminUsersCommand: CommandDefinition = {
  family: 'admin',
  words: ['admin', 'users'],
  answersPrivately: true,
  permission: 'admin',
  mutates: false,
  summary: 'List every linked chat user: platform, workspace, user id, IAM user, role, and where the link comes from',
  usage: 'admin users',
  examples: ['admin users'],
  flags: [],
  async run(context, args) {
    const { t, services, actor } = context;
    noPositionals(args, 'admin users');
    const rows = await services.identities.list();
    return {
      title: t(TEXT.usersTitle, { count: rows.length }),
      ...(rows.length === 0 ? { text: t(TEXT.usersNone) } : {}),
      table: {
        columns: [TEXT.colPlatform, TEXT.colWorkspace, TEXT.colUser, TEXT.colIamUser, TEXT.colRole, TEXT.colSource].map((text) => t(text)),
        rows: rows.map((row) => {
          const self = row.platform === actor.platform && row.workspaceId === actor.workspaceId && row.platformUserId === actor.userId;
          return [
            row.platform,
            row.workspaceId,
            self ? t(TEXT.you, { user: row.platformUserId }) : row.platformUserId,
            row.iamUserName,
            t(ROLE_NAME[row.role]),
            t(SOURCE_TEXT[row.source]),
          ];
        }),
      },
      footer: t(TEXT.usersFooter),
      private: true,
    };
  },
};

export const ADMIN_COMMANDS: readonly CommandDefinition[] = [adminLinkCommand, adminUnlinkCommand, adminUsersCommand];
