/**
 * `incidents` and `incident show` through the real Dispatcher against the simulator's seeded
 * incidents, in both languages; and the enum names they (and other commands) show.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALARM_LEVELS } from '../src/coc/schemas/events.js';
import { INCIDENT_LEVELS, INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '../src/coc/schemas/incidents.js';
import { INSTANCE_STATUSES, ORDER_STATUSES, ROTATION_STRATEGIES } from '../src/coc/schemas/orders.js';
import { PATCH_STATUSES } from '../src/coc/schemas/patches.js';
import { AGENT_STATES } from '../src/coc/schemas/resources.js';
import { RISK_LEVELS, SCRIPT_STATUSES } from '../src/coc/schemas/scripts.js';
import type { Message } from '../src/core/message.js';
import { enumName, isKnownEnum, type CocEnumKind } from '../src/backends/coc/enums.js';
import { SIM_DEFAULT_IAM_USERS, stableHexId, userIdFor } from '../src/sim/defaults.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

function seeded(bot: TestBot) {
  // Newest first, as the list shows them.
  return [...bot.sim.world.incidents.all()].sort((a, b) => b.createTime - a.createTime);
}

async function reply(bot: TestBot, user: string, line: string): Promise<Message> {
  return bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: user }, place: { channelId: 'terminal', isDirect: false }, text: line });
}

describe('incidents', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('lists incidents newest first with level, status and assignee names', async () => {
    const all = seeded(bot);
    const message = await reply(bot, 'carol', 'incidents');
    expect(message.title).toBe(`Incidents (5 of 5)`);
    expect(message.table?.columns).toEqual(['NUMBER', 'LEVEL', 'STATUS', 'TITLE', 'ASSIGNEE', 'CREATED']);
    expect(message.table?.rows.map((row) => row[0])).toEqual(all.map((incident) => incident.incidentNum));
    const checkout = message.table?.rows.find((row) => row[3]?.startsWith('Checkout latency'));
    expect(checkout?.slice(1, 3)).toEqual(['P2', 'Triggered (not accepted yet)']);
    expect(checkout?.[4]).toBe('carol'); // COC holds the user id; the name comes from its enum_data_list
    expect(message.footer).toContain('Page 1 of 1.');
    const text = await bot.run('carol', 'incidents');
    expect(text).toContain('Replication lag on db-04 above 300 s');
    expect(text).toContain('Resolved (awaiting verification)');
  });

  it('answers in Chinese', async () => {
    await bot.close();
    bot = await makeTestBot({ locale: 'zh-CN' });
    const text = await bot.run('carol', 'incidents --status triggered');
    expect(text).toContain('事件（2/2）');
    expect(text).toContain('未受理');
    expect(text).toContain('筛选：状态 未受理。');
    expect(text).toContain('事件编号');
  });

  it('filters by several statuses and levels', async () => {
    const open = await reply(bot, 'carol', 'incidents --status triggered,ACKNOWLEDGED');
    expect(open.table?.rows).toHaveLength(3);
    expect(new Set(open.table?.rows.map((row) => row[2]))).toEqual(new Set(['Triggered (not accepted yet)', 'Acknowledged']));
    const p3 = await reply(bot, 'carol', 'incidents --level p3');
    expect(p3.table?.rows.map((row) => row[1])).toEqual(['P3', 'P3']);
    const both = await reply(bot, 'carol', 'incidents --level level_20,p5');
    expect(both.table?.rows.map((row) => row[1]).sort()).toEqual(['P2', 'P5']);
    const none = await reply(bot, 'carol', 'incidents --level p1');
    expect(none.text).toBe('No incident matches.');
    expect(none.table).toBeUndefined();
  });

  it('filters by age', async () => {
    const third = seeded(bot)[2]!;
    const since = new Date(third.createTime - 60_000).toISOString().slice(0, 16);
    const message = await reply(bot, 'carol', `incidents --since ${since}Z`);
    expect(message.table?.rows).toHaveLength(3);
    expect(message.footer).toContain(`Filters: created since ${since.replace('T', ' ')} UTC.`);
  });

  it('pages with --page and --limit', async () => {
    const all = seeded(bot);
    const page2 = await reply(bot, 'carol', 'incidents --limit 2 --page 2');
    expect(page2.title).toBe('Incidents (2 of 5)');
    expect(page2.table?.rows.map((row) => row[0])).toEqual(all.slice(2, 4).map((i) => i.incidentNum));
    expect(page2.footer).toContain('Page 2 of 3. Next: incidents --page 3 (with the same filters).');
    const past = await reply(bot, 'carol', 'incidents --limit 2 --page 9');
    expect(past.footer).toContain('Page 9 is past the end: 3 pages in all.');
  });

  it('--mine resolves the assignee id from COC\'s own names when the mapping has no IAM user id', async () => {
    const carol = await reply(bot, 'carol', 'incidents --mine');
    expect(carol.table?.rows).toHaveLength(2);
    expect(carol.table?.rows.every((row) => row[4] === 'carol')).toBe(true);
    expect(carol.footer).toContain('Filters: assigned to carol.');
    const alice = await reply(bot, 'alice', 'incidents --mine --status triggered');
    expect(alice.text).toBe('No incident matches.');
    const aliceAll = await reply(bot, 'alice', 'incidents --mine');
    expect(aliceAll.table?.rows.map((row) => row[3])).toEqual(['Replication lag on db-04 above 300 s']);
  });

  it('--mine uses the IAM user id when the mapping has it', async () => {
    await bot.close();
    bot = await makeTestBot({ mappings: [{ platform: 'shell', workspace: 'local', user: 'c', iamUser: 'carol', iamUserId: userIdFor('carol'), role: 'viewer' }] });
    const before = bot.sim.countRequests('POST /v2/incidents/list');
    const mine = await reply(bot, 'c', 'incidents --mine');
    expect(mine.table?.rows).toHaveLength(2);
    expect(bot.sim.countRequests('POST /v2/incidents/list') - before).toBe(1); // no lookup needed
  });

  it('--mine refuses when the IAM user name stands for two assignee ids, instead of guessing', async () => {
    await bot.close();
    const otherCarol = stableHexId('user', 'carol@other-account');
    bot = await makeTestBot({ sim: { iamUsers: [...SIM_DEFAULT_IAM_USERS, { name: 'carol', password: 'Other-Passw0rd', domainName: 'other-account', id: otherCarol }] } });
    await bot.coc.createIncident({
      current_cloud_service: [APPLICATIONS[0]!.id],
      incident_level: 'level_40',
      is_service_interrupt: false,
      incident_type: 'inc_type_p_config_issues',
      incident_title: 'Assigned to the other carol',
      incident_source: 'incident_source_manual',
      creator: userIdFor('alice'),
      incident_assignee: [otherCarol],
    });
    const text = await bot.run('carol', 'incidents --mine');
    expect(text).toContain('Your IAM user name carol stands for 2 different assignee ids in COC');
    expect(text).toContain('admin link … --iam-user-id');
  });

  it('refuses what it cannot read, saying what is allowed', async () => {
    expect(await bot.run('carol', 'incidents --status open')).toContain('--status "open" is not allowed. Several at once: separate them with commas. Allowed: draft, triggered, acknowledged, rejected, resolved, completed.');
    expect(await bot.run('carol', 'incidents --level p6')).toContain('Allowed: p1, p2, p3, p4, p5.');
    expect(await bot.run('carol', 'incidents --page 0')).toContain('--page must be a whole number from 1 to 1000000, got "0".');
    expect(await bot.run('carol', 'incidents --limit 51')).toContain('--limit must be a whole number from 1 to 50, got "51".');
    expect(await bot.run('carol', 'incidents --since 3 days')).toContain('incidents takes no plain words, got "days"');
    expect(await bot.run('carol', 'incidents --since 2099-01-01')).toContain('--since "2099-01-01" is in the future');
    expect(await bot.run('carol', 'incidents --since 2026-02-31')).toContain('--since "2026-02-31" is not a time');
    expect(await bot.run('carol', 'incidents --sinse 1d')).toContain('Did you mean --since?');
  });
});

describe('incident show', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('shows title, level, type, status, interruption, assignee, created, WarRoom and description', async () => {
    const incident = seeded(bot).find((i) => i.title.startsWith('Replication lag'))!;
    const message = await reply(bot, 'carol', `incident show ${incident.incidentNum}`);
    expect(message.title).toBe(`Incident ${incident.incidentNum}: Replication lag on db-04 above 300 s`);
    expect(message.text).toBe(incident.description);
    const fields = Object.fromEntries((message.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({
      Level: 'P3',
      Type: 'Middleware',
      Status: 'Acknowledged',
      'Service interrupted': 'yes',
      Assignee: 'alice',
      'Created by': 'alice',
      WarRoom: incident.warroomId,
      Source: 'Created by hand',
      Application: 'orders',
      Region: 'cn-north-4',
    });
    expect(fields['Created']).toBe(`${new Date(incident.createTime).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

    const noRoom = seeded(bot).find((i) => i.title.startsWith('Checkout latency'))!;
    const text = await bot.run('carol', `incident show ${noRoom.incidentNum}`);
    expect(text).toMatch(/WarRoom\s+none/);
    expect(text).toMatch(/Service interrupted\s+no/);
    expect(text).toContain('Triggered (not accepted yet)');
  });

  it('answers in Chinese', async () => {
    await bot.close();
    bot = await makeTestBot({ locale: 'zh-CN' });
    const incident = seeded(bot).find((i) => i.title.startsWith('Redis memory'))!;
    const text = await bot.run('carol', `incident show ${incident.incidentNum}`);
    expect(text).toContain(`事件 ${incident.incidentNum}：Redis memory usage at 95% on cache-03`);
    expect(text).toMatch(/级别\s+P4/);
    expect(text).toMatch(/类别\s+配置问题/);
    expect(text).toMatch(/状态\s+已解决待验证/);
    expect(text).toMatch(/业务是否中断\s+否/);
    expect(text).toMatch(/来源\s+告警/);
    expect(text).toMatch(/处理人\s+bob/);
  });

  it('says when COC does not know the number, and refuses what is not one', async () => {
    expect(await bot.run('carol', 'incident show IM000000')).toContain('No incident IM000000 in COC');
    expect(await bot.run('carol', 'incident show ../x')).toContain('"../x" is not an incident number');
    expect(await bot.run('carol', 'incident show')).toContain('Which incident number? Usage: incident show <incident-number>');
    expect(await bot.run('carol', 'incident show IM1 IM2')).toContain('Unexpected "IM2"');
  });
});

describe('enumName', () => {
  const tables: [CocEnumKind, readonly string[]][] = [
    ['riskLevel', RISK_LEVELS],
    ['scriptStatus', SCRIPT_STATUSES],
    ['orderStatus', ORDER_STATUSES],
    ['instanceStatus', INSTANCE_STATUSES],
    ['rotationStrategy', ROTATION_STRATEGIES],
    ['agentState', AGENT_STATES],
    ['incidentLevel', INCIDENT_LEVELS],
    ['incidentType', INCIDENT_TYPES],
    ['incidentStatus', INCIDENT_STATUSES],
    ['incidentSource', INCIDENT_SOURCES],
    ['patchStatus', PATCH_STATUSES],
    ['alarmLevel', ALARM_LEVELS],
  ];
  for (const [kind, values] of tables) {
    it(`names every ${kind} value COC's schemas know, in both languages`, () => {
      for (const value of values) {
        expect(isKnownEnum(kind, value), `${kind} ${value}`).toBe(true);
        expect(enumName(kind, value, 'en-US')).not.toBe('');
        expect(enumName(kind, value, 'zh-CN')).not.toBe('');
      }
    });
  }

  it('gives the names on-call people expect', () => {
    expect(enumName('orderStatus', 'PAUSED', 'en-US')).toBe('Paused');
    expect(enumName('orderStatus', 'ERROR', 'zh-CN')).toBe('错误');
    expect(enumName('orderStatus', 'ROLLBACKED', 'en-US')).toBe('Rolled back');
    expect(enumName('incidentLevel', 'level_10', 'en-US')).toBe('P1');
    expect(enumName('incidentLevel', 'level_50', 'zh-CN')).toBe('P5');
    expect(enumName('incidentType', 'inc_type_p_middleware_issues', 'zh-CN')).toBe('中间件问题');
    expect(enumName('incidentType', 'inc_type_p_middlewares', 'zh-CN')).toBe('中间件问题');
    expect(enumName('incidentType', 'inc_type_p_ohter_issues', 'en-US')).toBe('Other');
    expect(enumName('incidentStatus', 'incident_draft', 'zh-CN')).toBe('草稿');
    expect(enumName('alarmLevel', 'Critical', 'zh-CN')).toBe('紧急');
    expect(enumName('riskLevel', 'HIGH', 'en-US')).toBe('High');
  });

  it('shows unknown values as they are, and missing ones as nothing', () => {
    expect(enumName('orderStatus', 'SOMETHING_NEW', 'en-US')).toBe('SOMETHING_NEW');
    expect(enumName('incidentType', 'inc_type_p_new', 'zh-CN')).toBe('inc_type_p_new');
    expect(enumName('orderStatus', null, 'en-US')).toBe('');
    expect(enumName('orderStatus', undefined, 'zh-CN')).toBe('');
    expect(isKnownEnum('orderStatus', 'toString')).toBe(false);
    expect(enumName('orderStatus', 'constructor', 'en-US')).toBe('constructor');
  });
});
