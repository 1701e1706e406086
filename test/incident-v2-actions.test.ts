/**
 * Incident workflow v2 from chat, with people acting on their own COC credentials: the card's
 * buttons are the actions COC offers that person now (the tasks call, signed with their key),
 * each action goes out once as `POST /v2/incidents/{id}/actions` with the task COC offered, a
 * click replayed on another replica sends nothing, and `incident timeline` lists COC's
 * histories (UTC times, operator, action, comment) in English and Chinese. BlueKing declares
 * neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../src/backends/capabilities.js';
import { declaredBackend } from '../src/app/backends.js';
import { commandRegistry } from '../src/app/commands.js';
import { SIM_DEFAULT_CREDENTIALS, userIdFor } from '../src/sim/defaults.js';
import type { RequestRecord } from '../src/sim/server.js';
import { INCIDENT_ACTION_IDS } from '../src/incidents/workflow.js';
import { ComponentState } from '../src/adapters/discord/component-state.js';
import { renderMessages } from '../src/adapters/discord/render.js';
import { renderMessage } from '../src/adapters/slack/render.js';
import type { Message } from '../src/core/message.js';
import { translator } from '../src/i18n/translate.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { buttonIds, click, command } from './incident-helpers.js';

const KEYS = {
  alice: { ak: 'ALICEV2AK00000000000', sk: 'AliceV2SecretKeyForTheIncidentTests0001' },
  bob: { ak: 'BOBV2AK0000000000000', sk: 'BobV2SecretKeyForTheIncidentTests000001' },
} as const;
const TASKS = 'GET /v2/incidents/{incident_id}/tasks';
const ACTIONS = 'POST /v2/incidents/{incident_id}/actions';
const HISTORIES = 'POST /v2/incidents/{incident_id}/histories';
const HANDLE_V1 = 'POST /v1/external/incident/handle';

const mapping = (user: string, role: 'viewer' | 'operator' | 'approver', own: boolean) => ({ platform: 'shell' as const, workspace: 'local', user, iamUser: user, role, ...(own ? { credentialRef: user } : {}) });

function botOptions() {
  return {
    mappings: [mapping('alice', 'operator', true), mapping('bob', 'approver', true), mapping('carol', 'viewer', false)],
    env: {
      COC_CREDENTIAL_ALICE_AK: KEYS.alice.ak,
      COC_CREDENTIAL_ALICE_SK: KEYS.alice.sk,
      COC_CREDENTIAL_BOB_AK: KEYS.bob.ak,
      COC_CREDENTIAL_BOB_SK: KEYS.bob.sk,
    },
  };
}

let bot: TestBot;
let num: string;

beforeAll(async () => {
  bot = await makeTestBot({
    ...botOptions(),
    sim: { credentials: [...SIM_DEFAULT_CREDENTIALS, { ...KEYS.alice, userName: 'alice' }, { ...KEYS.bob, userName: 'bob' }] },
  });
  const created = await command(bot, 'alice', 'incident create --title "Checkout 5xx" --description "5xx on /pay" --level p2 --type function --application storefront --interrupted yes --assignee alice');
  num = /IM\d+/.exec(created.title ?? '')![0];
});

afterAll(async () => {
  await bot?.close();
});

function signedBy(request: RequestRecord): string | undefined {
  return request.auth.kind === 'aksk' ? request.auth.access : undefined;
}

function requestsTo(route: string): RequestRecord[] {
  return bot.sim.requests.filter((request) => request.routeKey === route);
}

describe('incident actions from what COC offers each person', () => {
  it('shows each person the actions COC offers them now, asked with their own key', async () => {
    bot.sim.resetRequests();
    const bobs = await command(bot, 'bob', `incident show ${num}`);
    // Bob is not the assignee: COC offers him no accept, whatever his role in chat.
    expect(buttonIds(bobs)).not.toContain(INCIDENT_ACTION_IDS.accept);
    expect(bobs.footer).toContain('COC offers you no action on this incident now');
    expect(requestsTo(TASKS).map(signedBy)).toEqual([KEYS.bob.ak]);
    expect(requestsTo(TASKS)[0]).toMatchObject({ method: 'GET', path: `/v2/incidents/${num}/tasks`, body: undefined });
    const alices = await command(bot, 'alice', `incident show ${num}`);
    expect(buttonIds(alices)).toEqual([INCIDENT_ACTION_IDS.accept, INCIDENT_ACTION_IDS.warRoom, INCIDENT_ACTION_IDS.refresh]);
    // The timeline section: the creation, by alice.
    expect(alices.sections?.map((section) => section.title)).toContain('Timeline');
    expect(alices.sections?.find((section) => section.title === 'Timeline')?.text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC · Create incident · alice → Triggered \(not accepted yet\)$/);
  });

  it('refuses what COC does not offer that person, sending nothing', async () => {
    const before = bot.sim.countRequests(ACTIONS);
    const reply = await click(bot, 'bob', INCIDENT_ACTION_IDS.accept, num);
    expect(reply.title).toBe(`COC does not offer you to accept incident ${num} now (it is Triggered (not accepted yet))`);
    expect(reply.text).toContain('Nothing was sent to COC');
    expect(bot.sim.countRequests(ACTIONS)).toBe(before);
  });

  it('accepts through the task COC offered: one signed v2 action, never the v1 handle call', async () => {
    bot.sim.resetRequests();
    const reply = await click(bot, 'alice', INCIDENT_ACTION_IDS.accept, num);
    expect(reply.title).toBe('Accepted: Incident ' + num + ': Checkout 5xx');
    const [sent] = requestsTo(ACTIONS);
    const offered = bot.sim.world.incidents.get(num)!;
    expect(sent).toMatchObject({ method: 'POST', path: `/v2/incidents/${num}/actions`, status: 200 });
    expect(sent!.body).toStrictEqual({ task_id: `${num}-acceptedIncident-0`, action: 'acceptedIncident1', params: { operator: userIdFor('alice') } });
    expect(signedBy(sent!)).toBe(KEYS.alice.ak);
    expect(requestsTo(ACTIONS)).toHaveLength(1);
    expect(requestsTo(HANDLE_V1)).toHaveLength(0);
    expect(offered.status).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    // The reply's card now offers alice the next step.
    expect(buttonIds(reply)).toContain(INCIDENT_ACTION_IDS.solve);
  });

  it('does nothing twice when the click is replayed on another replica', async () => {
    // Another replica: no memory of the first click; only COC (the tasks it offers now) says it is done.
    const replica = await makeTestBot({ ...botOptions(), simulator: bot.sim });
    try {
      const before = bot.sim.countRequests(ACTIONS);
      const replay = await click(replica, 'alice', INCIDENT_ACTION_IDS.accept, num);
      expect(replay.tone).toBe('danger');
      expect(replay.title).toBe(`Incident ${num} is Acknowledged now; it cannot be accepted`);
      expect(bot.sim.countRequests(ACTIONS)).toBe(before);
      expect(bot.sim.world.incidents.get(num)!.history).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });

  it('submits the solution as params of the v2 action; the solver is not offered the verification', async () => {
    bot.sim.resetRequests();
    const reply = await command(bot, 'alice', `incident solve ${num} --cause "bad deploy" --solution "rolled back" --type change --interrupted no`);
    expect(reply.title).toBe(`Solution submitted: Incident ${num}: Checkout 5xx`);
    expect(requestsTo(ACTIONS)[0]!.body).toStrictEqual({
      task_id: `${num}-commitSolution-1`,
      action: 'commitSolution1',
      params: { mtm_type: 'inc_type_p_change_issues', is_service_interrupt: false, cause: 'bad deploy', solution: 'rolled back', operator: userIdFor('alice') },
    });
    expect(buttonIds(reply)).not.toContain(INCIDENT_ACTION_IDS.verify);
    const bobs = await command(bot, 'bob', `incident show ${num}`);
    expect(buttonIds(bobs)).toEqual(expect.arrayContaining([INCIDENT_ACTION_IDS.verify, INCIDENT_ACTION_IDS.reject]));
  });

  it('verifies as bob, and the timeline lists every step with UTC time, operator, action and comment', async () => {
    const reply = await command(bot, 'bob', `incident verify ${num} --comment "errors at 0 for 30 min"`);
    expect(reply.title).toBe(`Verified: Incident ${num}: Checkout 5xx`);
    expect(bot.sim.world.incidents.get(num)!.status).toBe('INCIDENT_STATUS_COMPLETED');
    bot.sim.resetRequests();
    const timeline = await bot.run('carol', `incident timeline ${num}`);
    expect(requestsTo(HISTORIES)).toHaveLength(1);
    expect(requestsTo(HISTORIES)[0]).toMatchObject({ method: 'POST', path: `/v2/incidents/${num}/histories`, body: {} });
    // Carol has no credential of her own: the bot's key reads it.
    expect(signedBy(requestsTo(HISTORIES)[0]!)).toBe(SIM_DEFAULT_CREDENTIALS[0]!.ak);
    expect(timeline).toContain(`Timeline of incident ${num}: Checkout 5xx`);
    const rows = timeline.split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d UTC/.test(line.trim()));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/UTC\s+alice\s+Create incident\s+Triggered \(not accepted yet\)\s*$/);
    expect(rows[1]).toMatch(/UTC\s+alice\s+Accept\s+Acknowledged\s*$/);
    expect(rows[2]).toMatch(/UTC\s+alice\s+Submit solution\s+Resolved \(awaiting verification\)\s+rolled back\s*$/);
    expect(rows[3]).toMatch(/UTC\s+bob\s+Verify\s+Completed\s+errors at 0 for 30 min\s*$/);
    expect(timeline).toContain('4 entries, oldest first.');
    // The summaries carry its last entries, and point to the whole of it.
    const summary = await bot.run('carol', `warroom summary ${num}`);
    expect(summary).toContain('Timeline (last 3 of 4)');
    expect(summary).toMatch(/UTC · Verify · bob → Completed · "errors at 0 for 30 min"/);
    expect(summary).toContain(`All of it: incident timeline ${num}`);
  });

  it('says it in Chinese', async () => {
    const zh = await makeTestBot({ ...botOptions(), simulator: bot.sim, locale: 'zh-CN' });
    try {
      const timeline = await zh.run('carol', `incident timeline ${num}`);
      expect(timeline).toContain(`事件 ${num} 的时间线：Checkout 5xx`);
      expect(timeline).toMatch(/bob\s+验证\s+已完成\s+errors at 0 for 30 min/);
      expect(timeline).toContain('共 4 条，按时间先后排列。');
      const card = await command(zh, 'carol', `incident show ${num}`);
      expect(card.sections?.find((section) => section.title?.startsWith('时间线'))?.text).toContain('验证 · bob → 已完成 ·「errors at 0 for 30 min」');
    } finally {
      await zh.close();
    }
  });
});

describe('the card on Slack and Discord', () => {
  /** Every button label and the whole text a platform shows of the card. */
  async function shown(card: Message): Promise<{ slack: string; discord: string }> {
    const slack = JSON.stringify(renderMessage(card, 'en-US').blocks);
    const discord = JSON.stringify(await renderMessages(card, { state: new ComponentState(bot.store.db), t: translator('en-US') }, { mode: 'single' }));
    return { slack, discord };
  }

  it('shows the actions COC offers the reader and the timeline, on both', async () => {
    const created = await command(bot, 'alice', 'incident create --title "Login slow" --description "p99 4 s" --level p3 --type function --application storefront --interrupted no --assignee alice');
    const fresh = /IM\d+/.exec(created.title ?? '')![0];
    const alices = await shown(await command(bot, 'alice', `incident show ${fresh}`));
    const bobs = await shown(await command(bot, 'bob', `incident show ${fresh}`));
    for (const text of [alices.slack, alices.discord]) {
      expect(text).toContain('"Accept"');
      expect(text).toContain('Create incident · alice');
    }
    for (const text of [bobs.slack, bobs.discord]) {
      expect(text).not.toContain('"Accept"');
      expect(text).toContain('COC offers you no action on this incident now');
    }
  });
});

describe('BlueKing', () => {
  it('declares no incident workflow and no timeline, so the commands are not offered there', () => {
    const declared = capabilitiesOf(declaredBackend({ backend: 'blueking' }));
    expect(declared.has('incidents.workflow')).toBe(false);
    expect(declared.has('incidents.timeline')).toBe(false);
    const coc = capabilitiesOf(declaredBackend({ backend: 'coc' }));
    expect(coc.has('incidents.workflow')).toBe(true);
    expect(coc.has('incidents.timeline')).toBe(true);
    // Typed there, it is refused as not on this platform (notOnThisPlatform), not as unknown.
    expect(commandRegistry(declaredBackend({ backend: 'blueking' })).unservedFor(['incident', 'timeline', 'IM1'])).toBe('incident timeline');
  });
});
