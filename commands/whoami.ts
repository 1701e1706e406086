/**
 * `whoami`: who the bot thinks you are — your chat ids, the IAM user you act as, your role and
 * what it allows, your language, whose COC credentials your calls use, and what this channel allows.
 */
import { defineCommand } from '../src/core/arguments/index.js';
import type { CommandContext } from '../src/core/command.js';
import { UserCredentialMissingError } from '../src/identity/user-credentials.js';
import type { Text } from '../src/i18n/translate.js';
import { PLATFORM_NAME, roleLine } from './identity-common.js';

const TEXT = {
  title: { 'en-US': 'You are {iamUser} in {platform}', 'zh-CN': '您在 {platform} 中的身份是 {iamUser}' },
  chatUser: { 'en-US': 'Chat user', 'zh-CN': '聊天用户' },
  chatUserValue: { 'en-US': '{platform} · workspace {workspace} · user {user}', 'zh-CN': '{platform} · 工作区 {workspace} · 用户 {user}' },
  chatUserShell: { 'en-US': '{platform} · user {user}', 'zh-CN': '{platform} · 用户 {user}' },
  iamUser: { 'en-US': '{identity}', 'zh-CN': '{identity}' },
  iamUserWithId: { 'en-US': '{name} (id {id})', 'zh-CN': '{name}（ID {id}）' },
  role: { 'en-US': 'Role', 'zh-CN': '角色' },
  locale: { 'en-US': 'Language', 'zh-CN': '语言' },
  credentials: { 'en-US': '{platform} credentials', 'zh-CN': '{platform} 凭据' },
  platformUser: { 'en-US': '{platform} user', 'zh-CN': '{platform} 用户' },
  actsAsUser: {
    'en-US': 'the bot acts in {platform} as your {platform} user ({iamUser}), so {platform}\'s own rights for that user apply to every call',
    'zh-CN': '机器人在 {platform} 中以您的 {platform} 用户（{iamUser}）身份操作，因此每次调用都按 {platform} 对该用户的权限校验',
  },
  sharedIdentity: {
    'en-US': "the bot's shared service identity; the audit trail records you ({iamUser}) as the person acting",
    'zh-CN': '机器人的共享服务身份；审计记录中以您（{iamUser}）作为操作人',
  },
  ownCredential: {
    'en-US': 'your own credential "{ref}": COC checks your IAM rights on every call ({iamUser})',
    'zh-CN': '您自己的凭据“{ref}”：COC 在每次调用时按您（{iamUser}）的 IAM 权限校验',
  },
  ownCredentialMissing: {
    'en-US': 'your own credential "{ref}" is named in your mapping but not set on the bot, so your COC calls are refused; ask an admin to set {variables}',
    'zh-CN': '您的映射指定了凭据“{ref}”，但机器人上未配置，因此您的 COC 调用会被拒绝；请联系管理员设置 {variables}',
  },
  mapping: { 'en-US': 'Linked by', 'zh-CN': '关联来源' },
  mappingConfig: { 'en-US': 'the configuration file', 'zh-CN': '配置文件' },
  mappingAdmin: { 'en-US': 'an admin, from chat', 'zh-CN': '管理员（在聊天中添加）' },
  channel: { 'en-US': 'This channel', 'zh-CN': '当前频道' },
  channelDirect: { 'en-US': '{channel} (direct message)', 'zh-CN': '{channel}（私信）' },
  families: { 'en-US': 'Allowed here', 'zh-CN': '此处允许' },
  noFamilies: { 'en-US': 'nothing: no command family is allowed in this channel', 'zh-CN': '无：此频道不允许任何命令类别' },
  changesHere: { 'en-US': 'Changes here', 'zh-CN': '在此处变更' },
  changesDmRefused: {
    'en-US': 'not from direct messages: running scripts and changing orders happens in a team channel, where others see it',
    'zh-CN': '私信中不允许：执行脚本和变更工单须在团队频道中进行，以便他人可见',
  },
  changesDmAllowed: { 'en-US': 'allowed in direct messages too (configuration)', 'zh-CN': '私信中也允许（由配置决定）' },
  changesChannel: { 'en-US': 'allowed, within your role and this channel\'s command families', 'zh-CN': '允许，但受角色和本频道允许的命令类别限制' },
  footer: { 'en-US': 'Type "help" for the commands you can use here.', 'zh-CN': '输入 "help" 查看您在此处可用的命令。' },
} satisfies Record<string, Text>;

const LOCALE_NAME: Readonly<Record<string, string>> = { 'en-US': 'English (en-US)', 'zh-CN': '简体中文 (zh-CN)' };

function credentialLine({ identity, services, t }: CommandContext): string {
  // BlueKing is called as the mapped user name itself: no credential of one's own to name.
  if (services.backend.perUser === 'username') return t(TEXT.actsAsUser, { iamUser: identity.iamUserName });
  const ref = identity.credentialRef;
  if (!ref) return t(TEXT.sharedIdentity, { iamUser: identity.iamUserName });
  try {
    services.backendFor(identity);
    return t(TEXT.ownCredential, { ref, iamUser: identity.iamUserName });
  } catch (error) {
    if (error instanceof UserCredentialMissingError) return t(TEXT.ownCredentialMissing, { ref, variables: error.variables.join(' ') });
    throw error;
  }
}

export const whoamiCommand = defineCommand({
  family: 'whoami',
  words: ['whoami'],
  discord: {
    name: 'whoami',
    localName: { 'en-US': 'whoami', 'zh-CN': '我是谁' },
    description: { 'en-US': 'Your {identity}, role, language and what this channel allows', 'zh-CN': '你的 {identity}、角色、语言及本频道允许的操作' },
  },
  answersPrivately: true,
  permission: 'viewer',
  mutates: false,
  summary: {
    'en-US': 'Who you are to the bot: {identity}, role and what it allows, language, credentials, what this channel allows',
    'zh-CN': '机器人眼中的您：{identity}、角色及其权限、语言、凭据、此频道允许的操作',
  },
  examples: ['whoami'],
  positionals: {},
  flags: {},
  async run(context) {
    const { t, actor, place, identity, services } = context;
    // Only families this deployment has commands of (BlueKing: no incident, warroom or patch); help is the dispatcher's own.
    const offered = new Set<string>(['help', ...context.commands.map((command) => command.family)]);
    const families = services.policy.familiesAllowedIn(actor, place).filter((family) => offered.has(family));
    const platform = t(PLATFORM_NAME[actor.platform]);
    const asUser = services.backend.perUser === 'username';
    const chatUser =
      actor.platform === 'shell'
        ? t(TEXT.chatUserShell, { platform, user: actor.userId })
        : t(TEXT.chatUserValue, { platform, workspace: actor.workspaceId, user: actor.userId });
    const changes = place.isDirect
      ? services.policy.executionInDmsAllowed
        ? t(TEXT.changesDmAllowed)
        : t(TEXT.changesDmRefused)
      : t(TEXT.changesChannel);
    return {
      title: t(TEXT.title, { iamUser: identity.iamUserName }),
      tone: 'info',
      fields: [
        { label: t(TEXT.chatUser), value: chatUser },
        {
          label: asUser ? t(TEXT.platformUser) : t(TEXT.iamUser),
          value: identity.iamUserId ? t(TEXT.iamUserWithId, { name: identity.iamUserName, id: identity.iamUserId }) : identity.iamUserName,
        },
        { label: t(TEXT.role), value: roleLine(t, identity.role) },
        { label: t(TEXT.locale), value: LOCALE_NAME[identity.locale] ?? identity.locale },
        {
          label: t(TEXT.credentials),
          value: credentialLine(context),
        },
        { label: t(TEXT.mapping), value: identity.source === 'config' ? t(TEXT.mappingConfig) : t(TEXT.mappingAdmin) },
        { label: t(TEXT.channel), value: place.isDirect ? t(TEXT.channelDirect, { channel: place.channelId }) : place.channelId },
        { label: t(TEXT.families), value: families.length ? families.join(', ') : t(TEXT.noFamilies) },
        { label: t(TEXT.changesHere), value: changes },
      ],
      footer: t(TEXT.footer),
      private: true,
    };
  },
});
