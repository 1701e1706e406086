/**
 * The pure part of a run: hosts into batches, parameters checked against the script's own
 * definitions, and the execute request COC will get — everything decided before anything is
 * sent, so the preview shows exactly what will run.
 */
import type { ExecutionRequest, Rotation, RunLimits, RunsCapability, ScriptParam, ScriptParamRules } from '../backends/index.js';
import type { RunnableHost } from './hosts.js';
import { MASK } from '../core/mask.js';
import { translator, type Text, type Translate } from '../i18n/translate.js';

export type { Rotation } from '../backends/index.js';

export interface BatchOptions {
  readonly batchSize: number;
  readonly rotation: Rotation;
  /** First batch: one host, then a pause. */
  readonly canary: boolean;
}

export interface PlannedBatch {
  readonly index: number;
  readonly rotation: Rotation;
  readonly hosts: readonly RunnableHost[];
}

const TEXT = {
  tooManyHosts: {
    'en-US': '{count} hosts match; {platform} runs a script on at most {max} at once. Narrow the selection.',
    'zh-CN': '匹配到 {count} 台主机；{platform} 一次最多在 {max} 台主机上执行脚本。请缩小选择范围。',
  },
  tooManyBatches: {
    'en-US': '{count} hosts in batches of {size} make {batches} batches; {platform} allows at most {max}. Use --batch-size {needed} or more (at most {perBatch}).',
    'zh-CN': '{count} 台主机按每批 {size} 台分为 {batches} 批；{platform} 最多允许 {max} 批。请使用 --batch-size {needed} 或更大（最多 {perBatch}）。',
  },
  unknownParam: { 'en-US': 'the script has no parameter "{name}"; it takes: {allowed}.', 'zh-CN': '脚本没有参数“{name}”；可用参数：{allowed}。' },
  noParams: { 'en-US': 'the script has no parameter "{name}"; it takes no parameters.', 'zh-CN': '脚本没有参数“{name}”；该脚本不接受参数。' },
  sensitiveNeeded: {
    'en-US': '"{name}" is sensitive: give its value with --param {name}=… (its stored default is not used).',
    'zh-CN': '“{name}”是敏感参数：请用 --param {name}=… 提供取值（不使用其存储的默认值）。',
  },
  valueNeeded: { 'en-US': '"{name}" has no default: give it with --param {name}=….', 'zh-CN': '“{name}”没有默认值：请用 --param {name}=… 提供。' },
  tooLong: { 'en-US': '"{name}" may be at most {max} characters.', 'zh-CN': '“{name}”最多 {max} 个字符。' },
  badValue: {
    'en-US': '"{name}" may contain only letters, digits, spaces and _ - / . * ? : " , = + @ # [ ] { }, and no "..".',
    'zh-CN': '“{name}”只能包含字母、数字、空格和 _ - / . * ? : " , = + @ # [ ] { }，且不能包含“..”。',
  },
  cocWouldRefuse: { 'en-US': '{platform} would refuse this run: {where} {problem}', 'zh-CN': '{platform} 会拒绝此次执行：{where} {problem}' },
} satisfies Record<string, Text>;

/**
 * A problem with what was asked, naming the option (for a form: the field) and what is
 * allowed, in the reader's language (`text` with `vars`); `message` is the English one for logs.
 */
export class PlanProblem extends Error {
  override readonly name = 'PlanProblem';
  constructor(
    readonly field: string,
    readonly text: Text,
    readonly vars: Readonly<Record<string, string | number>>,
  ) {
    super(translator('en-US')(text, vars));
  }

  in(t: Translate): string {
    return t(this.text, this.vars);
  }
}

/** The platform's limits a plan is cut by. */
export type BatchLimits = Pick<RunLimits, 'maxHosts' | 'maxHostsPerBatch' | 'maxBatches'>;

export function planBatches(hosts: readonly RunnableHost[], options: BatchOptions, limits: BatchLimits): PlannedBatch[] {
  if (hosts.length > limits.maxHosts) {
    throw new PlanProblem('hosts', TEXT.tooManyHosts, { count: hosts.length, max: limits.maxHosts });
  }
  const batches: PlannedBatch[] = [];
  let rest = hosts;
  if (options.canary && hosts.length > 0) {
    batches.push({ index: 1, rotation: 'PAUSE', hosts: hosts.slice(0, 1) });
    rest = hosts.slice(1);
  }
  for (let i = 0; i < rest.length; i += options.batchSize) {
    batches.push({ index: batches.length + 1, rotation: options.rotation, hosts: rest.slice(i, i + options.batchSize) });
  }
  if (batches.length > limits.maxBatches) {
    const needed = Math.ceil(rest.length / (limits.maxBatches - (options.canary ? 1 : 0)));
    throw new PlanProblem('batch-size', TEXT.tooManyBatches, {
      count: hosts.length,
      size: options.batchSize,
      batches: batches.length,
      max: limits.maxBatches,
      needed: Math.min(limits.maxHostsPerBatch, needed),
      perBatch: limits.maxHostsPerBatch,
    });
  }
  return batches;
}

export interface CheckedParams {
  /** Every parameter with the value that will be sent. */
  readonly values: Readonly<Record<string, string>>;
  /** Names whose values are never shown. */
  readonly sensitive: readonly string[];
  /** For display: sensitive values masked. */
  readonly masked: Readonly<Record<string, string>>;
}

/** Sensitive values in `masked` read as the one mask every reply uses. */
export { MASK };

/**
 * Every problem with the given values against the script's parameters, one per parameter
 * (unknown names first, with the known ones): missing ones take the script's default — except
 * sensitive ones, which must be given: a default secret written into a script is not a secret.
 * A value is checked against what the platform takes (length, characters); no problem echoes it.
 */
export function paramProblems(definitions: readonly ScriptParam[], given: Readonly<Record<string, string>>, rules: Pick<ScriptParamRules, 'maxValueLength' | 'accepts'>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const known = new Map(definitions.map((d) => [d.name, d]));
  const allowed = definitions.map((d) => d.name);
  for (const name of Object.keys(given)) {
    if (!known.has(name)) problems.push(new PlanProblem(`param:${name}`, allowed.length ? TEXT.unknownParam : TEXT.noParams, { name, allowed: allowed.join(', ') }));
  }
  for (const definition of definitions) {
    const name = definition.name;
    const value = valueOf(definition, given);
    if (definition.optional && (value === undefined || value === '')) continue;
    if (value === undefined || value === '') problems.push(new PlanProblem(`param:${name}`, definition.sensitive ? TEXT.sensitiveNeeded : TEXT.valueNeeded, { name }));
    else if ([...value].length > rules.maxValueLength) problems.push(new PlanProblem(`param:${name}`, TEXT.tooLong, { name, max: rules.maxValueLength }));
    else if (rules.accepts && !rules.accepts(value)) problems.push(new PlanProblem(`param:${name}`, TEXT.badValue, { name }));
  }
  return problems;
}

function valueOf(definition: ScriptParam, given: Readonly<Record<string, string>>): string | undefined {
  const typed = Object.hasOwn(given, definition.name) ? given[definition.name] : undefined;
  return typed ?? (definition.sensitive ? undefined : definition.defaultValue) ?? (definition.optional ? '' : undefined);
}

/** The values a run will send, or the first of `paramProblems` thrown. */
export function checkParams(definitions: readonly ScriptParam[], given: Readonly<Record<string, string>>, rules: Pick<ScriptParamRules, 'maxValueLength' | 'accepts'>): CheckedParams {
  const [problem] = paramProblems(definitions, given, rules);
  if (problem) throw problem;
  const values: Record<string, string> = {};
  const masked: Record<string, string> = {};
  const sensitive: string[] = [];
  for (const definition of definitions) {
    const name = definition.name;
    const value = valueOf(definition, given)!;
    values[name] = value;
    masked[name] = definition.sensitive ? MASK : value;
    if (definition.sensitive) sensitive.push(name);
  }
  return { values, masked, sensitive };
}

export interface ExecuteOptions {
  readonly timeout: number;
  readonly successRate: number;
  readonly executeUser: string;
}

/** Throws the first thing the platform would refuse in `request` by its own rules (nothing is sent). */
export function checkExecution(runs: Pick<RunsCapability, 'check'>, request: ExecutionRequest): void {
  const [problem] = runs.check(request);
  if (problem) throw new PlanProblem(problem.path.split('.')[0] || 'run', TEXT.cocWouldRefuse, { where: problem.path, problem: problem.message });
}
