/**
 * Planning a run and answering with its preview, for the flags and the forms alike: the hosts
 * read and put into batches (or the PlanProblem that says why not: a name that means several
 * hosts, names the platform does not know, nothing that matches or can run, more hosts or batches
 * than the platform takes), the parameters checked against the script's own definitions, the
 * platform's own rules checked without sending, and the plan stored. Nothing is sent but reads.
 */
import { AGENT_NAMES, nativeOf, need, platformName, type HostTopology, type Script } from '../backends/index.js';
import type { CommandContext } from '../core/command.js';
import type { Message } from '../core/message.js';
import { shown } from '../core/arguments/schema.js';
import type { Text } from '../i18n/translate.js';
import { insertRunPlan } from '../store/run-plans.js';
import { agentStateUnknown, EXCLUDED_AGENT_FILTER_UNTRUSTED, resolveHosts, type HostSelector, type ResolvedHosts } from './hosts.js';
import { excludedReason } from './excluded-reasons.js';
import { AmbiguousHostsProblem } from './ambiguous-hosts.js';
import { hostNamingOf } from './host-ids.js';
import { previewMessage } from './messages.js';
import { checkExecution, checkParams, planBatches, PlanProblem, type PlannedBatch } from './plan.js';
import { executionRequestOf, hostCount, type PlanDetails } from './plan-details.js';
import type { RunRequest } from './request.js';
import { stepFor } from './risk-policy.js';

const TEXT = {
  tooBroad: {
    'en-US': 'so many hosts in {platform} match {names} that the bot cannot be sure it means one host; name it as id:<resource id> (see "hosts --name …"). Nothing was planned.',
    'zh-CN': '{platform} 中匹配 {names} 的主机过多，无法确认只指一台主机；请改用 id:<资源 ID>（可用 "hosts --name …" 查看）。未生成计划。',
  },
  unknownHosts: { 'en-US': '{platform} knows no host called {names}. See them with "hosts --name …". Nothing was planned.', 'zh-CN': '{platform} 中没有名为 {names} 的主机。可用 "hosts --name …" 查看。未生成计划。' },
  noRunnableText: {
    'en-US': '{matched:host matches|hosts match}, none with a running {agent} ({excluded}). Nothing was planned.',
    'zh-CN': '匹配到 {matched} 台主机，但没有 {agent} 在线的主机（{excluded}）。未生成计划。',
  },
  noMatch: { 'en-US': 'No host matches {selection}. Nothing was planned.', 'zh-CN': '没有主机匹配 {selection}。未生成计划。' },
  /**
   * Every matched host came without an agent state and COC's ONLINE filter lists none of them:
   * the bot cannot tell whether a script would run there, and does not go on. The reference
   * defines no agent state for resources, the SDK reads a missing one as "not installed", and its
   * ONLINE filter is the only documented way to ask: when that lists none, no document supports
   * sending the run anyway.
   */
  agentStatesUnknown: {
    'en-US':
      '{platform} gave no {agent} state for any matched host ({excluded}), and its agent_state=ONLINE filter lists none of them, so the bot cannot tell whether a script would run there. Nothing was planned. Check {agent} on these hosts in {platform} (an agent sync refreshes the state), then preview again.',
    'zh-CN':
      '{platform} 没有给出任何匹配主机的 {agent} 状态（{excluded}），其 agent_state=ONLINE 筛选也未列出其中任何一台，因此机器人无法判断脚本能否在其上运行。未生成计划。请在 {platform} 中检查这些主机的 {agent}（同步 Agent 可刷新状态），然后重新预览。',
  },
  /**
   * Every matched host came without an agent state, and COC's agent_state filter did not show
   * that it filters (it listed the same hosts as ONLINE and under another state, or rows in a
   * state it was not asked for): what it lists proves no agent, so nothing is planned.
   */
  agentFilterUntrusted: {
    'en-US':
      '{platform} gave no {agent} state for any matched host ({excluded}), and its agent_state filter did not filter: asked which of them are ONLINE and then which are in another state, it listed the same hosts (or hosts in a state it was not asked for). So the bot cannot tell whether a script would run there. Nothing was planned. Check {agent} on these hosts in {platform}; a run is planned here once {platform} reports their agent state or filters by it.',
    'zh-CN':
      '{platform} 没有给出任何匹配主机的 {agent} 状态（{excluded}），且其 agent_state 筛选未生效：先问哪些为 ONLINE、再问哪些为其他状态，它列出了相同的主机（或列出了未被询问状态的主机）。因此机器人无法判断脚本能否在其上运行。未生成计划。请在 {platform} 中检查这些主机的 {agent}；待 {platform} 报告其 Agent 状态或按状态筛选生效后，才会在这些主机上生成执行计划。',
  },
} satisfies Record<string, Text>;

/** How long a preview can be acted on. */
const PREVIEW_MINUTES = 15;

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

/**
 * The hosts of a run, read and put into batches, or the PlanProblem that says why not. The
 * flags' preview and the form's first step check alike; each says it in its own words (a
 * sentence after `run …`, a note under a form field).
 */
export async function planHosts(context: CommandContext, request: Pick<RunRequest, 'hosts' | 'batchSize' | 'rotation' | 'canary'>, wording: HostWording): Promise<PlannedHosts> {
  const resolved = await resolveHosts(context.backend, request.hosts);
  // Before anything else: a run must never go to "whichever host matched first".
  if (resolved.ambiguous.length) throw new AmbiguousHostsProblem(resolved.ambiguous, context.backend.vocabulary, hostNamingOf(context.backend));
  if (resolved.tooBroad.length) throw new PlanProblem('hosts', TEXT.tooBroad, { names: resolved.tooBroad.map((n) => `"${shown(n, 40)}"`).join(', ') });
  if (resolved.unknown.length) throw new PlanProblem('hosts', wording.unknownHosts, { names: resolved.unknown.map((n) => `"${shown(n, 40)}"`).join(', ') });
  if (resolved.runnable.length === 0) {
    if (resolved.excluded.length === 0) throw new PlanProblem('hosts', wording.noMatch, { selection: wording.selection });
    const vars = {
      matched: resolved.excluded.length,
      excluded: resolved.excluded
        .slice(0, 8)
        .map((h) => `${h.name}: ${excludedReason(h.reason, context.t, context.backend.vocabulary, context.locale)}`)
        .join(', '),
      agent: AGENT_NAMES[context.backend.name],
    };
    // Said apart: not "no running agent" but "no state to tell by" (see TEXT.agentStatesUnknown).
    if (resolved.excluded.every((h) => agentStateUnknown(h.reason))) {
      const text = resolved.excluded.some((h) => h.reason === EXCLUDED_AGENT_FILTER_UNTRUSTED) ? TEXT.agentFilterUntrusted : TEXT.agentStatesUnknown;
      throw new PlanProblem('hosts', text, { ...vars, platform: platformName(context.backend.name)[context.locale] });
    }
    throw new PlanProblem('hosts', wording.noRunnable, vars);
  }
  const batches = planBatches(resolved.runnable, { batchSize: request.batchSize, rotation: request.rotation, canary: request.canary }, need(context.backend, 'runs').limits);
  return { batches, excluded: resolved.excluded };
}

/** `--biz B --set S --module M`, the parts given. */
export function topologyFlags(topology: HostTopology): string {
  return (['biz', 'set', 'module'] as const).flatMap((part) => (topology[part] !== undefined ? [`--${part} ${topology[part]}`] : [])).join(' ');
}

/** The selection as the flags' texts name it. */
export function selectionText(selector: HostSelector): string {
  if (selector.kind === 'names') return `--hosts ${selector.names.join(',')}`;
  if (selector.kind === 'tag') return `--tag ${selector.key}=${selector.value}`;
  if (selector.kind === 'topology') return topologyFlags(selector.topology);
  return `--query ${selector.text}`;
}

/**
 * Plans a run and answers with its preview. Throws PlanProblem (with the option at fault) for
 * anything the platform would refuse or that does not fit the script; nothing is sent but reads.
 * `script`: the script as just resolved by the caller.
 */
export async function previewRun(context: CommandContext, request: RunRequest, script: Script): Promise<Message> {
  const { services, t, actor, place, identity } = context;
  // The platform's own risk code (a script it gives none is treated as the highest).
  const risk = script.risk.code || 'HIGH';
  const params = checkParams(script.params, request.params, need(context.backend, 'scripts').paramRules);
  const scriptName = script.name || nativeOf(script.id);
  const selection = selectionText(request.hosts);
  const { batches, excluded } = await planHosts(context, request, {
    unknownHosts: TEXT.unknownHosts,
    noMatch: TEXT.noMatch,
    noRunnable: TEXT.noRunnableText,
    selection,
  });
  const options = { timeout: request.timeout, successRate: request.successRate, executeUser: request.executeUser };
  const plainParams = Object.fromEntries(Object.entries(params.values).filter(([name]) => !params.sensitive.includes(name)));
  const secretParams = Object.fromEntries(Object.entries(params.values).filter(([name]) => params.sensitive.includes(name)));
  const details: PlanDetails = {
    batches: batches.map((b) => ({ index: b.index, rotation: b.rotation, hosts: b.hosts.map((h) => ({ ...h })) })),
    options,
    sensitive: [...params.sensitive],
    shownParams: { ...params.masked },
    plainParams,
    excluded: excluded.map((h) => ({ ...h })),
    canary: request.canary,
    selection,
    step: stepFor(services.config.approvals.riskPolicy, risk),
  };
  // The platform's own limits, checked now rather than on Run.
  checkExecution(need(context.backend, 'runs'), executionRequestOf({ plan: details, scriptId: script.id }, params.values));
  context.audit.target = scriptName;
  context.audit.maskedParameters = { ...context.audit.maskedParameters, hosts: hostCount(details), batches: batches.length, risk };
  const plan = await insertRunPlan(services.db, {
    idempotencyKey: null,
    platform: actor.platform,
    workspaceId: actor.workspaceId,
    channelId: place.channelId,
    threadRef: place.threadId ?? null,
    requesterChatUserId: actor.userId,
    requesterIamUser: identity.iamUserName,
    requesterLocale: identity.locale,
    credentialRef: identity.credentialRef ?? null,
    scriptId: script.id,
    scriptName,
    riskLevel: risk,
    scriptContentHash: script.pin.hash,
    scriptModifiedAt: script.pin.modifiedAt,
    plan: details,
    sealedParams: Object.keys(secretParams).length ? services.sealer.seal(secretParams) : null,
    expiresAt: new Date(services.now().getTime() + PREVIEW_MINUTES * 60_000),
  });
  return { ...previewMessage(plan, t, context.locale, context.backend.vocabulary, context.services.config.approvals.approvers), private: true };
}
