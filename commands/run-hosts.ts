/**
 * The hosts of a run, read from COC and put into batches, or the PlanProblem that says why not:
 * a name that means several hosts (listed, with how to pick one), names COC does not know,
 * nothing that matches, nothing that can run, more hosts or batches than COC takes. The flags' preview and the form's first step check alike; each says it in its
 * own words (a sentence after `run …`, a note under a form field).
 */
import type { CocClient } from '../src/coc/client.js';
import type { Text } from '../src/i18n/translate.js';
import { resolveHosts, type ResolvedHosts } from '../src/run/hosts.js';
import { planBatches, PlanProblem, type PlannedBatch } from '../src/run/plan.js';
import { AmbiguousHostsProblem } from './ambiguous-hosts.js';
import { shown } from './coc-common.js';
import type { RunRequest } from './run-request.js';

const TEXT = {
  tooBroad: {
    'en-US': 'so many hosts in COC match {names} that the bot cannot be sure it means one host; name it as id:<resource id> (see "hosts --name …"). Nothing was planned.',
    'zh-CN': 'COC 中匹配 {names} 的主机过多，无法确认只指一台主机；请改用 id:<资源 ID>（可用 "hosts --name …" 查看）。未生成计划。',
  },
} satisfies Record<string, Text>;

export interface HostWording {
  /** Fills {names}. */
  readonly unknownHosts: Text;
  /** Fills {selection}. */
  readonly noMatch: Text;
  /** Fills {matched} and {excluded}. */
  readonly noRunnable: Text;
  /** The selection as `noMatch` names it. */
  readonly selection: string;
}

export interface PlannedHosts {
  readonly batches: PlannedBatch[];
  /** Matched but left out (agent not online, no resource id), with why. */
  readonly excluded: ResolvedHosts['excluded'];
}

export async function planHosts(coc: CocClient, request: Pick<RunRequest, 'hosts' | 'batchSize' | 'rotation' | 'canary'>, wording: HostWording): Promise<PlannedHosts> {
  const resolved = await resolveHosts(coc, request.hosts);
  // Before anything else: a run must never go to "whichever host matched first".
  if (resolved.ambiguous.length) throw new AmbiguousHostsProblem(resolved.ambiguous);
  if (resolved.tooBroad.length) throw new PlanProblem('hosts', TEXT.tooBroad, { names: resolved.tooBroad.map((n) => `"${shown(n, 40)}"`).join(', ') });
  if (resolved.unknown.length) throw new PlanProblem('hosts', wording.unknownHosts, { names: resolved.unknown.map((n) => `"${shown(n, 40)}"`).join(', ') });
  if (resolved.runnable.length === 0) {
    if (resolved.excluded.length === 0) throw new PlanProblem('hosts', wording.noMatch, { selection: wording.selection });
    throw new PlanProblem('hosts', wording.noRunnable, {
      matched: resolved.excluded.length,
      excluded: resolved.excluded.slice(0, 8).map((h) => `${h.name}: ${h.reason}`).join(', '),
    });
  }
  const batches = planBatches(resolved.runnable, { batchSize: request.batchSize, rotation: request.rotation, canary: request.canary });
  return { batches, excluded: resolved.excluded };
}
