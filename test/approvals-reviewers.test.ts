/**
 * `approvals.approvers`: who may approve a HIGH-risk run. The simulator's HIGH scripts name bob
 * as their reviewer; the terminal's demo people are alice (operator), bob (approver), carol
 * (viewer) and dave (admin). One simulator for the file; each bot its own store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMappingConfig } from '../src/config.js';
import { checkConfig } from '../src/config.js';
import { ChatDeliveryError } from '../src/core/chat-surface.js';
import type { Message } from '../src/core/message.js';
import { REVIEWER_ACTIONS } from '../src/approvals/approvers.js';
import { startSimulator, type Simulator } from '../src/sim/server.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { listOpenApprovals } from '../src/store/approvals.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { tempDir } from './helpers/config-files.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
const APPROVE = 'approval:approve';

let sim: Simulator;
let bot: TestBot | undefined;
beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
});
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});
afterAll(async () => {
  await sim.close();
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (b: TestBot, user: string, text: string): Promise<Message> => b.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (b: TestBot, user: string, actionId: string, value: string, interactionId?: string): Promise<Message> =>
  b.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value, ...(interactionId ? { interactionId } : {}) });

function text(message: Message): string {
  return [message.title, message.text, ...(message.fields ?? []).map((f) => `${f.label} ${f.value}`), message.footer].filter(Boolean).join('\n');
}

function field(message: Message, label: string): string | undefined {
  return message.fields?.find((f) => f.label === label)?.value;
}

/** Sets a script's reviewers in the simulator as COC would hold them (name and id). */
function setReviewers(name: string, reviewers: readonly string[] | undefined): void {
  const script = [...sim.world.scripts.values()].find((s) => s.name === name);
  if (!script) throw new Error(`no script ${name}`);
  script.properties = { ...script.properties, reviewers: reviewers?.map((r) => ({ reviewer_name: r, reviewer_id: `id-${r}` })) };
}

const LINES: Record<string, string> = {
  rotate_db_password: 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=N3w_s3cret_1',
  deploy_hotfix: 'run deploy_hotfix --hosts db-01 --param api_token=tok_123456',
  flush_redis_cache: 'run flush_redis_cache --hosts db-01 --param redis_password=pw_123456',
  COC_Reboot_Host: 'run COC_Reboot_Host --hosts db-01',
};

/** alice previews and presses Run: the reply, and the card posted (if any). */
async function request(b: TestBot, script: keyof typeof LINES, user = 'alice'): Promise<{ reply: Message; card: Message | undefined; id: string | undefined }> {
  const preview = await say(b, user, LINES[script]!);
  const go = preview.buttons?.find((x) => x.actionId === 'run:go');
  if (!go) throw new Error(`no Run on ${text(preview)}`);
  const posts = b.surface.posts.length;
  const reply = await click(b, user, 'run:go', go.value);
  const card = b.surface.posts.slice(posts).find((p) => /^Approval needed/.test(p.message.title ?? ''))?.message;
  const id = reply.footer?.match(/approval (\S+)/)?.[1];
  return { reply, card, id };
}

describe('approvals.approvers: reviewers', () => {
  it('refuses a non-reviewer approver (nothing changes, audited), and the reviewer starts the run exactly once', async () => {
    bot = await makeTestBot({ simulator: sim, config: { approvals: { approvers: 'reviewers' } } });
    sim.resetRequests();
    const { reply, card, id } = await request(bot, 'rotate_db_password');
    expect(reply.title).toBe('Approval requested');
    expect(field(reply, 'Who may approve')).toBe("only the script's reviewers in COC: bob (chat user bob)");
    expect(card, 'the request card was posted').toBeDefined();
    expect(field(card!, 'Who may approve')).toBe("only the script's reviewers in COC: bob (chat user bob)");
    expect(card!.text).toBe('alice asks to run this HIGH-risk script. Only its reviewers in COC may decide (see "Who may approve"), never alice.');
    expect(card!.buttons?.map((b) => b.actionId)).toEqual([REVIEWER_ACTIONS.approve, REVIEWER_ACTIONS.reject]);

    // dave is an admin (approver role and more) but not a reviewer.
    const refused = await click(bot, 'dave', REVIEWER_ACTIONS.approve, id!);
    expect(refused.title).toBe('Only bob may approve or reject this request');
    expect(refused.text).toBe('approvals.approvers is reviewers: the reviewers rotate_db_password names in COC decide, and you (dave) are not one of them. Nothing was done.');
    // The approver-only button of a role card, clicked on this request, is refused the same way.
    expect((await click(bot, 'dave', APPROVE, id!)).title).toBe('Only bob may approve or reject this request');
    // Reject is refused before it asks for a reason.
    const rejectRefused = await click(bot, 'dave', REVIEWER_ACTIONS.reject, id!);
    expect(rejectRefused.form).toBeUndefined();
    expect(rejectRefused.title).toBe('Only bob may approve or reject this request');
    // carol is a viewer: never a decider.
    expect((await click(bot, 'carol', REVIEWER_ACTIONS.approve, id!)).text).toMatch(/needs the operator role/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    const open = await listOpenApprovals(bot.store.db, bot.services.now(), 10);
    expect(open.map((a) => a.id)).toEqual([id]);
    const audited = await listAuditEvents(bot.store.db, { limit: 50 });
    const daves = audited.filter((e) => e.chatUserId === 'dave' && e.target === id);
    expect(daves.length).toBeGreaterThanOrEqual(3);
    expect(daves.every((e) => e.outcome === 'failed' && e.error === 'Only bob may approve or reject this request')).toBe(true);

    // bob, the reviewer: many clicks, one run.
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => click(bot!, 'bob', REVIEWER_ACTIONS.approve, id!, `bob-${i}`)));
    expect(replies.filter((r) => /^Approved: order /.test(r.title ?? ''))).toHaveLength(1);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    expect(bot.surface.notices.some((n) => n.person.userId === 'alice' && /bob approved your run of rotate_db_password/.test(n.message.title ?? ''))).toBe(true);
  });

  it('names an unlinked reviewer in the request with how to link them; once linked, they may approve', async () => {
    setReviewers('flush_redis_cache', ['erin']);
    try {
      bot = await makeTestBot({ simulator: sim, config: { approvals: { approvers: 'reviewers' } } });
      sim.resetRequests();
      const { reply, card, id } = await request(bot, 'flush_redis_cache');
      const unlinked = 'erin (not linked to chat: an admin can link them with "admin link <chat-user-id> erin operator")';
      expect(field(card!, 'Who may approve')).toBe(`only the script's reviewers in COC: ${unlinked}`);
      expect(reply.text).toMatch(/None of them can decide yet \(not linked to chat, or linked without the role it needs\): the request waits until an admin links one/);
      expect((await click(bot, 'bob', REVIEWER_ACTIONS.approve, id!)).title).toBe('Only erin may approve or reject this request');

      expect(await bot.run('dave', 'admin link erin erin operator')).toMatch(/erin/);
      expect(field(await say(bot, 'carol', `approval show ${id}`), 'Who may approve')).toBe("only the script's reviewers in COC: erin (chat user erin)");
      expect((await click(bot, 'erin', REVIEWER_ACTIONS.approve, id!)).title).toMatch(/^Approved: order /);
      expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    } finally {
      setReviewers('flush_redis_cache', ['bob']);
    }
  });

  it('refuses at request time a script with no reviewers, or none but the requester: nothing is filed', async () => {
    bot = await makeTestBot({ simulator: sim, config: { approvals: { approvers: 'reviewers' } } });
    setReviewers('deploy_hotfix', undefined);
    try {
      const none = await request(bot, 'deploy_hotfix');
      expect(none.reply.title).toBe('Nobody could approve this request');
      expect(none.reply.text).toContain('deploy_hotfix names no reviewers in COC, and here only a script\'s reviewers may approve (approvals.approvers: reviewers), so the request would wait for nobody. Nothing was requested and nothing ran.');
      expect(none.reply.text).toContain('Add reviewers to the script in COC, or ask an admin to set approvals.approvers to role.');
      expect(none.card).toBeUndefined();
      setReviewers('deploy_hotfix', ['alice']);
      const own = await request(bot, 'deploy_hotfix');
      expect(own.reply.title).toBe('Nobody could approve this request');
      expect(own.reply.text).toMatch(/deploy_hotfix's only reviewer in COC is you \(alice\), and nobody approves their own request/);
    } finally {
      setReviewers('deploy_hotfix', ['bob']);
    }
    // COC's public scripts name no reviewers.
    const publicScript = await request(bot, 'COC_Reboot_Host');
    expect(publicScript.reply.title).toBe('Nobody could approve this request');
    expect(publicScript.reply.text).toMatch(/COC_Reboot_Host is one of COC's public scripts, which name no reviewers[\s\S]*Ask an admin to set approvals\.approvers to role/);
    expect(await listOpenApprovals(bot.store.db, bot.services.now(), 10)).toEqual([]);
    const plans = await bot.store.db.query<{ state: string }>('SELECT state FROM run_plans');
    expect(plans.rows.map((r) => r.state)).toEqual(['canceled', 'canceled', 'canceled']);
  });

  it('voids a request whose script names other reviewers at Approve; nothing runs', async () => {
    bot = await makeTestBot({ simulator: sim, config: { approvals: { approvers: 'reviewers' } } });
    sim.resetRequests();
    const { id } = await request(bot, 'deploy_hotfix');
    setReviewers('deploy_hotfix', ['bob', 'erin']);
    try {
      const reply = await click(bot, 'bob', REVIEWER_ACTIONS.approve, id!);
      expect(reply.title).toBe("The script's reviewers changed after the request");
      expect(reply.text).toMatch(/reviewers in COC are now bob, erin; the request named bob/);
      expect(bot.sim.countRequests(EXECUTE)).toBe(0);
      expect(text(await click(bot, 'bob', REVIEWER_ACTIONS.approve, id!))).toMatch(/already decided[\s\S]*Void/);
    } finally {
      setReviewers('deploy_hotfix', ['bob']);
    }
  });

  it('sends the request by direct message to the reviewers only when its channel refuses it', async () => {
    bot = await makeTestBot({ simulator: sim, config: { approvals: { approvers: 'reviewers' } } });
    const surface = bot.surface;
    const post = surface.post.bind(surface);
    surface.post = async (target, message) => {
      if (message.buttons?.some((b) => b.actionId === REVIEWER_ACTIONS.approve)) throw new ChatDeliveryError('not_in_channel', undefined, { reason: 'not-in-channel' });
      return post(target, message);
    };
    const { reply } = await request(bot, 'rotate_db_password');
    expect(reply.title).toBe('Approval requested by direct message');
    const told = surface.notices.filter((n) => n.message.title?.startsWith('Approval needed')).map((n) => n.person.userId);
    expect(told).toEqual(['bob']);
  });
});

describe('approvals.approvers: both and role', () => {
  const people: IdentityMappingConfig[] = [
    { platform: 'shell', workspace: 'local', user: 'alice', iamUser: 'alice', role: 'operator' },
    { platform: 'shell', workspace: 'local', user: 'bob', iamUser: 'bob', role: 'operator' },
    { platform: 'shell', workspace: 'local', user: 'dave', iamUser: 'dave', role: 'admin' },
    { platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'approver' },
  ];

  it('both: a reviewer without the approver role and an approver who is no reviewer are refused; a reviewer-approver approves', async () => {
    setReviewers('flush_redis_cache', ['bob', 'erin']);
    try {
      bot = await makeTestBot({ simulator: sim, mappings: people, config: { approvals: { approvers: 'both' } } });
      sim.resetRequests();
      const { card, id } = await request(bot, 'flush_redis_cache');
      expect(card!.buttons?.[0]?.actionId).toBe(APPROVE);
      expect(field(card!, 'Who may approve')).toBe("only the script's reviewers in COC who have the approver role: bob (linked as operator: needs the approver role); erin (chat user erin)");
      // bob is a reviewer but an operator: the card's button needs the approver role, and so does the request's rule.
      expect(text(await click(bot, 'bob', APPROVE, id!))).toMatch(/needs the approver role/);
      const bobAsReviewer = await click(bot, 'bob', REVIEWER_ACTIONS.approve, id!);
      expect(bobAsReviewer.text).toBe('approvals.approvers is both: deciding needs the approver role, and you are operator. Nothing was done.');
      expect((await click(bot, 'dave', APPROVE, id!)).title).toBe('Only bob, erin may approve or reject this request');
      expect(bot.sim.countRequests(EXECUTE)).toBe(0);
      expect((await click(bot, 'erin', APPROVE, id!)).title).toMatch(/^Approved: order /);
      expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    } finally {
      setReviewers('flush_redis_cache', ['bob']);
    }
  });

  it('role (the default): any approver but the requester, reviewer or not; the card and the list say so', async () => {
    bot = await makeTestBot({ simulator: sim, mappings: people });
    sim.resetRequests();
    const { card, id } = await request(bot, 'rotate_db_password');
    expect(card!.buttons?.map((b) => b.actionId)).toEqual([APPROVE, 'approval:reject']);
    expect(field(card!, 'Who may approve')).toBe('anyone with the approver role but alice');
    // An operator clicking the reviewers' button of a role request is refused by the request's rule.
    expect((await click(bot, 'bob', REVIEWER_ACTIONS.approve, id!)).text).toBe('approvals.approvers is role: deciding needs the approver role, and you are operator. Nothing was done.');
    expect(text(await say(bot, 'bob', 'approvals'))).toMatch(/Approved by anyone with the approver role, never the requester \(approvals\.approvers: role\)\.[\s\S]*Who may approve \([0-9a-f]{8}…\): anyone with the approver role but alice/);
    expect((await click(bot, 'dave', APPROVE, id!)).title).toMatch(/^Approved: order /);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });
});

describe('approvals.approvers in check-config', () => {
  it('says when reviewers cannot work: BlueKing names no reviewers; ITSM processors decide', () => {
    const blueking = checkConfig({ env: { COC_CHATOPS_BACKEND: 'blueking', COC_APPROVAL_APPROVERS: 'reviewers' }, cwd: tempDir() });
    expect(blueking.exitCode).toBe(1);
    expect(blueking.output).toContain(
      "approvals.approvers: reviewers cannot work here: BlueKing's scripts name no reviewers; every HIGH-risk request would be refused (value from COC_APPROVAL_APPROVERS) — set COC_APPROVAL_APPROVERS or approvals.approvers in coc-chatops.json to role",
    );
    const itsm = checkConfig({ env: { COC_CHATOPS_BACKEND: 'blueking', COC_APPROVAL_APPROVERS: 'both', COC_APPROVAL_VIA: 'itsm' }, cwd: tempDir() });
    expect(itsm.output).toMatch(/approvals\.approvers: both cannot work here: BlueKing's scripts name no reviewers, and with approvals\.via itsm the ticket's processors in ITSM decide, not the script's reviewers/);
    const fine = checkConfig({ env: { COC_APPROVAL_APPROVERS: 'reviewers' }, cwd: tempDir() });
    expect(fine.exitCode).toBe(0);
    expect(fine.output).toMatch(/Approvals: +approved by the script's reviewers only; expire after 30 min/);
    const wrong = checkConfig({ env: { COC_APPROVAL_APPROVERS: 'owners' }, cwd: tempDir() });
    expect(wrong.output).toMatch(/approvals\.approvers: must be one of role, reviewers, both \(got "owners"\)/);
  });
});
