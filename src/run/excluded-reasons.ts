/**
 * Why a matched host was left out of a run, in the reader's words: the platform's own agent code
 * (COC: OFFLINE, UNINSTALLED…), or why there is none — the listing reports agent states and gave
 * this host none (no agent), it gave none at all and COC's ONLINE filter does not list the host
 * (unknown: never claimed as "no agent"), or it gave none and that filter did not show that it
 * filters (unknown too, said apart), or the host has no resource id to target.
 */
import { label, type Vocabulary } from '../backends/index.js';
import type { Locale, Text, Translate } from '../i18n/translate.js';
import { EXCLUDED_AGENT_FILTER_UNTRUSTED, EXCLUDED_AGENT_UNKNOWN, EXCLUDED_NO_AGENT, EXCLUDED_NO_RESOURCE_ID } from './hosts.js';

export const EXCLUDED_TEXT = {
  noAgent: { 'en-US': 'no agent', 'zh-CN': '无 Agent' },
  agentUnknown: {
    'en-US': 'agent state unknown (COC gave none, and does not list it as ONLINE)',
    'zh-CN': 'Agent 状态未知（COC 未给出状态，也未将其列为 ONLINE）',
  },
  agentFilterUntrusted: {
    'en-US': 'agent state unknown (COC gave none, and its agent_state filter did not filter)',
    'zh-CN': 'Agent 状态未知（COC 未给出状态，且其 agent_state 筛选未生效）',
  },
  noResourceId: { 'en-US': 'no resource id in COC', 'zh-CN': 'COC 中无资源 ID' },
} satisfies Record<string, Text>;

export function excludedReason(reason: string, t: Translate, vocabulary: Vocabulary, locale: Locale): string {
  if (reason === EXCLUDED_NO_AGENT) return t(EXCLUDED_TEXT.noAgent);
  if (reason === EXCLUDED_AGENT_UNKNOWN) return t(EXCLUDED_TEXT.agentUnknown);
  if (reason === EXCLUDED_AGENT_FILTER_UNTRUSTED) return t(EXCLUDED_TEXT.agentFilterUntrusted);
  if (reason === EXCLUDED_NO_RESOURCE_ID) return t(EXCLUDED_TEXT.noResourceId);
  return label(vocabulary, 'agentState', reason, locale);
}
