/**
 * The tenant's scripts: custom scripts of every risk level (HIGH ones with a reviewer and
 * sensitive parameters) and a few of COC's public scripts.
 */
import { DAY_MS, HOUR_MS } from '../clock.js';
import { userIdFor } from '../defaults.js';
import type { IdFactory } from '../ids.js';
import { Random } from '../prng.js';
import type { RiskLevel, Script, ScriptParamDefine, ScriptSource, ScriptType } from './model.js';

interface ScriptSpec {
  readonly name: string;
  readonly type: ScriptType;
  readonly risk: RiskLevel;
  readonly description: string;
  readonly content: string;
  readonly params: readonly ScriptParamDefine[];
  readonly reviewed?: boolean;
}

function param(name: string, value: string, description: string, sensitive = false): ScriptParamDefine {
  return { param_name: name, param_value: value, param_description: description, sensitive };
}

const CUSTOM_SCRIPTS: readonly ScriptSpec[] = [
  {
    name: 'disk_usage',
    type: 'SHELL',
    risk: 'LOW',
    description: 'Report disk usage of a mount point and warn above a threshold',
    content: '#!/bin/bash\nset -x\ndf -h "${mount_point}"\nused=$(df --output=pcent "${mount_point}" | tail -1 | tr -dc 0-9)\n[ "$used" -lt "${threshold_percent}" ] || echo "WARNING: ${mount_point} at ${used}%"\n',
    params: [param('mount_point', '/', 'Mount point to inspect'), param('threshold_percent', '90', 'Warn when usage is at or above this percentage')],
  },
  {
    name: 'check_service_status',
    type: 'SHELL',
    risk: 'LOW',
    description: 'Show the systemd status of a service',
    content: '#!/bin/bash\nset -x\nsystemctl status "${service_name}" --no-pager\n',
    params: [param('service_name', 'nginx', 'systemd unit to inspect')],
  },
  {
    name: 'health_check',
    type: 'SHELL',
    risk: 'LOW',
    description: 'Probe a local HTTP health endpoint; exit_code forces the result for drills',
    content: '#!/bin/bash\nset -x\ncurl -fsS "${endpoint}" || exit 1\nexit "${exit_code}"\n',
    params: [param('endpoint', 'http://127.0.0.1:8080/healthz', 'Health endpoint to probe'), param('exit_code', '0', 'Exit code to finish with (drills)')],
  },
  {
    name: 'tail_app_logs',
    type: 'SHELL',
    risk: 'LOW',
    description: 'Print the last lines of an application log',
    content: '#!/bin/bash\nset -x\ntail -n "${lines}" "${log_file}"\n',
    params: [param('log_file', '/var/log/messages', 'Log file to read'), param('lines', '50', 'Number of lines to print')],
  },
  {
    name: 'restart_nginx',
    type: 'SHELL',
    risk: 'MEDIUM',
    description: 'Restart nginx, gracefully by default, and wait for it to come back',
    content:
      '#!/bin/bash\nset -x\nnginx -t || exit 2\nif [ "${graceful}" = "true" ]; then systemctl reload nginx; else systemctl restart nginx; fi\nsleep "${wait_seconds}"\nsystemctl is-active nginx\n',
    params: [param('graceful', 'true', 'Reload instead of a full restart'), param('wait_seconds', '5', 'Seconds to wait before checking')],
  },
  {
    name: 'clear_tmp_files',
    type: 'SHELL',
    risk: 'MEDIUM',
    description: 'Delete old files under a temporary directory',
    content: '#!/bin/bash\nset -x\nfind "${path}" -type f -mtime +"${older_than_days}" -print -delete\n',
    params: [param('path', '/tmp', 'Directory to clean'), param('older_than_days', '7', 'Only delete files older than this many days')],
  },
  {
    name: 'rotate_db_password',
    type: 'SHELL',
    risk: 'HIGH',
    description: 'Rotate the password of a database account and reload the application secret',
    content:
      '#!/bin/bash\nset -x\nmysql -u root -e "ALTER USER \'${db_user}\'@\'%\' IDENTIFIED BY \'${new_password}\'; FLUSH PRIVILEGES;"\necho "${new_password}" > /etc/app/db.secret\nsystemctl reload app\n',
    params: [param('db_user', 'app', 'Database account to rotate'), param('new_password', 'ChangeMe_2024', 'New password', true)],
    reviewed: true,
  },
  {
    name: 'deploy_hotfix',
    type: 'PYTHON',
    risk: 'HIGH',
    description: 'Download a hotfix package with an API token and install it',
    content:
      'import os, subprocess, urllib.request\nreq = urllib.request.Request("${package_url}", headers={"Authorization": "Bearer ${api_token}"})\nopen("/tmp/hotfix.tar.gz", "wb").write(urllib.request.urlopen(req).read())\nsubprocess.check_call(["/opt/app/bin/install-hotfix", "/tmp/hotfix.tar.gz", "${release}"])\n',
    params: [
      param('package_url', 'https://repo.example.com/hotfix/latest.tar.gz', 'Package to install'),
      param('release', 'hotfix-1', 'Release label'),
      param('api_token', 'token-placeholder', 'Repository API token', true),
    ],
    reviewed: true,
  },
  {
    name: 'flush_redis_cache',
    type: 'SHELL',
    risk: 'HIGH',
    description: 'Flush one Redis database',
    content: '#!/bin/bash\nset -x\nredis-cli -a "${redis_password}" -n "${redis_db}" FLUSHDB\n',
    params: [param('redis_db', '0', 'Database number'), param('redis_password', 'redis-placeholder', 'Redis AUTH password', true)],
    reviewed: true,
  },
  {
    name: 'windows_cleanup',
    type: 'BAT',
    risk: 'MEDIUM',
    description: 'Clean temporary files on a Windows drive',
    content: '@echo on\ndel /q /s %drive%\\Windows\\Temp\\*\n',
    params: [param('drive', 'C:', 'Drive to clean')],
  },
];

const PUBLIC_SCRIPTS: readonly ScriptSpec[] = [
  {
    name: 'COC_Check_System_Load',
    type: 'SHELL',
    risk: 'LOW',
    description: 'Show load average, top CPU and memory consumers',
    content: '#!/bin/bash\nuptime\ntop -b -n 1 | head -n "${top_n}"\n',
    params: [param('top_n', '15', 'Lines of top output')],
  },
  {
    name: 'COC_Clean_Journal_Logs',
    type: 'SHELL',
    risk: 'MEDIUM',
    description: 'Vacuum systemd journal logs down to a size',
    content: '#!/bin/bash\njournalctl --vacuum-size="${max_size}"\n',
    params: [param('max_size', '500M', 'Size to keep')],
  },
  {
    name: 'COC_Reboot_Host',
    type: 'SHELL',
    risk: 'HIGH',
    description: 'Reboot the host after a delay',
    content: '#!/bin/bash\nshutdown -r +"${delay_minutes}"\n',
    params: [param('delay_minutes', '1', 'Minutes before the reboot')],
  },
];

function buildScript(spec: ScriptSpec, source: ScriptSource, ids: IdFactory, random: Random, baseMs: number, reviewer: string): Script {
  const created = baseMs - random.int(20, 200) * DAY_MS - random.int(0, DAY_MS - 1);
  const modified = created + random.int(0, 10) * DAY_MS + random.int(0, 23) * HOUR_MS;
  const creator = source === 'PUBLIC_SCRIPT' ? 'system' : 'alice';
  return {
    id: ids.scriptId(),
    scriptUuid: ids.scriptUuid(created),
    source,
    name: spec.name,
    type: spec.type,
    description: spec.description,
    content: spec.content,
    params: spec.params,
    properties: {
      risk_level: spec.risk,
      version: '1.0.0',
      reviewers: spec.reviewed ? [{ reviewer_name: reviewer, reviewer_id: userIdFor(reviewer) }] : undefined,
      protocol: spec.reviewed ? 'DEFAULT' : undefined,
    },
    status: 'APPROVED',
    gmtCreated: created,
    gmtModified: modified,
    creator,
    creatorId: source === 'PUBLIC_SCRIPT' ? 'system' : userIdFor(creator),
    operator: creator,
    enterpriseProjectId: '0',
  };
}

export function seedScripts(seed: number, ids: IdFactory, baseMs: number): { custom: Script[]; publicScripts: Script[] } {
  const random = Random.derived(seed, 'scripts');
  const custom = CUSTOM_SCRIPTS.map((spec) => buildScript(spec, 'CUSTOM_SCRIPT', ids, random, baseMs, 'bob'));
  const publicScripts = PUBLIC_SCRIPTS.map((spec) => buildScript(spec, 'PUBLIC_SCRIPT', ids, random, baseMs, 'bob'));
  return { custom, publicScripts };
}
