/**
 * MEDIUM's "confirm once more" is its own action: a second delivery of the preview's Run
 * (same action id, same value, even the same interaction id) re-asks and never starts the
 * run; the confirmation's Run starts it once, however often it is delivered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function click(b: TestBot, actionId: string, value: string, interactionId?: string): Promise<Message> {
  const invocation: Invocation = { kind: 'action', actor: alice, place: PLACE, actionId, value, ...(interactionId ? { interactionId } : {}) };
  return b.handle(invocation);
}

async function mediumPreview(b: TestBot): Promise<Message> {
  const medium = [...b.sim.world.scripts.values()].find((s) => s.properties?.risk_level === 'MEDIUM')!;
  const params = medium.params.filter((p) => p.sensitive).map((p) => `--param ${p.param_name}=x1`).join(' ');
  return b.handle({ kind: 'command', actor: alice, place: PLACE, text: `run ${medium.name} --hosts web-01 ${params}` });
}

describe('MEDIUM: the second confirmation', () => {
  it('is not satisfied by a replayed preview click; the confirm action runs it once', async () => {
    bot = await makeTestBot();
    const preview = await mediumPreview(bot);
    const go = preview.buttons?.find((b) => b.actionId === 'run:go');
    expect(go?.confirm).toBeDefined();
    bot.sim.resetRequests();

    const asked = await click(bot, 'run:go', go!.value, 'slack-trigger-1');
    expect(asked.title).toBe('MEDIUM risk: confirm once more');
    expect(asked.buttons?.map((b) => b.actionId)).toEqual(['run:confirm', 'run:cancel']);
    // The same delivery again, and two more clicks of the preview: each only asks again.
    for (const interaction of ['slack-trigger-1', 'slack-trigger-2', undefined]) {
      const replayed = await click(bot, 'run:go', go!.value, interaction);
      expect(replayed.title).toBe('MEDIUM risk: confirm once more');
      expect(replayed.buttons?.[0]?.actionId).toBe('run:confirm');
    }
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);

    const confirmValue = asked.buttons![0]!.value;
    const [first, second] = await Promise.all([click(bot, 'run:confirm', confirmValue), click(bot, 'run:confirm', confirmValue)]);
    const titles = [first.title, second.title];
    expect(titles.filter((title) => /^Started: order SCT/.test(title ?? ''))).toHaveLength(1);
    expect(titles.filter((title) => title === 'This plan was already used')).toHaveLength(1);
    expect((await click(bot, 'run:go', go!.value)).title).toBe('This plan was already used');
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('refuses the confirm action before the preview asked, and runs nothing', async () => {
    bot = await makeTestBot();
    const preview = await mediumPreview(bot);
    const plan = preview.buttons!.find((b) => b.actionId === 'run:go')!.value;
    bot.sim.resetRequests();
    const early = await click(bot, 'run:confirm', plan);
    expect(early.title).toBe('Not confirmed yet');
    expect(early.tone).toBe('danger');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    // The plan is untouched: the preview still asks, and the confirmation then runs it.
    expect((await click(bot, 'run:go', plan)).title).toBe('MEDIUM risk: confirm once more');
    expect((await click(bot, 'run:confirm', plan)).title).toMatch(/^Started: order /);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('lets nobody else confirm the requester\'s plan', async () => {
    bot = await makeTestBot();
    const plan = (await mediumPreview(bot)).buttons!.find((b) => b.actionId === 'run:go')!.value;
    await click(bot, 'run:go', plan);
    const dave = await bot.handle({ kind: 'action', actor: { ...alice, userId: 'dave' }, place: PLACE, actionId: 'run:confirm', value: plan });
    expect(dave.title).toBe('Only alice can run or cancel this plan');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});
