/**
 * `/coc` on Discord is generated from the command registry, fits Discord's rules for
 * application commands, and turns back into exactly the command line the terminal would type.
 */
import { describe, expect, it } from 'vitest';
import { commandJson, commandLine, escapeWord, parseUsage, planCommands, type RegistryView } from '../src/adapters/discord/command-map.js';
import { commandCharacters, commandProblems } from '../src/adapters/discord/command-limits.js';
import { commandRegistry } from '../src/app/commands.js';
import { declaredBackend } from '../src/app/backends.js';
import type { CommandDefinition } from '../src/core/command.js';
import { Registry } from '../src/core/registry.js';
import { tokenize } from '../src/core/tokenize.js';

const registry = commandRegistry(declaredBackend());
const plan = planCommands(registry);
const json = commandJson(plan);

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

function command(words: string[], usage: string, flags: CommandDefinition['flags'] = [], summary = 'does a thing'): CommandDefinition {
  return { words, usage, flags, summary, examples: [], family: 'orders', permission: 'viewer', mutates: false, run: async () => ({}) };
}

describe('the registered /coc command', () => {
  it('is generated from the registry: one subcommand per registered command, and back', () => {
    expect(plan.subcommands).toHaveLength(registry.commands.length);
    for (const definition of registry.commands) {
      const sub = plan.subcommands.find((candidate) => candidate.words.join(' ') === definition.words.join(' '));
      expect(sub, definition.words.join(' ')).toBeDefined();
      expect(plan.find(sub!.group, sub!.name)).toBe(sub);
    }
    const names = (json.options as JsonOption[]).map((option) => option.name);
    expect(names).toEqual(expect.arrayContaining(['order', 'scripts', 'whoami']));
  });

  it("fits Discord's rules: names, descriptions, at most 25 options, nesting, 8000 characters", () => {
    expect(commandProblems(json)).toEqual([]);
    expect(json.name).toBe('coc');
    expect(commandCharacters(json)).toBeLessThanOrEqual(8000);
    // The same rules, checked here directly on the JSON.
    const top = json.options as JsonOption[];
    expect(top.length).toBeLessThanOrEqual(25);
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

  it('types options from usage and flags: choices, integer ranges, switches, required flags', () => {
    const hosts = plan.find(undefined, 'hosts')!;
    expect(hosts.options.find((o) => o.name === 'agent')).toMatchObject({ type: 'string', choices: ['online', 'offline', 'installing', 'failed', 'uninstalled'] });
    expect(hosts.options.find((o) => o.name === 'limit')).toMatchObject({ type: 'integer', min: 1, max: 100 });
    const cancel = plan.find('order', 'cancel')!;
    expect(cancel.options.map((o) => [o.name, o.type, o.required])).toEqual([
      ['execute-uuid', 'string', true],
      ['yes', 'boolean', false],
    ]);
    const alarm = plan.find(undefined, 'alarm')!;
    // --level and --desc are needed only to raise: --ok clears without them.
    expect(alarm.options.filter((o) => o.required).map((o) => o.name)).toEqual(['name']);
    // "--instance <host|ip|instance-id>" names kinds of value, not a closed list.
    expect(plan.find('order', 'cancel-instance')!.options.find((o) => o.name === 'instance')!.choices).toBeUndefined();
    // A bare command next to its group becomes "list".
    expect(plan.find('scripts', 'list')!.words).toEqual(['scripts']);
    expect(plan.find('scripts', 'show')!.words).toEqual(['scripts', 'show']);
  });

  it('reads positionals and required flags from usage lines', () => {
    expect(parseUsage('order cancel-instance <execute-uuid> --instance <host|ip|instance-id> [--batch N]', ['order', 'cancel-instance'])).toEqual([
      { kind: 'positional', text: 'execute-uuid', optional: false },
      { kind: 'flag', text: 'instance', placeholder: 'host|ip|instance-id', optional: false },
      { kind: 'flag', text: 'batch', placeholder: 'N', optional: true },
    ]);
    expect(parseUsage('patch show <host name|report id> [--limit 1-100]', ['patch', 'show'])[0]).toEqual({ kind: 'positional', text: 'host name|report id', optional: false });
    // One of several ways (Discord cannot require "one of"): each is optional.
    expect(parseUsage('run <script> (--hosts h1,h2 | --tag key=value | --query text) [--rotation continue|pause]', ['run'])).toEqual([
      { kind: 'positional', text: 'script', optional: false },
      { kind: 'flag', text: 'hosts', placeholder: 'h1,h2', optional: true },
      { kind: 'flag', text: 'tag', placeholder: 'key=value', optional: true },
      { kind: 'flag', text: 'query', placeholder: 'text', optional: true },
      { kind: 'flag', text: 'rotation', placeholder: 'continue|pause', optional: true },
    ]);
    expect(parseUsage('alarm --name "text" --ok', ['alarm'])).toEqual([
      { kind: 'flag', text: 'name', placeholder: 'text', optional: false },
      { kind: 'flag', text: 'ok', optional: false },
    ]);
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
    const view: RegistryView = { commands: [command(['run'], 'run <script> [--param k=v]', [{ name: 'param', takesValue: true, repeatable: true, description: 'a parameter' }])], suggestion: () => undefined };
    const run = planCommands(view).find(undefined, 'run')!;
    const line = commandLine(run, new Map([['script', 'deploy'], ['param', 'a=1 msg="two words"']]));
    expect(line.ok && tokenize(line.text)).toEqual(['run', 'deploy', '--param=a=1', '--param=msg=two words']);
    expect(commandLine(run, new Map([['script', 'deploy'], ['param', 'msg="open']]))).toEqual({ ok: false, option: 'param', problem: 'quote' });
  });

  it('puts options past the 25th into a trailing free-text "args" option', () => {
    const flags = Array.from({ length: 30 }, (_, i) => ({ name: `flag${i}`, takesValue: true, description: `flag number ${i}` }));
    const view: RegistryView = { commands: [command(['big'], 'big <target>', flags)], suggestion: () => undefined };
    const big = planCommands(view).find(undefined, 'big')!;
    expect(big.options).toHaveLength(25);
    expect(big.options.at(-1)).toMatchObject({ name: 'args', kind: 'args', type: 'string' });
    expect(big.options.at(-1)!.description).toMatch(/--flag23/);
    const line = commandLine(big, new Map([['target', 't'], ['flag0', 'v'], ['args', '--flag29 last']]));
    expect(line).toEqual({ ok: true, text: 'big t --flag0=v --flag29 last' });
    expect(commandProblems(commandJson(planCommands(view)))).toEqual([]);
  });

  it('refuses, rather than cuts, a command past 8000 characters (descriptions are written to fit)', () => {
    const commands = Array.from({ length: 24 }, (_, i) =>
      command(
        [`cmd${i}`],
        `cmd${i} [--alpha x] [--beta x] [--gamma x] [--delta x] [--epsilon x]`,
        ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name) => ({ name, takesValue: true, description: `${name} ${'d'.repeat(95)}` })),
        `summary ${'s'.repeat(95)}`,
      ),
    );
    const big = commandJson(planCommands({ commands, suggestion: () => undefined }));
    const problems = commandProblems(big);
    expect(problems).toContainEqual(expect.stringMatching(/^\/coc: \d+ characters in names, descriptions and choices \(at most 8000\)$/));
    // Texts too long for Discord are not cut silently: each cut one is named.
    expect(problems).toContainEqual('/coc cmd0 alpha: description ends in "…" (cut instead of written to fit)');
  });

  it('autocompletes options about scripts, hosts and orders when those sources exist', () => {
    const withSources: RegistryView = { commands: registry.commands, suggestion: (id) => (['scripts', 'hosts', 'orders'].includes(id) ? {} : undefined) };
    const suggested = planCommands(withSources);
    expect(suggested.find('order', 'show')!.options.find((o) => o.name === 'execute-uuid')!.suggestionId).toBe('orders');
    expect(suggested.find('scripts', 'show')!.options[0]!.suggestionId).toBe('scripts');
    expect(suggested.find('public', 'script-show')!.options[0]!.suggestionId).toBeUndefined();
    expect(commandProblems(commandJson(suggested))).toEqual([]);
  });
});
