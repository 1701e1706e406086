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
import { arg, choicesOf, defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import type { Actor } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { ROLES, type Locale, type Role } from '../src/store/vocabulary.js';
import {
  IAM_USER_ID_PATTERN,
  IAM_USER_PATTERN,
  PLATFORM_NAME,
  parsePlatformUserId,
  roleLine,
  ROLE_NAME,
  SOURCE_TEXT,
} from './identity-common.js';
import { refusalReply } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';

const TEXT = {
  badUserId: { 'en-US': '"{id}" is not a {platform} user id', 'zh-CN': '“{id}”不是有效的 {platform} 用户 ID' },
  badUserIdText: {
    'en-US': 'Link people by their immutable id, never a display name (anyone could take a name). {hint}.',
    'zh-CN': '请使用不可变的用户 ID 关联，而不是显示名称（任何人都可以使用同一名称）。{hint}。',
  },
  badIamUser: { 'en-US': '"{name}" is not {anIdentity} name', 'zh-CN': '“{name}”不是有效的{identity}名' },
  badIamUserText: {
    'en-US': '{identity} names are 1-64 letters, digits, spaces, dashes, underscores or dots, and do not start with a digit or a space.',
    'zh-CN': '{identity}名为 1-64 个字母、数字、空格、连字符、下划线或点，且不能以数字或空格开头。',
  },
  iamUserIdWhat: { 'en-US': '{anIdentity} id (1-64 letters, digits, - or _)', 'zh-CN': '{identity} ID（1-64 个字母、数字、- 或 _）' },
  chatUserArg: { 'en-US': 'chat user id', 'zh-CN': '聊天用户 ID' },
  iamUserArg: { 'en-US': '{identity} name', 'zh-CN': '{identity}名' },
  roleArg: { 'en-US': 'role', 'zh-CN': '角色' },
  localeFlag: { 'en-US': "Language of their replies (default: the bot's)", 'zh-CN': '其回复语言（默认：机器人的语言）' },
  iamUserIdFlag: { 'en-US': '{identity} id, when known', 'zh-CN': '{identity} id（如已知）' },
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
  linked: { 'en-US': 'Linked {user} to {identity} {iamUser} as {role}', 'zh-CN': '已将 {user} 关联到{identity} {iamUser}，角色为 {role}' },
  updated: { 'en-US': 'Updated {user}: {identity} {iamUser}, role {role}', 'zh-CN': '已更新 {user}：{identity} {iamUser}，角色 {role}' },
  chatUser: { 'en-US': 'Chat user', 'zh-CN': '聊天用户' },
  chatUserValue: { 'en-US': '{user} ({platform}, workspace {workspace})', 'zh-CN': '{user}（{platform}，工作区 {workspace}）' },
  iamUser: { 'en-US': '{identity}', 'zh-CN': '{identity}' },
  role: { 'en-US': 'Role', 'zh-CN': '角色' },
  locale: { 'en-US': 'Language', 'zh-CN': '语言' },
  before: { 'en-US': 'Before', 'zh-CN': '之前' },
  beforeValue: { 'en-US': '{iamUser} as {role}', 'zh-CN': '{iamUser}，角色 {role}' },
  linkFooter: { 'en-US': 'They can use the bot now; "admin unlink {user}" takes it back.', 'zh-CN': '对方现在即可使用机器人；“admin unlink {user}” 可撤销。' },
  unknownPlatformUser: { 'en-US': '{platform} has no user {iamUser}', 'zh-CN': '{platform} 中没有用户 {iamUser}' },
  unknownPlatformUserText: {
    'en-US': 'Nothing was changed. Check the spelling of the {platform} user name (its login name), or have the user created in {platform} first.',
    'zh-CN': '未做任何更改。请检查 {platform} 用户名（登录名）的拼写，或先在 {platform} 中创建该用户。',
  },
  notLinked: { 'en-US': '{user} was not linked', 'zh-CN': '{user} 原本就未关联' },
  notLinkedText: { 'en-US': 'Nothing to do. "admin users" lists who is linked.', 'zh-CN': '无需操作。“admin users” 可列出已关联的用户。' },
  unlinked: { 'en-US': 'Unlinked {user}', 'zh-CN': '已解除 {user} 的关联' },
  unlinkedText: {
    'en-US': 'They acted as {identity} {iamUser} ({role}); from now on the bot refuses them until an admin links them again.',
    'zh-CN': '对方之前以{identity} {iamUser}（{role}）操作；此后机器人将拒绝其请求，直到管理员重新关联。',
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

/** The languages a person's replies may be in, typed as they are written (`en-US`). */
const LOCALE_CHOICES = [
  { value: 'en-US', typed: 'en-US' },
  { value: 'zh-CN', typed: 'zh-CN' },
] as const;

/** A name or id as typed: long enough that the handler's own check, which says what one looks like, refuses first. */
const REF_MAX = 1000;

/** The chat user an admin names, as typed: a platform id or a mention of it. */
const chatUserArg = arg.string({ required: true, max: REF_MAX, description: TEXT.chatUserArg });

/** The chat user an admin names, in the admin's own platform and workspace; or a refusal. */
function chatUser(context: CommandContext, raw: string): { key: Pick<Actor, 'platform' | 'workspaceId' | 'userId'> } | { refused: Message } {
  const { t, actor } = context;
  const parsed = parsePlatformUserId(actor.platform, raw);
  if (!parsed.ok) {
    return {
      refused: refusalReply(
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

export const adminLinkCommand = defineCommand({
  family: 'admin',
  words: ['admin', 'link'],
  refusesPrivately: true,
  discord: {
    group: 'admin',
    name: 'link',
    localName: { 'en-US': 'link', 'zh-CN': '关联' },
    description: { 'en-US': 'Link a chat user to {anIdentity} and role', 'zh-CN': '将聊天用户关联到 {identity}和角色' },
  },
  permission: 'admin',
  mutates: false,
  summary: {
    'en-US': 'Link a chat user (in this workspace) to {anIdentity} with a role, or change their link',
    'zh-CN': '将（本工作区的）聊天用户关联到 {identity} 并分配角色，或修改其关联',
  },
  examples: ['admin link U0123ABCD jdoe operator', 'admin link U0456EFGH jdoe viewer --locale zh-CN'],
  // BlueKing's users are its login names: the examples name ones a BlueKing has.
  examplesOn: { blueking: ['admin link U0123ABCD carol operator', 'admin link U0456EFGH bob viewer --locale zh-CN'] },
  positionals: {
    'platform-user-id': chatUserArg,
    'iam-user': arg.string({ required: true, max: REF_MAX, description: TEXT.iamUserArg }),
    role: arg.enum({ required: true, choices: choicesOf(ROLES), description: TEXT.roleArg }),
  },
  flags: {
    locale: arg.enum({ choices: LOCALE_CHOICES, description: TEXT.localeFlag }),
    'iam-user-id': arg.id({ what: TEXT.iamUserIdWhat, example: '0a1b2c3d4e5f', pattern: IAM_USER_ID_PATTERN, description: TEXT.iamUserIdFlag }),
  },
  async run(context, args) {
    const { t, services, actor } = context;
    const rawUser = args['platform-user-id'];
    const iamUser = args['iam-user'];
    // One of ROLES: the enum's values are the roles themselves.
    const newRole = args.role as Role;
    const newLocale = args.locale as Locale | undefined;
    const iamUserIdFlag = args['iam-user-id'];
    const named = chatUser(context, rawUser);
    if ('refused' in named) return named.refused;
    const { key } = named;
    context.audit.target = key.userId;
    if (!IAM_USER_PATTERN.test(iamUser)) return refusalReply(t(TEXT.badIamUser, { name: shown(iamUser) }), t(TEXT.badIamUserText));

    const existing = await services.identities.resolve(key);
    if (existing?.source === 'config') return refusalReply(t(TEXT.fromConfig, { user: key.userId }), t(TEXT.fromConfigText));
    if (key.userId === actor.userId && newRole !== 'admin') return refusalReply(t(TEXT.selfDemote), t(TEXT.selfDemoteText));

    // Where the platform can tell, a link to a user it does not know is refused: that person could do nothing.
    const known = await context.backend.identity?.userExists(iamUser);
    if (known === false) return refusalReply(t(TEXT.unknownPlatformUser, { iamUser: shown(iamUser) }), t(TEXT.unknownPlatformUserText));

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
});

export const adminUnlinkCommand = defineCommand({
  family: 'admin',
  words: ['admin', 'unlink'],
  refusesPrivately: true,
  discord: {
    group: 'admin',
    name: 'unlink',
    localName: { 'en-US': 'unlink', 'zh-CN': '解除关联' },
    description: { 'en-US': 'Unlink a chat user', 'zh-CN': '解除聊天用户的关联' },
  },
  permission: 'admin',
  mutates: false,
  summary: { 'en-US': 'Unlink a chat user (in this workspace): the bot refuses them from then on', 'zh-CN': '解除（本工作区的）聊天用户的关联：此后机器人将拒绝其请求' },
  examples: ['admin unlink U0123ABCD'],
  positionals: { 'platform-user-id': chatUserArg },
  flags: {},
  async run(context, args) {
    const { t, services, actor } = context;
    const rawUser = args['platform-user-id'];
    const named = chatUser(context, rawUser);
    if ('refused' in named) return named.refused;
    const { key } = named;
    context.audit.target = key.userId;
    if (key.userId === actor.userId) return refusalReply(t(TEXT.selfUnlink), t(TEXT.selfUnlinkText));
    const existing = await services.identities.resolve(key);
    if (!existing) return { title: t(TEXT.notLinked, { user: key.userId }), text: t(TEXT.notLinkedText), tone: 'warning', private: true };
    if (existing.source === 'config') return refusalReply(t(TEXT.fromConfig, { user: key.userId }), t(TEXT.fromConfigText));
    await services.identities.unlink(key);
    return {
      title: t(TEXT.unlinked, { user: key.userId }),
      text: t(TEXT.unlinkedText, { iamUser: existing.iamUserName, role: existing.role }),
      tone: 'success',
      fields: [chatUserField(context, key.userId)],
    };
  },
});

export const adminUsersCommand = defineCommand({
  family: 'admin',
  words: ['admin', 'users'],
  discord: {
    group: 'admin',
    name: 'users',
    localName: { 'en-US': 'users', 'zh-CN': '用户列表' },
    description: { 'en-US': 'Every linked chat user', 'zh-CN': '所有已关联的聊天用户' },
  },
  answersPrivately: true,
  permission: 'admin',
  mutates: false,
  summary: {
    'en-US': 'List every linked chat user: platform, workspace, user id, {identity}, role, and where the link comes from',
    'zh-CN': '列出所有已关联的聊天用户：平台、工作区、用户 ID、{identity}、角色及关联来源',
  },
  examples: ['admin users'],
  positionals: {},
  flags: {},
  async run(context) {
    const { t, services, actor } = context;
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
});

export const ADMIN_COMMANDS = [adminLinkCommand, adminUnlinkCommand, adminUsersCommand] as const;
