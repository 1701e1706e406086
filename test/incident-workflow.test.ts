/**
 * Working an incident from its card: the buttons that fit its status and the reader's role,
 * accept → solve (form) → verify, reject; every click re-reading the incident so a stale card
 * is refused with the status COC has now and sends nothing; one request per double click;
 * COC's refusals explained and never retried; each status change posted in the incident's
 * place exactly once, whoever sees it first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../src/sim/defaults.js';
import { insertTrackedOrder } from '../src/store/tracked-orders.js';
import { IncidentWatcher } from '../src/incidents/watcher.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonIds, click, command, createIncident, submit } from './incident-helpers.js';

/** COC offers its v2 workflow: the card's actions are taken through the task it offers. */
const HANDLE = 'POST /v2/incidents/{incident_id}/actions';

function transitionsIn(bot: TestBot, num: string): string[] {
  return bot.surface.posts.filter((p) => p.posted.channelId === `incident-${num}` && p.message.title?.includes('→')).map((p) => p.message.title ?? '');
}

describe('incident card and workflow', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('shows the buttons that fit the status and the reader’s role', async () => {
    const num = await createIncident(bot);
    expect(buttonIds(await command(bot, 'carol', `incident show ${num}`))).toEqual(['incident:refresh']);
    const carol = await command(bot, 'carol', `incident show ${num}`);
    expect(carol.footer).toContain('Other actions need the operator role.');
    expect(buttonIds(await command(bot, 'alice', `incident show ${num}`))).toEqual(['incident:accept', 'incident:warroom', 'incident:refresh']);
    await command(bot, 'alice', `incident accept ${num}`);
    expect(buttonIds(await command(bot, 'alice', `incident show ${num}`))).toEqual(['incident:solve', 'incident:warroom', 'incident:refresh']);
    await command(bot, 'alice', `incident solve ${num} --cause "disk full" --solution "rotated logs"`);
    const resolvedForAlice = await command(bot, 'alice', `incident show ${num}`);
    expect(buttonIds(resolvedForAlice)).toEqual(['incident:warroom', 'incident:refresh']);
    expect(resolvedForAlice.footer).toContain('Other actions need the approver role.');
    expect(buttonIds(await command(bot, 'bob', `incident show ${num}`))).toEqual(['incident:verify', 'incident:reject', 'incident:warroom', 'incident:refresh']);
    await command(bot, 'bob', `incident verify ${num}`);
    const done = await command(bot, 'bob', `incident show ${num}`);
    expect(buttonIds(done)).toEqual(['incident:refresh']);
    expect(done.footer).toContain('This incident is completed.');
  });

  it('accepts, takes the solution through its form, verifies; each change posted once in the place', async () => {
    const num = await createIncident(bot);
    const accepted = await click(bot, 'bob', 'incident:accept', num);
    expect(accepted.title).toBe(`Accepted: Incident ${num}: Checkout errors`);
    expect(bot.sim.world.incidents.get(num)?.status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');

    const form = await click(bot, 'bob', 'incident:solve', num);
    expect(form.form?.id).toBe('incident:solution');
    expect(form.form?.context).toBe(num);
    expect(form.form?.fields.map((f) => f.id)).toEqual(['cause', 'solution', 'type', 'interrupted']);
    expect(form.form?.fields.find((f) => f.id === 'type')?.initial).toBe('inc_type_p_function_issues');
    expect(form.form?.fields.find((f) => f.id === 'interrupted')?.initial).toBe('yes');

    const bad = await submit(bot, 'bob', 'incident:solution', { cause: '', solution: 'restarted', type: 'weather', interrupted: 'yes' }, num);
    expect(bad.fieldErrors).toEqual({ cause: 'Required.', type: expect.stringContaining('"weather" is not an incident type. Allowed: security (Security)') });
    expect(bot.sim.countRequests(HANDLE)).toBeGreaterThan(0);
    const handlesBefore = bot.sim.countRequests(HANDLE);
    const solved = await submit(bot, 'bob', 'incident:solution', { cause: 'A bad deploy', solution: 'Rolled back', type: 'change', interrupted: 'no' }, num);
    expect(solved.title).toBe(`Solution submitted: Incident ${num}: Checkout errors`);
    expect(bot.sim.countRequests(HANDLE)).toBe(handlesBefore + 1);
    expect(bot.sim.world.incidents.get(num)).toMatchObject({ status: 'INCIDENT_STATUS_RESOLVED', type: 'inc_type_p_change_issues', isServiceInterrupt: false, cause: 'A bad deploy', solution: 'Rolled back' });

    const verify = await click(bot, 'bob', 'incident:verify', num);
    expect(verify.form?.fields).toEqual([expect.objectContaining({ id: 'comment', required: false, maxLength: 300 })]);
    const verified = await submit(bot, 'bob', 'incident:verify', { comment: 'Error rate back to 0' }, num);
    expect(verified.title).toBe(`Verified: Incident ${num}: Checkout errors`);
    const incident = bot.sim.world.incidents.get(num)!;
    expect(incident.status).toBe('INCIDENT_STATUS_COMPLETED');
    expect(incident.history.map((h) => [h.action, h.operator])).toEqual([
      ['acceptedIncident1', userIdFor('bob')],
      ['commitSolution1', userIdFor('bob')],
      ['confirm', userIdFor('bob')],
    ]);
    expect(transitionsIn(bot, num)).toEqual([
      `${num}: Triggered (not accepted yet) → Acknowledged`,
      `${num}: Acknowledged → Resolved (awaiting verification)`,
      `${num}: Resolved (awaiting verification) → Completed`,
    ]);
    // The poller sees nothing new: every change was claimed by the click that made it.
    await bot.core.incidentWatcher.runOnce();
    expect(transitionsIn(bot, num)).toHaveLength(3);
  });

  it('refuses a click on a stale card with the status COC has now, and sends nothing', async () => {
    const num = await createIncident(bot);
    const card = await command(bot, 'alice', `incident show ${num}`);
    expect(buttonIds(card)).toContain('incident:accept');
    // Somebody accepts it in the COC console meanwhile.
    bot.sim.world.incidents.accept(bot.sim.world.incidents.get(num)!, userIdFor('dave'));
    const handles = bot.sim.countRequests(HANDLE);
    const stale = await click(bot, 'alice', 'incident:accept', num);
    expect(stale.tone).toBe('danger');
    expect(stale.title).toBe(`Incident ${num} is Acknowledged now; it cannot be accepted`);
    expect(stale.text).toBe('Nothing was sent to COC. This is the incident as it is now:');
    expect(stale.fields).toContainEqual({ label: 'Status', value: 'Acknowledged' });
    expect(buttonIds(stale)).toEqual(['incident:solve', 'incident:warroom', 'incident:refresh']);
    expect(bot.sim.countRequests(HANDLE)).toBe(handles);

    // A solution form opened before somebody else solved it is refused on submit.
    const form = await click(bot, 'alice', 'incident:solve', num);
    expect(form.form).toBeDefined();
    await command(bot, 'bob', `incident solve ${num} --cause x --solution y`);
    const late = await submit(bot, 'alice', 'incident:solution', { cause: 'c', solution: 's', type: 'config', interrupted: 'no' }, num);
    expect(late.title).toBe(`Incident ${num} is Resolved (awaiting verification) now; a solution cannot be submitted`);
    expect(bot.sim.countRequests(HANDLE)).toBe(handles + 1);

    // Verify on a completed incident.
    await command(bot, 'bob', `incident verify ${num} --comment ok`);
    const again = await click(bot, 'bob', 'incident:verify', num);
    expect(again.title).toBe(`Incident ${num} is Completed now; there is no solution to verify`);
    expect(bot.sim.countRequests(HANDLE)).toBe(handles + 2);
  });

  it('sends one request for a double click', async () => {
    const num = await createIncident(bot);
    const handles = bot.sim.countRequests(HANDLE);
    const [first, second] = await Promise.all([click(bot, 'alice', 'incident:accept', num), click(bot, 'bob', 'incident:accept', num)]);
    expect(bot.sim.countRequests(HANDLE)).toBe(handles + 1);
    expect([first.title, second.title].filter((title) => title?.startsWith('Accepted'))).toHaveLength(1);
    expect([first.title, second.title]).toContain(`Incident ${num} is Acknowledged now; it cannot be accepted`);
    expect(transitionsIn(bot, num)).toEqual([`${num}: Triggered (not accepted yet) → Acknowledged`]);
  });

  it('rejects a solution with a required reason; the incident is REJECTED, to be reworked', async () => {
    const num = await createIncident(bot);
    await command(bot, 'alice', `incident accept ${num}`);
    await command(bot, 'alice', `incident solve ${num} --cause x --solution y`);
    const form = await command(bot, 'bob', `incident reject ${num}`);
    expect(form.form?.id).toBe('incident:reject');
    expect(form.form?.fields[0]).toMatchObject({ id: 'comment', required: true });
    const empty = await submit(bot, 'bob', 'incident:reject', { comment: '  ' }, num);
    expect(empty.fieldErrors).toEqual({ comment: 'Required.' });
    const long = await submit(bot, 'bob', 'incident:reject', { comment: 'x'.repeat(301) }, num);
    expect(long.fieldErrors).toEqual({ comment: 'At most 300 characters, got 301.' });
    const rejected = await submit(bot, 'bob', 'incident:reject', { comment: 'Errors still at 2%' }, num);
    expect(rejected.title).toBe(`Solution rejected: Incident ${num}: Checkout errors`);
    expect(bot.sim.world.incidents.get(num)?.status).toBe('INCIDENT_STATUS_REJECTED');
    expect(bot.sim.world.incidents.get(num)?.history.at(-1)?.comment).toBe('Errors still at 2%');
    expect(transitionsIn(bot, num).at(-1)).toBe(`${num}: Resolved (awaiting verification) → Rejected`);
  });

  it('reworks a rejected incident to completion: a new solution from the card, verified again', async () => {
    const num = await createIncident(bot);
    await command(bot, 'alice', `incident accept ${num}`);
    await command(bot, 'alice', `incident solve ${num} --cause "disk full" --solution "rotated logs"`);
    await command(bot, 'bob', `incident reject ${num} --comment "errors still at 2%"`);
    const rejected = await command(bot, 'alice', `incident show ${num}`);
    expect(rejected.fields?.find((f) => f.label === 'Status')?.value).toBe('Rejected');
    expect(buttonIds(rejected)).toEqual(['incident:solve', 'incident:warroom', 'incident:refresh']);
    expect(rejected.footer).toContain('Its solution was rejected: rework it and submit it again');
    expect(rejected.footer).not.toContain('COC offers no action');
    // Verifying or rejecting again does not fit until a new solution is in: nothing is sent.
    const handles = bot.sim.countRequests(HANDLE);
    const stale = await command(bot, 'bob', `incident verify ${num}`);
    expect(stale.title).toBe(`Incident ${num} is Rejected now; there is no solution to verify`);
    expect(bot.sim.countRequests(HANDLE)).toBe(handles);

    const form = await click(bot, 'alice', 'incident:solve', num);
    expect(form.form?.id).toBe('incident:solution');
    const resubmitted = await submit(bot, 'alice', 'incident:solution', { cause: 'disk full', solution: 'rotated logs and raised the quota', type: 'config', interrupted: 'no' }, num);
    expect(resubmitted.title).toBe(`Solution submitted: Incident ${num}: Checkout errors`);
    expect(bot.sim.world.incidents.get(num)?.status).toBe('INCIDENT_STATUS_RESOLVED');
    const verified = await command(bot, 'bob', `incident verify ${num} --comment "errors at 0 for 30 min"`);
    expect(verified.title).toBe(`Verified: Incident ${num}: Checkout errors`);
    expect(bot.sim.world.incidents.get(num)?.history.map((h) => h.toStatus)).toEqual([
      'INCIDENT_STATUS_ACKNOWLEDGED',
      'INCIDENT_STATUS_RESOLVED',
      'INCIDENT_STATUS_REJECTED',
      'INCIDENT_STATUS_RESOLVED',
      'INCIDENT_STATUS_COMPLETED',
    ]);
    expect(transitionsIn(bot, num).slice(-3)).toEqual([
      `${num}: Resolved (awaiting verification) → Rejected`,
      `${num}: Rejected → Resolved (awaiting verification)`,
      `${num}: Resolved (awaiting verification) → Completed`,
    ]);
  });

  it('refuses typed values that COC would not take, listing what is allowed, and sends nothing', async () => {
    const num = await createIncident(bot);
    await command(bot, 'alice', `incident accept ${num}`);
    const handles = bot.sim.countRequests(HANDLE);
    const reply = await command(bot, 'alice', `incident solve ${num} --cause x --solution y --type lunar --interrupted perhaps`);
    expect(reply.title).toBe('That command is not quite right');
    expect(reply.text).toContain('--type "lunar" is not allowed. Allowed: security, function, reliability, config, middleware, hardware, networking,');
    const interrupted = await command(bot, 'alice', `incident solve ${num} --cause x --solution y --type config --interrupted perhaps`);
    expect(interrupted.text).toContain('--interrupted "perhaps" is not allowed. Allowed: yes, no.');
    const missing = await command(bot, 'alice', `incident solve ${num} --cause x`);
    expect(missing.title).toBe('Nothing was sent to COC');
    expect(missing.text).toContain('--solution: Required.');
    expect(bot.sim.countRequests(HANDLE)).toBe(handles);
    expect((await click(bot, 'alice', 'incident:accept', '../etc')).title).toBe('This button is not valid');
    expect((await command(bot, 'alice', 'incident accept IM404')).title).toBe('No incident IM404 in COC');
    expect(bot.sim.countRequests(HANDLE)).toBe(handles);
  });

  it('explains a refusal by COC with the status now, and does not retry', async () => {
    const num = await createIncident(bot);
    const handles = bot.sim.countRequests(HANDLE);
    bot.sim.faults.set(HANDLE, { kind: 'status', status: 400, errorCode: 'GOM.00007256', errorMsg: 'Invalid parameters', times: 1 });
    const reply = await click(bot, 'alice', 'incident:accept', num);
    expect(reply.title).toBe(`COC refused to accept incident ${num}`);
    expect(reply.text).toBe('HTTP 400 GOM.00007256: Invalid parameters. The incident is now Triggered (not accepted yet). Nothing was retried.');
    expect(bot.sim.countRequests(HANDLE)).toBe(handles + 1);
    bot.sim.faults.set(HANDLE, { kind: 'reset', times: 1, afterHandling: true });
    // The answer is lost after COC accepted it: the incident, read back, confirms it.
    const confirmed = await click(bot, 'alice', 'incident:accept', num);
    expect(confirmed.title).toMatch(/^Accepted: /);
    expect(confirmed.tone).toBe('success');
    expect([confirmed.text, confirmed.footer].join('\n')).toContain('Confirmed by reading the incident after COC’s answer was lost (the connection failed before an answer arrived); it was not sent again.');
    expect(bot.sim.countRequests(HANDLE)).toBe(handles + 2);
  });

  it('refuses a viewer’s click before reading anything', async () => {
    const num = await createIncident(bot);
    bot.sim.resetRequests();
    const reply = await click(bot, 'carol', 'incident:accept', num);
    expect(reply.text).toMatch(/operator role/);
    const verify = await click(bot, 'alice', 'incident:verify', num);
    expect(verify.text).toMatch(/approver role/);
    expect(bot.sim.requests).toHaveLength(0);
  });

  it('shows the orders run from the incident’s place on its card', async () => {
    const num = await createIncident(bot);
    const script = [...bot.sim.world.scripts.values()].find((s) => s.name === 'disk_usage')!;
    const host = bot.sim.world.hosts.find((h) => h.agentState === 'ONLINE')!;
    const uuid = await bot.coc.executeScript(script.scriptUuid, {
      execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
      execute_batches: [{ batch_index: 1, rotation_strategy: 'CONTINUE', target_instances: [{ resource_id: host.resourceId, region_id: host.regionId }] }],
    });
    bot.sim.settle(uuid);
    await insertTrackedOrder(bot.store.db, { runId: `coc:run:${uuid}`, platform: 'shell', workspaceId: 'local', channelId: `incident-${num}`, startedByIamUser: 'alice' });
    const card = await command(bot, 'carol', `incident show ${num}`);
    expect(card.sections?.[0]).toEqual({ title: 'Orders run for this incident', text: `${uuid} · disk_usage · Finished · by alice` });
  });
});

describe('status changes seen in COC', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('are posted once by the poller, even with two replicas polling at once; completed places stop being watched', async () => {
    const num = await createIncident(bot);
    const desk = bot.sim.world.incidents;
    const incident = desk.get(num)!;
    const second = new IncidentWatcher(bot.services);
    expect((await bot.core.incidentWatcher.runOnce()).transitions).toBe(0);
    desk.accept(incident, userIdFor('bob'));
    const [a, b] = await Promise.all([bot.core.incidentWatcher.runOnce(), second.runOnce()]);
    expect(a.transitions + b.transitions).toBe(1);
    const posts = transitionsIn(bot, num);
    expect(posts).toEqual([`${num}: Triggered (not accepted yet) → Acknowledged`]);
    const post = bot.surface.posts.find((p) => p.message.title === posts[0])!;
    expect(post.message.text).toBe('Seen in COC.');
    expect(buttonIds(post.message)).toEqual(['incident:solve', 'incident:warroom', 'incident:refresh']);
    // Two steps between two polls: one post from the last status seen to the one now.
    desk.commitSolution(incident, userIdFor('bob'), { mtmType: 'inc_type_p_config_issues', isServiceInterrupt: false, cause: 'c', solution: 's' });
    desk.confirm(incident, userIdFor('bob'), true, 'ok');
    await Promise.all([bot.core.incidentWatcher.runOnce(), second.runOnce()]);
    expect(transitionsIn(bot, num)).toEqual([`${num}: Triggered (not accepted yet) → Acknowledged`, `${num}: Acknowledged → Completed`]);
    bot.sim.resetRequests();
    await bot.core.incidentWatcher.runOnce();
    expect(bot.sim.countRequests('GET /v1/external/incident/{incident_num}')).toBe(0);
  });

  it('waits out a COC outage and posts the change at the next poll', async () => {
    const num = await createIncident(bot);
    bot.sim.world.incidents.accept(bot.sim.world.incidents.get(num)!, userIdFor('bob'));
    bot.sim.faults.set('GET /v1/external/incident/{incident_num}', { kind: 'status', status: 503, times: 100 });
    expect((await bot.core.incidentWatcher.runOnce()).transitions).toBe(0);
    bot.sim.faults.clear('GET /v1/external/incident/{incident_num}');
    expect((await bot.core.incidentWatcher.runOnce()).transitions).toBe(1);
    expect(transitionsIn(bot, num)).toEqual([`${num}: Triggered (not accepted yet) → Acknowledged`]);
  });

  it('tries a failed post again at the next poll', async () => {
    const num = await createIncident(bot);
    bot.sim.world.incidents.accept(bot.sim.world.incidents.get(num)!, userIdFor('bob'));
    const post = bot.surface.post.bind(bot.surface);
    const { ChatDeliveryError } = await import('../src/core/chat-surface.js');
    bot.surface.post = async () => {
      throw new ChatDeliveryError('rate limited', 1000);
    };
    try {
      expect((await bot.core.incidentWatcher.runOnce()).transitions).toBe(0);
    } finally {
      bot.surface.post = post;
    }
    expect((await bot.core.incidentWatcher.runOnce()).transitions).toBe(1);
    expect(transitionsIn(bot, num)).toEqual([`${num}: Triggered (not accepted yet) → Acknowledged`]);
  });
});
