/**
 * `run` on COC's public (built-in) scripts, through the real dispatcher and a simulator: found by
 * name when no custom script has it, named as such in the preview, started through the public
 * execute route (a LOW one to its final card, a HIGH one through approval), its lost answer
 * reconciled to exactly one order, its intent found where recovery looks, and a near miss
 * pointing at "public scripts".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { nativeOf } from '../src/backends/index.js';
import { cocExecuteBody } from '../src/backends/coc/run-start.js';
import { executionRequestOf } from '../src/run/plan-details.js';
import { executeIntentsOf } from '../src/run/settle.js';
import { getRunPlan, markRunPlanSent, moveRunPlan } from '../src/store/run-plans.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const PUBLIC_EXECUTE = 'POST /v1/job/public-scripts/{script_uuid}';
const CUSTOM_EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

const clock = { ms: Date.now() };
let bot: TestBot;

beforeAll(async () => {
  bot = await makeTestBot({ now: () => new Date(clock.ms) });
});
afterAll(async () => {
  await bot.close();
});

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

function say(user: string, line: string): Promise<Message> {
  return bot.handle({ kind: 'command', actor: actor(user), place: PLACE, text: line });
}

function click(user: string, actionId: string, value: string): Promise<Message> {
  return bot.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });
}

function button(message: Message, actionId: string): string {
  const found = message.buttons?.find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}": ${message.text ?? ''}`);
  return found.value;
}

function text(message: Message): string {
  return [message.title, message.text, ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`), message.footer].filter(Boolean).join('\n');
}

function orderUuidOf(message: Message): string {
  const uuid = /order (SCT\S+)/.exec(message.title ?? '')?.[1];
  if (!uuid) throw new Error(`no order in "${message.title}"`);
  return uuid;
}

describe('run: public scripts', () => {
  it('runs a LOW public script found by name, through the public route, to its final card', async () => {
    const preview = await say('alice', 'run COC_Check_System_Load --hosts web-01,web-02 --param top_n=5');
    expect(preview.tone).not.toBe('danger');
    expect(text(preview)).toMatch(/Script Public \(built-in\) script/);
    expect(text(preview)).toMatch(/Risk \S+ LOW/);
    const planId = button(preview, 'run:go');
    bot.sim.resetRequests();
    const started = await click('alice', 'run:go', planId);
    expect(started.title).toMatch(/^Started: order SCT/);
    expect(bot.sim.countRequests(PUBLIC_EXECUTE)).toBe(1);
    expect(bot.sim.countRequests(CUSTOM_EXECUTE)).toBe(0);
    const uuid = orderUuidOf(started);
    expect(bot.sim.world.orders.get(uuid)?.script.source).toBe('PUBLIC_SCRIPT');

    // The live card follows it to the end, in the place the run was asked for.
    expect(bot.sim.settle(uuid)).toBe('FINISHED');
    for (let round = 0; round < 4; round++) {
      clock.ms += 5_000;
      await bot.core.tracker.tick();
    }
    await bot.core.tracker.settled();
    const final = bot.surface.updates.find((u) => u.message.title === `Order ${uuid} finished`) ?? bot.surface.posts.find((p) => p.message.title === `Order ${uuid} finished`);
    expect(final, 'the final card').toBeDefined();
    expect(text(final!.message)).toMatch(/2 of 2 hosts succeeded/);

    // The start was recorded under the public route, where recovery and reconciliation look for it.
    const plan = await getRunPlan(bot.store.db, planId);
    const intents = await executeIntentsOf(bot.services, plan!);
    expect(intents).toHaveLength(1);
    expect(intents[0]!.outcome).toBe('succeeded');
  });

  it('takes a HIGH public script through approval, then starts it once', async () => {
    const preview = await say('alice', 'run COC_Reboot_Host --hosts web-03');
    expect(text(preview)).toMatch(/Public \(built-in\) script/);
    expect(preview.buttons?.[0]?.label).toBe('Request approval');
    const requested = await click('alice', 'run:go', button(preview, 'run:go'));
    expect(requested.title).toBe('Approval requested');
    const card = bot.surface.posts.filter((p) => p.message.buttons?.some((b) => b.actionId === 'approval:approve')).at(-1);
    expect(text(card!.message)).toMatch(/Public \(built-in\) script/);
    bot.sim.resetRequests();
    const approved = await click('bob', 'approval:approve', button(card!.message, 'approval:approve'));
    expect(approved.title).toMatch(/^Approved: order SCT/);
    expect(bot.sim.countRequests(PUBLIC_EXECUTE)).toBe(1);
    // The pin was re-checked on the public script's own detail before sending.
    expect(bot.sim.countRequests('GET /v1/job/public-scripts/{script_uuid}')).toBeGreaterThan(0);
  });

  it('reconciles a lost answer to exactly one order', async () => {
    const planId = button(await say('alice', 'run COC_Check_System_Load --hosts web-04'), 'run:go');
    bot.sim.faults.set(PUBLIC_EXECUTE, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const before = bot.sim.world.orders.all().length;
    bot.sim.resetRequests();
    const reply = await click('alice', 'run:go', planId);
    const created = bot.sim.world.orders.all().slice(before);
    expect(created).toHaveLength(1);
    expect(bot.sim.countRequests(PUBLIC_EXECUTE)).toBe(1);
    expect(reply.title).toBe(`Started: order ${created[0]!.executeUuid} (found in COC after its answer was lost)`);
    const plan = await getRunPlan(bot.store.db, planId);
    expect(plan).toMatchObject({ state: 'started', runId: `coc:run:${created[0]!.executeUuid}` });
    const intents = await executeIntentsOf(bot.services, plan!);
    expect(intents.map((intent) => intent.outcome)).toEqual(['succeeded']);
  });

  it('points a near miss at the list where the name is', async () => {
    bot.sim.resetRequests();
    const reply = await say('alice', 'run COC_Check_System_Lod --hosts web-01');
    expect(reply.tone).toBe('danger');
    expect(text(reply)).toMatch(/No script called "COC_Check_System_Lod"/);
    expect(text(reply)).toMatch(/Did you mean "COC_Check_System_Load"\?.*"public scripts"/);
    const custom = await say('alice', 'run disk_usag --hosts web-01');
    expect(text(custom)).toMatch(/Did you mean "disk_usage"\?.*List them with "scripts"\./);
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('recovers starts the bot was stopped in: the public order COC created is adopted, the unrecorded start failed, nothing sent again', async () => {
    const reached = button(await say('alice', 'run COC_Check_System_Load --hosts web-05'), 'run:go');
    const neverSent = button(await say('alice', 'run COC_Check_System_Load --hosts web-06'), 'run:go');
    // The first reached COC and its intent was recorded under the public route; the bot died before the answer.
    await moveRunPlan(bot.store.db, reached, ['previewed'], 'starting');
    const sending = (await markRunPlanSent(bot.store.db, reached))!;
    await bot.store.db.query(
      `INSERT INTO audit_events (write_intent, platform, workspace_id, chat_user_id, iam_user_name, command, target, masked_parameters, outcome)
       VALUES (true, 'shell', 'local', 'alice', 'alice', $1, 'COC_Check_System_Load', $2, 'pending')`,
      [`coc ${PUBLIC_EXECUTE}`, JSON.stringify({ invocation: 'run:go', parameters: { plan: reached } })],
    );
    const uuid = await bot.coc.executePublicScript(nativeOf(sending.scriptId), cocExecuteBody(executionRequestOf(sending, { top_n: '15' })));
    // The second was left starting before anything was recorded.
    await moveRunPlan(bot.store.db, neverSent, ['previewed'], 'starting');
    bot.sim.resetRequests();

    await recoverInterruptedRuns(bot.services, { leftAfterMs: 0 });
    expect(await getRunPlan(bot.store.db, reached)).toMatchObject({ state: 'started', runId: `coc:run:${uuid}` });
    // Its intent row, recorded under the public route, says what reconciliation found.
    const { rows } = await bot.store.db.query<{ outcome: string }>(`SELECT outcome FROM audit_events WHERE write_intent AND command = $1 AND masked_parameters -> 'parameters' ->> 'plan' = $2`, [
      `coc ${PUBLIC_EXECUTE}`,
      reached,
    ]);
    expect(rows.map((row) => row.outcome)).toEqual(['succeeded']);
    expect((await getRunPlan(bot.store.db, neverSent))?.state).toBe('failed');
    expect(bot.sim.countRequests(PUBLIC_EXECUTE)).toBe(0);
    expect(bot.sim.countRequests(CUSTOM_EXECUTE)).toBe(0);
  });
});
