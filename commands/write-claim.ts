/**
 * One write per state a card showed, however many clicks arrive at once. A card's button is
 * checked against the platform before it sends (the alarm's handlings, the runbook's executions,
 * the execution's progress, the ticket's task), but two clicks read at the same moment — two people,
 * a double click, a delivery to two replicas — both pass that check. So the write is claimed in the
 * store first by what it acts on and the state it was read in: one INSERT … ON CONFLICT DO NOTHING
 * decides the one click that sends, on any replica. The claim is given up when the platform proved
 * nothing was acted on (refused, or not done by its read-back), so trying again works at once; it is
 * kept when the write was done or its outcome is unknown, and by then the platform's state turns
 * later clicks away anyway.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { writeFailureOf } from '../src/backends/index.js';
import type { CommandContext } from '../src/core/command.js';
import { refuse } from '../src/core/refusal.js';
import type { Text } from '../src/i18n/translate.js';
import { claimRequest, releaseRequestClaim } from '../src/store/request-claims.js';
import { sendAlarmWrite, type AlarmWriteResult } from './alarm-common.js';

/** Longer than any write and its read-back take; after it the platform's state decides alone. */
export const WRITE_CLAIM_TTL_MS = 30 * 60_000;

const TEXT = {
  busy: { 'en-US': '{what}: another click is sending it', 'zh-CN': '{what}：另一次点击正在发送' },
  busyText: { 'en-US': 'Nothing was sent by this click. Look at the card again in a moment.', 'zh-CN': '本次点击未发送任何内容。请稍后重新查看卡片。' },
} satisfies Record<string, Text>;

/**
 * Sends the write through `sendAlarmWrite` when this click wins `key` (what it acts on and the
 * state it was read in); refuses, sending nothing, when another click holds it.
 */
export async function sendClaimedWrite<T>(
  context: CommandContext,
  claim: { readonly key: string; readonly what: string },
  send: () => Promise<T>,
  readBack: () => Promise<{ readonly done: T } | 'unchanged' | undefined>,
): Promise<AlarmWriteResult<T>> {
  const db = context.services.db;
  const key = `write:${claim.key}`;
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await claimRequest(db, key, WRITE_CLAIM_TTL_MS, holder))) refuse(context.t(TEXT.busy, { what: claim.what }), context.t(TEXT.busyText));
  let result: AlarmWriteResult<T>;
  try {
    result = await sendAlarmWrite(context, send, readBack);
  } catch (error) {
    if (writeFailureOf(error) === 'refused') await releaseRequestClaim(db, key, holder);
    throw error;
  }
  if (result.outcome === 'not-done') await releaseRequestClaim(db, key, holder);
  return result;
}
