/**
 * What `run` takes, declared once: the command line, the Discord options, help and the run form
 * all read these declarations (ranges and defaults from the backend's run limits), and both the
 * line and the form end in the same RunRequest. A file of its own, so that the command and its
 * form both read it without importing each other.
 */
import { arg, type ArgsOf, type BackendLimits, type RunLimits } from '../src/core/arguments/index.js';
import { Refusal } from '../src/core/refusal.js';
import type { Text, Translate } from '../src/i18n/translate.js';
import { ROTATIONS } from '../src/backends/index.js';
import type { HostSelector } from '../src/run/hosts.js';
import type { RunRequest } from '../src/run/request.js';
import { TOPOLOGY_FLAGS, topologyOf } from './topology-args.js';

const TEXT = {
  cannotPlan: { 'en-US': 'This run cannot be planned', 'zh-CN': '无法生成执行计划' },
  oneSelector: {
    'en-US': 'Choose the hosts one way: --hosts h1,h2, or --tag key=value, or --query text (got {count}).',
    'zh-CN': '请用一种方式选择主机：--hosts h1,h2、--tag key=value 或 --query 文本（收到 {count} 种）。',
  },
} satisfies Record<string, Text>;

/** The run limits a bound is read from; a deployment without runs has no `run` command at all. */
function runs(limits: BackendLimits): RunLimits {
  if (!limits.runs) throw new Error('run: the backend declares no run limits');
  return limits.runs;
}

export const RUN_POSITIONALS = {
  script: arg.string({
    max: 128,
    required: true,
    suggest: 'scripts',
    description: { 'en-US': 'Script name or uuid (leave all empty for a form)', 'zh-CN': '脚本名称或 uuid（全部留空则打开表单）' },
    label: { 'en-US': 'Script', 'zh-CN': '脚本' },
    hint: { 'en-US': 'Type part of its name.', 'zh-CN': '输入名称的一部分。' },
  }),
};

export const RUN_FLAGS = {
  hosts: arg.hosts({
    max: (limits) => runs(limits).maxHosts,
    suggest: 'hosts',
    description: { 'en-US': 'Host names or resource ids, comma separated', 'zh-CN': '主机名或资源 id，以逗号分隔' },
    label: { 'en-US': 'Hosts', 'zh-CN': '主机' },
    hint: {
      'en-US': 'Type part of a name or IP; several are separated by commas. A name several hosts share is picked as id:<resource id> or region/name. Or leave empty and give a tag. Hosts whose {agent} is not online are left out.',
      'zh-CN': '输入名称或 IP 的一部分；多个用逗号分隔。多台主机同名时，用 id:<资源 ID> 或 区域/名称 指定。或留空并填写标签。{agent} 不在线的主机会被排除。',
    },
  }),
  tag: arg.keyValue({
    // COC's tag filter: a key of 1 to 36 characters without "." (it joins key and value), a value of at most 43.
    keyPattern: /^[^.=]{1,36}$/,
    valueMax: 43,
    description: { 'en-US': 'Every host with this tag, key=value', 'zh-CN': '带此标签的所有主机，格式 key=value' },
    label: { 'en-US': 'Or every host with this tag', 'zh-CN': '或带此标签的所有主机' },
    hint: { 'en-US': 'key=value, e.g. role=web. Leave empty when hosts are picked.', 'zh-CN': 'key=value，例如 role=web。已选择主机时留空。' },
  }),
  query: arg.string({ max: 64, placeholder: { 'en-US': 'text', 'zh-CN': '文本' }, description: { 'en-US': 'Every host whose name contains this', 'zh-CN': '名称包含此文本的所有主机' } }),
  // Every host of a business, set or module, where the platform has a topology (a backend without one has no such flags).
  ...TOPOLOGY_FLAGS,
  'batch-size': arg.integer({
    min: 1,
    max: (limits) => runs(limits).maxHostsPerBatch,
    default: (limits) => runs(limits).maxHostsPerBatch,
    description: { 'en-US': 'Hosts per batch', 'zh-CN': '每批主机数' },
  }),
  rotation: arg.enum({
    choices: [
      { value: ROTATIONS[0], typed: 'continue', label: { 'en-US': 'Continue', 'zh-CN': '继续' } },
      { value: ROTATIONS[1], typed: 'pause', label: { 'en-US': 'Pause', 'zh-CN': '暂停' } },
    ],
    default: 'CONTINUE',
    description: { 'en-US': 'After each batch', 'zh-CN': '每批之后' },
  }),
  timeout: arg.integer({
    min: (limits) => runs(limits).timeoutSeconds.min,
    max: (limits) => runs(limits).timeoutSeconds.max,
    default: (limits) => runs(limits).timeoutSeconds.default,
    description: { 'en-US': 'Seconds per host', 'zh-CN': '每台主机的超时秒数' },
    label: { 'en-US': 'Timeout per host (seconds)', 'zh-CN': '每台主机超时（秒）' },
  }),
  'success-rate': arg.integer({
    min: (limits) => runs(limits).successRate.min,
    max: (limits) => runs(limits).successRate.max,
    default: (limits) => runs(limits).successRate.default,
    description: { 'en-US': '% of hosts that must succeed for the next batch', 'zh-CN': '进入下一批所需的主机成功率（%）' },
    label: { 'en-US': 'Success rate needed (%)', 'zh-CN': '所需成功率（%）' },
  }),
  param: arg.keyValue({
    repeatable: true,
    // The value may be a secret: never echoed; the audit trail keeps not even the name.
    secretValue: true,
    auditedWhole: true,
    placeholder: { 'en-US': 'name=value', 'zh-CN': '名称=值' },
    description: { 'en-US': 'Script parameter, name=value', 'zh-CN': '脚本参数 name=value' },
  }),
  canary: arg.boolean({
    description: { 'en-US': 'First batch is one host, then pause', 'zh-CN': '首批仅一台主机，然后暂停' },
    label: { 'en-US': 'Canary', 'zh-CN': '金丝雀' },
    hint: { 'en-US': 'first batch is one host, then pause', 'zh-CN': '第一批仅一台主机，然后暂停' },
  }),
  user: arg.string({
    max: 32,
    default: 'root',
    placeholder: { 'en-US': 'name', 'zh-CN': '用户名' },
    pattern: { re: /^\S+$/, says: { 'en-US': 'no spaces', 'zh-CN': '不含空格' } },
    description: { 'en-US': 'OS user the script runs as', 'zh-CN': '运行脚本的系统用户' },
    label: { 'en-US': 'Run as (OS user)', 'zh-CN': '执行用户（操作系统）' },
  }),
};

/** At most one way of choosing hosts. */
export const RUN_ONE_OF = [['hosts', 'tag', 'query']] as const satisfies readonly (readonly (keyof typeof RUN_FLAGS)[])[];

export type RunArgs = ArgsOf<typeof RUN_POSITIONALS, typeof RUN_FLAGS>;

/** The hosts chosen, in whichever way; none is refused (two are refused by the parser). */
export function selectorOf(t: Translate, args: Pick<RunArgs, 'hosts' | 'tag' | 'query' | 'biz' | 'set' | 'module'>): HostSelector {
  // --biz, --set and --module name one place together: one way of choosing, beside the others.
  const topology = topologyOf(args);
  if (topology) {
    const others = [args.hosts, args.tag, args.query].filter((given) => given !== undefined).length;
    if (others > 0) throw new Refusal(t(TEXT.cannotPlan), t(TEXT.oneSelector, { count: others + 1 }));
    return { kind: 'topology', topology };
  }
  if (args.hosts) return { kind: 'names', names: args.hosts };
  if (args.tag) return { kind: 'tag', key: args.tag.key, value: args.tag.value };
  if (args.query !== undefined) return { kind: 'query', text: args.query };
  throw new Refusal(t(TEXT.cannotPlan), t(TEXT.oneSelector, { count: 0 }));
}

/** The request the typed arguments make (the script named, the hosts chosen). */
export function requestOf(script: string, hosts: HostSelector, args: RunArgs): RunRequest {
  return {
    script,
    hosts,
    batchSize: args['batch-size'],
    rotation: args.rotation === 'PAUSE' ? 'PAUSE' : 'CONTINUE',
    timeout: args.timeout,
    successRate: args['success-rate'],
    executeUser: args.user,
    params: Object.fromEntries(args.param.map(({ key, value }) => [key, value])),
    canary: args.canary,
  };
}


