/**
 * `run` and four-eyes approval through the real dispatcher, a fresh simulator and a store:
 * what is checked before anything is sent, LOW / MEDIUM / HIGH, the approval rules (own
 * request, expiry, a script changed meanwhile), exactly one execution under 100 concurrent
 * clicks, and sensitive values kept out of chat, the audit trail and the database in clear.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { scriptUuid } from './sim-helpers.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const SECRET = 'Rotated_S3cret_Value';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

async function say(b: TestBot, user: string, text: string): Promise<Message> {
  return b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
}

async function click(b: TestBot, user: string, actionId: string, value: string, interactionId?: string): Promise<Message> {
  const invocation: Invocation = { kind: 'action', actor: actor(user), place: PLACE, actionId, value, ...(interactionId ? { interactionId } : {}) };
  return b.handle(invocation);
}

function button(message: Message, actionId: string): string {
  const found = message.buttons?.find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}": ${JSON.stringify(message.buttons)}`);
  return found.value;
}

/** Everything a person would read of a message, as plain text. */
function text(message: Message): string {
  return [
    message.title,
    message.text,
    ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`),
    ...(message.sections ?? []).flatMap((s) => [s.title, s.text, ...(s.fields ?? []).map((f) => `${f.label} ${f.value}`)]),
    ...(message.buttons ?? []).map((b) => b.label),
    message.footer,
  ]
    .filter(Boolean)
    .join('\n');
}

const HIGH_LINE = `run rotate_db_password --tag role=db --param db_user=app --param new_password=${SECRET} --batch-size 3`;

describe('run: checked before anything is sent', () => {
  it('refuses bad options, unknown hosts and parameters with what is allowed, sending no write to COC', async () => {
    bot = await makeTestBot();
    bot.sim.resetRequests();
    const cases: [string, RegExp][] = [
      ['run disk_usage', /one way: --hosts h1,h2, or --tag key=value, or --query text \(got 0\)/],
      ['run disk_usage --hosts web-01 --tag role=web', /Give only one of --hosts, --tag\./],
      ['run disk_usage --hosts web-01,nosuchhost', /no host called "nosuchhost"/],
      ['run disk_usage --tag role=web --batch-size 11', /batch-size.*1.*10/],
      ['run disk_usage --tag role=web --timeout 3', /timeout.*5.*1800/],
      ['run disk_usage --tag role=web --rotation sometimes', /continue, pause/],
      ['run disk_usage --tag role=web --param nope=1', /no parameter "nope"; it takes: /],
      ['run rotate_db_password --tag role=db --param db_user=app', /"new_password" is sensitive: give its value/],
      ['run no_such_script --tag role=web', /not|No/],
      ['run disk_usage --tag role=web --batch-size 1', /at most 20/],
    ];
    for (const [line, expected] of cases) {
      const reply = await say(bot, 'alice', line);
      expect(reply.tone, line).toBe('danger');
      expect(text(reply), line).toMatch(expected);
    }
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('says what is wrong in the reader\'s language', async () => {
    bot = await makeTestBot({ locale: 'zh-CN' });
    expect(text(await say(bot, 'alice', 'run disk_usage --tag role=web --param nope=1'))).toMatch(/脚本没有参数“nope”；可用参数：/);
    expect(text(await say(bot, 'alice', 'run rotate_db_password --tag role=db --param db_user=app'))).toMatch(/“new_password”是敏感参数/);
  });

  it('previews hosts per batch, leaves out hosts whose agent is not online, and masks sensitive values', async () => {
    bot = await makeTestBot();
    const preview = await say(bot, 'alice', 'run disk_usage --tag role=web --batch-size 5 --canary');
    expect(preview.title).toMatch(/Run disk_usage on \d+ hosts\?/);
    const body = text(preview);
    expect(body).toMatch(/Left out \(\d+\): their UniAgent is not online/);
    expect(body).toMatch(/Batch 1 \(Pause[^)]*\): web-01 \(cn-north-4 · [0-9a-f]{8}\)\n/);
    expect(preview.buttons?.map((b) => b.actionId)).toEqual(['run:go', 'run:cancel']);

    const high = await say(bot, 'alice', HIGH_LINE);
    expect(text(high)).not.toContain(SECRET);
    expect(text(high)).toContain('new_password=••••••');
    expect(high.buttons?.[0]?.label).toBe('Request approval');
  });
});

describe('run by risk level', () => {
  it('runs a LOW script on Run, once however often Run is clicked', async () => {
    bot = await makeTestBot();
    const plan = button(await say(bot, 'alice', 'run disk_usage --hosts web-01,web-02'), 'run:go');
    bot.sim.resetRequests();
    const replies = await Promise.all(Array.from({ length: 10 }, () => click(bot!, 'alice', 'run:go', plan)));
    expect(replies.filter((r) => /^Started: order /.test(r.title ?? ''))).toHaveLength(1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    // The live card was posted where the run was asked for.
    expect(bot.surface.posts.some((p) => /^Order SCT/.test(p.message.title ?? ''))).toBe(true);
  });

  it('asks once more for a MEDIUM script, and someone else cannot press the requester\'s Run', async () => {
    bot = await makeTestBot();
    const medium = [...bot.sim.world.scripts.values()].find((s) => s.properties?.risk_level === 'MEDIUM');
    expect(medium, 'the simulator has a MEDIUM script').toBeDefined();
    const preview = await say(bot, 'alice', `run ${medium!.name} --hosts web-01 ${medium!.params.filter((p) => p.sensitive).map((p) => `--param ${p.param_name}=x1`).join(' ')}`);
    const plan = button(preview, 'run:go');
    expect(preview.buttons?.[0]?.confirm).toBeDefined();
    expect(text(await click(bot, 'dave', 'run:go', plan))).toMatch(/Only alice can run or cancel this plan/);
    bot.sim.resetRequests();
    const again = await click(bot, 'alice', 'run:go', plan);
    expect(again.title).toBe('MEDIUM risk: confirm once more');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    // The question's Run is its own action; the preview's Run asked again only asks again.
    expect(button(again, 'run:confirm')).toBe(plan);
    expect((await click(bot, 'alice', 'run:go', plan)).title).toBe('MEDIUM risk: confirm once more');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect((await click(bot, 'alice', 'run:confirm', plan)).title).toMatch(/^Started: order /);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('cancels a preview: nothing runs, and Run afterwards says so', async () => {
    bot = await makeTestBot();
    const plan = button(await say(bot, 'alice', 'run disk_usage --hosts web-01'), 'run:go');
    expect((await click(bot, 'alice', 'run:cancel', plan)).title).toMatch(/Canceled/);
    expect(text(await click(bot, 'alice', 'run:go', plan))).toMatch(/already used[\s\S]*canceled/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});

describe('four-eyes approval of HIGH-risk runs', () => {
  const approvers: IdentityMappingConfig[] = [
    { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'approver' },
    ...['bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ platform: 'shell' as const, workspace: 'local', user: name, iamUser: name, role: 'approver' as const })),
  ];

  async function requested(b: TestBot, user = 'alice'): Promise<string> {
    const plan = button(await say(b, user, HIGH_LINE), 'run:go');
    const reply = await click(b, user, 'run:go', plan);
    expect(reply.title).toBe('Approval requested');
    const post = b.surface.posts.find((p) => p.message.buttons?.some((x) => x.actionId === 'approval:approve'));
    expect(post, 'the request card was posted').toBeDefined();
    return button(post!.message, 'approval:approve');
  }

  it('runs after another approver approves, tells the requester, and edits the request card', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(reply.title).toMatch(/^Approved: order SCT/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /bob approved your run of rotate_db_password/.test(n.message.title ?? ''))).toBe(true);
    expect(bot.surface.updates.some((u) => /Approved by bob/.test(text(u.message)))).toBe(true);
    // What was executed carries the real value; nothing the bot wrote or said does.
    const execute = bot.sim.requests.find((r) => r.routeKey === EXECUTE);
    expect(JSON.stringify(execute?.body)).toContain(SECRET);
    const everything = JSON.stringify([bot.surface.posts, bot.surface.updates, bot.surface.notices, await listAuditEvents(bot.store.db, { limit: 500 })]);
    expect(everything).not.toContain(SECRET);
    const stored = await bot.store.db.query('SELECT * FROM run_plans');
    expect(JSON.stringify(stored.rows)).not.toContain(SECRET);
  });

  it('refuses the requester approving their own request, and a second decision', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    const own = await click(bot, 'alice', 'approval:approve', id);
    expect(own.title).toBe('You cannot approve your own request');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    await click(bot, 'bob', 'approval:approve', id);
    expect(text(await click(bot, 'carol', 'approval:approve', id))).toMatch(/already decided[\s\S]*Approved by bob/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('refuses an expired request, even before the expiry sweep ran, and the sweep announces it once', async () => {
    let now = Date.now();
    bot = await makeTestBot({ mappings: approvers, now: () => new Date(now) });
    const id = await requested(bot);
    now += 31 * 60_000;
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('This request has expired');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(bot.surface.notices.filter((n) => /expired/.test(n.message.title ?? ''))).toHaveLength(1);
    const id2 = await requested(bot, 'bob');
    now += 31 * 60_000;
    const { expireDueApprovals } = await import('../src/approvals/approvals.js');
    expect(await expireDueApprovals(bot.services)).toBe(1);
    expect(await expireDueApprovals(bot.services)).toBe(0);
    expect(text(await click(bot, 'carol', 'approval:approve', id2))).toMatch(/already decided[\s\S]*Expired/);
  });

  it('voids a request whose script changed after it was made', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    await bot.coc.updateScript(scriptUuid(bot.sim, 'rotate_db_password'), { description: 'rotates the password', content: '#!/bin/sh\necho changed' });
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(reply.title).toBe('The script changed after the request');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(text(await click(bot, 'carol', 'approval:approve', id))).toMatch(/already decided[\s\S]*Void/);
  });

  it('rejects with a reason (asked in a form), tells the requester, and nothing runs', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    const form = await click(bot, 'bob', 'approval:reject', id);
    expect(form.form?.fields.map((f) => f.id)).toEqual(['reason']);
    const empty = await bot.handle({ kind: 'submission', actor: actor('bob'), place: PLACE, formId: form.form!.id, values: { reason: ' ' }, context: form.form!.context! });
    expect(empty.fieldErrors?.['reason']).toMatch(/Say why/);
    const done = await bot.handle({ kind: 'submission', actor: actor('bob'), place: PLACE, formId: form.form!.id, values: { reason: 'not during the sale' }, context: form.form!.context! });
    expect(done.title).toBe('Rejected');
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /bob rejected/.test(n.message.title ?? ''))).toBe(true);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);

    // Looking at the rejected request (shown in red) is a successful look, and an unknown id is said to be unknown.
    const shownRejected = await say(bot, 'carol', `approval show ${id}`);
    expect(text(shownRejected)).toMatch(/not during the sale/);
    const unknown = await say(bot, 'bob', 'approval show 1678a193-5b17-469f-a280-d9d2e7f3b4bb');
    expect(unknown.title).toBe('No such approval request');
    const audited = await listAuditEvents(bot.store.db, { limit: 50 });
    const outcomeOf = (user: string, command: string) => audited.find((e) => e.chatUserId === user && e.command.startsWith(command))?.outcome;
    expect(outcomeOf('alice', 'run')).toBe('succeeded'); // the HIGH-risk preview, red as it is
    expect(outcomeOf('carol', 'approval')).toBe('succeeded');
    expect(outcomeOf('bob', 'approval show')).toBe('failed');
  });

  it('lets a requester with the approver role withdraw their own request (never recorded as their own decision)', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    const form = await click(bot, 'alice', 'approval:reject', id);
    const done = await bot.handle({ kind: 'submission', actor: actor('alice'), place: PLACE, formId: form.form!.id, values: { reason: 'wrong hosts' }, context: form.form!.context! });
    expect(done.title).toBe('Withdrawn');
    expect(bot.surface.updates.some((u) => /Void: withdrawn by alice \(wrong hosts\); nothing ran/.test(text(u.message)))).toBe(true);
    expect(text(await click(bot, 'bob', 'approval:approve', id))).toMatch(/already decided[\s\S]*withdrawn by alice/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it("fails the request with the reason when the requester's own COC credential is no longer set, and nothing runs", async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    // The credential named at request time is gone from the bot's environment (e.g. after a restart).
    await bot.store.db.query("UPDATE run_plans SET credential_ref = 'alice-keys'");
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(text(reply)).toMatch(/the requester's COC credential "alice-keys" is not set on the bot \(set COC_CREDENTIAL_ALICE_KEYS_AK/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    const plans = await bot.store.db.query<{ state: string }>('SELECT state FROM run_plans');
    expect(plans.rows.map((r) => r.state)).toEqual(['failed']);
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /credential "alice-keys"/.test(text(n.message)))).toBe(true);
    expect(text(await click(bot, 'carol', 'approval:approve', id))).toMatch(/already decided/);
  });

  it("tells a zh-CN approver why COC refused the run in Chinese, while the English requester's card says it in English", async () => {
    bot = await makeTestBot({ mappings: approvers.map((m) => (m.user === 'bob' ? { ...m, locale: 'zh-CN' as const } : m)) });
    const id = await requested(bot);
    bot.sim.faults.set(EXECUTE, { kind: 'status', status: 400, errorCode: 'COC.00040601', errorMsg: 'quota exceeded', times: 1 });
    const reply = await click(bot, 'bob', 'approval:approve', id);
    expect(text(reply)).toContain('COC 拒绝了执行：COC.00040601: quota exceeded');
    expect(bot.surface.updates.some((u) => /Approved by bob, but: COC refused the run: COC\.00040601: quota exceeded/.test(text(u.message)))).toBe(true);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('executes exactly once when 5 approvers click Approve 100 times at once', async () => {
    bot = await makeTestBot({ mappings: approvers });
    const id = await requested(bot);
    bot.sim.resetRequests();
    const clickers = ['bob', 'carol', 'dave', 'erin', 'frank'];
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => click(bot!, clickers[i % 5]!, 'approval:approve', id, `click-${i}`)));
    const started = replies.filter((r) => /^Approved: order /.test(r.title ?? ''));
    expect(started).toHaveLength(1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(replies.every((r) => r.title)).toBe(true);
    console.log(`approval race: 100 clicks from 5 approvers → ${started.length} started, ${bot.sim.countRequests(EXECUTE)} execute request(s) reached COC`);
  });
});
