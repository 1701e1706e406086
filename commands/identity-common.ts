/**
 * What `whoami`, `admin` and `audit` share: the catalogue of role, outcome and platform texts
 * in both languages, and the platform id formats an admin may link.
 */
import type { Text, Translate } from '../src/i18n/translate.js';
import type { ChatPlatform, Role } from '../src/store/vocabulary.js';

export const ROLE_TEXT: Readonly<Record<Role, Text>> = {
  viewer: {
    'en-US': 'read only: list scripts, hosts, orders, incidents, alarms and patch compliance',
    'zh-CN': '只读：查看脚本、主机、工单、事件、告警和补丁合规',
  },
  operator: {
    'en-US': 'everything a viewer can, plus run scripts (HIGH risk ones after a second person approves), pause, continue or cancel orders, work incidents, and read your own audit entries',
    'zh-CN': '查看者的全部权限，另可执行脚本（高危脚本需他人审批）、暂停/继续/取消工单、处理事件、查看自己的审计记录',
  },
  approver: {
    'en-US': "everything an operator can, plus approve or reject other people's requests (never your own) and read the whole audit trail",
    'zh-CN': '操作员的全部权限，另可审批他人的请求（不能审批自己的）、查看全部审计记录',
  },
  admin: {
    'en-US': 'everything, including linking chat users to IAM users and giving them roles (admin link / unlink / users)',
    'zh-CN': '全部权限，包括将聊天用户关联到 IAM 用户并分配角色（admin link / unlink / users）',
  },
};

export const ROLE_NAME: Readonly<Record<Role, Text>> = {
  viewer: { 'en-US': 'viewer', 'zh-CN': 'viewer（查看者）' },
  operator: { 'en-US': 'operator', 'zh-CN': 'operator（操作员）' },
  approver: { 'en-US': 'approver', 'zh-CN': 'approver（审批人）' },
  admin: { 'en-US': 'admin', 'zh-CN': 'admin（管理员）' },
};

export const SOURCE_TEXT: Readonly<Record<'config' | 'admin', Text>> = {
  config: { 'en-US': 'config', 'zh-CN': '配置文件' },
  admin: { 'en-US': 'admin', 'zh-CN': '管理员添加' },
};

export const PLATFORM_NAME: Readonly<Record<ChatPlatform | 'system', Text>> = {
  slack: { 'en-US': 'Slack', 'zh-CN': 'Slack' },
  discord: { 'en-US': 'Discord', 'zh-CN': 'Discord' },
  shell: { 'en-US': 'terminal', 'zh-CN': '终端' },
  system: { 'en-US': 'the bot', 'zh-CN': '机器人' },
};

/**
 * Chat users are linked by the platform's immutable id, never a display name (which anyone
 * could take). The formats match the configuration's checks (src/config/sections/identity.ts).
 */
const USER_ID_FORMATS: Readonly<Record<ChatPlatform, { pattern: RegExp; hint: Text }>> = {
  slack: {
    pattern: /^[UW][A-Z0-9]{2,}$/,
    hint: {
      'en-US': 'Slack member ids look like U0123ABCD or W0123ABCD (profile > ⋮ > Copy member ID), or mention the person: @name',
      'zh-CN': 'Slack 成员 ID 形如 U0123ABCD 或 W0123ABCD（个人资料 > ⋮ > 复制成员 ID），也可以直接 @提及此人',
    },
  },
  discord: {
    pattern: /^\d{17,20}$/,
    hint: {
      'en-US': 'Discord user ids are 17-20 digits (Developer Mode, then right-click > Copy User ID), or mention the person: @name',
      'zh-CN': 'Discord 用户 ID 为 17-20 位数字（开启开发者模式后右键 > 复制用户 ID），也可以直接 @提及此人',
    },
  },
  shell: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    hint: {
      'en-US': 'terminal user names are 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
      'zh-CN': '终端用户名为 1-64 个字母、数字、点、连字符或下划线，以字母或数字开头',
    },
  },
};

/** Accepts the bare id or a chat mention of it (`<@U0123>`, `<@!123…>`, `<@U0123|name>`). */
export function parsePlatformUserId(platform: ChatPlatform, raw: string): { ok: true; id: string } | { ok: false; hint: Text } {
  const mention = platform === 'shell' ? null : /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  const id = mention?.[1] ?? raw;
  const format = USER_ID_FORMATS[platform];
  return format.pattern.test(id) ? { ok: true, id } : { ok: false, hint: format.hint };
}

/**
 * IAM user names: 1-64 letters, digits, spaces, dashes, underscores or dots, not starting
 * with a digit or a space (IAM's own rule), so a typo is caught here rather than acting as nobody.
 */
export const IAM_USER_PATTERN = /^[A-Za-z_.-][A-Za-z0-9 _.-]{0,63}$/;
export const IAM_USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function roleLine(t: Translate, role: Role): string {
  return `${t(ROLE_NAME[role])}: ${t(ROLE_TEXT[role])}`;
}
