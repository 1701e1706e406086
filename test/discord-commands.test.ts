/**
 * `/coc` and `/coc-admin` on Discord are generated from the command registry (split as roots.ts
 * says), each fits Discord's rules for application commands (8,000 characters per top-level
 * command), and turn back into exactly the command line the terminal would type.
 */
import { describe, expect, it } from 'vitest';
import { commandJson, commandLine, escapeWord, planCommands, rootJson, type RegistryView } from '../src/adapters/discord/command-map.js';
import { commandCharacters, commandListProblems, commandProblems } from '../src/adapters/discord/command-limits.js';
import { rootOf, slashCommandFor } from '../src/core/discord-roots.js';
import { adminLinkCommand } from '../commands/admin.js';
import { whoamiCommand } from '../commands/whoami.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { Services } from '../src/core/command.js';
import { translator } from '../src/i18n/translate.js';
import { commandRegistry } from '../src/app/commands.js';
import { declaredBackend } from '../src/app/backends.js';
import { arg, choicesOf, defineCommand, type ArgSpecs } from '../src/core/arguments/index.js';
import type { CommandDefinition } from '../src/core/command.js';
import type { Text } from '../src/i18n/translate.js';
import { Registry } from '../src/core/registry.js';
import { tokenize } from '../src/core/tokenize.js';

const registry = commandRegistry(declaredBackend());
const plan = planCommands(registry);
const list = commandJson(plan);
const json = rootJson(plan, 'coc');

interface JsonOption {
  readonly name: string;
  readonly description: string;
  readonly type: number;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly choices?: readonly { name: string; value: string | number }[];
  readonly options?: readonly JsonOption[];
}

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/** The same text in both languages. */
const both = (text: string): Text => ({ 'en-US': text, 'zh-CN': text });

function command(words: string[], positionals: ArgSpecs = {}, flags: ArgSpecs = {}, summary = 'does a thing', permission: CommandDefinition['permission'] = 'viewer'): CommandDefinition {
  return defineCommand({ words, discord: { name: words.join('-') }, summary: both(summary), positionals, flags, examples: [], family: 'orders', permission, mutates: false, run: async () => ({}) });
}

describe('the registered /coc command', () => {
  it('is generated from the registry: one subcommand per registered command, and back', () => {
    expect(plan.subcommands).toHaveLength(registry.commands.length);
    for (const definition of registry.commands) {
      const sub = plan.subcommands.find((candidate) => candidate.words.join(' ') === definition.words.join(' '));
      expect(sub, definition.words.join(' ')).toBeDefined();
      expect(plan.find(sub!.group, sub!.name, sub!.root)).toBe(sub);
      expect(sub!.root).toBe(rootOf(definition));
    }
    const names = (json.options as JsonOption[]).map((option) => option.name);
    expect(names).toEqual(expect.arrayContaining(['order', 'scripts', 'whoami']));
  });

  it('splits administration into /coc-admin, keeping every command: admin-only commands and the audit trail', () => {
    expect(list.map((command) => command.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    const admin = rootJson(plan, 'coc-admin').options as JsonOption[];
    expect(admin.map((option) => option.name)).toEqual(expect.arrayContaining(['admin', 'audit', 'scripts']));
    expect(admin.find((option) => option.name === 'scripts')!.options!.map((option) => option.name)).toEqual(['create', 'edit', 'delete']);
    expect(plan.find('admin', 'link', 'coc-admin')!.words).toEqual(['admin', 'link']);
    expect(plan.find('admin', 'link')).toBeUndefined();
    expect(plan.find('scripts', 'create', 'coc-admin')!.words).toEqual(['scripts', 'create']);
    // Reading scripts stays everyday.
    expect(plan.find('scripts', 'show')!.words).toEqual(['scripts', 'show']);
    expect(plan.find(undefined, 'audit', 'coc-admin')!.words).toEqual(['audit']);
    // Nothing lost: every subcommand of every root is one registered command.
    const counted = list.reduce((sum, command) => sum + (command.options ?? []).reduce((n, option) => n + (option.type === 2 ? ((option as JsonOption).options?.length ?? 0) : 1), 0), 0);
    expect(counted).toBe(registry.commands.length);
  });

  it("fits Discord's rules in every root: names, descriptions, at most 25 options, nesting, 8000 characters each", () => {
    expect(commandListProblems(list)).toEqual([]);
    for (const root of list) {
      expect(commandProblems(root), root.name).toEqual([]);
      expect(commandCharacters(root), root.name).toBeLessThanOrEqual(8000);
    }
    expect(json.name).toBe('coc');
    // The same rules, checked here directly on the JSON.
    const top = list.flatMap((root) => root.options as JsonOption[]);
    for (const root of list) expect((root.options ?? []).length).toBeLessThanOrEqual(25);
    const visit = (option: JsonOption, depth: number) => {
      expect(option.name, option.name).toMatch(NAME);
      expect(option.name).toBe(option.name.toLowerCase());
      expect(option.description.length).toBeGreaterThanOrEqual(1);
      expect(option.description.length).toBeLessThanOrEqual(100);
      const children = option.options ?? [];
      expect(children.length).toBeLessThanOrEqual(25);
      if (option.type === 2) {
        expect(depth).toBe(1); // groups only directly under /coc
        for (const child of children) expect(child.type).toBe(1);
      }
      if (option.type === 1) for (const child of children) expect([1, 2]).not.toContain(child.type);
      if (option.choices) {
        expect(option.choices.length).toBeLessThanOrEqual(25);
        expect(option.autocomplete).toBeFalsy();
      }
      const required = children.map((child) => child.required === true);
      expect(required.indexOf(false) === -1 || required.lastIndexOf(true) < required.indexOf(false)).toBe(true);
      for (const child of children) visit(child, depth + 1);
    };
    for (const option of top) visit(option, 1);
  });

  it('types options from the declared kinds: choices, integer ranges, switches, required flags', () => {
    const hosts = plan.find(undefined, 'hosts')!;
    expect(hosts.options.find((o) => o.name === 'agent')).toMatchObject({ type: 'string', choices: ['online', 'offline', 'installing', 'failed', 'uninstalled'] });
    expect(hosts.options.find((o) => o.name === 'limit')).toMatchObject({ type: 'integer', min: 1, max: 100 });
    const cancel = plan.find('order', 'cancel')!;
    expect(cancel.options.map((o) => [o.name, o.type, o.required])).toEqual([
      ['execute-uuid', 'string', true],
      ['yes', 'boolean', false],
    ]);
    const alarm = plan.find(undefined, 'alarm', 'coc-incident')!;
    // --level and --desc are needed only to raise: --ok clears without them.
    expect(alarm.options.filter((o) => o.required).map((o) => o.name)).toEqual(['name']);
    // "--instance <host|ip|instance-id>" names kinds of value, not a closed list.
    expect(plan.find('order', 'cancel-instance')!.options.find((o) => o.name === 'instance')!.choices).toBeUndefined();
    // A bare command next to its group becomes "list".
    expect(plan.find('scripts', 'list')!.words).toEqual(['scripts']);
    expect(plan.find('scripts', 'show')!.words).toEqual(['scripts', 'show']);
  });

  it('reads positionals, required flags and text lengths from the declaration', () => {
    const view: RegistryView = {
      commands: [
        command(
          ['probe'],
          { target: arg.string({ description: both('the target'), min: 3, max: 40, required: true }) },
          {
            note: arg.string({ description: both('a note'), max: 200 }),
            word: arg.string({ description: both('one word'), min: 1, max: 20 }),
            token: arg.secret({ description: both('a token'), max: 500 }),
            level: arg.enum({ description: both('how bad'), choices: choicesOf(['low', 'high']), required: true }),
            dry: arg.boolean({ description: both('only say what would happen') }),
          },
        ),
      ],
      suggestion: () => undefined,
    };
    const probe = planCommands(view).find(undefined, 'probe')!;
    expect(probe.options.map((o) => [o.name, o.kind, o.type, o.required, o.minLength, o.maxLength, o.choices])).toEqual([
      ['target', 'positional', 'string', true, 3, 40, undefined],
      ['level', 'flag', 'string', true, undefined, undefined, ['low', 'high']],
      ['note', 'flag', 'string', false, undefined, 200, undefined],
      // A minimum of one is Discord's own (an option is never sent empty): not repeated.
      ['word', 'flag', 'string', false, undefined, 20, undefined],
      ['token', 'flag', 'string', false, undefined, 500, undefined],
      ['dry', 'flag', 'boolean', false, undefined, undefined, undefined],
    ]);
    const options = (rootJson(planCommands(view)).options![0] as { options: { name: string; min_length?: number; max_length?: number }[] }).options;
    expect(options.find((o) => o.name === 'target')).toMatchObject({ min_length: 3, max_length: 40 });
    expect(options.find((o) => o.name === 'word')!.min_length).toBeUndefined();
  });

  it('turns options back into the command line, every value one word whatever it holds', () => {
    const show = plan.find('order', 'show')!;
    const tricky = `a "quoted" 'x' \\ “curly” value`;
    const line = commandLine(show, new Map<string, string | number | boolean>([['execute-uuid', 'EX1'], ['log', tricky], ['lines', 30]]));
    expect(line.ok).toBe(true);
    const words = tokenize(line.ok ? line.text : '');
    expect(words).toEqual(['order', 'show', 'EX1', `--log=${tricky}`, '--lines=30']);
    const cancel = plan.find('order', 'cancel')!;
    expect(commandLine(cancel, new Map<string, string | boolean>([['execute-uuid', 'EX1'], ['yes', false]]))).toEqual({ ok: true, text: 'order cancel EX1' });
    expect(commandLine(cancel, new Map<string, string | boolean>([['execute-uuid', 'EX1'], ['yes', true]]))).toEqual({ ok: true, text: 'order cancel EX1 --yes' });
    // A positional that would read as a switch is refused, not passed on.
    expect(commandLine(cancel, new Map([['execute-uuid', '--yes']]))).toEqual({ ok: false, option: 'execute-uuid', problem: 'dash' });
    expect(tokenize(escapeWord(''))).toEqual(['']);
  });

  it('splits a repeatable flag like the terminal and refuses an open quote', () => {
    const view: RegistryView = {
      commands: [command(['run'], { script: arg.string({ description: both('the script'), max: 64, required: true }) }, { param: arg.keyValue({ description: both('a parameter'), repeatable: true }) })],
      suggestion: () => undefined,
    };
    const run = planCommands(view).find(undefined, 'run')!;
    const line = commandLine(run, new Map([['script', 'deploy'], ['param', 'a=1 msg="two words"']]));
    expect(line.ok && tokenize(line.text)).toEqual(['run', 'deploy', '--param=a=1', '--param=msg=two words']);
    expect(commandLine(run, new Map([['script', 'deploy'], ['param', 'msg="open']]))).toEqual({ ok: false, option: 'param', problem: 'quote' });
  });

  it('puts options past the 25th into a trailing free-text "args" option', () => {
    const flags = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`flag${i}`, arg.string({ description: both(`flag number ${i}`), max: 100 })]));
    const view: RegistryView = { commands: [command(['big'], { target: arg.string({ description: both('the target'), max: 100, required: true }) }, flags)], suggestion: () => undefined };
    const big = planCommands(view).find(undefined, 'big')!;
    expect(big.options).toHaveLength(25);
    expect(big.options.at(-1)).toMatchObject({ name: 'args', kind: 'args', type: 'string' });
    expect(big.options.at(-1)!.description).toMatch(/--flag23/);
    const line = commandLine(big, new Map([['target', 't'], ['flag0', 'v'], ['args', '--flag29 last']]));
    expect(line).toEqual({ ok: true, text: 'big t --flag0=v --flag29 last' });
    expect(commandListProblems(commandJson(planCommands(view)))).toEqual([]);
  });

  it('refuses, rather than cuts, a command past 8000 characters (descriptions are written to fit)', () => {
    const commands = Array.from({ length: 24 }, (_, i) =>
      command(
        [`cmd${i}`],
        {},
        Object.fromEntries(['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name) => [name, arg.string({ description: both(`${name} ${'d'.repeat(95)}`), max: 100 })])),
        `summary ${'s'.repeat(95)}`,
      ),
    );
    const big = rootJson(planCommands({ commands, suggestion: () => undefined }));
    const problems = commandProblems(big);
    expect(problems).toContainEqual(expect.stringMatching(/^\/coc: \d+ characters in names, descriptions and choices \(at most 8000\)$/));
    // Texts too long for Discord are not cut silently: each cut one is named.
    expect(problems).toContainEqual('/coc cmd0 alpha: description ends in "…" (cut instead of written to fit)');
  });

  it('autocompletes options about scripts, hosts and orders when those sources exist', () => {
    const withSources: RegistryView = { commands: registry.commands, suggestion: (id) => (['scripts', 'custom-scripts', 'hosts', 'orders'].includes(id) ? {} : undefined) };
    const suggested = planCommands(withSources);
    expect(suggested.find('order', 'show')!.options.find((o) => o.name === 'execute-uuid')!.suggestionId).toBe('orders');
    // scripts show takes the tenant's own scripts; run takes public ones too.
    expect(suggested.find('scripts', 'show')!.options[0]!.suggestionId).toBe('custom-scripts');
    expect(suggested.find(undefined, 'run')!.options.find((o) => o.name === 'script')!.suggestionId).toBe('scripts');
    expect(suggested.find('public', 'script-show')!.options[0]!.suggestionId).toBeUndefined();
    expect(commandListProblems(commandJson(suggested))).toEqual([]);
  });

  it('help names the slash command as the reader types it: /coc-admin for administration on Discord, /coc elsewhere', () => {
    expect(slashCommandFor(adminLinkCommand, 'discord')).toBe('/coc-admin');
    expect(slashCommandFor(adminLinkCommand, 'slack')).toBe('/coc');
    expect(slashCommandFor(whoamiCommand, 'discord')).toBe('/coc');
    const dispatcher = new Dispatcher(new Registry([adminLinkCommand, whoamiCommand]), { backend: { name: 'coc' } } as unknown as Services);
    const en = translator('en-US');
    expect(dispatcher.commandHelp(adminLinkCommand, en, 'en-US', 'discord').text).toMatch(/^Usage: \/coc-admin admin link /);
    expect(dispatcher.commandHelp(adminLinkCommand, en, 'en-US', 'slack').text).toMatch(/^Usage: \/coc admin link /);
    expect(dispatcher.commandHelp(adminLinkCommand, en, 'en-US', 'discord').footer).toContain('/coc-admin admin link');
    expect(dispatcher.commandHelp(whoamiCommand, en, 'en-US', 'discord').text).toMatch(/^Usage: \/coc whoami/);
  });

  it('refuses to register a list in which any root passes 8000 characters, naming that root', () => {
    // Everyday commands within budget, administration past it: the whole list is refused.
    const long = (i: number, permission: CommandDefinition['permission']) =>
      command([`cmd${i}`], {}, Object.fromEntries(['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name) => [name, arg.string({ description: both(`${name} ${'d'.repeat(80)}`), max: 100 })])), `summary ${'s'.repeat(80)}`, permission);
    const commands = [command(['small']), ...Array.from({ length: 24 }, (_, i) => long(i, 'admin'))];
    const split = commandJson(planCommands({ commands, suggestion: () => undefined }));
    expect(split.map((root) => root.name)).toEqual(['coc', 'coc-admin']);
    expect(commandProblems(split[0]!)).toEqual([]);
    expect(commandCharacters(split[1]!)).toBeGreaterThan(8000);
    expect(commandListProblems(split)).toEqual([expect.stringMatching(/^\/coc-admin: \d+ characters in names, descriptions and choices \(at most 8000\)$/)]);
  });
});
