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
