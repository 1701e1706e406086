/**
 * What the incident and WarRoom commands share: reading an incident (a clear refusal when the
 * platform does not know it), the full card (with its WarRoom and orders), one change at a time per
 * incident in this process, and the replies for a change COC refused or whose answer was
 * lost (read back: done, not done, or unknown with the check).
 */
import { makeId, need, nativeOf, normalizeError, writeFailureOf, type Incident, type IncidentChoices, type IncidentId, type IncidentsCapability, type IncidentState, type WarRoom } from '../src/backends/index.js';
import { arg, typedForm, type BackendLimits, type Choice } from '../src/core/arguments/index.js';
import { lostAnswer } from '../src/core/lost-answer.js';
import { KeyedQueue } from '../src/core/queue.js';
import { translator } from '../src/i18n/translate.js';
import type { CommandContext } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import type { Text } from '../src/i18n/translate.js';
import { incidentCard } from '../src/incidents/card.js';
import { learnFromDetail, loadDirectory, type Directory } from '../src/incidents/directory.js';
import { selfId } from '../src/incidents/draft.js';
import { loadLinkedOrders, type LinkedOrder } from '../src/incidents/linked-orders.js';
import { readOffered } from '../src/incidents/offers.js';
import { readTimeline } from '../src/incidents/timeline.js';

export { readTimeline };
import { statusOf } from '../src/incidents/names.js';
import { isIncidentNum } from '../src/incidents/workflow.js';
import { readWarRoom } from '../src/incidents/watcher.js';
import { isNotFound } from '../src/backends/index.js';
import { Refusal } from '../src/core/refusal.js';
import { shown } from '../src/i18n/format.js';

/** The incident a command works on, typed after its words (`incident show <incident-number>`). */
export const incidentNumberArg = arg.id({
  required: true,
  what: { 'en-US': 'an incident number', 'zh-CN': '事件编号' },
  example: 'IM202603140925001234567890',
  description: { 'en-US': 'Incident number', 'zh-CN': '事件编号' },
  placeholder: { 'en-US': 'incident-number', 'zh-CN': 'incident-number' },
  discordName: 'incident-number',
});

// ---- the platform's incident choices, as typed arguments ---------------------------------
// Levels, types and statuses are the platform's own codes: a definition names where they come
// from (the backend's incidents group), and they are read when the registry is built.

function incidentChoicesOf(limits: BackendLimits): IncidentChoices | undefined {
  return limits.backend?.incidents?.choices;
}

/** The word people type for each status (`triggered`), standing for the platform's code. */
export function incidentStatusChoices(limits: BackendLimits): Choice[] {
  return (incidentChoicesOf(limits)?.statuses ?? []).map((status) => ({ value: status.code, typed: status.word }));
}

/** The codes the platform also takes that no word stands for: accepted as typed, sent unchanged, never offered. */
function unnamedCodes(codes: readonly string[], named: readonly { readonly code: string }[]): Choice[] {
  return codes.filter((code) => !named.some((choice) => choice.code === code)).map((code) => ({ value: code, typed: typedForm(code), hidden: true }));
}

/** p1 … p5 (most severe first), standing for the platform's level codes; shown as P1 … on Discord. */
export function incidentLevelChoices(limits: BackendLimits): Choice[] {
  const choices = incidentChoicesOf(limits);
  if (!choices) return [];
  return [
    ...choices.levels.map((level) => ({
      value: level.code,
      typed: level.word,
      ...(level.label ? { label: { 'en-US': level.label, 'zh-CN': level.label } } : {}),
    })),
    ...unnamedCodes(choices.levelCodes, choices.levels),
  ];
}

/**
 * One choice per type word (`networking`), standing for the platform's code; the other words
 * people reach for (`network`, `vendor`, and the word with `-issues`) are accepted too.
 */
export function incidentTypeChoices(limits: BackendLimits): Choice[] {
  const choices = incidentChoicesOf(limits);
  if (!choices) return [];
  return [
    ...choices.types.map((type) => ({
      value: type.code,
      typed: type.word,
      aliases: [`${type.word}-issues`, ...Object.entries(choices.typeAliases).filter(([, code]) => code === type.code).map(([word]) => word)],
    })),
    ...unnamedCodes(choices.typeCodes, choices.types),
  ];
}

/** Yes or no (also y/n, true/false, 是/否), as the incident forms take it. */
export const YES_NO_CHOICES: readonly Choice[] = [
  { value: 'yes', typed: 'yes', label: { 'en-US': 'Yes', 'zh-CN': '是' }, aliases: ['y', 'true', '是'] },
  { value: 'no', typed: 'no', label: { 'en-US': 'No', 'zh-CN': '否' }, aliases: ['n', 'false', '否'] },
];

const TEXT = {
  notFound: { 'en-US': 'No incident {num} in COC', 'zh-CN': 'COC 中没有事件 {num}' },
  notFoundText: {
    'en-US': 'Check the number (it looks like IM202603140925001234567890); "incidents" lists recent ones. Nothing was sent.',
    'zh-CN': '请检查事件编号（形如 IM202603140925001234567890）；“incidents”可列出最近的事件。未发送任何操作。',
  },
  badButton: { 'en-US': 'This button is not valid', 'zh-CN': '此按钮无效' },
  badButtonText: { 'en-US': 'Nothing was sent. Run "incident show <number>" for a fresh card.', 'zh-CN': '未发送任何操作。请运行“incident show <事件编号>”获取新的卡片。' },
  selfUnknownTitle: { 'en-US': 'COC does not know who you are yet', 'zh-CN': 'COC 还不知道您是谁' },
  cocRefused: { 'en-US': 'COC refused to {what} incident {num}', 'zh-CN': 'COC 拒绝了对事件 {num} 的{what}操作' },
  cocRefusedText: { 'en-US': 'HTTP {status}{code}: {reason}. The incident is now {now}. Nothing was retried.', 'zh-CN': 'HTTP {status}{code}：{reason}。事件当前状态：{now}。未重试。' },
  noReason: { 'en-US': 'no reason given', 'zh-CN': '未说明原因' },
  unknownNow: { 'en-US': 'unknown (it could not be read)', 'zh-CN': '未知（无法读取）' },
  noAnswer: { 'en-US': 'Outcome unknown: {what} incident {num}', 'zh-CN': '结果未知：对事件 {num} 的{what}操作' },
  noAnswerText: {
    'en-US': 'COC’s answer was lost ({answer}) and reading the incident back cannot tell whether it happened (it is {now}). It was not retried. Check with "{check}" before trying again.',
    'zh-CN': 'COC 的响应丢失（{answer}），读取事件也无法判断操作是否执行（当前状态 {now}）。未重试。再次尝试前请先用“{check}”确认。',
  },
  notTaken: { 'en-US': 'Not done: {what} incident {num}', 'zh-CN': '未执行：对事件 {num} 的{what}操作' },
  notTakenText: {
    'en-US': 'COC’s answer was lost ({answer}); reading the incident back shows it unchanged: it is still {now}. Nothing was retried; you may try again.',
    'zh-CN': 'COC 的响应丢失（{answer}）；读取事件显示其未变化：仍为{now}。未重试，您可以再次尝试。',
  },
  confirmed: {
    'en-US': 'Confirmed by reading the incident after COC’s answer was lost ({answer}); it was not sent again.',
    'zh-CN': 'COC 的响应丢失（{answer}），之后读取事件确认已执行；未重复发送。',
  },
} satisfies Record<string, Text>;

/** A button or form state that should hold an incident number, checked before use. */
export function incidentNumOf(context: CommandContext, value: string | undefined): string {
  const num = (value ?? '').trim();
  if (!isIncidentNum(num)) throw new Refusal(context.t(TEXT.badButton), context.t(TEXT.badButtonText));
  return num;
}

/** The incidents of the person's backend (incident commands exist only where it has them). */
export function incidentsOf(context: CommandContext): IncidentsCapability {
  return need(context.backend, 'incidents');
}

/** The id of an incident number as typed (or as the store keeps it). */
export function incidentIdOf(context: CommandContext, num: string): IncidentId {
  return makeId(context.backend.name, 'incident', num);
}

export async function readIncident(context: CommandContext, num: string): Promise<Incident> {
  const incidents = incidentsOf(context);
  let detail: Incident | undefined;
  try {
    detail = await incidents.get(incidentIdOf(context, num));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!detail) throw new Refusal(context.t(TEXT.notFound, { num: shown(num, 60) }), context.t(TEXT.notFoundText));
  learnFromDetail(incidents, detail);
  return detail;
}

/** Reads again after a change; undefined when the platform cannot be read just now. */
export async function rereadIncident(context: CommandContext, num: string): Promise<Incident | undefined> {
  try {
    return await incidentsOf(context).get(incidentIdOf(context, num));
  } catch {
    return undefined;
  }
}

/** The incident card for the reader: their role's buttons, its WarRoom and its orders. */
export async function fullCard(context: CommandContext, detail: Incident, note?: string): Promise<Message> {
  const incidents = incidentsOf(context);
  const [warRoom, orders, offered, timeline] = await Promise.all([
    readWarRoom(context.backend, detail.warRoom).catch((): WarRoom | undefined => undefined),
    loadLinkedOrders(context.services.db, context.backend, nativeOf(detail.id)).catch((): LinkedOrder[] => []),
    // What COC offers this person now (their own credential, else the bot's), and what was done so far.
    readOffered(incidents, detail.id),
    readTimeline(incidents, detail.id),
  ]);
  return incidentCard(detail, {
    t: context.t,
    locale: context.locale,
    vocabulary: context.backend.vocabulary,
    role: context.identity.role,
    orders,
    ...(warRoom ? { warRoom } : {}),
    ...(note ? { note } : {}),
    ...(offered ? { offered } : {}),
    ...(timeline ? { timeline } : {}),
  });
}


/** The IAM user id the platform knows the person acting by (operator, creator, WarRoom admin). */
export async function myIamUserId(context: CommandContext): Promise<{ id: string; directory: Directory }> {
  const directory = await loadDirectory(incidentsOf(context), context.services.db);
  const self = selfId(directory, context.identity, context.t);
  if (!self.ok) throw new Refusal(context.t(TEXT.selfUnknownTitle), self.problem);
  return { id: self.id, directory };
}

// ---- one change at a time per incident (within this process) ----------------------------

const changes = new KeyedQueue();

/** A double click waits for the first click's change, then finds the incident already moved on. */
export function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
  return changes.run(key, run);
}

/** The audit trail is written in one language, whoever acted. */
const EN = translator('en-US');

export type ChangeVerdict = 'done' | 'not-done' | 'unknown';

/** What an incident change was meant to do: the state it fits, and where it takes it. */
export interface IntendedMove {
  readonly from: IncidentState;
  readonly to: readonly IncidentState[];
}

/**
 * After a change whose answer was lost, the incident read back says whether it moved as the
 * change intended (done), still is where it was (not done), or cannot be read or moved
 * elsewhere (unknown: somebody else may have acted).
 */
export async function readBackChange(context: CommandContext, num: string, move: IntendedMove): Promise<{ verdict: ChangeVerdict; detail?: Incident }> {
  const detail = await rereadIncident(context, num);
  if (!detail?.status?.code) return { verdict: 'unknown', ...(detail ? { detail } : {}) };
  if (move.to.includes(detail.status.state)) return { verdict: 'done', detail };
  if (detail.status.state === move.from) return { verdict: 'not-done', detail };
  return { verdict: 'unknown', detail };
}

/** Notes the read-back in the audit trail (in English, whoever acted). */
export function auditReadBack(context: CommandContext, verdict: ChangeVerdict, error: unknown): void {
  context.audit.maskedParameters = { ...context.audit.maskedParameters, outcome: `${verdict} (read back after a lost answer: ${lostAnswer(error, EN)})` };
}

/** The sentence a reply confirmed by reading back carries. */
export function confirmedNote(context: CommandContext, error: unknown): string {
  return context.t(TEXT.confirmed, { answer: lostAnswer(error, context.t) });
}

/** A change whose answer was lost and that the read-back did not confirm: not done, or unknown with the check. */
export function unconfirmedChange(
  context: CommandContext,
  error: unknown,
  num: string,
  what: Text,
  readBack: { verdict: 'not-done' | 'unknown'; detail?: Incident | undefined },
  check = `incident show ${num}`,
): never {
  const { t } = context;
  const answer = lostAnswer(error, t);
  const now = readBack.detail ? statusOf(readBack.detail, context.backend.vocabulary, context.locale) : t(TEXT.unknownNow);
  if (readBack.verdict === 'not-done') throw new Refusal(t(TEXT.notTaken, { what: t(what), num }), t(TEXT.notTakenText, { answer, now }));
  throw new Refusal(t(TEXT.noAnswer, { what: t(what), num }), t(TEXT.noAnswerText, { answer, now, check }));
}

/**
 * A change the platform refused before acting, explained with the incident's status now.
 * Refusals that never reached the platform (invalid input, credentials) go to the dispatcher,
 * as does anything that is not the platform's refusal: a change whose outcome is unknown must
 * be read back by its caller (readBackChange), never explained here as refused.
 */
export async function explainRefusedChange(context: CommandContext, error: unknown, num: string, what: Text): Promise<never> {
  const { t } = context;
  const refusal = platformRefusal(error);
  if (!refusal) throw error;
  const now = await rereadIncident(context, num);
  const nowText = now ? statusOf(now, context.backend.vocabulary, context.locale) : t(TEXT.unknownNow);
  throw new Refusal(t(TEXT.cocRefused, { what: t(what), num }), t(TEXT.cocRefusedText, { ...refusalWords(refusal, t), now: nowText }));
}

/** The platform's own answer to a write it refused before acting (an HTTP status, its code and reason); undefined for anything else. */
export function platformRefusal(error: unknown): { readonly status: number; readonly code?: string; readonly reason?: string } | undefined {
  if (writeFailureOf(error) !== 'refused') return undefined;
  const known = normalizeError(error);
  const status = known?.detail.status;
  if (status === undefined) return undefined;
  return { status, ...(known?.detail.code ? { code: known.detail.code } : {}), ...(known?.detail.platformMessage ? { reason: known.detail.platformMessage } : {}) };
}

/** `{status}{code}: {reason}` of a refusal text. */
export function refusalWords(refusal: NonNullable<ReturnType<typeof platformRefusal>>, t: CommandContext['t']): { status: number; code: string; reason: string } {
  return { status: refusal.status, code: refusal.code ? ` ${refusal.code}` : '', reason: refusal.reason ? shown(refusal.reason, 60) : t(TEXT.noReason) };
}
