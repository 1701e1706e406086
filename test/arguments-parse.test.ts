/**
 * Typed arguments: each kind's value and refusal (in English and Chinese), defaults, the
 * typed handler arguments, missing and extra words, and "one of" refusals.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ArgumentError, parseArgs } from '../src/core/args.js';
import { arg, defineCommand, flagSpecsOf, typedArgs, ArgumentRefusal, type ArgsOf } from '../src/core/arguments/index.js';
import { HIDDEN_VALUE } from '../src/core/mask-line.js';
import { translator, type Locale } from '../src/i18n/translate.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });
const NOW = Date.UTC(2026, 4, 10, 12, 0, 0);

const example = defineCommand({
  words: ['example'],
  discord: { name: 'example' },
  family: 'scripts',
  permission: 'viewer',
  mutates: false,
  summary: d('An example', '示例'),
  examples: ['example x'],
  positionals: { target: arg.id({ required: true, what: d('an order id', '工单 ID'), example: 'abc-1', description: d('Order id', '工单 ID') }) },
  flags: {
    limit: arg.integer({ min: 1, max: 200, default: 20, description: d('How many', '数量') }),
    timeout: arg.integer({ min: (l) => l.runs!.timeoutSeconds.min, max: (l) => l.runs!.timeoutSeconds.max, default: (l) => l.runs!.timeoutSeconds.default, description: d('Seconds', '秒') }),
    risk: arg.enum({ choices: [{ value: 'LOW', typed: 'low' }, { value: 'HIGH', typed: 'high' }], several: true, description: d('Risk', '风险') }),
    status: arg.enum({ choices: [{ value: 'NON_COMPLIANT', typed: 'non-compliant' }, { value: 'COMPLIANT', typed: 'compliant' }], description: d('Status', '状态') }),
    name: arg.string({ max: 5, description: d('Name', '名称') }),
    region: arg.string({ max: 64, pattern: { re: /^[a-z]{2,}(?:-[a-z0-9]+){1,4}$/, says: d('a region id such as cn-north-4', '区域 ID，例如 cn-north-4') }, description: d('Region', '区域') }),
    hosts: arg.hosts({ max: 3, description: d('Hosts', '主机') }),
    tag: arg.keyValue({ description: d('Tag', '标签') }),
    query: arg.string({ max: 64, description: d('Query', '查询') }),
    param: arg.keyValue({ repeatable: true, secretValue: true, description: d('Parameters', '参数') }),
    since: arg.since({ description: d('Since', '起始') }),
    wait: arg.duration({ min: 1_000, max: 3_600_000, description: d('Wait', '等待') }),
    password: arg.secret({ max: 8, description: d('Password', '密码') }),
    calls: arg.boolean({ description: d('Calls', '调用') }),
  },
  oneOf: [['hosts', 'tag', 'query']],
  async run() {
    return { text: 'ok' };
  },
});

const LIMITS = { runs: { maxHosts: 500, maxHostsPerBatch: 10, maxBatches: 50, timeoutSeconds: { min: 10, max: 3600, default: 300 }, successRate: { min: 1, max: 100, default: 100 } } };

function parse(line: string, locale: Locale = 'en-US') {
  const raw = parseArgs(line.split(' ').filter(Boolean), flagSpecsOf(example.flags));
  return typedArgs(raw, example, { t: translator(locale), locale, limits: LIMITS, now: NOW }) as ArgsOf<typeof example.positionals, typeof example.flags>;
}

function refusal(line: string, locale: Locale = 'en-US'): { title: string; text: string } {
  try {
    parse(line, locale);
  } catch (error) {
    if (error instanceof ArgumentRefusal) return { title: error.reply.title!, text: error.reply.text! };
    if (error instanceof ArgumentError) return { title: 'ArgumentError', text: error.describe(translator(locale)) };
    throw error;
  }
  throw new Error(`"${line}" was not refused`);
}

describe('typed arguments', () => {
  it('give the handler typed values with defaults filled in', () => {
    const args = parse('abc-1 --risk low,HIGH,low --status NON_COMPLIANT --hosts a,b,a --param k=v --param pw=x=y --calls --wait 5m');
    expect(args).toMatchObject({ target: 'abc-1', limit: 20, timeout: 300, risk: ['LOW', 'HIGH'], status: 'NON_COMPLIANT', hosts: ['a', 'b'], calls: true, wait: 300_000 });
    expect(args.param).toEqual([{ key: 'k', value: 'v' }, { key: 'pw', value: 'x=y' }]);
    expect(args.since).toBeUndefined();
    expectTypeOf(args.limit).toEqualTypeOf<number>();
    expectTypeOf(args.timeout).toEqualTypeOf<number>();
    expectTypeOf(args.target).toEqualTypeOf<string>();
    expectTypeOf(args.name).toEqualTypeOf<string | undefined>();
    expectTypeOf(args.risk).toEqualTypeOf<string[] | undefined>();
    expectTypeOf(args.calls).toEqualTypeOf<boolean>();
    expectTypeOf(args.param).toEqualTypeOf<{ readonly key: string; readonly value: string }[]>();
    expect(parse('abc-1 --since 2h --limit 7 --tag env=prod').since).toBe(NOW - 7_200_000);
    expect(parse('abc-1 --since 2026-05-01').since).toBe(Date.UTC(2026, 4, 1));
    expect(parse('abc-1 --tag env=prod').tag).toEqual({ key: 'env', value: 'prod' });
  });

  it('refuse a whole number out of range, in both languages (as wholeNumber says it)', () => {
    expect(refusal('abc-1 --limit 0')).toEqual({ title: 'That command is not quite right', text: '--limit must be a whole number from 1 to 200, got "0".' });
    expect(refusal('abc-1 --limit x', 'zh-CN')).toEqual({ title: '命令格式不正确', text: '--limit 必须是 1 到 200 之间的整数，收到的是“x”。' });
    expect(refusal('abc-1 --timeout 5').text).toBe('--timeout must be a whole number from 10 to 3600, got "5".');
  });

  it('refuse a choice not offered, with a "did you mean"', () => {
    expect(refusal('abc-1 --status non-complaint').text).toBe('--status "non-complaint" is not allowed. Did you mean non-compliant? Allowed: non-compliant, compliant.');
    expect(refusal('abc-1 --risk low,nope', 'zh-CN').text).toBe('--risk 不接受“nope”。可用逗号分隔多个值。可选值：low, high。');
  });

  it('refuse blank, long and mis-shaped strings', () => {
    expect(refusal('abc-1 --name toolong').text).toBe('--name may be at most 5 characters, got 7.');
    expect(refusal('abc-1 --name=', 'zh-CN').text).toBe('--name 不能为空。');
    expect(refusal('abc-1 --region Mars').text).toBe('--region "Mars" is not allowed: a region id such as cn-north-4.');
  });

  it('refuse too many hosts, a bad pair and the hidden placeholder as a secret', () => {
    expect(refusal('abc-1 --hosts a,b,c,d').text).toBe('--hosts names 4 hosts; at most 3 at once.');
    expect(refusal('abc-1 --tag env').text).toBe('--tag must look like key=value (for example --tag env=prod), got "env".');
    expect(refusal(`abc-1 --param pw=${HIDDEN_VALUE}`).text).toContain(`--param pw holds ${HIDDEN_VALUE}`);
    expect(refusal(`abc-1 --password ${HIDDEN_VALUE}`, 'zh-CN').text).toContain(`--password 的值是 ${HIDDEN_VALUE}`);
    // A secret value is never echoed in a refusal.
    expect(refusal('abc-1 --password 123456789').text).toBe('--password may be at most 8 characters, got 9.');
  });

  it('refuse a time that is not one, or in the future (as sinceFlag says it)', () => {
    expect(refusal('abc-1 --since yesterday')).toEqual({
      title: '--since "yesterday" is not a time',
      text: 'Give a duration back from now (30m, 2h, 1d, 2w) or a UTC date or time (2026-05-01, 2026-05-01T08:00Z).',
    });
    expect(refusal('abc-1 --since 2027-01-01', 'zh-CN').title).toBe('--since “2027-01-01”是将来的时间');
    expect(refusal('abc-1 --wait 2d').text).toBe('--wait must be a duration such as 30s, 5m or 2h, from 1s to 1h, got "2d".');
  });

  it('refuse a missing or malformed id, extra words and two of a "one of"', () => {
    expect(refusal('').text).toBe('Which order id? Usage: example <target> [--limit 1-200] [--timeout 10-3600] [--risk low|high] [--status non-compliant|compliant] [--name <name>] [--region <region>] [--hosts <host,host> | --tag <key=value> | --query <query>] [--param <key=value>] [--since 30m|2h|1d|2w|date] [--wait 30s|5m|2h] [--password <password>] [--calls]');
    expect(refusal('a/b')).toEqual({ title: '"a/b" is not an order id', text: 'For example abc-1.' });
    // The example has a secret flag: a further word may be a secret typed where a flag was meant, so it is not echoed.
    expect(refusal('abc-1 more words', 'zh-CN').text).toMatch(/^多余的内容“\*\*\*”。用法：example <target>/);
    expect(refusal('abc-1 --hosts a --tag k=v').text).toBe('Give only one of --hosts, --tag.');
  });

  it('refuse plain words to a command without positionals as the line parser does', () => {
    const { oneOf: _oneOf, ...rest } = example;
    const bare = defineCommand({ ...rest, positionals: {}, flags: {}, run: async () => ({ text: 'ok' }) });
    const raw = parseArgs(['hello'], []);
    expect(() => typedArgs(raw, bare, { t: translator('en-US'), locale: 'en-US' })).toThrow(ArgumentError);
    try {
      typedArgs(raw, bare, { t: translator('en-US'), locale: 'en-US' });
    } catch (error) {
      expect((error as ArgumentError).describe(translator('en-US'))).toBe('example takes no plain words, got "hello". Use its --options instead (type "help example").');
    }
  });

  it('name a positional by what it is, never as a flag, in both languages', () => {
    const link = defineCommand({
      words: ['example'],
      discord: { name: 'example' },
      family: 'scripts',
      permission: 'viewer',
      mutates: false,
      summary: d('An example', '示例'),
      examples: [],
      run: async () => ({ text: 'ok' }),
      positionals: {
        role: arg.enum({ required: true, choices: [{ value: 'viewer', typed: 'viewer' }, { value: 'operator', typed: 'operator' }], description: d('role', '角色') }),
        count: arg.integer({ required: true, min: 1, max: 9, description: d('Copy count', '份数') }),
        label: arg.string({ required: true, max: 5, pattern: { re: /^[a-z]+$/, says: d('lower-case letters', '小写字母') }, description: d('IAM label', 'IAM 标签') }),
      },
      flags: {},
    });
    const said = (line: string, locale: Locale = 'en-US') => {
      try {
        typedArgs(parseArgs(line.split(' '), []), link, { t: translator(locale), locale });
      } catch (error) {
        if (error instanceof ArgumentRefusal) return error.reply.text!;
      }
      throw new Error(`"${line}" was not refused`);
    };
    expect(said('operatr 1 abc')).toBe('"operatr" is not a role. Did you mean operator? Allowed: viewer, operator.');
    expect(said('operatr 1 abc', 'zh-CN')).toBe('“operatr”不是有效的角色。您是不是想输入 operator？可选值：viewer, operator。');
    expect(said('viewer 0 abc')).toBe('"0" is not a copy count: give a whole number from 1 to 9.');
    expect(said('viewer x abc', 'zh-CN')).toBe('“x”不是有效的份数：请给出 1 到 9 之间的整数。');
    expect(said('viewer 1 abcdefg')).toBe('The IAM label may be at most 5 characters, got 7.');
    expect(said('viewer 1 abcdefg', 'zh-CN')).toBe('IAM 标签最多 5 个字符，收到的是 7 个。');
    expect(said('viewer 1 AB')).toBe('"AB" is not an IAM label: lower-case letters.');
    expect(said('viewer')).toBe('Which copy count? Usage: example <viewer|operator> <1-9> <label>');
    expect(said('viewer', 'zh-CN')).toBe('请指明份数。用法：example <viewer|operator> <1-9> <label>');
  });

  it('list every problem of a line at once, and say a single one as before', () => {
    expect(refusal('abc-1 --limit 0 --status nope --name toolong')).toEqual({
      title: 'That command is not quite right',
      text: [
        '3 things to fix:',
        '• --limit must be a whole number from 1 to 200, got "0".',
        '• --status "nope" is not allowed. Allowed: non-compliant, compliant.',
        '• --name may be at most 5 characters, got 7.',
      ].join('\n'),
    });
    expect(refusal('a/b --since yesterday', 'zh-CN').text).toBe(
      ['有 2 处需要修改：', '• “a/b”不是有效的工单 ID：例如 abc-1。', '• --since “yesterday”不是有效的时间：请给出距现在的时长（30m、2h、1d、2w）或 UTC 日期/时间（2026-05-01、2026-05-01T08:00Z）。'].join('\n'),
    );
    expect(refusal('abc-1 --limit 0').text).toBe('--limit must be a whole number from 1 to 200, got "0".');
  });

  it('let the line parser say a missing value with the description in the reader\'s language', () => {
    expect(() => parseArgs(['--name'], flagSpecsOf(example.flags))).toThrow('--name needs a value: Name.');
    try {
      parseArgs(['--name'], flagSpecsOf(example.flags));
    } catch (error) {
      expect((error as ArgumentError).describe(translator('zh-CN'))).toBe('--name 需要一个值：名称。');
    }
    expect(() => parseArgs(['--calls=yes'], flagSpecsOf(example.flags))).toThrow(/switch/);
    expect(() => parseArgs(['--tag', 'a=b', '--tag', 'c=d'], flagSpecsOf(example.flags))).toThrow(/more than once/);
    expect(() => parseArgs(['--limt', '3'], flagSpecsOf(example.flags))).toThrow(/Did you mean --limit/);
  });
});
