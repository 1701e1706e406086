/** What the incident and WarRoom tests share: invocations as a terminal user, and a fresh incident. */
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import type { TestBot } from './helpers/bot.js';

export const PLACE = { channelId: 'terminal', isDirect: false } as const;

export function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

export function command(bot: TestBot, user: string, text: string, place: Invocation['place'] = PLACE): Promise<Message> {
  return bot.handle({ kind: 'command', actor: actor(user), place, text });
}

export function click(bot: TestBot, user: string, actionId: string, value: string, place: Invocation['place'] = PLACE): Promise<Message> {
  return bot.handle({ kind: 'action', actor: actor(user), place, actionId, value });
}

export function submit(bot: TestBot, user: string, formId: string, values: Record<string, string>, context?: string, place: Invocation['place'] = PLACE): Promise<Message> {
  return bot.handle({ kind: 'submission', actor: actor(user), place, formId, values, ...(context !== undefined ? { context } : {}) });
}

export const GOOD_FLAGS = '--title "Checkout errors" --description "5xx on /pay since 09:40" --level p2 --type function --application storefront --interrupted yes';

/** Creates an incident from chat as `user` and returns its number. */
export async function createIncident(bot: TestBot, user = 'alice', extra = '--assignee bob'): Promise<string> {
  const reply = await command(bot, user, `incident create ${GOOD_FLAGS} ${extra}`);
  const num = /IM\d+/.exec(reply.title ?? '')?.[0];
  if (!num) throw new Error(`incident not created: ${reply.title} ${reply.text}`);
  return num;
}

/** The buttons of a message as `actionId` list. */
export function buttonIds(message: Message | undefined): string[] {
  return (message?.buttons ?? []).map((button) => button.actionId);
}

/** Writes to COC other than reads (create, handle v1 and v2 actions, WarRoom create). */
export const WRITE_ROUTES = ['POST /v1/external/incident/create', 'POST /v1/external/incident/handle', 'POST /v2/incidents/{incident_id}/actions', 'POST /v1/external/warrooms'] as const;

export function writes(bot: TestBot): number {
  return WRITE_ROUTES.reduce((sum, route) => sum + bot.sim.countRequests(route), 0);
}
