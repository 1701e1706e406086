/**
 * Script changes whose answer was lost, or that a bot that stopped left behind: what reading
 * back may conclude (never "changed" for a script exactly as it was; never "changed" when a
 * sensitive default, which cannot be read back, was part of it), recovery that reads each left
 * write back and settles it once, a request recovery failed that no approver can still send, a
 * create read back across pages, a write the audit trail could not record, and a difference
 * that never shows part of a sensitive default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import type { Script, ScriptsCapability, ScriptSummary } from '../src/backends/index.js';
import { APPROVAL_ACTIONS } from '../src/run/messages.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { approvalIdOf, scriptChangeDriver, text } from './helpers/script-change-requests.js';
import { recoverInterruptedRuns } from '../src/approvals/recovery.js';
import { getApproval, updateApprovalIfVersion } from '../src/store/approvals.js';
import { getScriptChange, moveScriptWrite } from '../src/store/script-changes.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { scriptDiff } from '../src/script-changes/diff.js';
import { readScriptWriteBack } from '../src/script-changes/write.js';
import { phrase } from '../src/i18n/phrase.js';
import { ChatDeliveryError } from '../src/core/chat-surface.js';
import { LOST_ANSWER_TEXTS } from '../src/core/lost-answer.js';

const POST = 'POST /v1/job/scripts';
const PUT = 'PUT /v1/job/scripts/{script_uuid}';
const DETAIL = 'GET /v1/job/scripts/{script_uuid}';
const SECRET = 'T0ken_S3cret_Value_42';
const LEFT = () => ({ leftAfterMs: 0, leftBefore: new Date(Date.now() + 60_000) });

const MAPPINGS: IdentityMappingConfig[] = [
  { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'admin' },
  { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'admin' },
  // An approver decides runs, never a change to a script.
  { platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'approver' },
];

let bot: TestBot;
const { file, say, click } = scriptChangeDriver(() => bot, 'script-changes-review-');

beforeAll(async () => {
  bot = await makeTestBot({ mappings: MAPPINGS });
});
afterAll(async () => {
  await bot?.close();
});

const scriptNamed = (name: string) => [...bot.sim.world.scripts.values()].find((s) => s.name === name);

async function states(id: string) {
  const [approval, change] = await Promise.all([getApproval(bot.store.db, id), getScriptChange(bot.store.db, id)]);
  return { approval: approval?.state, write: change?.writeState };
}

/** A create request approved by bob, as if his process had stopped right after the click. */
async function approvedButStopped(name: string): Promise<string> {
  const id = approvalIdOf(await say('alice', `scripts create ${name} --type shell --risk low --description "Left" --file ${file(`${name}.sh`, 'echo left\n')}`));
  const open = (await getApproval(bot.store.db, id))!;
  await updateApprovalIfVersion(bot.store.db, id, open.version, { state: 'approved', approverChatUserId: 'bob', approverIamUser: 'bob', decidedAt: new Date() });
  return id;
}

describe('an edit whose answer was lost, read back', () => {
  it('is "not changed" when the script is exactly as it was, whatever part of it the edit touched', async () => {
    const create = await say('alice', `scripts create rb_one --type shell --risk low --description "RB" --file ${file('rb.sh', 'echo ${keep_days}\n')} --param keep_days=7`);
    expect((await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(create))).title).toMatch(/created/);
    for (const change of ['--param keep_days=14', '--version 9.9.9', '--param-description keep_days="how long"']) {
      const edit = await say('alice', `scripts edit rb_one ${change}`);
      expect(edit.title).toBe('Approval requested: change script rb_one');
      // COC answers 503 before handling it: nothing is changed.
      bot.sim.faults.set(PUT, { kind: 'status', status: 503, times: 1 });
      bot.sim.resetRequests();
      const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(edit));
      bot.sim.faults.clear();
      expect(approved.title, change).toBe('bob approved, but script rb_one was not changed');
      expect(text(approved)).toMatch(/reading the script back shows it was not changed. It was not sent again/);
      expect(bot.sim.countRequests(PUT)).toBe(1);
      expect(await states(approvalIdOf(edit))).toEqual({ approval: 'failed', write: 'refused' });
    }
    const script = scriptNamed('rb_one')!;
    expect(script.params.find((p) => p.param_name === 'keep_days')?.param_value).toBe('7');
  });

  it('is "changed" when everything sent reads back, and "not known" when a sensitive default was part of it', async () => {
    const edit = await say('alice', 'scripts edit rb_one --param keep_days=30 --version 2.0.0');
    bot.sim.faults.set(PUT, { kind: 'reset', afterHandling: true, times: 1 });
    expect((await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(edit))).title).toBe('Script rb_one changed');
    bot.sim.faults.clear();

    const create = await say('alice', `scripts create rb_secret --type shell --risk low --description "S" --file ${file('rs.sh', 'echo\n')} --param keep=1 --param token=${SECRET} --sensitive token`);
    expect((await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(create))).title).toMatch(/created/);
    const secretEdit = await say('alice', 'scripts edit rb_secret --param token=An0ther_S3cret');
    bot.sim.faults.set(PUT, { kind: 'reset', afterHandling: true, times: 1 });
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(secretEdit));
    bot.sim.faults.clear();
    expect(approved.title).toBe('Whether script rb_secret was changed is not known');
    expect(text(approved)).toMatch(/everything sent except the sensitive default of token, which COC does not show.*Check token in COC before asking again/);
    expect(await states(approvalIdOf(secretEdit))).toEqual({ approval: 'unknown', write: 'unknown' });
    expect(text(approved)).not.toContain('An0ther_S3cret');
  });
});

describe('a create read back across pages', () => {
  const draft = { name: 'probe', type: 'SHELL', description: 'd', content: 'echo\n', risk: 'LOW', version: '1.0.0', params: [], reviewers: [] };
  const write = { action: 'create' as const, scriptId: undefined, draft, update: { paramsChanged: false, propertiesChanged: true } };
  const why = phrase(LOST_ANSWER_TEXTS.other);
  const row = (name: string, n: number): ScriptSummary => ({ id: `coc:script:${name}-${n}` as ScriptSummary['id'], name, risk: { state: 'low', code: 'LOW' }, publicScript: false });
  const created: Script = { ...row('probe', 0), description: 'd', content: 'echo\n', params: [], reviewers: [], version: '1.0.0', pin: { hash: 'h', modifiedAt: 1 } };
  /** COC matches the name as part of a name: page after page of other scripts whose names contain it. */
  const scripts = (pages: number): ScriptsCapability =>
    ({
      list: async (query: { after?: string; limit: number }) => {
        const page = Number(query.after ?? 0);
        const items = page < pages ? Array.from({ length: query.limit }, (_, i) => row(`probe_${page}_${i}`, i)) : [created];
        return { items, ...(page < pages ? { next: String(page + 1) } : {}) };
      },
      get: async () => created,
    }) as unknown as ScriptsCapability;

  it('follows the pages to the exact name, and says "not known" past its bound rather than "not created"', async () => {
    expect(await readScriptWriteBack(scripts(2), write, why)).toMatchObject({ kind: 'done', scriptId: created.id, foundBy: 'read-back' });
    expect((await readScriptWriteBack(scripts(1000), write, why)).kind).toBe('unknown');
  });
});

describe('script changes left behind, recovered', () => {
  it('fences a request it fails as never sent: an approving process that stalled can no longer stamp and send it', async () => {
    const id = await approvedButStopped('fence_me');
    await recoverInterruptedRuns(bot.services, LEFT());
    expect(await states(id)).toEqual({ approval: 'failed', write: 'refused' });
    expect(bot.surface.notices.at(-1)?.message.title).toBe('bob approved, but script fence_me was not created');
    // The approving process wakes: its stamp fails, so it sends nothing.
    expect(await moveScriptWrite(bot.store.db, id, ['none'], { writeState: 'sending', dropSealed: true })).toBeUndefined();
    expect(scriptNamed('fence_me')).toBeUndefined();
  });

  it('reads a write left "sending" back at once, and settles it (not created), telling the requester once, with an audit row', async () => {
    const id = await approvedButStopped('maybe_two');
    await moveScriptWrite(bot.store.db, id, ['none'], { writeState: 'sending', dropSealed: true });
    bot.sim.resetRequests();
    await recoverInterruptedRuns(bot.services, LEFT());
    expect(await states(id)).toEqual({ approval: 'failed', write: 'refused' });
    expect((await getApproval(bot.store.db, id))?.error).toMatch(/\(the bot stopped while waiting for it\); reading the script back shows it was not created/);
    expect(bot.surface.notices.at(-1)?.message.title).toBe('bob approved, but script maybe_two was not created');
    const told = bot.surface.notices.length;
    await recoverInterruptedRuns(bot.services, LEFT());
    expect(bot.surface.notices.length).toBe(told);
    expect(bot.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    const audited = await listAuditEvents(bot.store.db, { limit: 100 });
    expect(audited.filter((e) => e.target === id && e.command === 'script change reconciled')).toHaveLength(1);
  });

  it('reads an unknown write back in each round until it settles: a create found after all', async () => {
    const reply = await say('alice', `scripts create found_later --type shell --risk low --description "Later" --file ${file('later.sh', 'echo later\n')}`);
    // COC creates it but the answer is lost, and the read-back fails too: unknown.
    bot.sim.faults.set(POST, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    // Reads are retried: every try of the read-back fails.
    bot.sim.faults.set(DETAIL, { kind: 'status', status: 503, times: 10 });
    const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(reply));
    bot.sim.faults.clear();
    expect(approved.title).toBe('Whether script found_later was created is not known');
    const id = approvalIdOf(reply);
    expect(await states(id)).toEqual({ approval: 'unknown', write: 'unknown' });

    bot.sim.resetRequests();
    const report = await recoverInterruptedRuns(bot.services, LEFT());
    expect(report.scriptWritesSettled).toBe(1);
    expect(await states(id)).toEqual({ approval: 'executed', write: 'done' });
    const uuid = scriptNamed('found_later')!.scriptUuid;
    expect((await getScriptChange(bot.store.db, id))?.resultScriptId).toContain(uuid);
    expect(bot.surface.notices.at(-1)?.message.title).toMatch(new RegExp(`bob approved: script found_later created as ${uuid} \\(COC's answer was lost; the bot read the script back and found it done\\)`));
    expect(bot.sim.countRequests(POST)).toBe(0);
    const told = bot.surface.notices.length;
    expect((await recoverInterruptedRuns(bot.services, LEFT())).scriptWritesSettled).toBe(0);
    expect(bot.surface.notices.length).toBe(told);
  });
});

describe('a write the audit trail could not record', () => {
  it('says the bot did not send it (not that COC refused), and sends nothing', async () => {
    const edit = await say('alice', 'scripts edit rb_one --description "Not audited"');
    const db = bot.store.db;
    await db.exec(`
      CREATE FUNCTION test_refuse_intents() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the disk is full'; END; $$;
      CREATE TRIGGER test_refuse_intents BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.write_intent) EXECUTE FUNCTION test_refuse_intents();`);
    try {
      bot.sim.resetRequests();
      const approved = await click('bob', APPROVAL_ACTIONS.approve, approvalIdOf(edit));
      expect(approved.title).toBe('Not sent to COC: the audit trail could not record it');
      expect(text(approved)).not.toMatch(/COC refused/);
      expect((await getApproval(db, approvalIdOf(edit)))?.error).toBe('the bot did not send it to COC: the audit trail could not record it. Nothing was written; ask again once the database answers.');
      expect(bot.surface.notices.at(-1)?.message.title).toBe('bob approved, but script rb_one was not changed');
      expect(bot.sim.countRequests(PUT)).toBe(0);
    } finally {
      await db.exec('DROP TRIGGER test_refuse_intents ON audit_events; DROP FUNCTION test_refuse_intents();');
    }
  });
});

describe('the difference shown', () => {
  const base = { name: 's', type: 'SHELL', content: 'echo\n', risk: 'LOW', version: '1.0.0', reviewers: [] };
  it('masks a sensitive default before cutting a long value, and one that spans lines', () => {
    const description = `${'x'.repeat(70)} ${SECRET} tail`;
    const diff = scriptDiff(undefined, { ...base, description, params: [{ name: 'tok', defaultValue: SECRET, description: '', sensitive: true }] });
    expect(diff.properties.join('\n')).not.toContain(SECRET.slice(0, 6));
    const spanning = 'line-one-secret\nline-two-secret';
    const multi = scriptDiff(undefined, {
      ...base,
      description: `d ${spanning}`,
      content: `echo start\n${spanning}\necho end\n`,
      params: [
        { name: 'tok', defaultValue: spanning, description: '', sensitive: true },
        { name: 'other', defaultValue: 'v', description: `about ${spanning}`, sensitive: false },
      ],
    });
    const shown = [...multi.properties, ...multi.params, ...multi.content].join('\n');
    expect(shown).not.toContain('line-one');
    expect(shown).not.toContain('line-two');
  });
});

describe('a script change whose channel refuses its card', () => {
  it('goes by direct message to the other admins only, never to approvers who could not decide it', async () => {
    const surface = bot.surface;
    const post = surface.post.bind(surface);
    surface.post = async (target, message) => {
      if (message.title?.startsWith('Script change')) throw new ChatDeliveryError('not_in_channel', undefined, { reason: 'not-in-channel' });
      return post(target, message);
    };
    try {
      const before = surface.notices.length;
      const reply = await say('alice', `scripts create dm_only --type shell --risk low --description "Direct" --file ${file('dm_only.sh', 'echo dm\n')}`);
      expect(reply.title, text(reply)).toMatch(/direct message/i);
      const told = surface.notices.slice(before).map((notice) => notice.person.userId);
      expect(told).toEqual(['bob']);
    } finally {
      surface.post = post;
    }
  });
});
