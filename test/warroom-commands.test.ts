/**
 * `warroom create`, `warroom show`, `warroom summary` and the card's "Start WarRoom" button
 * against the simulator: what is sent, what is refused (and why), what is shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userIdFor } from '../src/sim/defaults.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonIds, click, command, createIncident } from './incident-helpers.js';

const CREATE_ROOM = 'POST /v1/external/warrooms';

describe('warroom commands', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('starts a WarRoom for an open incident with its application, region, admin and members', async () => {
    const num = await createIncident(bot, 'alice', '--assignee bob --region cn-north-4');
    const reply = await command(bot, 'alice', `warroom create ${num} --members @dave,carol`);
    const incident = bot.sim.world.incidents.get(num)!;
    const room = bot.sim.world.warRooms.get(incident.warroomId!)!;
    expect(reply.title).toBe(`WarRoom ${room.id} started for ${num}`);
    expect(reply.tone).toBe('success');
    expect(room).toMatchObject({
      title: '[P2] Checkout errors',
      admin: userIdFor('alice'),
      participants: [userIdFor('bob'), userIdFor('dave'), userIdFor('carol')],
      applicationIds: incident.currentCloudService,
      regionCodes: ['cn-north-4'],
      enterpriseProjectId: '0',
      status: 'RUNNING',
    });
    const fields = Object.fromEntries((reply.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ Status: 'Running', Incident: `${num} (P2)`, Admin: 'alice', Members: 'bob, dave, carol', Applications: 'storefront' });
    const news = bot.surface.posts.filter((p) => p.posted.channelId === `incident-${num}`).map((p) => p.message.title);
    expect(news).toContain(`WarRoom ${room.id} started by alice`);
    // The card now names it and offers no second one.
    const card = await command(bot, 'alice', `incident show ${num}`);
    expect(card.fields).toContainEqual({ label: 'WarRoom', value: room.id });
    expect(card.fields).toContainEqual({ label: 'WarRoom status', value: 'Running' });
    expect(buttonIds(card)).not.toContain('incident:warroom');
  });

  it('does not start a second one, nor one for a completed incident, and sends nothing', async () => {
    const num = await createIncident(bot);
    await click(bot, 'alice', 'incident:warroom', num);
    const sent = bot.sim.countRequests(CREATE_ROOM);
    const again = await click(bot, 'alice', 'incident:warroom', num);
    const roomId = bot.sim.world.incidents.get(num)!.warroomId!;
    expect(again.title).toBe(`Incident ${num} already has the WarRoom ${roomId}`);
    expect(again.fields).toContainEqual({ label: 'Admin', value: 'alice' });
    const done = bot.sim.world.incidents.all().find((i) => i.status === 'INCIDENT_STATUS_COMPLETED')!;
    const closed = await command(bot, 'alice', `warroom create ${done.incidentNum}`);
    expect(closed.title).toBe(`Incident ${done.incidentNum} is Completed; no WarRoom is started for it`);
    const badMember = await command(bot, 'alice', `warroom create ${num} --members zed`);
    expect(badMember.title).toBe(`Incident ${num} already has the WarRoom ${roomId}`);
    const fresh = await createIncident(bot);
    const refused = await command(bot, 'alice', `warroom create ${fresh} --members zed`);
    expect(refused.title).toBe('WarRoom not started: a member is not right');
    expect(refused.text).toContain('"zed" is not a person COC knows. Allowed: a chat user linked to an IAM user (mention them), or one of the IAM users alice, bob, carol, dave.');
    expect(bot.sim.countRequests(CREATE_ROOM)).toBe(sent);
    const viewer = await command(bot, 'carol', `warroom create ${fresh}`);
    expect(viewer.text).toMatch(/operator role/);
    expect(bot.sim.countRequests(CREATE_ROOM)).toBe(sent);
  });

  it('shows a WarRoom by incident number or WarRoom id, with members, status, durations and counts', async () => {
    const seeded = bot.sim.world.incidents.all().find((i) => i.title.startsWith('Replication lag'))!;
    const byIncident = await command(bot, 'carol', `warroom show ${seeded.incidentNum}`);
    expect(byIncident.title).toBe(`WarRoom ${seeded.warroomId}: [P3] Replication lag on db-04 above 300 s`);
    const fields = Object.fromEntries((byIncident.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ Status: 'Running', Incident: `${seeded.incidentNum} (P3)`, Admin: 'alice', 'Recovery leads': 'alice', Members: 'alice, bob', Regions: expect.any(String), Applications: 'orders' });
    expect(fields['In progress for']).toMatch(/h|min/);
    expect(byIncident.footer).toMatch(/^WarRooms of the last 30 days: \d+ running, \d+ closed\.$/);
    const byId = await command(bot, 'carol', `warroom show ${seeded.warroomId}`);
    expect(byId.title).toBe(byIncident.title);
    const closed = bot.sim.world.incidents.all().find((i) => i.status === 'INCIDENT_STATUS_COMPLETED')!;
    expect((await command(bot, 'carol', `warroom show ${closed.incidentNum}`)).fields).toContainEqual({ label: 'Status', value: 'Closed' });
    const none = bot.sim.world.incidents.all().find((i) => !i.warroomId)!;
    const missing = await command(bot, 'carol', `warroom show ${none.incidentNum}`);
    expect(missing.title).toBe(`No WarRoom for ${none.incidentNum}`);
    expect(missing.text).toBe(`Start one with "warroom create ${none.incidentNum}".`);
  });

  it('posts a summary on demand anywhere, saying where changes are counted', async () => {
    const num = await createIncident(bot);
    const reply = await command(bot, 'carol', `warroom summary ${num}`);
    expect(reply.title).toBe(`Summary of incident ${num}: Checkout errors`);
    expect(reply.private).toBeUndefined();
    expect(reply.fields).toContainEqual({ label: 'Status', value: 'Triggered (not accepted yet)' });
    expect(reply.sections?.[0]?.text).toBe('This is the first summary here; the next one says what changed since.');
    expect(reply.sections?.[1]?.text).toBe('No order has been run for this incident from chat.');
    expect(reply.footer).toBe(`Changes since the last summary are counted in the incident’s own place (shell incident-${num}).`);
  });

  it('answers in Chinese', async () => {
    const zh = await makeTestBot({ locale: 'zh-CN' });
    try {
      const seeded = zh.sim.world.incidents.all().find((i) => i.title.startsWith('Replication lag'))!;
      const reply = await command(zh, 'carol', `warroom show ${seeded.incidentNum}`);
      expect(reply.fields).toContainEqual({ label: '状态', value: '进行中' });
      const summary = await command(zh, 'carol', `warroom summary ${seeded.incidentNum}`);
      expect(summary.title).toBe(`事件 ${seeded.incidentNum} 摘要：Replication lag on db-04 above 300 s`);
      expect(summary.fields).toContainEqual({ label: '状态', value: '已受理' });
    } finally {
      await zh.close();
    }
  });
});
