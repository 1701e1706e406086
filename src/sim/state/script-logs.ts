/**
 * What an instance of a script run prints, and whether it succeeds. The outcome is decided
 * when the order is created, from the host, the script and the parameters; the log is written
 * when someone reads it, with a PRNG derived from (seed, execute_uuid, host), so the same
 * world always prints the same thing.
 *
 * Outcome rules, first match wins:
 *  1. no UniAgent installed, or UniAgent not ONLINE → ABNORMAL, nothing ran;
 *  2. script type does not fit the OS (SHELL/PYTHON on Windows, BAT on Linux) → ABNORMAL;
 *  3. a `wait_seconds`/`sleep_seconds` parameter longer than the timeout → ABNORMAL (timed out);
 *  4. host tagged `flaky=true` → ABNORMAL with a transient-looking error;
 *  5. an `exit_code` parameter other than 0 → ABNORMAL with that exit code;
 *  otherwise FINISHED.
 *
 * Logs echo every parameter, sensitive ones included, the way a careless script with
 * `set -x` does: whoever shows these logs must mask them.
 */
import { logTimestamp } from '../clock.js';
import { Random } from '../prng.js';
import type { Host, PlannedRun, ScriptType } from './model.js';
import { tagValue } from './seed-hosts.js';

/** COC keeps at most 1 MB of output per instance. */
export const MAX_LOG_BYTES = 1024 * 1024;
const TRUNCATION_NOTICE = '\n...[output truncated: the log exceeds 1 MB]\n';
const CLOSING_RESERVE = 1024;

export interface ResolvedParam {
  readonly name: string;
  readonly value: string;
  readonly sensitive: boolean;
}

export interface RunContext {
  readonly seed: number;
  readonly executeUuid: string;
  readonly scriptName: string;
  readonly scriptType: ScriptType;
  readonly params: readonly ResolvedParam[];
  readonly executeUser: string;
  readonly timeoutSeconds: number;
  readonly host: Host;
  readonly startedAt: number;
}

class LogWriter {
  private readonly parts: string[] = [];
  private bytes = 0;
  private truncated = false;
  /** Room kept for the truncation notice and the closing line, so the verdict is never cut off. */
  private readonly budget = MAX_LOG_BYTES - Buffer.byteLength(TRUNCATION_NOTICE) - CLOSING_RESERVE;
  private closingLine = '';

  /** Appends unless the log is full; false once it is (callers stop producing output). */
  raw(text: string): boolean {
    if (this.truncated) return false;
    const size = Buffer.byteLength(text);
    if (this.bytes + size > this.budget) {
      this.truncated = true;
      return false;
    }
    this.parts.push(text);
    this.bytes += size;
    return true;
  }

  /** The last line (exit status), always kept. */
  closing(text: string): void {
    this.closingLine = text.length > CLOSING_RESERVE / 4 ? `${text.slice(0, CLOSING_RESERVE / 4 - 1)}\n` : text;
  }

  toString(): string {
    return this.parts.join('') + (this.truncated ? TRUNCATION_NOTICE : '') + this.closingLine;
  }
}

function paramValue(context: RunContext, name: string, fallback: string): string {
  return context.params.find((param) => param.name === name)?.value ?? fallback;
}

function numericParam(context: RunContext, names: readonly string[]): number | undefined {
  for (const name of names) {
    const value = context.params.find((param) => param.name === name)?.value;
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

/** The `set -x` trace of the parameters, as each script type would echo them. */
function traceParams(log: LogWriter, context: RunContext): void {
  for (const param of context.params) {
    if (context.scriptType === 'BAT') log.raw(`C:\\> set ${param.name}=${param.value}\n`);
    else if (context.scriptType === 'PYTHON') log.raw(`DEBUG params: ${param.name}=${JSON.stringify(param.value)}\n`);
    else log.raw(`+ ${param.name}=${param.value}\n`);
  }
}

type BodyWriter = (log: LogWriter, context: RunContext, random: Random) => void;

const BODIES: Readonly<Record<string, BodyWriter>> = {
  disk_usage(log, context, random) {
    const mount = paramValue(context, 'mount_point', '/');
    const threshold = Number(paramValue(context, 'threshold_percent', '90')) || 90;
    const size = random.pick([40, 100, 200, 500]);
    const used = random.int(12, 97);
    log.raw(`+ df -h ${mount}\nFilesystem      Size  Used Avail Use% Mounted on\n/dev/vda1       ${size}G  ${Math.round((size * used) / 100)}G  ${Math.round((size * (100 - used)) / 100)}G  ${used}% ${mount}\n`);
    if (used >= threshold) log.raw(`WARNING: ${mount} at ${used}%\n`);
  },
  check_service_status(log, context, random) {
    const unit = paramValue(context, 'service_name', 'nginx');
    log.raw(`+ systemctl status ${unit} --no-pager\n● ${unit}.service - ${unit} service\n   Loaded: loaded (/usr/lib/systemd/system/${unit}.service; enabled)\n   Active: active (running) since ${logTimestamp(context.startedAt - random.int(1, 90) * 86_400_000)} UTC\n Main PID: ${random.int(800, 32000)} (${unit})\n`);
  },
  health_check(log, context) {
    const endpoint = paramValue(context, 'endpoint', 'http://127.0.0.1:8080/healthz');
    log.raw(`+ curl -fsS ${endpoint}\n{"status":"UP"}\n+ exit ${paramValue(context, 'exit_code', '0')}\n`);
  },
  tail_app_logs(log, context, random) {
    const file = paramValue(context, 'log_file', '/var/log/messages');
    const lines = Number(paramValue(context, 'lines', '50')) || 0;
    log.raw(`+ tail -n ${lines} ${file}\n`);
    const units = ['systemd', 'kernel', 'sshd', 'app', 'crond', 'nginx'];
    for (let i = 0; i < lines; i++) {
      const unit = units[i % units.length] as string;
      const written = log.raw(
        `${logTimestamp(context.startedAt - (lines - i) * 1000)} ${context.host.name} ${unit}[${1000 + (i % 500)}]: request ${random.hex(8)} handled in ${random.int(1, 900)} ms\n`,
      );
      if (!written) break;
    }
  },
  restart_nginx(log, context) {
    const graceful = paramValue(context, 'graceful', 'true') === 'true';
    log.raw('+ nginx -t\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n');
    log.raw(graceful ? '+ systemctl reload nginx\n' : '+ systemctl restart nginx\n');
    log.raw(`+ sleep ${paramValue(context, 'wait_seconds', '5')}\n+ systemctl is-active nginx\nactive\n`);
  },
  clear_tmp_files(log, context, random) {
    const path = paramValue(context, 'path', '/tmp');
    log.raw(`+ find ${path} -type f -mtime +${paramValue(context, 'older_than_days', '7')} -print -delete\n`);
    const count = random.int(0, 12);
    for (let i = 0; i < count; i++) log.raw(`${path}/session-${random.hex(6)}.tmp\n`);
  },
  rotate_db_password(log, context) {
    const user = paramValue(context, 'db_user', 'app');
    const password = paramValue(context, 'new_password', '');
    log.raw(`+ mysql -u root -e "ALTER USER '${user}'@'%' IDENTIFIED BY '${password}'; FLUSH PRIVILEGES;"\n`);
    log.raw(`+ echo ${password}\n+ systemctl reload app\n`);
  },
  deploy_hotfix(log, context, random) {
    const url = paramValue(context, 'package_url', '');
    const token = paramValue(context, 'api_token', '');
    log.raw(`DEBUG GET ${url} headers={'Authorization': 'Bearer ${token}'}\n`);
    log.raw(`downloaded ${random.int(2, 80)} MB to /tmp/hotfix.tar.gz\ninstalling ${paramValue(context, 'release', 'hotfix')}... done\n`);
  },
  flush_redis_cache(log, context) {
    log.raw(`+ redis-cli -a ${paramValue(context, 'redis_password', '')} -n ${paramValue(context, 'redis_db', '0')} FLUSHDB\n`);
    log.raw('Warning: Using a password with \'-a\' or \'-u\' option on the command line interface may not be safe.\nOK\n');
  },
  windows_cleanup(log, context, random) {
    log.raw(`C:\\> del /q /s ${paramValue(context, 'drive', 'C:')}\\Windows\\Temp\\*\n`);
    log.raw(`Deleted ${random.int(3, 400)} files.\n`);
  },
  COC_Check_System_Load(log, context, random) {
    log.raw(` ${logTimestamp(context.startedAt).slice(11)} up ${random.int(2, 300)} days,  load average: ${random.float().toFixed(2)}, ${random.float().toFixed(2)}, ${random.float().toFixed(2)}\n`);
    log.raw('  PID USER      %CPU %MEM COMMAND\n');
    const rows = Math.min(Number(paramValue(context, 'top_n', '15')) || 0, 50);
    for (let i = 0; i < rows; i++) log.raw(`${String(random.int(100, 32000)).padStart(5)} root      ${random.int(0, 40)}.${random.int(0, 9)}  ${random.int(0, 20)}.${random.int(0, 9)} ${random.pick(['java', 'nginx', 'mysqld', 'redis-server', 'python3', 'uniagent'])}\n`);
  },
  COC_Clean_Journal_Logs(log, context, random) {
    log.raw(`Vacuuming done, freed ${random.int(10, 900)}.0M of archived journals; kept ${paramValue(context, 'max_size', '500M')}.\n`);
  },
  COC_Reboot_Host(log, context) {
    log.raw(`Shutdown scheduled for ${logTimestamp(context.startedAt + Number(paramValue(context, 'delay_minutes', '1')) * 60_000)} UTC, use 'shutdown -c' to cancel.\n`);
  },
};

function genericBody(log: LogWriter, context: RunContext): void {
  log.raw(`running ${context.scriptName}\ndone\n`);
}

function header(context: RunContext): string {
  const { host } = context;
  return `[${logTimestamp(context.startedAt)}] [INFO] job ${context.executeUuid}: ${context.scriptName} on ${host.name} (${host.fixedIp}) as ${context.executeUser}, timeout ${context.timeoutSeconds}s\n`;
}

export type RunFailure = 'agent-missing' | 'agent-not-online' | 'wrong-os' | 'timeout' | 'flaky' | 'exit-code';

/** The outcome rules (see the top of this file); no randomness, so it is cheap to decide up front. */
function failureOf(context: RunContext): RunFailure | undefined {
  const { host } = context;
  if (host.agentState === undefined) return 'agent-missing';
  if (host.agentState !== 'ONLINE') return 'agent-not-online';
  if ((host.osType === 'windows') !== (context.scriptType === 'BAT')) return 'wrong-os';
  const wait = numericParam(context, ['wait_seconds', 'sleep_seconds']);
  if (wait !== undefined && wait > context.timeoutSeconds) return 'timeout';
  if (tagValue(host, 'flaky') === 'true') return 'flaky';
  const exitCode = numericParam(context, ['exit_code']);
  if (exitCode !== undefined && exitCode !== 0) return 'exit-code';
  return undefined;
}

function writeFinalLog(context: RunContext, failure: RunFailure | undefined): string {
  const { host } = context;
  const random = Random.derived(context.seed, context.executeUuid, host.resourceId);
  const log = new LogWriter();
  log.raw(header(context));
  const fail = (reason: string) => {
    log.closing(`[${logTimestamp(context.startedAt)}] [ERROR] ${reason}\n`);
    return log.toString();
  };
  switch (failure) {
    case 'agent-missing':
      return fail(`UniAgent is not installed on ${host.name} (${host.resourceId}); the script was not delivered.`);
    case 'agent-not-online':
      return fail(`UniAgent on ${host.name} is ${host.agentState ?? 'unknown'}; the script was not delivered.`);
    case 'wrong-os':
      return fail(
        host.osType === 'windows'
          ? `'${context.scriptType === 'PYTHON' ? 'python3' : 'bash'}' is not recognized as an internal or external command on ${host.name}.`
          : `BAT scripts cannot run on ${host.osName} host ${host.name}.`,
      );
    default:
      break;
  }
  traceParams(log, context);
  if (failure === 'timeout') {
    log.raw(`+ sleep ${numericParam(context, ['wait_seconds', 'sleep_seconds']) ?? 0}\n`);
    return fail(`execution timed out after ${context.timeoutSeconds}s; the process was killed.`);
  }
  (BODIES[context.scriptName] ?? genericBody)(log, context, random);
  if (failure === 'flaky') {
    log.raw(`${random.pick(['connection reset by peer', 'No space left on device', 'Resource temporarily unavailable', 'Segmentation fault (core dumped)'])}\n`);
    return fail(`script exited with code ${random.pick([1, 2, 137, 255])}`);
  }
  if (failure === 'exit-code') return fail(`script exited with code ${numericParam(context, ['exit_code']) ?? 1}`);
  log.closing(`[${logTimestamp(context.startedAt)}] [INFO] script exited with code 0 in ${random.int(120, 9000)} ms\n`);
  return log.toString();
}

/**
 * Decides the outcome now and writes the log only when someone reads it: the log is a pure
 * function of the run, so keeping it would only cost memory (up to 1 MB per host).
 */
export function planInstance(context: RunContext): PlannedRun {
  return plannedRun(context, failureOf(context));
}

/**
 * A run whose outcome was decided before (a world restored from its file): the same outcome,
 * whatever the host looks like now, and the same log.
 */
export function plannedRun(context: RunContext, failure: RunFailure | undefined): PlannedRun {
  return { succeeds: failure === undefined, header: header(context), finalLog: () => writeFinalLog(context, failure), decided: { context, failure } };
}
