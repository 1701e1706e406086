/**
 * The simulated BlueKing deployment: CMDB topology, Job scripts/accounts/executions, SOPS,
 * ITSM, monitor alarms, bk_login users and messages sent through CMSI. Same seed, same world.
 */
import type { SimClock } from '../../clock.js';
import { seedAlarms, type BkAlarm } from './alarms.js';
import { Itsm } from './itsm.js';
import { JobEngine, type BkJob } from './jobs.js';
import { seedAccounts, seedScripts, type BkAccount, type BkScript } from './scripts.js';
import { SopsEngine, seedTemplates } from './sops.js';
import { Topology } from './topology.js';

export interface BkUser {
  readonly bk_username: string;
  readonly chname: string;
  readonly email: string;
  readonly phone: string;
  readonly qq: string;
  readonly wx_userid: string;
  readonly language: string;
  readonly time_zone: string;
  readonly bk_role: number;
}

export interface SentMessage {
  readonly at: number;
  readonly sender: string;
  readonly msgType: string;
  readonly receivers: readonly string[];
  readonly title: string;
  readonly content: string;
}

export class BkWorld {
  readonly topology: Topology;
  readonly scripts: BkScript[];
  readonly accounts: BkAccount[];
  readonly jobEngine: JobEngine;
  readonly sops: SopsEngine;
  readonly itsm: Itsm;
  readonly alarms: BkAlarm[];
  readonly users: BkUser[];
  /** Every send_msg accepted, oldest first. */
  readonly messages: SentMessage[] = [];

  constructor(
    readonly seed: number,
    private readonly clock: SimClock,
    userNames: readonly string[],
  ) {
    const now = () => clock.now();
    const builtAt = clock.now();
    this.topology = new Topology(seed, builtAt);
    this.scripts = seedScripts(builtAt - 86_400_000);
    this.accounts = seedAccounts(
      this.topology.businesses.map((biz) => biz.bk_biz_id),
      builtAt - 86_400_000,
    );
    this.jobEngine = new JobEngine(seed, now);
    this.sops = new SopsEngine(seed, seedTemplates(seed, builtAt - 86_400_000), now);
    this.itsm = new Itsm(now);
    this.alarms = seedAlarms(seed, this.topology, builtAt);
    this.users = userNames.map((name, index) => ({
      bk_username: name,
      chname: name,
      email: `${name}@example.com`,
      phone: `1380000${String(1000 + index).slice(-4)}`,
      qq: '',
      wx_userid: '',
      language: 'zh-cn',
      time_zone: 'Asia/Shanghai',
      bk_role: name === 'dave' ? 1 : 0,
    }));
  }

  now(): number {
    return this.clock.now();
  }

  /** Every fast_execute_script that created a job instance, oldest first. */
  get jobs(): readonly BkJob[] {
    return this.jobEngine.jobs;
  }

  user(name: string): BkUser | undefined {
    return this.users.find((user) => user.bk_username === name);
  }

  /** One step of every engine; returns the jobs that ended (their callbacks are due). */
  tick(): BkJob[] {
    const ended = this.jobEngine.tick();
    this.sops.tick();
    return ended;
  }
}
