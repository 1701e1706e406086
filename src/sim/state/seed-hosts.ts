/**
 * The simulated fleet: 62 ECS hosts in three regions. Names, roles, environments, regions,
 * agent states and the `flaky` tag follow a fixed layout (so docs and tests can name
 * hosts); ids, IPs and timestamps come from the seed.
 */
import { DAY_MS } from '../clock.js';
import { Random } from '../prng.js';
import type { Host, Region, Tag } from './model.js';

const REGION_LAYOUT = [
  { id: 'cn-north-4', name: 'CN North-Beijing4', zones: ['cn-north-4a', 'cn-north-4b', 'cn-north-4c'] },
  { id: 'ap-southeast-3', name: 'AP-Singapore', zones: ['ap-southeast-3a', 'ap-southeast-3b'] },
  { id: 'cn-south-1', name: 'CN South-Guangzhou', zones: ['cn-south-1a', 'cn-south-1c'] },
] as const;

export type Role = 'web' | 'db' | 'cache' | 'batch';

const ROLE_LAYOUT: readonly { role: Role; count: number; app: string; flavor: string }[] = [
  { role: 'web', count: 24, app: 'storefront', flavor: 's6.large.2' },
  { role: 'db', count: 14, app: 'orders', flavor: 'm6.2xlarge.8' },
  { role: 'cache', count: 12, app: 'sessions', flavor: 'm6.large.8' },
  { role: 'batch', count: 12, app: 'reports', flavor: 'c6.xlarge.2' },
];

/**
 * Hosts whose script runs always fail: the simulator's stand-in for a misbehaving machine. None
 * is a web host, so a first run over `--tag role=web` succeeds; `--tag flaky=true` finds them.
 */
export const FLAKY_HOSTS: ReadonlySet<string> = new Set(['batch-05', 'cache-11', 'db-04', 'cache-02', 'batch-03']);

/** Hosts whose UniAgent is not ONLINE (absent = ONLINE) or, with `null`, not installed at all. */
export const AGENT_EXCEPTIONS: ReadonlyMap<string, 'OFFLINE' | 'INSTALLING' | 'FAILED' | null> = new Map([
  ['web-08', 'OFFLINE'],
  ['db-09', 'OFFLINE'],
  ['cache-06', 'OFFLINE'],
  ['batch-07', 'OFFLINE'],
  ['web-14', 'INSTALLING'],
  ['cache-09', 'INSTALLING'],
  ['db-10', 'FAILED'],
  ['web-21', null],
  ['db-12', null],
  ['batch-10', null],
]);

const WINDOWS_HOSTS: ReadonlySet<string> = new Set(['batch-09', 'batch-10']);
const STOPPED_HOSTS: ReadonlySet<string> = new Set(['web-08', 'batch-07']);

const LINUX_IMAGES = [
  { osName: 'HuaweiCloudEulerOS', osVersion: '2.0', image: 'Huawei Cloud EulerOS 2.0 Standard 64 bit' },
  { osName: 'CentOS', osVersion: '7.9', image: 'CentOS 7.9 64bit' },
  { osName: 'EulerOS', osVersion: '2.9', image: 'EulerOS 2.9 64bit' },
] as const;

/** Index-based layout rules: every 7th host in cn-south-1, every 3rd in ap-southeast-3, the rest in cn-north-4. */
function regionIndexFor(n: number): number {
  if (n % 7 === 0) return 2;
  if (n % 3 === 0) return 1;
  return 0;
}

function envFor(n: number): 'prod' | 'staging' | 'dev' {
  if (n % 5 === 4) return 'staging';
  if (n % 5 === 0) return 'dev';
  return 'prod';
}

export function seedRegions(seed: number): Region[] {
  const random = Random.derived(seed, 'regions');
  return REGION_LAYOUT.map((region) => ({ ...region, projectId: random.hex(32) }));
}

export function seedHosts(seed: number, regions: readonly Region[], baseMs: number): Host[] {
  const random = Random.derived(seed, 'hosts');
  const vpcByRegion = new Map(regions.map((region) => [region.id, random.uuid()]));
  const usedFloating = new Set<string>();
  const hosts: Host[] = [];
  ROLE_LAYOUT.forEach(({ role, count, app, flavor }, roleIndex) => {
    const subnet = roleIndex * 10 + random.int(0, 9);
    for (let n = 1; n <= count; n++) {
      const name = `${role}-${String(n).padStart(2, '0')}`;
      const regionIndex = regionIndexFor(n);
      const region = regions[regionIndex] as Region;
      const env = envFor(n);
      const tags: Tag[] = [
        { key: 'env', value: env },
        { key: 'role', value: role },
        { key: 'app', value: app },
      ];
      if (FLAKY_HOSTS.has(name)) tags.push({ key: 'flaky', value: 'true' });
      const agent = AGENT_EXCEPTIONS.has(name) ? AGENT_EXCEPTIONS.get(name) : 'ONLINE';
      const windows = WINDOWS_HOSTS.has(name);
      const image = windows
        ? { osName: 'Windows', osVersion: 'Server 2019', image: 'Windows Server 2019 Datacenter 64bit English' }
        : random.pick(LINUX_IMAGES);
      let floatingIp: string | undefined;
      if (role === 'web' && env === 'prod') {
        do floatingIp = `121.36.${random.int(1, 254)}.${random.int(1, 254)}`;
        while (usedFloating.has(floatingIp));
        usedFloating.add(floatingIp);
      }
      const created = baseMs - random.int(30, 400) * DAY_MS - random.int(0, DAY_MS - 1);
      hosts.push({
        id: random.hex(24),
        resourceId: random.uuid(),
        name,
        regionId: region.id,
        zoneId: random.pick(region.zones),
        projectId: region.projectId,
        tags,
        agentId: agent === null || agent === undefined ? undefined : random.hex(32),
        agentState: agent === null || agent === undefined ? undefined : agent,
        osType: windows ? 'windows' : 'linux',
        osName: image.osName,
        osVersion: image.osVersion,
        imageName: image.image,
        flavorName: flavor,
        status: STOPPED_HOSTS.has(name) ? 'SHUTOFF' : 'ACTIVE',
        fixedIp: `10.${regionIndex}.${subnet}.${10 + n}`,
        floatingIp,
        vpcId: vpcByRegion.get(region.id) ?? '',
        createTime: new Date(created).toISOString(),
        updateTime: new Date(created + random.int(1, 20) * DAY_MS).toISOString(),
      });
    }
  });
  return hosts;
}

export function tagValue(host: Host, key: string): string | undefined {
  return host.tags.find((tag) => tag.key === key)?.value;
}
