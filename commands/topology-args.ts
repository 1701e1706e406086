/**
 * `--biz`, `--set`, `--module`: a place in the platform's topology (BlueKing CMDB business, set,
 * module), by name or id as typed. Declared once for `hosts` and `run`; a backend without a
 * topology filter has none of these flags.
 */
import type { HostTopology } from '../src/backends/index.js';
import { arg } from '../src/core/arguments/index.js';
import type { Text } from '../src/i18n/translate.js';

const TEXT = {
  biz: { 'en-US': 'Business (name or id)', 'zh-CN': '业务（名称或 ID）' },
  set: { 'en-US': 'Set in the business (name or id)', 'zh-CN': '业务下的集群（名称或 ID）' },
  module: { 'en-US': 'Module in the business (name or id)', 'zh-CN': '业务下的模块（名称或 ID）' },
  says: { 'en-US': 'give a name or id as the platform’s topology shows it', 'zh-CN': '请按平台拓扑中的写法给出名称或 ID' },
} satisfies Record<string, Text>;

/** A name or an id, without quotes, backslashes or control characters. */
const TOPOLOGY_NAME = /^[^"'\\\u0000-\u001f]{1,64}$/;

function topologyArg(description: Text, localName: Text) {
  return arg.string({
    max: 64,
    pattern: { re: TOPOLOGY_NAME, says: TEXT.says },
    description,
    placeholder: { 'en-US': 'name', 'zh-CN': '名称' },
    localName,
    needs: 'hosts.filter.topology',
  });
}

export const TOPOLOGY_FLAGS = {
  biz: topologyArg(TEXT.biz, { 'en-US': 'biz', 'zh-CN': '业务' }),
  set: topologyArg(TEXT.set, { 'en-US': 'set', 'zh-CN': '集群' }),
  module: topologyArg(TEXT.module, { 'en-US': 'module', 'zh-CN': '模块' }),
};

/** The topology filter of a query, when any of its parts was given. */
export function topologyOf(args: { readonly biz?: string | undefined; readonly set?: string | undefined; readonly module?: string | undefined }): HostTopology | undefined {
  const { biz, set, module } = args;
  if (biz === undefined && set === undefined && module === undefined) return undefined;
  return { ...(biz !== undefined ? { biz } : {}), ...(set !== undefined ? { set } : {}), ...(module !== undefined ? { module } : {}) };
}
