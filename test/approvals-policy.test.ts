/**
 * The risk policy: what Run leads to per risk level is configurable, only ever stricter than
 * the default (LOW run, MEDIUM confirm, HIGH approval) — the configuration refuses weaker —
 * and a stricter one is what the preview promises and what Run does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { planStep } from '../src/run/messages.js';
import { DEFAULT_RISK_POLICY, stepFor, stricterStep } from '../src/run/risk-policy.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

function load(env: Record<string, string>) {
  return loadConfig({ env, cwd: '/nonexistent', file: undefined });
}

function valid(env: Record<string, string>): Config {
  const result = load(env);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.config;
}

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string): Promise<Message> => b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

function goButton(message: Message) {
  const found = message.buttons?.find((b) => b.actionId === 'run:go');
  if (!found) throw new Error(`no Run button on "${message.title}"`);
  return found;
}

describe('risk policy configuration', () => {
  it('defaults to LOW run, MEDIUM confirm, HIGH approval', () => {
    expect(valid({}).approvals.riskPolicy).toEqual({ LOW: 'run', MEDIUM: 'confirm', HIGH: 'approval' });
  });

  it('accepts a stricter policy for every level', () => {
    expect(valid({ COC_RISK_POLICY_LOW: 'approval', COC_RISK_POLICY_MEDIUM: 'approval' }).approvals.riskPolicy).toEqual({ LOW: 'approval', MEDIUM: 'approval', HIGH: 'approval' });
    expect(valid({ COC_RISK_POLICY_LOW: 'confirm' }).approvals.riskPolicy.LOW).toBe('confirm');
  });

  it('refuses a weaker one, naming the option and what is allowed', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ COC_RISK_POLICY_HIGH: 'confirm' }, 'approvals.riskPolicy.HIGH', /must be approval: a HIGH script may be held back more than by default \(approval\), never less/],
      [{ COC_RISK_POLICY_HIGH: 'run' }, 'approvals.riskPolicy.HIGH', /must be approval/],
      [{ COC_RISK_POLICY_MEDIUM: 'run' }, 'approvals.riskPolicy.MEDIUM', /must be confirm or approval/],
      [{ COC_RISK_POLICY_LOW: 'yolo' }, 'approvals.riskPolicy.LOW', /must be one of run, confirm, approval/],
    ];
    for (const [env, path, message] of cases) {
      const result = load(env);
      expect(result.ok, JSON.stringify(env)).toBe(false);
      if (result.ok) continue;
      const problem = result.problems.find((p) => p.path === path);
      expect(problem?.message, path).toMatch(message);
    }
  });

  it('never yields a step weaker than the default, whatever it is given', () => {
    const weak = { LOW: 'run', MEDIUM: 'run', HIGH: 'run' } as const;
    expect(stepFor(weak, 'HIGH')).toBe('approval');
    expect(stepFor(weak, 'MEDIUM')).toBe('confirm');
    expect(stepFor(DEFAULT_RISK_POLICY, 'CRITICAL')).toBe('approval');
    expect(stepFor(DEFAULT_RISK_POLICY, '')).toBe('approval');
    expect(stricterStep('confirm', 'run')).toBe('confirm');
    // A stored plan that claims less than its risk deserves is not believed.
    expect(planStep({ riskLevel: 'HIGH' }, { step: 'run' })).toBe('approval');
    expect(planStep({ riskLevel: 'LOW' }, { step: 'confirm' })).toBe('confirm');
    expect(planStep({ riskLevel: 'MEDIUM' }, {})).toBe('confirm');
  });
});

describe('a stricter policy in use', () => {
  const strict = () => valid({ COC_RISK_POLICY_LOW: 'confirm', COC_RISK_POLICY_MEDIUM: 'approval' });

  it('asks once more for a LOW script: the preview says so, and only the confirmation\'s Run starts it', async () => {
    bot = await makeTestBot({ config: { approvals: strict().approvals } });
    const preview = await say(bot, 'alice', 'run disk_usage --hosts web-01');
    const go = goButton(preview);
    expect(go.confirm, 'a confirmation dialog on the button').toBeDefined();
    expect(preview.footer).toMatch(/^LOW risk: Run asks you once more/);
    bot.sim.resetRequests();
    const again = await click(bot, 'alice', 'run:go', go.value);
    expect(again.title).toBe('LOW risk: confirm once more');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect((await click(bot, 'alice', 'run:confirm', go.value)).title).toMatch(/^Started: order /);
    expect((await click(bot, 'alice', 'run:confirm', go.value)).title).toBe('This plan was already used');
    expect((await click(bot, 'alice', 'run:go', go.value)).title).toBe('This plan was already used');
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('turns a MEDIUM script into an approval request, approved by another person', async () => {
    bot = await makeTestBot({ config: { approvals: strict().approvals } });
    const preview = await say(bot, 'alice', 'run restart_nginx --hosts web-01,web-02');
    const go = goButton(preview);
    expect(go.label).toBe('Request approval');
    expect(preview.footer).toMatch(/^MEDIUM risk: this becomes a request/);
    expect((await click(bot, 'alice', 'run:go', go.value)).title).toBe('Approval requested');
    const card = bot.surface.posts.find((p) => p.message.buttons?.some((b) => b.actionId === 'approval:approve'));
    expect(card?.message.text).toMatch(/alice asks to run this MEDIUM-risk script/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    const approvalId = card!.message.buttons!.find((b) => b.actionId === 'approval:approve')!.value;
    expect((await click(bot, 'bob', 'approval:approve', approvalId)).title).toMatch(/^Approved: order SCT/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('applies a policy made stricter after the preview (a restart with a new configuration) on Run', async () => {
    bot = await makeTestBot();
    const go = goButton(await say(bot, 'alice', 'run disk_usage --hosts web-01'));
    expect(go.confirm).toBeUndefined();
    // The same store, now read by a bot whose policy asks for a confirmation.
    (bot.services.config.approvals as { riskPolicy: Config['approvals']['riskPolicy'] }).riskPolicy = strict().approvals.riskPolicy;
    expect((await click(bot, 'alice', 'run:go', go.value)).title).toBe('LOW risk: confirm once more');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});
