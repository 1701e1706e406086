/**
 * Job's scripts (business and public) and OS accounts. Script types follow the reference:
 * 1 shell, 2 bat, 3 perl, 4 python, 5 powershell, 6 sql.
 */
import type { OsType } from './topology.js';

export interface BkScript {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly tag: string;
  readonly type: number;
  readonly creator: string;
  readonly public: boolean;
  /** Absent for public scripts. */
  readonly bk_biz_id: number | undefined;
  readonly createdAt: number;
  readonly content: string;
}

export interface BkAccount {
  readonly id: number;
  readonly account: string;
  readonly alias: string;
  readonly os: 'Linux' | 'Windows';
  readonly creator: string;
  readonly bk_biz_id: number;
  readonly createdAt: number;
}

interface ScriptSeed {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  readonly biz?: number;
  readonly content: string;
}

const SHELL = '#!/bin/bash\n';

const SCRIPT_SEEDS: readonly ScriptSeed[] = [
  { id: 1, biz: 3, name: 'check_disk', type: 1, content: `${SHELL}# usage: check_disk [mount]\ndf -h "\${1:-/}"\n` },
  { id: 2, biz: 3, name: 'restart_nginx', type: 1, content: `${SHELL}systemctl restart nginx && systemctl is-active nginx\n` },
  { id: 3, biz: 3, name: 'clear_tmp', type: 1, content: `${SHELL}# usage: clear_tmp [days]\nfind /tmp -type f -mtime +"\${1:-7}" -delete\n` },
  { id: 4, biz: 3, name: 'collect_logs', type: 4, content: '#!/usr/bin/env python3\nimport sys\nprint("collecting", sys.argv[1:])\n' },
  { id: 5, biz: 3, name: 'win_services', type: 5, content: 'Get-Service | Where-Object {$_.Status -eq "Running"}\n' },
  { id: 6, biz: 3, name: 'rotate_password', type: 1, content: `${SHELL}# usage: rotate_password <user> <new-password> (sensitive)\necho "rotating password of $1"\n` },
  { id: 7, biz: 3, name: 'fail_always', type: 1, content: `${SHELL}echo "this script always fails"\nexit 3\n` },
  { id: 11, biz: 4, name: 'pay_health', type: 1, content: `${SHELL}curl -fsS http://127.0.0.1:8080/health\n` },
  { id: 101, name: 'ping_check', type: 1, content: `${SHELL}# usage: ping_check <host>\nping -c 3 "$1"\n` },
  { id: 102, name: 'uptime', type: 1, content: `${SHELL}uptime\n` },
];

export function seedScripts(createdAt: number): BkScript[] {
  return SCRIPT_SEEDS.map((seed) => ({
    id: seed.id,
    name: seed.name,
    version: `admin.${seed.id}`,
    tag: 'v1.0',
    type: seed.type,
    creator: 'admin',
    public: seed.biz === undefined,
    bk_biz_id: seed.biz,
    createdAt,
    content: seed.content,
  }));
}

export function seedAccounts(bizIds: readonly number[], createdAt: number): BkAccount[] {
  let id = 1;
  const accounts: BkAccount[] = [];
  for (const biz of bizIds) {
    accounts.push({ id: id++, account: 'root', alias: 'root', os: 'Linux', creator: 'system', bk_biz_id: biz, createdAt });
    accounts.push({ id: id++, account: 'Administrator', alias: 'Administrator', os: 'Windows', creator: 'system', bk_biz_id: biz, createdAt });
    accounts.push({ id: id++, account: 'app', alias: 'app-user', os: 'Linux', creator: 'admin', bk_biz_id: biz, createdAt });
  }
  return accounts;
}

export function accountFitsOs(account: BkAccount, os: OsType): boolean {
  return (account.os === 'Windows') === (os === 'windows');
}
