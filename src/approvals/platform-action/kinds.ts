/** The kinds of approved platform action, by the name their plans carry. */
import type { PlatformActionKind, PlatformActionRow } from '../../store/platform-actions.js';
import { ALARM_RUN_ACTION } from './alarm-run.js';
import type { PlatformActionKindDefinition } from './kind.js';
import { RUNBOOK_EXECUTE_ACTION } from './runbook-execute.js';

const KINDS: { readonly [K in PlatformActionKind]: PlatformActionKindDefinition<K> } = {
  'alarm-run': ALARM_RUN_ACTION,
  'runbook-execute': RUNBOOK_EXECUTE_ACTION,
};

export function kindOf(action: PlatformActionRow): PlatformActionKindDefinition {
  return KINDS[action.kind] as unknown as PlatformActionKindDefinition;
}
