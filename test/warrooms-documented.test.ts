/**
 * WarRooms and incidents as the reference documents describe them, against the simulator:
 * `warrooms` lists and filters with the SDK's request names and the documented response;
 * WarRoom answers whose `error_code` is the documented "0"; durations in words (minutes for
 * WarRooms, no time to recover while one runs, days for old incidents, from the reference's
 * own example incident); on-call scene/role for incidents and on-call groups for WarRooms.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentOf } from '../src/backends/coc/incidents.js';
import { IncidentDetail } from '../src/coc/index.js';
import { isSuccessCode, unwrapEnvelope } from '../src/coc/transport/envelopes.js';
import { loadConfig } from '../src/config.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { translator } from '../src/i18n/translate.js';
import { minutesSpan, span } from '../src/incidents/durations.js';
import { summaryMessage } from '../src/incidents/summary.js';
import { isRunning, warRoomDurations } from '../src/incidents/war-room-state.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { command, createIncident, GOOD_FLAGS } from './incident-helpers.js';

const LIST = 'POST /v1/external/warrooms/list';
const CREATE_ROOM = 'POST /v1/external/warrooms';
const CREATE_INCIDENT = 'POST /v1/external/incident/create';

function fieldsOf(message: { fields?: readonly { label: string; value: string }[] | undefined }): Record<string, string> {
  return Object.fromEntries((message.fields ?? []).map((f) => [f.label, f.value]));
}

describe('WarRooms and incidents as documented', () => {
  let bot: TestBot;
  const bodiesTo = (route: string): unknown[] => bot.sim.requests.filter((r) => r.routeKey === route).map((r) => r.body);
  beforeAll(async () => {
    bot = await makeTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it('warrooms --status running lists the running WarRooms only, with the counts of both', async () => {
    const running = bot.sim.world.warRooms.all().filter((room) => room.status === 'RUNNING');
    const closed = bot.sim.world.warRooms.all().filter((room) => room.status === 'CLOSED');
    expect(running.length).toBeGreaterThan(0);
    expect(closed.length).toBeGreaterThan(0);
    const reply = await command(bot, 'carol', 'warrooms --status running');
    expect(bodiesTo(LIST).at(-1)).toEqual({ limit: 10, offset: 0, status: ['RUNNING'] });
    expect(reply.title).toBe(`WarRooms (${running.length} of ${running.length})`);
    const numbers = (reply.table?.rows ?? []).map((row) => row[0]);
    expect(numbers.sort()).toEqual(running.map((room) => room.id).sort());
    for (const row of reply.table?.rows ?? []) expect(row[1]).toBe('Running');
    expect(reply.footer).toContain('Filters: status running.');
    expect(reply.footer).toContain(`Running ${running.length}, closed ${closed.length} (whatever the status filter).`);
    expect(reply.footer).toContain('Started in the last 30 days');
    const all = await command(bot, 'carol', 'warrooms');
    expect(all.table?.rows.length).toBe(running.length + closed.length);
  });

  it('sends the SDK’s filter names (level, application, region, start time) and pages by offset', async () => {
    const seeded = bot.sim.world.incidents.all().find((incident) => incident.title.startsWith('Replication lag'))!;
    const reply = await command(bot, 'carol', `warrooms --level p3 --application orders --region ${seeded.region[0]} --since 30d --limit 1 --page 1`);
    const body = bodiesTo(LIST).at(-1) as Record<string, unknown>;
    expect(body).toMatchObject({
      limit: 1,
      offset: 0,
      incident_levels: ['level_30'],
      impacted_application_ids: seeded.currentCloudService,
      region_code_list: seeded.region,
      triggered_start_time: expect.any(Number),
      triggered_end_time: expect.any(Number),
    });
    expect(body).not.toHaveProperty('page_size');
    expect(reply.table?.rows.map((row) => row[0])).toEqual([seeded.warroomId]);
    expect(reply.table?.rows[0]?.[4]).toBe('P3');
    await command(bot, 'carol', 'warrooms --page 3 --limit 2');
    expect(bodiesTo(LIST).at(-1)).toMatchObject({ limit: 2, offset: 4 });
    const unknownApp = await command(bot, 'carol', 'warrooms --application nowhere');
    expect(unknownApp.title).toBe('No application "nowhere"');
    expect(unknownApp.text).toContain('orders');
    const badStatus = await command(bot, 'carol', 'warrooms --status paused');
    expect(badStatus.text).toContain('Allowed: running, closed');
  });

  it('takes the documented success code "0" on WarRoom answers', async () => {
    const seeded = bot.sim.world.incidents.all().find((incident) => incident.title.startsWith('Replication lag'))!;
    // Only what the documents call success: "0", and codes ending in 00000000.
    expect(['0', 'GOM.00000000', 'COC.00000000'].map(isSuccessCode)).toEqual([true, true, true]);
    expect(['00', '10', 'GOM.0', 'GOM.00007256', ''].map(isSuccessCode)).toEqual([false, false, false, false, false]);
    expect(unwrapEnvelope('pce', { present: true, value: { provider_code: 4, error_code: 0, error_msg: null, data: { list: [] } } })).toEqual({ kind: 'payload', payload: { list: [] } });
    bot.sim.world.warRooms.successCode = '0';
    try {
      const shown = await command(bot, 'carol', `warroom show ${seeded.incidentNum}`);
      expect(shown.title).toBe(`WarRoom ${seeded.warroomId}: [P3] Replication lag on db-04 above 300 s`);
      expect(shown.tone).not.toBe('danger');
      const listed = await command(bot, 'carol', 'warrooms --status running');
      expect(listed.title).toMatch(/^WarRooms \(\d+ of \d+\)$/);
      const last = bot.sim.requests.filter((r) => r.routeKey === LIST).at(-1);
      expect(last).toBeDefined();
    } finally {
      bot.sim.world.warRooms.successCode = 'GOM.00000000';
    }
  });

  it('shows durations in words: a running WarRoom has no time to recover, a closed one in minutes', async () => {
    const running = bot.sim.world.incidents.all().find((incident) => incident.title.startsWith('Replication lag'))!;
    const runningCard = fieldsOf(await command(bot, 'carol', `warroom show ${running.incidentNum}`));
    // The seeded room opened 137 minutes before the start of today's UTC day: hours, or a day and hours late in the day.
    expect(runningCard['In progress for']).toMatch(/^(\d+ h \d\d min|1 d \d\d h)$/);
    expect(runningCard).not.toHaveProperty('Time to recover');
    const closedRoom = bot.sim.world.warRooms.all().find((room) => room.status === 'CLOSED')!;
    const closedCard = fieldsOf(await command(bot, 'carol', `warroom show ${closedRoom.id}`));
    expect(closedCard).not.toHaveProperty('In progress for');
    expect(closedCard['Handled in']).toMatch(/^(\d+ h \d\d min|\d+ min 00 s|under a minute|\d+ d \d\d h)$/);
    expect(closedCard['Time to recover']).toMatch(/^(\d+ h \d\d min|\d+ min 00 s|under a minute|\d+ d \d\d h)$/);
    expect(closedCard['Time to recover']).not.toMatch(/ms$/);
    // A running room whose minutes COC keeps at 0: from its start; counted minutes when COC has them; never a time to recover.
    const base = { leaders: [], members: [], regions: [], applications: [] };
    const start = Date.UTC(2026, 2, 14, 9, 0);
    const runningRoom = { ...base, status: { code: 'RUNNING', en: 'Running' }, createdAt: start, processingMinutes: 0, restorationMinutes: 0 };
    expect(warRoomDurations(runningRoom, start + 125 * 60_000, 'en-US')).toEqual({ running: true, inProgress: '2 h 05 min' });
    expect(warRoomDurations({ ...runningRoom, processingMinutes: 42 }, start + 125 * 60_000, 'en-US')).toEqual({ running: true, inProgress: '42 min 00 s' });
    const closedSample = { ...base, status: { code: 'CLOSED', en: 'Closed', zh: '已关闭' }, createdAt: start, recoveredAt: start + 1, processingMinutes: 0, restorationMinutes: 1500 };
    expect(warRoomDurations(closedSample, start, 'en-US')).toEqual({ running: false, handled: 'under a minute', toRecover: '1 d 01 h' });
    // No status COC names: recovered means over.
    expect(isRunning({ ...base })).toBe(true);
    expect(isRunning({ ...base, recoveredAt: start })).toBe(false);
    expect(isRunning({ ...base, status: { zh: '进行中' }, recoveredAt: start })).toBe(true);
    // The fields are minutes: 0 is "under a minute", never "0 ms".
    expect(minutesSpan(0, 'en-US')).toBe('under a minute');
    expect(minutesSpan(0, 'zh-CN')).toBe('不到 1 分钟');
    expect(minutesSpan(95, 'en-US')).toBe('1 h 35 min');
    expect(minutesSpan(3 * 1440 + 4 * 60, 'zh-CN')).toBe('3 天 04 小时');
  });

  it('says how long the reference’s example incident has been open in days, from its create_time', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference-examples/show-coc-incident-detail-200-en.json', import.meta.url), 'utf8')) as { body: unknown };
    const unwrapped = unwrapEnvelope('pce', { present: true, value: fixture.body });
    if (unwrapped.kind !== 'payload') throw new Error('the example is not a success envelope');
    const detail = incidentOf(IncidentDetail.parse(unwrapped.payload));
    expect(detail.createdAt).toBe(1710739323172);
    // 992 days, 23 hours and a bit after 2024-03-18 05:22:03 UTC.
    const now = new Date(1710739323172 + 992 * 86_400_000 + 23 * 3_600_000 + 1_000);
    const message = summaryMessage(detail, { t: translator('en-US'), locale: 'en-US', vocabulary: bot.services.backend.vocabulary, now, orders: [] });
    expect(fieldsOf(message)['Open for']).toBe('992 d 23 h');
    // Not recovered yet: no fault duration.
    expect(fieldsOf(message)).not.toHaveProperty('Fault lasted');
    expect(span(23_831 * 3_600_000, 'en-US')).toBe('992 d 23 h');
  });

  it('opens an incident for an on-call scene and role, refusing what COC would not take', async () => {
    const sent = bot.sim.countRequests(CREATE_INCIDENT);
    const half = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --scene payments-oncall`);
    expect(half.text).toContain('--role: The on-call scene and role go together: give both (or neither, to assign a person).');
    const both = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --assignee bob --scene payments-oncall --role first-line`);
    expect(both.text).toContain('--assignee: Give either an assignee or an on-call scene and role, not both');
    const spaced = await command(bot, 'alice', `incident create ${GOOD_FLAGS} --scene "payments oncall" --role first-line`);
    expect(spaced.text).toContain('--scene: "payments oncall" is not an id');
    expect(bot.sim.countRequests(CREATE_INCIDENT)).toBe(sent);

    const num = await createIncident(bot, 'alice', '--scene payments-oncall --role first-line');
    const body = bodiesTo(CREATE_INCIDENT).at(-1) as Record<string, unknown>;
    expect(body).toMatchObject({ assignee_scene: 'payments-oncall', assignee_role: 'first-line' });
    expect(body).not.toHaveProperty('incident_assignee');
    const card = fieldsOf(await command(bot, 'alice', `incident show ${num}`));
    expect(card['Assignee']).toBe('on-call scene payments-oncall, role first-line');

    // Its WarRoom pulls in its own on-call group, and any other named.
    const room = await command(bot, 'alice', `warroom create ${num} --schedule db-oncall:dba,payments-oncall:first-line`);
    expect(room.tone).toBe('success');
    expect(bodiesTo(CREATE_ROOM).at(-1)).toMatchObject({
      schedule_group: [
        { scene_id: 'payments-oncall', role_id: 'first-line' },
        { scene_id: 'db-oncall', role_id: 'dba' },
      ],
    });
  });

  it('refuses a malformed on-call group and sends nothing; with none, schedule_group is empty', async () => {
    const num = await createIncident(bot);
    const sent = bot.sim.countRequests(CREATE_ROOM);
    const bad = await command(bot, 'alice', `warroom create ${num} --schedule db-oncall`);
    expect(bad.title).toBe('WarRoom not started: an on-call group is not right');
    expect(bad.text).toContain('"db-oncall" is not scene:role');
    expect(bot.sim.countRequests(CREATE_ROOM)).toBe(sent);
    await command(bot, 'alice', `warroom create ${num}`);
    expect(bodiesTo(CREATE_ROOM).at(-1)).toMatchObject({ schedule_group: [] });
  });

  it('files an alarm under a real COC application: --app by name or id, else the configured one, else it asks', async () => {
    const events = () => bot.sim.world.alarms.all().length;
    const before = events();
    const asked = await command(bot, 'alice', 'alarm --name "Disk full" --level major --desc "/ at 98%"');
    expect(asked.title).toBe('Which COC application is the alarm for?');
    expect(asked.text).toContain('give --app with its name (');
    expect(asked.text).toContain('incidents.alarmApplication (COC_ALARM_APPLICATION)');
    const unknown = await command(bot, 'alice', 'alarm --name "Disk full" --level major --desc "/ at 98%" --app coc-chatops');
    expect(unknown.title).toBe('No COC application "coc-chatops"');
    expect(events()).toBe(before);

    const orders = APPLICATIONS.find((application) => application.name === 'orders')!;
    const byName = await command(bot, 'alice', 'alarm --name "Disk full" --level major --desc "/ at 98%" --app orders');
    expect(fieldsOf(byName)['Application id']).toBe(`orders (${orders.id})`);
    expect(bot.sim.world.alarms.all().at(-1)?.applicationId).toBe(orders.id);
    expect(byName.footer).toContain('--app orders --ok');
    await command(bot, 'alice', 'alarm --name "Disk full" --level major --desc "/ at 98%" --app 6470681a31da2a47ed50a919');
    expect(bot.sim.world.alarms.all().at(-1)?.applicationId).toBe('6470681a31da2a47ed50a919');
  });

  it('takes only an application id of COC’s form as the configured default', () => {
    const bad = loadConfig({ env: { COC_ALARM_APPLICATION: 'coc-chatops' }, cwd: '/nonexistent', file: undefined });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((problem) => problem.message).join(' ')).toContain('must be a COC application id: 24 hex characters');
    const good = loadConfig({ env: { COC_ALARM_APPLICATION: '6470681a31da2a47ed50a919' }, cwd: '/nonexistent', file: undefined });
    expect(good.ok && good.config.incidents.alarmApplication).toBe('6470681a31da2a47ed50a919');
  });
});
