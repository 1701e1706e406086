/**
 * BlueKing Monitor alarms from the reference's own examples: the get_alarms filters sent, the
 * events mapped (level, status from the recovery time, target, times), paging, one alarm by id.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALARM_LEVEL_NAMES, ALARM_LEVELS, ALARM_STATUS_NAMES, bluekingAlarms, type BluekingAlarms } from '../src/backends/blueking/alarms.js';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import type { BluekingSettings } from '../src/backends/blueking/settings.js';
import { clientOf, EsbPeer, exampleData, ok } from './blueking-fixture-peer.js';

const MONITOR = '/api/c/compapi/v2/monitor';
const SETTINGS: BluekingSettings = { defaultBiz: 2, riskRules: [], defaultAccount: 'root', paasHost: 'https://paas.example.com' };
const NOW = Date.UTC(2018, 10, 8, 12, 0, 0);

let peer: EsbPeer;
let client: EsbClient;
let alarms: BluekingAlarms;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'alice');
  alarms = bluekingAlarms(client, SETTINGS, () => NOW);
});
afterAll(async () => {
  await client.close();
  await peer.close();
});
beforeEach(() => peer.reset());

describe('what the group declares', () => {
  it('levels 1-3 as Monitor numbers them, status codes, no report', () => {
    expect(alarms.levels).toEqual([
      { state: 'critical', code: '1' },
      { state: 'major', code: '2' },
      { state: 'minor', code: '3' },
    ]);
    expect(ALARM_LEVELS).toBe(alarms.levels);
    expect(alarms.statusCodes).toEqual({ raised: 'ABNORMAL', cleared: 'RECOVERED' });
    expect(alarms.report).toBeUndefined();
    expect(Object.keys(ALARM_LEVEL_NAMES)).toEqual(['1', '2', '3']);
    expect(Object.keys(ALARM_STATUS_NAMES)).toEqual(['ABNORMAL', 'RECOVERED']);
    for (const names of [...Object.values(ALARM_LEVEL_NAMES), ...Object.values(ALARM_STATUS_NAMES)]) {
      expect(names['en-US']).toBeTruthy();
      expect(names['zh-CN']).toBeTruthy();
    }
  });
});

describe('list', () => {
  it('asks get_alarms for the business, the time window, level, newest first, a page; maps the reference example', async () => {
    peer.serveExample('get_alarms');
    const page = await alarms.list({ from: Date.UTC(2018, 9, 1, 0, 0, 1), to: Date.UTC(2018, 10, 8, 23, 59, 59), levelCode: '2', limit: 10 });
    const [request] = peer.requests;
    expect(request!.method).toBe('GET');
    expect(request!.fields).toMatchObject({
      bk_biz_id: '2',
      source_time__gte: '2018-10-01 00:00:01',
      source_time__lte: '2018-11-08 23:59:59',
      level: '2',
      ordering: '-source_time',
      page: '1',
      page_size: '10',
      extend_fields: 'begin_time,end_time,finish_time',
    });
    expect(page).toEqual({
      items: [
        {
          id: 'blueking:alarm:1499348',
          title: 'x.x.x.x发生5分钟平均负载告警',
          level: { state: 'major', code: '2' },
          statusCode: 'ABNORMAL',
          beganAt: Date.UTC(2018, 10, 5, 6, 1, 0),
          target: 'x.x.x.x',
          description: '主机[x.x.x.x]:当前指标值(6.57) >= (0.0)',
          rule: '5分钟平均负载',
        },
      ],
      total: 1,
    });
  });

  it('without a start it looks back a week from now; a next page while the total says more; the status filtered here', async () => {
    const example = exampleData('get_alarms') as { total: number; result: Record<string, unknown>[] };
    const recovered = { ...example.result[0]!, id: 1499349, finish_time: '2018-11-05 06:09:00+0000' };
    peer.answer(`${MONITOR}/get_alarms/`, ok({ total: 5, result: [example.result[0], recovered] }));
    const page = await alarms.list({ limit: 2, statusCode: 'RECOVERED' });
    expect(peer.requests[0]!.fields).toMatchObject({ source_time__gte: '2018-11-01 12:00:00', page: '1', page_size: '2' });
    expect(peer.requests[0]!.fields).not.toHaveProperty('source_time__lte');
    expect(page.items).toEqual([expect.objectContaining({ id: 'blueking:alarm:1499349', statusCode: 'RECOVERED', endedAt: Date.UTC(2018, 10, 5, 6, 9, 0) })]);
    expect(page.next).toBe('2');
    await alarms.list({ limit: 2, after: '3' });
    expect(peer.requests[1]!.fields).toMatchObject({ page: '3' });
  });
});

describe('get', () => {
  it('one alarm by id through list_alarm_instance (the reference example)', async () => {
    peer.serveExample('list_alarm_instance');
    const alarm = await alarms.get('blueking:alarm:637984');
    expect(peer.requests[0]!.fields).toMatchObject({ id: '637984' });
    expect(alarm).toEqual({
      id: 'blueking:alarm:637984',
      title: 'QQ测试_可用率发生告警',
      level: { state: 'major', code: '2' },
      statusCode: 'ABNORMAL',
      beganAt: Date.UTC(2018, 10, 26, 18, 28, 0),
      target: '请求网址(http://www.qq.com/)-任务id(1)-biz_id(2)',
      description: '当前指标值(50.0%) < (100.0%)',
      rule: 'QQ测试_可用率',
    });
  });

  it('an id Monitor does not return, or one that is not a number, is undefined', async () => {
    peer.answer(`${MONITOR}/list_alarm_instance/`, ok([]));
    await expect(alarms.get('blueking:alarm:1')).resolves.toBeUndefined();
    await expect(alarms.get('blueking:alarm:abc')).resolves.toBeUndefined();
    expect(peer.requests).toHaveLength(1);
  });
});
