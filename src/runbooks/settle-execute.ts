/**
 * An execute whose answer was lost, settled by reading the runbook's executions back: none new
 * since the preview = it did not start; a new one with exactly these values = it started (its id);
 * anything else cannot tell. Never by sending again.
 */
import type { RunbookExecutionId, RunbookId, RunbooksCapability } from '../backends/types/runbooks.js';

function sameValues(a: Readonly<Record<string, string>>, b: readonly { readonly name: string; readonly value: string }[]): boolean {
  const entries = Object.entries(a);
  return entries.length === b.length && entries.every(([name, value]) => b.some((pair) => pair.name === name && pair.value === value));
}

/** `{ done: id }` when it started, 'unchanged' when it did not, undefined when the executions cannot tell. */
export async function executionStarted(
  runbooks: RunbooksCapability,
  id: RunbookId,
  values: Readonly<Record<string, string>>,
  executionsBefore: number,
): Promise<{ readonly done: RunbookExecutionId } | 'unchanged' | undefined> {
  const after = await runbooks.executionsOf(id);
  if (after.total <= executionsBefore) return 'unchanged';
  const started = after.items.find((execution) => sameValues(values, execution.parameters));
  return started ? { done: started.id } : undefined;
}
