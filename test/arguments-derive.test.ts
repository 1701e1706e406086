/**
 * What derives from a typed declaration: usage lines and help fields in the reader's language,
 * Discord options (types, ranges, choices, required, autocomplete, zh-CN texts), audit masking
 * equal to the legacy masking, echo masking rules — and that rewording every description
 * changes none of the options' types, choices, ranges or required flags.
 */
import { describe, expect, it } from 'vitest';
import { planCommands, rootJson, type RegistryView } from '../src/adapters/discord/command-map.js';
import { parseArgs } from '../src/core/args.js';
import { arg, defineCommand, flagSpecsOf, helpFields, maskTypedArgs, needsArgument, usageLine, type ArgSpec, type SomeTypedCommand } from '../src/core/arguments/index.js';
import type { Services } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import { maskCommandLine, HIDDEN_VALUE } from '../src/core/mask-line.js';
import { Registry } from '../src/core/registry.js';
import { translator, type Text } from '../src/i18n/translate.js';
import { whoamiCommand as declaredWhoami } from '../commands/whoami.js';
import { nounsOf } from '../src/backends/names.js';
import { inPlatformWords } from '../src/core/arguments/nouns.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });

const listing = defineCommand({
  words: ['things'],
  discord: { group: 'things', name: 'list', localName: d('list', '列表') },
  family: 'scripts',
  permission: 'viewer',
  mutates: false,
  summary: d('List things', '列出事物'),
  examples: ['things --limit 5'],
  positionals: { name: arg.string({ max: 64, suggest: 'scripts', localName: d('name', '名称'), description: d('Part of the name', '名称的一部分') }) },
  flags: {
    limit: arg.integer({ min: 1, max: 100, default: 20, localName: d('limit', '数量'), description: d('How many to show', '显示数量') }),
    risk: arg.enum({
      choices: [
        { value: 'LOW', typed: 'low', label: d('low', '低') },
        { value: 'HIGH', typed: 'high', label: d('high', '高') },
      ],
      localName: d('risk', '风险'),
      description: d('Risk level', '风险等级'),
    }),
    kinds: arg.enum({ choices: [{ value: 'A', typed: 'a' }, { value: 'B', typed: 'b' }], several: true, localName: d('kinds', '种类'), description: d('Kinds', '种类') }),
    hosts: arg.hosts({ max: 50, suggest: 'hosts', localName: d('hosts', '主机'), description: d('Host names', '主机名') }),
    param: arg.keyValue({ repeatable: true, secretValue: true, localName: d('param', '参数'), description: d('Parameters', '参数') }),
    token: arg.secret({ max: 64, localName: d('token', '令牌'), description: d('A token', '令牌') }),
    calls: arg.boolean({ localName: d('calls', '调用'), description: d('Also each call', '同时显示每次调用') }),
    owner: arg.string({ max: 32, required: true, localName: d('owner', '负责人'), description: d('Owner', '负责人') }),
  },
  async run() {
    return {};
  },
});

const view: RegistryView = { commands: [listing], suggestion: (id) => (id === 'scripts' || id === 'hosts' ? {} : undefined) };

function optionsOf(command: SomeTypedCommand) {
  const plan = planCommands({ ...view, commands: [command] });
  return plan.subcommands[0]!.options;
}

describe('a typed definition', () => {
  it('generates its usage line in the reader\'s language', () => {
    expect(usageLine(listing, 'en-US')).toBe(
      'things [<name>] [--limit 1-100] [--risk low|high] [--kinds a|b] [--hosts <host,host>] [--param <key=value>] [--token <token>] [--calls] --owner <owner>',
    );
    expect(usageLine(listing, 'zh-CN')).toContain('[--hosts <主机,主机>] [--param <键=值>]');
    expect(needsArgument(listing)).toBe(false);
    expect(needsArgument({ positionals: { id: arg.id({ required: true, what: d('an id', 'ID'), example: 'a', description: d('Id', 'ID') }) } })).toBe(true);
  });

  it('gives help fields with ranges, defaults and choices from the data, in both languages', () => {
    const en = helpFields(listing, translator('en-US'));
    expect(en).toContainEqual({ label: '--limit', value: 'How many to show (1-100, default 20)' });
    expect(en).toContainEqual({ label: '--risk', value: 'Risk level (low, high)' });
    expect(en).toContainEqual({ label: '--kinds', value: 'Kinds (a, b, several, comma separated)' });
    expect(en).toContainEqual({ label: '--calls', value: 'Also each call' });
    expect(en[0]).toEqual({ label: '<name>', value: 'Part of the name (at most 64 characters)' });
    const zh = helpFields(listing, translator('zh-CN'));
    expect(zh).toContainEqual({ label: '--limit', value: '显示数量（1-100，默认 20）' });
    expect(zh).toContainEqual({ label: '--param', value: '参数（可多次给出）' });
  });

  it('becomes Discord options typed from its kinds, with zh-CN names and descriptions from the definition', () => {
    const options = optionsOf(listing);
    const byName = new Map(options.map((option) => [option.name, option]));
    expect(options[0]!.name).toBe('owner'); // required first
    expect(byName.get('owner')).toMatchObject({ type: 'string', required: true, kind: 'flag', flag: 'owner' });
    expect(byName.get('limit')).toMatchObject({ type: 'integer', min: 1, max: 100, required: false, description: 'How many to show (1-100, default 20)' });
    expect(byName.get('limit')!.localized).toEqual({ name: '数量', description: '显示数量（1-100，默认 20）' });
    expect(byName.get('risk')).toMatchObject({ type: 'string', choices: ['low', 'high'], description: 'Risk level' });
    expect(byName.get('kinds')).toMatchObject({ type: 'string' });
    expect(byName.get('kinds')!.choices).toBeUndefined();
    expect(byName.get('calls')).toMatchObject({ type: 'boolean' });
    expect(byName.get('param')).toMatchObject({ type: 'string', repeatable: true, description: 'Parameters (several: separate with spaces)' });
    expect(byName.get('hosts')).toMatchObject({ suggestionId: 'hosts' });
    expect(byName.get('name')).toMatchObject({ kind: 'positional', position: 0, suggestionId: 'scripts', required: false });

    const json = rootJson(planCommands(view)) as unknown as { options: { name: string; name_localizations: Record<string, string>; options: Record<string, unknown>[] }[] };
    const group = json.options[0]!;
    expect(group.name).toBe('things');
    const list = group.options[0] as { name: string; name_localizations: Record<string, string>; description_localizations: Record<string, string>; options: Record<string, unknown>[] };
    expect(list).toMatchObject({ name: 'list', name_localizations: { 'zh-CN': '列表' }, description_localizations: { 'zh-CN': '列出事物' } });
    const limit = list.options.find((option) => option['name'] === 'limit')!;
    expect(limit).toMatchObject({ type: 4, min_value: 1, max_value: 100, name_localizations: { 'zh-CN': '数量' }, description_localizations: { 'zh-CN': '显示数量（1-100，默认 20）' } });
    const risk = list.options.find((option) => option['name'] === 'risk')!;
    expect(risk['choices']).toEqual([
      { name: 'low', value: 'low', name_localizations: { 'zh-CN': '低' } },
      { name: 'high', value: 'high', name_localizations: { 'zh-CN': '高' } },
    ]);
    expect(list.options.find((option) => option['name'] === 'calls')).toMatchObject({ type: 5 });
    expect(list.options.find((option) => option['name'] === 'name')).toMatchObject({ type: 3, autocomplete: true, required: false });
  });

  it('keeps every option\'s type, choices, range and required flag when every description is reworded', () => {
    const x: Text = { 'en-US': 'x', 'zh-CN': 'x' };
    const reword = (specs: Readonly<Record<string, ArgSpec>>) => Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, { ...spec, description: x, ...(spec.placeholder ? { placeholder: x } : {}) }]));
    const reworded = { ...listing, summary: x, positionals: reword(listing.positionals), flags: reword(listing.flags) } as SomeTypedCommand;
    const shape = (command: SomeTypedCommand) =>
      optionsOf(command).map(({ name, type, choices, min, max, required, repeatable, suggestionId, kind, position }) => ({ name, type, choices, min, max, required, repeatable, suggestionId, kind, position }));
    expect(shape(reworded)).toEqual(shape(listing));
    expect(shape(listing).length).toBe(9);
  });

  it('masks the audit trail: secrets hidden, script parameters by name, other words kept only without secrets', () => {
    const line = ['web', 'extra', '--param', 'pw=s3cret', '--param', 'user=app', '--token', 'abc', '--limit', '5', '--calls'];
    const raw = parseArgs(line, flagSpecsOf(listing.flags));
    expect(maskTypedArgs(raw, listing)).toEqual({ args: ['web', '***'], param: ['pw=***', 'user=***'], token: ['***'], limit: '5', calls: 'true' });
    // Without secrets, plain words are kept as typed.
    const plain = parseArgs(['a', 'b', '--limit', '3'], flagSpecsOf(listing.flags));
    expect(maskTypedArgs(plain, { flags: { limit: listing.flags.limit } })).toEqual({ args: ['a', 'b'], limit: '3' });
  });

  it('gives the registry its echo mask rules, so an echoed line hides the same as the legacy names did', () => {
    const registry = new Registry([listing]);
    expect([...registry.maskRules]).toEqual([
      ['param', 'pair'],
      ['token', 'whole'],
    ]);
    const line = 'things web --param pw=s3cret --token=abc --tok abc';
    expect(maskCommandLine(line, registry.maskRules)).toBe(`things web --param pw=${HIDDEN_VALUE} --token=${HIDDEN_VALUE} --tok ${HIDDEN_VALUE}`);
  });
});

describe('capabilities', () => {
  it('leave out commands and arguments the backend cannot serve', () => {
    const { run: _run, ...declared } = listing;
    const run = async () => ({});
    const paused = defineCommand({
      ...declared,
      run,
      words: ['pausing'],
      discord: { name: 'pausing' },
      needs: ['runs.operate.pause'],
      flags: { ...listing.flags, region: arg.string({ max: 64, needs: 'hosts.filter.region', description: d('Region', '区域') }) },
    });
    const withRegion = defineCommand({ ...declared, run, flags: { ...listing.flags, region: arg.string({ max: 64, needs: 'hosts.filter.region', description: d('Region', '区域') }) } });
    const none = new Registry([paused, withRegion], [], { capabilities: new Set() });
    expect(none.commands.map((command) => command.words.join(' '))).toEqual(['things']);
    expect(Object.keys((none.commands[0] as SomeTypedCommand).flags)).not.toContain('region');
    expect(usageLine(none.commands[0] as SomeTypedCommand, 'en-US')).not.toContain('--region');
    const all = new Registry([paused, withRegion], [], { capabilities: new Set(['runs.operate.pause', 'hosts.filter.region']) });
    expect(all.commands).toEqual([paused, withRegion]);
    // Without a capability set nothing is left out.
    expect(new Registry([paused]).commands).toEqual([paused]);
  });
});

describe('whoami, declared with typed arguments', () => {
  // As COC's registry words it: its texts name the platform's identity as `{identity}`.
  const whoamiCommand = inPlatformWords(declaredWhoami, nounsOf('coc'));
  const dispatcher = new Dispatcher(new Registry([whoamiCommand]), {} as Services);

  it('shows its help in the reader\'s language, with the same usage line', () => {
    const en = dispatcher.commandHelp(whoamiCommand, translator('en-US'), 'en-US');
    expect(en.title).toBe('whoami: Who you are to the bot: IAM user, role and what it allows, language, credentials, what this channel allows');
    expect(en.text).toContain('whoami');
    expect(en.fields).toBeUndefined();
    const zh = dispatcher.commandHelp(whoamiCommand, translator('zh-CN'), 'zh-CN');
    expect(zh.title).toBe('whoami: 机器人眼中的您：IAM 用户、角色及其权限、语言、凭据、此频道允许的操作');
  });

  it('keeps its Discord place and texts', () => {
    const [sub] = planCommands({ commands: [whoamiCommand], suggestion: () => undefined }).subcommands;
    expect(sub).toMatchObject({ name: 'whoami', description: 'Your IAM user, role, language and what this channel allows', options: [], answersPrivately: true });
    expect(sub!.group).toBeUndefined();
    expect(sub!.localized).toEqual({ name: '我是谁', description: '你的 IAM 用户、角色、语言及本频道允许的操作' });
  });
});
