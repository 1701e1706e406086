/**
 * Launching a plan (src/run/lifecycle.ts), as the requester's Run and an approver's Approve both
 * do: one claim wins, a plan whose values or rights cannot be made ready fails with the reason
 * and nothing is sent, and a launched plan starts through the backend as the requester.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { nativeOf } from '../src/backends/index.js';
import { launchPlan, requesterBackend } from '../src/run/lifecycle.js';
import { getRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function previewedPlan(b: TestBot) {
  const preview: Message = await b.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: 'alice' }, place: PLACE, text: 'run disk_usage --hosts web-01' });
  const id = preview.buttons?.find((button) => button.actionId === 'run:go')?.value;
  if (!id) throw new Error(`no preview: ${preview.title} ${preview.text}`);
  return (await getRunPlan(b.store.db, id))!;
}

describe('launching a plan', () => {
  it('starts a claimed plan through the backend as its requester, once', async () => {
    bot = await makeTestBot();
    const plan = await previewedPlan(bot);
    bot.sim.resetRequests();
    const launched = await launchPlan(bot.services, plan, ['previewed'], requesterBackend(bot.services));
    expect(launched.kind).toBe('launched');
    const outcome = launched.kind === 'launched' ? launched.outcome : undefined;
    expect(outcome?.kind).toBe('started');
    const run = outcome?.kind === 'started' ? outcome.run : '';
    expect((await getRunPlan(bot.store.db, plan.id))?.runId).toBe(run);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);

    expect(await launchPlan(bot.services, plan, ['previewed'], requesterBackend(bot.services))).toEqual({ kind: 'not-claimed' });
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('fails a plan whose requester cannot be acted for, with the reason, sending nothing', async () => {
    bot = await makeTestBot();
    const plan = await previewedPlan(bot);
    bot.sim.resetRequests();
    const launched = await launchPlan(bot.services, plan, ['previewed'], () => {
      throw new Error('no rights');
    });
    expect(launched.kind).toBe('not-ready');
    const now = await getRunPlan(bot.store.db, plan.id);
    expect(now?.state).toBe('failed');
    expect(now?.error).toBe('the parameters could not be read; nothing ran, request again');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});
