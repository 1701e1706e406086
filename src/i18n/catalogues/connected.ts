/** Where the bot's calls go and what the built-in simulator remembers, as the first screen says it. */
import type { Text } from '../translate.js';

export const CONNECTED_TEXTS = {
  cocSimulator: { 'en-US': 'the built-in COC simulator at {url} (seed {seed})', 'zh-CN': '内置 COC 模拟器 {url}（种子 {seed}）' },
  coc: { 'en-US': 'COC at {endpoint} ({auth})', 'zh-CN': 'COC {endpoint}（{auth}）' },
  akskSigning: { 'en-US': 'AK/SK signing', 'zh-CN': 'AK/SK 签名' },
  iamToken: { 'en-US': 'IAM token of {user}', 'zh-CN': '{user} 的 IAM 令牌' },
  bluekingSimulator: { 'en-US': 'the built-in BlueKing simulator at {url} (seed {seed}, business {biz})', 'zh-CN': '内置蓝鲸模拟器 {url}（种子 {seed}，业务 {biz}）' },
  blueking: { 'en-US': 'BlueKing at {endpoint} (app {app}, bot acts as {user}, business {biz})', 'zh-CN': '蓝鲸 {endpoint}（应用 {app}，机器人以 {user} 身份操作，业务 {biz}）' },
  worldRestored: { 'en-US': 'Simulator: world restored from {where}, {orders:order|orders}.', 'zh-CN': '模拟器：已从 {where} 恢复数据，共 {orders} 个工单。' },
  worldFreshKept: { 'en-US': 'Simulator: a fresh world, kept in {where}.', 'zh-CN': '模拟器：全新数据，保存在 {where}。' },
  worldFreshAside: {
    'en-US': 'Simulator: a fresh world ({reason}); that file was kept as {aside}, and the fresh world is kept in {where}.',
    'zh-CN': '模拟器：全新数据（{reason}）；原文件已另存为 {aside}，全新数据保存在 {where}。',
  },
  worldFresh: { 'en-US': 'Simulator: a fresh world ({reason}).', 'zh-CN': '模拟器：全新数据（{reason}）。' },
} satisfies Record<string, Text>;
