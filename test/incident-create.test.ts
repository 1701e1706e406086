/**
 * `incident create` with flags and with its form, through the real Dispatcher against the
 * simulator: every field checked against what COC accepts, each problem named with the
 * allowed values, nothing sent to COC until there is none; then the incident's place opened,
 * recorded and given the card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../src/sim/defaults.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { getIncidentChannel } from '../src/store/incident-channels.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonIds, command, createIncident, GOOD_FLAGS, submit, writes } from './incident-helpers.js';

const CREATE = 'POST /v1/external/incident/create';

describe('incident create with flags', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('creates the incident in COC, opens its place, records it and posts the card there', async () => {
    const reply = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --region cn-north-4 --assignee bob`);
    const num = /IM\d+/.exec(reply.title ?? '')![0];
    expect(reply.title).toBe(`Incident ${num} created: Checkout errors`);
    expect(reply.tone).toBe('success');
    const incident = bot.sim.world.incidents.get(num)!;
    expect(incident).toMatchObject({
      title: 'Checkout errors',
      description: '5xx on /pay since 09:40',
      level: 'level_20',
      type: 'inc_type_p_function_issues',
      isServiceInterrupt: true,
      source: 'incident_source_manual',
      assignee: [userIdFor('bob')],
      creator: userIdFor('alice'),
      currentCloudService: [APPLICATIONS.find((a) => a.name === 'storefront')!.id],
      region: ['cn-north-4'],
      status: 'INCIDENT_STATUS_TRIGGERED',
    });
    const fields = Object.fromEntries((reply.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ Level: 'P2', Type: 'Functional', Status: 'Triggered (not accepted yet)', Assignee: 'bob', 'Created by': 'alice', Application: 'storefront' });
    expect(buttonIds(reply)).toEqual(['incident:accept', 'incident:warroom', 'incident:refresh']);
    expect(reply.footer).toContain(`Status changes and summaries go to #incident-${num}.`);

    const place = bot.surface.incidentPlaces.find((p) => p.request.incidentNum === num)!;
    expect(place.request).toMatchObject({ workspaceId: 'local', title: 'Checkout errors', from: { platform: 'shell', channelId: 'terminal' }, invite: [{ userId: 'alice' }] });
    const row = await getIncidentChannel(bot.store.db, { platform: 'shell', workspaceId: 'local', incidentNum: num });
    expect(row).toMatchObject({ channelId: `incident-${num}`, lastSeenStatus: 'INCIDENT_STATUS_TRIGGERED', closedAt: null });
    expect(row?.lastSummaryAt).toBeInstanceOf(Date);
    const posted = bot.surface.posts.filter((p) => p.posted.channelId === `incident-${num}`);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.message.title).toBe(`Incident ${num}: Checkout errors`);
    expect(buttonIds(posted[0]!.message)).toEqual(['incident:accept', 'incident:warroom', 'incident:refresh']);
    expect(bot.sim.countRequests(CREATE)).toBe(1);
  });

  it('assigns the creator when no assignee is given, and takes a chat mention or an IAM user name', async () => {
    const mine = await createIncident(bot, 'alice', '');
    expect(bot.sim.world.incidents.get(mine)?.assignee).toEqual([userIdFor('alice')]);
    const mentioned = await createIncident(bot, 'alice', '--assignee @dave');
    expect(bot.sim.world.incidents.get(mentioned)?.assignee).toEqual([userIdFor('dave')]);
    const slackStyle = await createIncident(bot, 'alice', '--assignee <@carol>');
    expect(bot.sim.world.incidents.get(slackStyle)?.assignee).toEqual([userIdFor('carol')]);
    const byKey = await command(bot, 'alice', 'incident create --title T --description D --type inc_type_p_middlewares --level level_40 --application storefront --interrupted no');
    const keyed = /IM\d+/.exec(byKey.title ?? '')![0];
    expect(bot.sim.world.incidents.get(keyed)).toMatchObject({ type: 'inc_type_p_middlewares', level: 'level_40', isServiceInterrupt: false });
  });

  it('refuses an invalid level, type or yes/no, listing what is allowed, and sends nothing at all', async () => {
    bot.sim.resetRequests();
    const reply = await command(bot, 'alice', 'incident create --title T --description D --level p7 --type outage --application storefront --interrupted maybe');
    expect(reply.tone).toBe('danger');
    expect(reply.title).toBe('That command is not quite right');
    expect(reply.text).toContain('--level "p7" is not allowed.');
    expect(reply.text).toContain('Allowed: p1, p2, p3, p4, p5.');
    const type = await command(bot, 'alice', 'incident create --title T --description D --level p2 --type outage --application storefront --interrupted maybe');
    expect(type.text).toContain('--type "outage" is not allowed. Allowed: security, function, reliability, config, middleware, hardware, networking, facility, monitoring, consulting, supplier, other, change.');
    const interrupted = await command(bot, 'alice', 'incident create --title T --description D --level p2 --type network --application storefront --interrupted maybe');
    expect(interrupted.text).toContain('--interrupted "maybe" is not allowed. Allowed: yes, no.');
    expect(bot.sim.requests).toHaveLength(0);
  });

  it('names every missing field, and what is too long', async () => {
    bot.sim.resetRequests();
    const missing = await command(bot, 'alice', 'incident create --title "only a title"');
    expect(missing.text).toContain('--description: Required.');
    expect(missing.text).toContain('--level: Required. Allowed: p1, p2, p3, p4, p5.');
    expect(missing.text).toContain('--interrupted: Required. Allowed: yes, no.');
    expect(missing.text).toContain('--application: Required.');
    expect(missing.footer).toBe('Or leave out every flag to fill in a form.');
    const long = await command(bot, 'alice', `incident create ${GOOD_FLAGS.replace('"Checkout errors"', `"${'x'.repeat(201)}"`)}`);
    expect(long.text).toContain('--title may be at most 200 characters, got 201.');
    const region = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --region "north pole"`);
    expect(region.text).toContain('--region: "north pole" is not a region id.');
    expect(bot.sim.requests).toHaveLength(0);
  });

  it('refuses an assignee or application COC does not know, listing who and what is allowed; nothing is created', async () => {
    const before = writes(bot);
    const creates = bot.sim.countRequests(CREATE);
    const stranger = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --assignee zed`);
    expect(stranger.title).toBe('Incident not created: 1 to fix');
    expect(stranger.text).toContain('--assignee: "zed" is not a person COC knows. Allowed: a chat user linked to an IAM user (mention them), or one of the IAM users alice, bob, carol, dave.');
    const unlinked = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --assignee <@U999>`);
    expect(unlinked.text).toContain('--assignee: The chat user U999 is not linked to an IAM user.');
    const app = await command(bot, 'alice', 'incident create --title T --description D --level p3 --type config --application billing --interrupted no');
    expect(app.text).toContain('--application: "billing" is not an application COC knows. Allowed: orders, reports, sessions, storefront, or an application id (24 hex characters).');
    expect(writes(bot)).toBe(before);
    expect(bot.sim.countRequests(CREATE)).toBe(creates);
  });

  it('is refused to a viewer before anything is read', async () => {
    bot.sim.resetRequests();
    const reply = await command(bot, 'carol', `incident create ${GOOD_FLAGS}`);
    expect(reply.text).toMatch(/operator role/);
    expect(bot.sim.requests).toHaveLength(0);
  });

  it('explains a refusal by COC and does not retry it', async () => {
    bot.sim.resetRequests();
    bot.sim.faults.set(CREATE, { kind: 'status', status: 400, errorCode: 'GOM.00007256', errorMsg: 'Invalid parameters', times: 1 });
    const reply = await command(bot, 'alice', `incident create ${GOOD_FLAGS}`);
    expect(reply.title).toBe('COC refused to create the incident');
    expect(reply.text).toBe('HTTP 400 GOM.00007256: Invalid parameters. Nothing was retried.');
    expect(bot.sim.countRequests(CREATE)).toBe(1);
  });
});

describe('incident create with a form', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('opens a form with human names for levels, types and applications', async () => {
    const reply = await command(bot, 'alice', 'incident create');
    expect(reply.form?.id).toBe('incident:create');
    const field = (id: string) => reply.form?.fields.find((f) => f.id === id);
    expect(field('title')).toMatchObject({ kind: 'text', required: true, maxLength: 200 });
    expect(field('level')?.options?.map((o) => o.label)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(field('level')?.options?.[0]?.value).toBe('level_10');
    expect(field('type')?.options).toContainEqual({ label: 'Networking', value: 'inc_type_p_networking_issues' });
    expect(field('type')?.options).toHaveLength(13);
    expect(field('application')?.options?.map((o) => o.label)).toEqual(['orders', 'reports', 'sessions', 'storefront']);
    expect(field('interrupted')?.options).toEqual([
      { label: 'Yes', value: 'yes' },
      { label: 'No', value: 'no' },
    ]);
    expect(field('assignee')?.required).toBe(false);
    expect(bot.sim.countRequests(CREATE)).toBe(0);
  });

  it('refuses a submission field by field, with the allowed values, and sends nothing', async () => {
    const reply = await submit(bot, 'alice', 'incident:create', { title: 'Disk full', description: 'db-01 at 100%', level: 'P9', type: 'plumbing', application: APPLICATIONS[0]!.id, interrupted: 'yes' });
    expect(reply.fieldErrors).toEqual({
      level: '"P9" is not an incident level. Allowed: p1, p2, p3, p4, p5 (P1 is the most severe).',
      type: expect.stringContaining('"plumbing" is not an incident type. Allowed: security (Security)'),
    });
    const assignee = await submit(bot, 'alice', 'incident:create', { title: 'Disk full', description: 'db-01 at 100%', level: 'level_30', type: 'inc_type_p_hardware_issues', application: APPLICATIONS[0]!.id, interrupted: 'no', assignee: 'mallory' });
    expect(Object.keys(assignee.fieldErrors ?? {})).toEqual(['assignee']);
    expect(assignee.fieldErrors?.['assignee']).toContain('alice, bob, carol, dave');
    expect(bot.sim.countRequests(CREATE)).toBe(0);
  });

  it('creates the incident from a valid submission', async () => {
    const reply = await submit(bot, 'alice', 'incident:create', { title: 'Disk full', description: 'db-01 at 100%', level: 'level_30', type: 'inc_type_p_hardware_issues', application: APPLICATIONS[1]!.id, interrupted: 'no', assignee: 'bob' });
    expect(reply.fieldErrors).toBeUndefined();
    const num = /IM\d+/.exec(reply.title ?? '')![0];
    expect(bot.sim.world.incidents.get(num)).toMatchObject({ title: 'Disk full', level: 'level_30', type: 'inc_type_p_hardware_issues', isServiceInterrupt: false, assignee: [userIdFor('bob')] });
    expect(bot.sim.countRequests(CREATE)).toBe(1);
  });
});

describe('incident create in Chinese', () => {
  it('names fields, choices and problems in Chinese', async () => {
    const bot = await makeTestBot({ locale: 'zh-CN' });
    try {
      const form = await command(bot, 'alice', 'incident create');
      expect(form.form?.title).toBe('新建事件');
      expect(form.form?.fields.find((f) => f.id === 'type')?.options).toContainEqual({ label: '网络问题', value: 'inc_type_p_networking_issues' });
      expect(form.form?.fields.find((f) => f.id === 'interrupted')?.options?.map((o) => o.label)).toEqual(['是', '否']);
      const refused = await command(bot, 'alice', 'incident create --title T --description D --level p0 --type x --application storefront --interrupted yes');
      expect(refused.title).toBe('命令格式不正确');
      expect(refused.text).toContain('--level 不接受“p0”。');
      expect(refused.text).toContain('可选值：p1, p2, p3, p4, p5。');
      const missing = await command(bot, 'alice', 'incident create --title T --description D --type networking --application storefront --interrupted yes');
      expect(missing.title).toBe('事件未创建：有 1 处需要修正');
      const num = await createIncident(bot);
      const card = await command(bot, 'alice', `incident show ${num}`);
      expect(card.fields).toContainEqual({ label: '状态', value: '未受理' });
      expect(card.buttons?.map((b) => b.label)).toEqual(['受理', '拉起 WarRoom', '刷新']);
    } finally {
      await bot.close();
    }
  });
});
