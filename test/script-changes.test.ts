/**
 * `scripts create | edit | delete` through the real dispatcher against one simulator: each is a
 * request a second admin approves before exactly one write reaches COC; the request shows the
 * difference; a script changed meanwhile voids it; a lost answer is read back, never sent
 * twice; a refusal says COC's reason; bad input is refused with nothing filed; sensitive
 * defaults never reach chat, the audit trail or the store in clear.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { APPROVAL_ACTIONS } from '../src/run/messages.js';
import { pathFileReader } from '../src/adapters/shell/file-reader.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { actor, approvalIdOf, scriptChangeDriver, text } from './helpers/script-change-requests.js';
import { expireDueApprovals } from '../src/approvals/approvals.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { moveScriptWrite } from '../src/store/script-changes.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { scriptCreateCommand } from '../commands/scripts-changes.js';
import { Refusal } from '../src/core/refusal.js';
import { translator } from '../src/i18n/translate.js';
import type { CommandContext } from '../src/core/command.js';

const POST = 'POST /v1/job/scripts';
const PUT = 'PUT /v1/job/scripts/{script_uuid}';
const DELETE = 'DELETE /v1/job/scripts/{script_uuid}';
const SECRET = 'T0ken_S3cret_Value';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

const MAPPINGS: IdentityMappingConfig[] = [
  { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'admin' },
  { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'admin' },
  { platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'approver' },
  // The same IAM user as alice, from elsewhere: still the requester.
  { platform: 'shell', workspace: 'local', user: 'alice2', iamUser: 'ALICE', role: 'admin' },
];

let bot: TestBot;
const { dir, file, say, click } = scriptChangeDriver(() => bot, 'script-changes-');

beforeAll(async () => {
  bot = await makeTestBot({ mappings: MAPPINGS });
});
afterAll(async () => {
  await bot?.close();
});

/** The request card as posted (the last one). */
function lastCard(): Message {
  const post = bot.surface.posts.at(-1);
  if (!post) throw new Error('no card was posted');
  return post.message;
}

function scriptNamed(name: string) {
  return [...bot.sim.world.scripts.values()].find((s) => s.name === name);
}

async function everythingStored(): Promise<string> {
  const tables = ['approvals', 'script_changes', 'audit_events'];
  const dumps = await Promise.all(tables.map(async (table) => JSON.stringify((await bot.store.db.query(`SELECT * FROM ${table}`)).rows)));
  return dumps.join('\n');
}

describe('scripts create → edit → delete, each approved by a second admin', () => {
  it('creates a script: the request shows everything as new, only another admin approves, one POST', async () => {
    const path = file('rotate_logs.sh', '#!/bin/bash\nfind /var/log/app -mtime +${keep_days} -delete\ncurl -H "X-Token: ${api_token}" https://example.invalid/done\n');
    bot.sim.resetRequests();
    const reply = await say(
      'alice',
      `scripts create rotate_logs --type shell --risk medium --description "Rotate app logs" --file ${path} --param keep_days=7 --param api_token=${SECRET} --sensitive api_token --param-description keep_days="Days to keep"`,
    );
    expect(reply.title).toBe('Approval requested: create script rotate_logs');
    const id = approvalIdOf(reply);
    const card = text(lastCard());
    expect(card).toContain('Script change: create rotate_logs');
    expect(card).toMatch(/\+ keep_days = "7" — Days to keep/);
    expect(card).toContain('+ api_token = •••••• (sensitive)');
    expect(card).toContain('+ risk: MEDIUM');
    expect(card).toMatch(/Content \(\+3 −0\)/);
    expect(card).toContain('+find /var/log/app -mtime +${keep_days} -delete');
    expect(lastCard().buttons?.map((b) => b.actionId)).toEqual([APPROVAL_ACTIONS.approve, APPROVAL_ACTIONS.reject]);
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    // Four eyes: not the requester (nor the same IAM user from elsewhere), and only an admin.
    expect((await click('alice', APPROVAL_ACTIONS.approve, id)).title).toBe('You cannot approve your own request');
    expect((await click('alice2', APPROVAL_ACTIONS.approve, id)).title).toBe('You cannot approve your own request');
    expect((await click('erin', APPROVAL_ACTIONS.approve, id)).title).toBe('A script change needs a second admin');
    expect(bot.sim.countRequests(POST)).toBe(0);

    const approved = await click('bob', APPROVAL_ACTIONS.approve, id);
    expect(approved.title).toMatch(/^Script rotate_logs created as SC\d+/);
    expect(bot.sim.countRequests(POST)).toBe(1);
    const created = scriptNamed('rotate_logs');
    expect(created?.content).toContain('find /var/log/app');
    expect(created?.params.find((p) => p.param_name === 'api_token')).toMatchObject({ sensitive: true, param_value: SECRET });
    expect(created?.properties.risk_level).toBe('MEDIUM');
    // The requester was told, privately, with the uuid.
    const told = bot.surface.notices.at(-1);
    expect(told?.person.userId).toBe('alice');
    expect(told?.message.title).toBe(`bob approved: script rotate_logs created as ${created!.scriptUuid}`);
    // The trail: the request, the refused and the winning decisions, and the write (recorded before it was sent).
    const audited = await listAuditEvents(bot.store.db, { limit: 50 });
    const row = (user: string | null, command: string) => audited.find((e) => e.chatUserId === user && e.command.startsWith(command));
    expect(row('alice', 'scripts create')?.outcome).toBe('succeeded');
    expect(row('alice', 'action approval:approve')?.outcome).toBe('failed');
    expect(row('bob', 'action approval:approve')).toMatchObject({ outcome: 'succeeded', target: id });
    expect(row('bob', 'coc POST /v1/job/scripts')?.outcome).toBe('succeeded');
    // A second click finds it decided: nothing is sent again.
    expect((await click('bob', APPROVAL_ACTIONS.approve, id)).title).toBe('This request is already decided');
    expect(bot.sim.countRequests(POST)).toBe(1);
  });

  it('edits only what is given, showing the difference; one PUT', async () => {
    const path = file('rotate_logs_v2.sh', '#!/bin/bash\nfind /var/log/app -mtime +${keep_days} -delete\necho rotated\n');
    bot.sim.resetRequests();
    // Changing the parameters sends them all: a sensitive default is typed again, never read back from COC.
    const without = await say('alice', `scripts edit rotate_logs --risk high --param keep_days=14 --file ${path}`);
    expect(text(without)).toMatch(/--param api_token=…: changing the parameters sends them all/);
    const reply = await say('alice', `scripts edit rotate_logs --risk high --param keep_days=14 --param api_token=${SECRET} --file ${path}`);
    expect(reply.title).toBe('Approval requested: change script rotate_logs');
    const card = text(lastCard());
    expect(card).toContain('~ risk: MEDIUM → HIGH');
    expect(card).toContain('~ keep_days: default "7" → "14"');
    expect(card).toContain('-curl -H "X-Token: ${api_token}" https://example.invalid/done');
    expect(card).toContain('+echo rotated');
    expect(card).not.toContain('api_token =');
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(reply));
    expect(approved.title).toBe('Script rotate_logs changed');
    expect(bot.sim.countRequests(PUT)).toBe(1);
    const script = scriptNamed('rotate_logs')!;
    expect(script.properties.risk_level).toBe('HIGH');
    expect(script.content).toContain('echo rotated');
    expect(script.params.find((p) => p.param_name === 'keep_days')?.param_value).toBe('14');
    // The sensitive default is the one given again.
    expect(script.params.find((p) => p.param_name === 'api_token')?.param_value).toBe(SECRET);
  });

  it('voids an edit when the script changed in COC between the request and the approval', async () => {
    const reply = await say('alice', 'scripts edit rotate_logs --description "Rotate the app logs daily"');
    const id = approvalIdOf(reply);
    const script = scriptNamed('rotate_logs')!;
    script.content = `${script.content}# changed by hand\n`;
    script.gmtModified += 1000;
    bot.sim.resetRequests();
    const approved = await click('bob', APPROVAL_ACTIONS.approve, id);
    expect(approved.title).toBe('The script changed after the request');
    expect(text(approved)).toMatch(/void: the script changed in COC after the request/);
    expect(bot.sim.countRequests(PUT)).toBe(0);
    expect(bot.surface.notices.at(-1)?.message.title).toBe('Your request to change script rotate_logs is void');
  });

  it('deletes a script; one DELETE', async () => {
    const reply = await say('alice', 'scripts delete rotate_logs');
    expect(reply.title).toBe('Approval requested: delete script rotate_logs');
    bot.sim.resetRequests();
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(reply));
    expect(approved.title).toBe('Script rotate_logs deleted');
    expect(bot.sim.countRequests(DELETE)).toBe(1);
    expect(scriptNamed('rotate_logs')).toBeUndefined();
  });

  it('never shows, audits or stores a sensitive default in clear', async () => {
    const shown = [...bot.surface.posts, ...bot.surface.updates, ...bot.surface.notices].map((entry) => JSON.stringify(entry.message)).join('\n');
    expect(shown).not.toContain(SECRET);
    expect(await everythingStored()).not.toContain(SECRET);
    const sealed = await bot.store.db.query(`SELECT count(*)::int AS n FROM script_changes WHERE sealed_defaults IS NOT NULL`);
    expect(sealed.rows[0]).toEqual({ n: 0 });
  });
});

describe('scripts create: what COC answers', () => {
  it('reads back a create whose answer was lost and finds it created, without a second POST', async () => {
    const reply = await say('alice', `scripts create lost_answer --type shell --risk low --description "Lost answer" --file ${file('lost.sh', 'echo lost\n')}`);
    bot.sim.faults.set(POST, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    bot.sim.resetRequests();
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(reply));
    bot.sim.faults.clear();
    const uuid = scriptNamed('lost_answer')?.scriptUuid;
    expect(uuid).toBeDefined();
    expect(approved.title).toBe(`Script lost_answer created as ${uuid}`);
    expect(text(approved)).toMatch(/COC's answer was lost; the bot read the script back and found it done/);
    expect(bot.sim.countRequests(POST)).toBe(1);
  });

  it('reads back an edit whose answer was lost (changed), and a create that never arrived (not created, not sent again)', async () => {
    const edit = await say('alice', 'scripts edit lost_answer --description "Lost answer, read back"');
    bot.sim.faults.set(PUT, { kind: 'reset', afterHandling: true, times: 1 });
    bot.sim.resetRequests();
    const changed = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(edit));
    bot.sim.faults.clear();
    expect(changed.title).toBe('Script lost_answer changed');
    expect(bot.sim.countRequests(PUT)).toBe(1);
    expect(scriptNamed('lost_answer')?.description).toBe('Lost answer, read back');

    const create = await say('alice', `scripts create never_arrived --type shell --risk low --description "Never arrived" --file ${file('never.sh', 'echo never\n')}`);
    bot.sim.faults.set(POST, { kind: 'status', status: 503, times: 1 });
    bot.sim.resetRequests();
    const notCreated = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(create));
    bot.sim.faults.clear();
    expect(notCreated.title).toBe('bob approved, but script never_arrived was not created');
    expect(text(notCreated)).toMatch(/COC's answer was lost \(COC answered HTTP 503.*\); reading the script back shows it was not created. It was not sent again/);
    expect(bot.sim.countRequests(POST)).toBe(1);
    expect(scriptNamed('never_arrived')).toBeUndefined();
  });

  it('says COC\'s reason when it refuses', async () => {
    const reply = await say('alice', `scripts create refused_one --type shell --risk low --description "Refused" --file ${file('refused.sh', 'echo no\n')}`);
    bot.sim.faults.set(POST, { kind: 'status', status: 400, errorCode: 'COC.00040001', errorMsg: 'quota of scripts reached', times: 1 });
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(reply));
    bot.sim.faults.clear();
    expect(approved.title).toBe('COC refused to create script refused_one');
    expect(text(approved)).toContain('COC.00040001: quota of scripts reached');
    expect(scriptNamed('refused_one')).toBeUndefined();
    expect(bot.surface.notices.at(-1)?.message.title).toBe('bob approved, but COC refused to create script refused_one');
  });

  it('refuses bad input with what is wrong, filing nothing', async () => {
    const ok = file('ok.sh', 'echo ok\n');
    const before = (await bot.store.db.query(`SELECT count(*)::int AS n FROM approvals`)).rows[0];
    bot.sim.resetRequests();
    const cases: [string, RegExp][] = [
      [`scripts create bad-name! --type shell --risk low --description d --file ${ok}`, /name: may contain only letters, digits, _ and Chinese characters/],
      [`scripts create long_desc --type shell --risk low --description "${'x'.repeat(300)}" --file ${ok}`, /--description: .*256/],
      [`scripts create perl_one --type perl --risk low --description d --file ${ok}`, /shell, python, bat/],
      [`scripts create sens_one --type shell --risk low --description d --file ${ok} --param a=1 --sensitive nope`, /--sensitive nope: the script has no parameter "nope"/],
      [`scripts create no_file --type shell --risk low --description d --file ${join(dir, 'absent.sh')} --param a=1`, /--file|absent\.sh/],
    ];
    for (const [line, expected] of cases) {
      const reply = await say('alice', line);
      expect(reply.tone, line).toBe('danger');
      expect(text(reply), line).toMatch(expected);
    }
    expect((await bot.store.db.query(`SELECT count(*)::int AS n FROM approvals`)).rows[0]).toEqual(before);
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('opens a form when what a new script needs is missing, and files it from the form', async () => {
    const form = await say('alice', 'scripts create from_form');
    expect(form.form?.fields.map((f) => f.id)).toEqual(['type', 'risk', 'description', 'file']);
    const reply = await bot.handle({
      kind: 'submission',
      actor: actor('alice'),
      place: PLACE,
      formId: form.form!.id,
      values: { type: 'shell', risk: 'low', description: 'From a form', file: 'echo form\n' },
      ...(form.form!.context ? { context: form.form!.context } : {}),
    });
    expect(reply.title).toBe('Approval requested: create script from_form');
  });
});

describe('script change requests: withdrawn, rejected, expired, listed', () => {
  let clocked: TestBot;
  let now = Date.now();
  const ask = (user: string, line: string) => clocked.handle({ kind: 'command', actor: actor(user), place: PLACE, text: line, files: pathFileReader(dir) });
  const press = (user: string, actionId: string, value: string) => clocked.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

  beforeAll(async () => {
    // A bot of its own (its own store and clock) on the same simulator.
    clocked = await makeTestBot({ mappings: MAPPINGS, simulator: bot.sim, now: () => new Date(now) });
  });
  afterAll(async () => {
    await clocked?.close();
  });

  const createLine = (name: string) => `scripts create ${name} --type shell --risk low --description "Probe" --file ${file(`${name}.sh`, 'echo probe\n')}`;

  it('lets the requester withdraw, and another admin reject with a reason; nothing is written', async () => {
    bot.sim.resetRequests();
    const withdrawn = approvalIdOf(await ask('alice', createLine('withdrawn_one')));
    const listed = await ask('bob', 'approvals');
    expect(listed.table?.rows.some((row) => row[0] === withdrawn && row[1] === 'withdrawn_one')).toBe(true);
    expect(text(await ask('bob', `approval show ${withdrawn}`))).toContain('Script change: create withdrawn_one');
    expect((await clocked.handle({ kind: 'submission', actor: actor('alice'), place: PLACE, formId: 'approval:reject-reason', values: { reason: 'not needed' }, context: withdrawn })).title).toBe('Withdrawn');

    const rejected = approvalIdOf(await ask('alice', createLine('rejected_one')));
    const reply = await clocked.handle({ kind: 'submission', actor: actor('bob'), place: PLACE, formId: 'approval:reject-reason', values: { reason: 'use the existing one' }, context: rejected });
    expect(reply.title).toBe('Rejected');
    expect(clocked.surface.notices.at(-1)?.message.title).toBe('bob rejected your request to create script rejected_one');
    expect(text(clocked.surface.updates.at(-1)!.message)).toContain('Rejected by bob');
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('expires a request nobody decided, telling the requester; a late click is refused', async () => {
    const id = approvalIdOf(await ask('alice', createLine('expired_one')));
    now += (clocked.config.approvals.expiryMinutes + 1) * 60_000;
    expect(await expireDueApprovals(clocked.services)).toBeGreaterThanOrEqual(1);
    expect(clocked.surface.notices.at(-1)?.message.title).toBe('Your request to create script expired_one expired');
    expect((await press('bob', APPROVAL_ACTIONS.approve, id)).title).toBe('This request is already decided');
    expect(scriptNamed('expired_one')).toBeUndefined();
  });
});

describe('script change requests left behind by a bot that stopped', () => {
  it('fails one approved but never sent, and calls one stamped as being sent unknown when COC cannot be read; neither is sent again', async () => {
    const { db } = bot.services;
    const left = async (name: string) => {
      const id = approvalIdOf(await say('alice', `scripts create ${name} --type shell --risk low --description "Left" --file ${file(`${name}.sh`, 'echo left\n')}`));
      const open = (await getApproval(db, id))!;
      await updateApprovalIfVersion(db, id, open.version, { state: 'approved', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
      return id;
    };
    const neverSent = await left('never_sent');
    const maybeSent = await left('maybe_sent');
    await moveScriptWrite(db, maybeSent, ['none'], { writeState: 'sending', dropSealed: true });
    bot.sim.resetRequests();
    // The read-back of the one that may have been sent fails (reads are retried: every try).
    bot.sim.faults.set('GET /v1/job/scripts', { kind: 'status', status: 503, times: 10 });
    await recoverInterruptedRuns(bot.services, { leftAfterMs: 0, leftBefore: new Date(Date.now() + 60_000) });
    bot.sim.faults.clear();
    expect((await getApproval(db, neverSent))?.state).toBe('failed');
    expect((await getApproval(db, neverSent))?.error).toMatch(/before the write was sent: nothing was written/);
    expect((await getApproval(db, maybeSent))?.state).toBe('unknown');
    expect((await getApproval(db, maybeSent))?.error).toMatch(/Check with "scripts show maybe_sent"/);
    expect(bot.surface.notices.at(-1)?.message.title).toBe('bob approved; whether script maybe_sent was created is not known');
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('in Chinese', () => {
  it('says the request, its card and a refusal in the reader\'s language', async () => {
    const zh = await makeTestBot({ mappings: MAPPINGS, simulator: bot.sim, locale: 'zh-CN' });
    try {
      const ask = (line: string) => zh.handle({ kind: 'command', actor: actor('alice'), place: PLACE, text: line, files: pathFileReader(dir) });
      const reply = await ask(`scripts create zh_probe --type shell --risk low --description "探测" --file ${file('zh.sh', 'echo zh\n')} --param a=1`);
      expect(reply.title).toBe('已提交审批请求：创建脚本 zh_probe');
      expect(text(zh.surface.posts.at(-1)!.message)).toContain('alice 申请在 COC 中创建脚本 zh_probe');
      expect(text(await ask(`scripts create zh_two --type shell --risk low --description d --file ${file('zh2.sh', 'echo\n')} --param a=1 --sensitive b`))).toContain('--sensitive b：脚本没有参数“b”');
    } finally {
      await zh.close();
    }
  });
});

describe('a platform that does not let the bot manage scripts', () => {
  it('says so, and files nothing', async () => {
    const context = { backend: { name: 'blueking', scripts: { list: async () => ({ items: [] }) } }, t: translator('en-US') } as unknown as CommandContext;
    const refused = await scriptCreateCommand.run(context, { name: 'x', param: [], 'param-description': [], reviewer: [] } as never, { positionals: [], flags: new Map() } as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Refusal);
    expect((refused as Refusal).reply.text).toBe('BlueKing does not let the bot create, change or delete scripts: manage them in BlueKing itself.');
  });
});
