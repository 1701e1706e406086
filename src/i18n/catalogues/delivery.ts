/**
 * Why a post the bot made on its own did not arrive, per platform and reason, in words an
 * operator can act on: where it could not be posted and what to do about it.
 */
import type { Text } from '../translate.js';

export const DELIVERY_TEXTS = {
  slack: {
    'not-in-channel': {
      'en-US': 'the bot is not in {where}: invite it with /invite @coc, or run from a channel it is in',
      'zh-CN': '机器人不在 {where} 中：请用 /invite @coc 邀请它，或在它所在的频道中执行',
    },
    'channel-not-found': {
      'en-US': '{where} does not exist or is a private channel the bot was not invited to: invite it with /invite @coc, or run from a channel it is in',
      'zh-CN': '{where} 不存在，或是未邀请机器人的私有频道：请用 /invite @coc 邀请它，或在它所在的频道中执行',
    },
    'no-permission': {
      'en-US': 'the bot may not post in {where} (a channel or workspace setting, or a permission the app lacks): ask a Slack admin, or run from another channel',
      'zh-CN': '机器人无权在 {where} 中发消息（频道或工作区设置，或应用缺少权限）：请联系 Slack 管理员，或在其他频道中执行',
    },
    archived: { 'en-US': '{where} is archived: unarchive it, or run from another channel', 'zh-CN': '{where} 已归档：请取消归档，或在其他频道中执行' },
    'rate-limited': { 'en-US': 'Slack kept asking the bot to slow down in {where}', 'zh-CN': 'Slack 在 {where} 中持续要求机器人降低发送频率' },
    'too-large': { 'en-US': 'the message is larger than Slack allows in {where}', 'zh-CN': '消息超出 Slack 在 {where} 中允许的大小' },
    unavailable: { 'en-US': 'Slack could not be reached, or failed, while posting in {where}', 'zh-CN': '在 {where} 中发消息时无法连接 Slack 或 Slack 出错' },
    other: { 'en-US': 'Slack refused the post in {where} ({detail})', 'zh-CN': 'Slack 拒绝了在 {where} 中的发送（{detail}）' },
  },
  discord: {
    'not-in-channel': {
      'en-US': 'the bot cannot see {where}: give its role View Channel and Send Messages there, or run from a channel it can see',
      'zh-CN': '机器人看不到 {where}：请在该频道为它的角色授予“查看频道”和“发送消息”权限，或在它能看到的频道中执行',
    },
    'channel-not-found': {
      'en-US': '{where} no longer exists (or is in a server the bot is not in): run from another channel',
      'zh-CN': '{where} 已不存在（或位于机器人未加入的服务器）：请在其他频道中执行',
    },
    'no-permission': {
      'en-US': 'the bot may not post in {where}: give its role Send Messages (and Embed Links) there, or run from another channel',
      'zh-CN': '机器人无权在 {where} 中发消息：请在该频道为它的角色授予“发送消息”（及“嵌入链接”）权限，或在其他频道中执行',
    },
    archived: { 'en-US': '{where} is a locked or archived thread: reopen it, or run from another channel', 'zh-CN': '{where} 是已锁定或已归档的子区：请重新打开，或在其他频道中执行' },
    'rate-limited': { 'en-US': 'Discord kept asking the bot to slow down in {where}', 'zh-CN': 'Discord 在 {where} 中持续要求机器人降低发送频率' },
    'too-large': { 'en-US': 'the message is larger than Discord allows in {where}', 'zh-CN': '消息超出 Discord 在 {where} 中允许的大小' },
    unavailable: { 'en-US': 'Discord could not be reached, or failed, while posting in {where}', 'zh-CN': '在 {where} 中发消息时无法连接 Discord 或 Discord 出错' },
    other: { 'en-US': 'Discord refused the post in {where} ({detail})', 'zh-CN': 'Discord 拒绝了在 {where} 中的发送（{detail}）' },
  },
  other: {
    'en-US': 'the post in {where} could not be delivered ({detail})',
    'zh-CN': '在 {where} 中的消息无法送达（{detail}）',
  },
  directMessages: { 'en-US': 'direct messages', 'zh-CN': '私信' },
} as const;

export type DeliveryTexts = typeof DELIVERY_TEXTS;
export type { Text };
