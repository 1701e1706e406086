/**
 * CMDB's view of the world: businesses, sets, modules and hosts, seeded deterministically.
 * Three businesses; "demo-shop" (BK_SIM_BIZ_ID) holds most hosts, including two names that
 * repeat in its "staging" set (web-01, db-01) so that a name alone is ambiguous; some agents
 * are dead; hosts whose comment says `flaky` fail every script.
 */
import { Random } from '../../prng.js';

export interface BkBusiness {
  readonly bk_biz_id: number;
  readonly bk_biz_name: string;
  readonly bk_biz_maintainer: string;
  readonly bk_biz_productor: string;
  readonly bk_biz_developer: string;
  readonly bk_biz_tester: string;
  readonly time_zone: string;
  readonly language: string;
  readonly life_cycle: string;
  readonly default: number;
}

export interface BkSet {
  readonly bk_set_id: number;
  readonly bk_set_name: string;
  readonly bk_biz_id: number;
  readonly bk_set_env: string;
  readonly bk_service_status: string;
  readonly default: number;
}

export interface BkModule {
  readonly bk_module_id: number;
  readonly bk_module_name: string;
  readonly bk_set_id: number;
  readonly bk_biz_id: number;
  readonly bk_module_type: string;
  readonly operator: string;
  readonly bk_bak_operator: string;
  readonly default: number;
}

export type OsType = 'linux' | 'windows';

export interface BkHost {
  readonly bk_host_id: number;
  readonly bk_host_name: string;
  readonly bk_host_innerip: string;
  readonly bk_host_outerip: string;
  readonly bk_cloud_id: number;
  readonly bk_biz_id: number;
  readonly bk_set_id: number;
  readonly bk_module_id: number;
  readonly os: OsType;
  readonly bk_os_name: string;
  readonly bk_os_version: string;
  readonly bk_cpu: number;
  readonly bk_mem: number;
  readonly bk_disk: number;
  /** Free text; `flaky` in it makes every script on the host fail. */
  readonly bk_comment: string;
  readonly operator: string;
  readonly bk_bak_operator: string;
  agentAlive: boolean;
  readonly createdAt: number;
}

interface HostSeed {
  readonly biz: number;
  readonly set: string;
  readonly module: string;
  readonly names: readonly string[];
  readonly subnet: string;
  readonly os?: OsType;
  readonly dead?: readonly string[];
  readonly flaky?: readonly string[];
}

const BUSINESSES: readonly { id: number; name: string; maintainer: string }[] = [
  { id: 2, name: '蓝鲸', maintainer: 'dave' },
  { id: 3, name: 'demo-shop', maintainer: 'alice' },
  { id: 4, name: 'payments', maintainer: 'carol' },
];

const range = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

const HOST_SEEDS: readonly HostSeed[] = [
  { biz: 2, set: '公共组件', module: 'paas', names: range('bk', 6), subnet: '10.2.0' },
  { biz: 3, set: 'web', module: 'nginx', names: range('web', 12), subnet: '10.0.1' },
  { biz: 3, set: 'app', module: 'app', names: [...range('app', 9), 'flaky-01'], subnet: '10.0.2', dead: ['app-07'], flaky: ['flaky-01'] },
  { biz: 3, set: 'db', module: 'mysql', names: range('db', 4), subnet: '10.0.3' },
  { biz: 3, set: 'db', module: 'redis', names: range('cache', 3), subnet: '10.0.4', dead: ['cache-03'] },
  { biz: 3, set: 'windows', module: 'iis', names: range('win', 2), subnet: '10.0.5', os: 'windows' },
  { biz: 3, set: 'staging', module: 'all-in-one', names: ['web-01', 'db-01', 'app-01'], subnet: '10.0.9' },
  { biz: 4, set: 'pay-web', module: 'gateway', names: range('pay-web', 6), subnet: '10.1.1' },
  { biz: 4, set: 'pay-app', module: 'ledger', names: range('pay-app', 4), subnet: '10.1.2', dead: ['pay-app-04'] },
  { biz: 4, set: 'pay-db', module: 'mysql', names: range('pay-db', 2), subnet: '10.1.3' },
];

export interface NewHostSpec {
  readonly name: string;
  readonly ip?: string;
  readonly biz?: number;
  readonly setName?: string;
  readonly moduleName?: string;
  readonly os?: OsType;
  readonly agentAlive?: boolean;
  readonly comment?: string;
}

export class Topology {
  readonly businesses: BkBusiness[] = [];
  readonly sets: BkSet[] = [];
  readonly modules: BkModule[] = [];
  readonly hosts: BkHost[] = [];
  private nextSetId = 2;
  private nextModuleId = 10;
  private nextHostId = 1;

  constructor(
    seed: number,
    private readonly createdAt: number,
  ) {
    const random = Random.derived(seed, 'blueking-topology');
    for (const biz of BUSINESSES) {
      this.businesses.push({
        bk_biz_id: biz.id,
        bk_biz_name: biz.name,
        bk_biz_maintainer: biz.maintainer,
        bk_biz_productor: biz.maintainer,
        bk_biz_developer: '',
        bk_biz_tester: '',
        time_zone: 'Asia/Shanghai',
        language: '1',
        life_cycle: '2',
        default: 0,
      });
      // Every CMDB business has the idle-machine pool as its first set.
      this.moduleOf(this.setOf(biz.id, '空闲机池', 1), '空闲机', 1);
    }
    for (const seedSpec of HOST_SEEDS) {
      seedSpec.names.forEach((name, index) => {
        this.addHost(
          {
            name,
            ip: `${seedSpec.subnet}.${11 + index}`,
            biz: seedSpec.biz,
            setName: seedSpec.set,
            moduleName: seedSpec.module,
            os: seedSpec.os ?? 'linux',
            agentAlive: !(seedSpec.dead ?? []).includes(name),
            comment: (seedSpec.flaky ?? []).includes(name) ? 'flaky: fails every script' : '',
          },
          random,
        );
      });
    }
  }

  business(id: number): BkBusiness | undefined {
    return this.businesses.find((biz) => biz.bk_biz_id === id);
  }

  setById(id: number): BkSet | undefined {
    return this.sets.find((set) => set.bk_set_id === id);
  }

  moduleById(id: number): BkModule | undefined {
    return this.modules.find((module) => module.bk_module_id === id);
  }

  /** Hosts of a business with this inner IP on this cloud area (IPs are unique per business and area). */
  hostByIp(biz: number, cloud: number, ip: string): BkHost | undefined {
    return this.hosts.find((host) => host.bk_biz_id === biz && host.bk_cloud_id === cloud && host.bk_host_innerip === ip);
  }

  /** Adds a host at run time (admin route); unknown set/module names are created in the business. */
  addHost(spec: NewHostSpec, random: Random = Random.derived(this.nextHostId, 'added-host')): BkHost {
    const biz = spec.biz ?? 3;
    if (!this.business(biz)) throw new Error(`no business ${biz}`);
    const set = this.setOf(biz, spec.setName ?? 'added');
    const module = this.moduleOf(set, spec.moduleName ?? 'added');
    const id = this.nextHostId++;
    const os = spec.os ?? 'linux';
    const host: BkHost = {
      bk_host_id: id,
      bk_host_name: spec.name,
      bk_host_innerip: spec.ip ?? `10.9.${Math.floor(id / 250)}.${(id % 250) + 1}`,
      bk_host_outerip: '',
      bk_cloud_id: 0,
      bk_biz_id: biz,
      bk_set_id: set.bk_set_id,
      bk_module_id: module.bk_module_id,
      os,
      bk_os_name: os === 'windows' ? 'Windows Server 2019' : 'linux centos',
      bk_os_version: os === 'windows' ? '10.0.17763' : random.pick(['7.6', '7.9', '8.2']),
      bk_cpu: random.pick([2, 4, 8, 16]),
      bk_mem: random.pick([3790, 7843, 15886, 32011]),
      bk_disk: random.pick([49, 99, 499, 1789]),
      bk_comment: spec.comment ?? '',
      operator: this.business(biz)?.bk_biz_maintainer ?? '',
      bk_bak_operator: '',
      agentAlive: spec.agentAlive ?? true,
      createdAt: this.createdAt,
    };
    this.hosts.push(host);
    return host;
  }

  private setOf(biz: number, name: string, isDefault = 0): BkSet {
    const found = this.sets.find((set) => set.bk_biz_id === biz && set.bk_set_name === name);
    if (found) return found;
    const set: BkSet = { bk_set_id: this.nextSetId++, bk_set_name: name, bk_biz_id: biz, bk_set_env: '3', bk_service_status: '1', default: isDefault };
    this.sets.push(set);
    return set;
  }

  private moduleOf(set: BkSet, name: string, isDefault = 0): BkModule {
    const found = this.modules.find((module) => module.bk_set_id === set.bk_set_id && module.bk_module_name === name);
    if (found) return found;
    const maintainer = this.business(set.bk_biz_id)?.bk_biz_maintainer ?? '';
    const module: BkModule = {
      bk_module_id: this.nextModuleId++,
      bk_module_name: name,
      bk_set_id: set.bk_set_id,
      bk_biz_id: set.bk_biz_id,
      bk_module_type: '1',
      operator: maintainer,
      bk_bak_operator: '',
      default: isDefault,
    };
    this.modules.push(module);
    return module;
  }
}

export function isFlaky(host: BkHost): boolean {
  return /flaky/i.test(host.bk_comment) || /flaky/i.test(host.bk_host_name);
}
