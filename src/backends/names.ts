/**
 * Each platform's name in texts shared by every backend (`{platform}`): an error, a plan or a run
 * id says which backend it belongs to, so a BlueKing deployment never reads "COC" in a reply.
 */
import type { Text } from '../i18n/translate.js';
import type { BackendName } from './ids.js';

export const PLATFORM_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'COC', 'zh-CN': 'COC' },
  blueking: { 'en-US': 'BlueKing', 'zh-CN': '蓝鲸' },
};

export function platformName(backend: BackendName): Text {
  return PLATFORM_NAMES[backend];
}

/** The agent on each platform's hosts that runs scripts (`{agent}` in texts about hosts): a product name, alike in every language. */
export const AGENT_NAMES: Readonly<Record<BackendName, string>> = {
  coc: 'UniAgent',
  blueking: 'GSE Agent',
};

/** What each platform calls a script's id, as a column or a field names it: COC's uuid, BlueKing's id. */
export const SCRIPT_ID_WORDS: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'UUID', 'zh-CN': 'UUID' },
  blueking: { 'en-US': 'ID', 'zh-CN': 'ID' },
};

/** What each platform calls the account a person acts as (`{identity}` in texts): COC's IAM user, BlueKing's own user. */
export const IDENTITY_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'IAM user', 'zh-CN': 'IAM 用户' },
  blueking: { 'en-US': 'BlueKing user', 'zh-CN': '蓝鲸用户' },
};

/** The same with its article, as English needs it (`{anIdentity}`): "an IAM user", "a BlueKing user". */
export const AN_IDENTITY_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'an IAM user', 'zh-CN': 'IAM 用户' },
  blueking: { 'en-US': 'a BlueKing user', 'zh-CN': '蓝鲸用户' },
};

/** What an order's id is on each platform (`{orderId}`): COC's execute uuid, the uuid of the bot's own run plan on BlueKing. */
export const ORDER_ID_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'execute uuid', 'zh-CN': '执行 uuid' },
  blueking: { 'en-US': 'run plan uuid', 'zh-CN': '执行计划 uuid' },
};

/** Where a host sits, as each platform places it (`{hostPlaces}`): COC's region and tags, BlueKing's CMDB business, set and module. */
export const HOST_PLACE_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'region and tags', 'zh-CN': '区域和标签' },
  blueking: { 'en-US': 'business, set and module', 'zh-CN': '业务、集群和模块' },
};

/** Each platform's full name where it is introduced (`{platformFull}`: Discord's description of `/coc`). */
export const PLATFORM_FULL_NAMES: Readonly<Record<BackendName, Text>> = {
  coc: { 'en-US': 'Huawei Cloud COC', 'zh-CN': 'Huawei Cloud COC' },
  blueking: { 'en-US': 'Tencent BlueKing', 'zh-CN': '腾讯蓝鲸' },
};

export type BackendNoun = 'platform' | 'platformFull' | 'agent' | 'identity' | 'anIdentity' | 'orderId' | 'hostPlaces';

/**
 * The platform's own nouns that texts shared by every backend leave as placeholders — `{platform}`,
 * `{platformFull}`, `{agent}`, `{identity}`, `{anIdentity}`, `{orderId}`, `{hostPlaces}` — in one language; a text's own vars of the same name win.
 */
export function backendNouns(backend: BackendName, locale: keyof Text): Readonly<Record<BackendNoun, string>> {
  return {
    platform: PLATFORM_NAMES[backend][locale],
    platformFull: PLATFORM_FULL_NAMES[backend][locale],
    agent: AGENT_NAMES[backend],
    identity: IDENTITY_NAMES[backend][locale],
    anIdentity: AN_IDENTITY_NAMES[backend][locale],
    orderId: ORDER_ID_NAMES[backend][locale],
    hostPlaces: HOST_PLACE_NAMES[backend][locale],
  };
}

/** The platform's own nouns in every language, as a registry words its commands with them. */
export function nounsOf(backend: BackendName): Readonly<Record<keyof Text, Readonly<Record<BackendNoun, string>>>> {
  return { 'en-US': backendNouns(backend, 'en-US'), 'zh-CN': backendNouns(backend, 'zh-CN') };
}
