/**
 * With `incidents.announce`, incidents created in COC itself (not from chat) get a place and
 * a card when the poller finds them: once, also with two replicas polling at once; the
 * backlog that existed before the first look is not announced; incidents created from chat
 * are not announced a second time; without the option nothing is opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentWatcher } from '../src/incidents/watcher.js';
import { userIdFor } from '../src/sim/defaults.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { createIncident } from './incident-helpers.js';

const INCIDENTS = { summaryMinutes: 30, pollSeconds: 30, announce: true, slack: { mode: 'thread' }, discord: {} };

function createInCoc(bot: TestBot, title: string): Promise<string> {
  return bot.coc.createIncident({
    current_cloud_service: [APPLICATIONS[2]!.id],
    incident_level: 'level_10',
    is_service_interrupt: true,
    incident_type: 'inc_type_p_networking_issues',
    incident_title: title,
    incident_description: 'raised by the monitoring system',
    incident_source: 'incident_source_alarm',
    creator: userIdFor('chatops-bot'),
    incident_assignee: [userIdFor('dave')],
  });
}

describe('announcing incidents created in COC', () => {
  let bot: TestBot;
  let nowMs = Date.now();
  beforeAll(async () => {
    bot = await makeTestBot({ now: () => new Date(nowMs), config: { incidents: INCIDENTS } });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('remembers the time at the first look and announces nothing of the backlog', async () => {
    expect((await bot.core.incidentWatcher.runOnce()).announced).toBe(0);
    expect(bot.surface.incidentPlaces).toHaveLength(0);
  });

  it('opens one place per new incident, once, with two replicas polling at once', async () => {
    const num = await createInCoc(bot, 'Packet loss in cn-north-4');
    const replica = new IncidentWatcher(bot.services);
    const [a, b] = await Promise.all([bot.core.incidentWatcher.runOnce(), replica.runOnce()]);
    expect(a.announced + b.announced).toBe(1);
    const places = bot.surface.incidentPlaces.filter((p) => p.request.incidentNum === num);
    expect(places).toHaveLength(1);
    expect(places[0]!.request).toMatchObject({ workspaceId: 'local', title: 'Packet loss in cn-north-4', invite: [] });
    const cards = bot.surface.posts.filter((p) => p.posted.channelId === `incident-${num}`);
    expect(cards.map((c) => c.message.title)).toEqual([`Incident ${num}: Packet loss in cn-north-4`]);
    expect(cards[0]!.message.fields).toContainEqual({ label: 'Level', value: 'P1' });
    expect((await bot.core.incidentWatcher.runOnce()).announced).toBe(0);
    const audited = await bot.services.audit.list({ limit: 50 });
    expect(audited.filter((row) => row.target === num && row.command === 'incident announced').map((row) => [row.platform, row.maskedParameters])).toEqual([
      ['system', { places: ['shell:local'] }],
    ]);
  });

  it('does not announce an incident created from chat a second time', async () => {
    const num = await createIncident(bot);
    expect(bot.surface.incidentPlaces.filter((p) => p.request.incidentNum === num)).toHaveLength(1);
    expect((await bot.core.incidentWatcher.runOnce()).announced).toBe(0);
    expect(bot.surface.incidentPlaces.filter((p) => p.request.incidentNum === num)).toHaveLength(1);
  });
});

describe('without announce', () => {
  it('opens no place for incidents created in COC', async () => {
    const bot = await makeTestBot({ config: { incidents: { ...INCIDENTS, announce: false } } });
    try {
      await bot.core.incidentWatcher.runOnce();
      await createInCoc(bot, 'Not announced');
      await bot.core.incidentWatcher.runOnce();
      expect(bot.surface.incidentPlaces).toHaveLength(0);
      expect(bot.sim.countRequests('POST /v2/incidents/list')).toBe(0);
    } finally {
      await bot.close();
    }
  });
});
