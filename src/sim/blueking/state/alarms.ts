/**
 * Monitor alarm events on the seeded hosts, spread over the last two days before the world was
 * built. level: 1 致命, 2 预警, 3 提醒. status: `received` (still firing), `success` (handled),
 * `shield` (shielded) — the reference leaves the values open ("可选 (待定)").
 */
import { Random } from '../../prng.js';
import type { BkHost, Topology } from './topology.js';

export interface BkAlarm {
  readonly id: number;
  readonly bk_biz_id: number;
  readonly bk_cloud_id: number;
  readonly ip: string;
  readonly alarm_type: string;
  readonly level: 1 | 2 | 3;
  status: string;
  readonly user_status: 'notified' | 'unnotified';
  readonly sourceTime: number;
  readonly beginTime: number;
  endTime: number | undefined;
  readonly event_id: string;
  readonly source_name: string;
  readonly title: string;
  readonly content: string;
  readonly host: BkHost | undefined;
}

const KINDS: readonly { type: string; name: string; content: (value: number) => string }[] = [
  { type: 'cpu', name: 'CPU总使用率', content: (value) => `当前指标值(${value}%) >= (90.0%)` },
  { type: 'mem', name: '应用内存使用率', content: (value) => `当前指标值(${value}%) >= (85.0%)` },
  { type: 'disk', name: '磁盘使用率', content: (value) => `当前指标值(${value}%) >= (80.0%)` },
  { type: 'base_alarm', name: 'Ping不可达', content: () => 'Ping不可达' },
  { type: 'net', name: '网卡出流量', content: (value) => `当前指标值(${value}Mb/s) >= (800Mb/s)` },
];

export function seedAlarms(seed: number, topology: Topology, builtAt: number): BkAlarm[] {
  const random = Random.derived(seed, 'blueking-alarms');
  const candidates = topology.hosts.filter((host) => host.bk_biz_id !== 2);
  const alarms: BkAlarm[] = [];
  for (let i = 0; i < 24; i++) {
    const host = random.pick(candidates);
    const kind = random.pick(KINDS);
    const sourceTime = builtAt - random.int(5, 48 * 60) * 60_000;
    const status = i < 8 ? 'received' : random.pick(['success', 'success', 'shield']);
    alarms.push({
      id: 1499301 + i,
      bk_biz_id: host.bk_biz_id,
      bk_cloud_id: host.bk_cloud_id,
      ip: host.bk_host_innerip,
      alarm_type: kind.type,
      level: random.pick([1, 2, 2, 3] as const),
      status,
      user_status: random.chance(0.8) ? 'notified' : 'unnotified',
      sourceTime,
      beginTime: sourceTime + 60_000,
      endTime: status === 'received' ? undefined : sourceTime + random.int(2, 90) * 60_000,
      event_id: `JUNGLE_ALERT${random.hex(32)}`,
      source_name: kind.name,
      title: `${host.bk_host_innerip}发生${kind.name}告警`,
      content: `主机[${host.bk_host_innerip}]:${kind.content(random.int(80, 99))}`,
      host,
    });
  }
  return alarms.sort((a, b) => a.id - b.id);
}
