/**
 * What Discord shows of `/coc` and `/coc-admin` is written, not cut: every group, subcommand, option and
 * choice the command map produces has an English and a zh-CN text (its definition's, or for
 * the roots and groups the catalogue's), the catalogue keeps nothing stale, no
 * description ends in "…", and every text fits Discord's limits (platform-rules §2.3) —
 * counted here independently, as Discord counts a localised field: only its longest text.
 * `npm run discord:register -- --print` shows the same.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { catalogPaths, commandJson, missingTexts, planCommands, subcommandPath } from '../src/adapters/discord/command-map.js';
import type { ArgSpecs } from '../src/core/arguments/index.js';
import { CHOICES, DESCRIPTIONS, NAMES_ZH } from '../src/adapters/discord/command-texts.js';
import { commandCharacters, commandListProblems, commandProblems } from '../src/adapters/discord/command-limits.js';
import { COMMANDS, commandRegistry } from '../src/app/commands.js';
import { declaredBackend } from '../src/app/backends.js';
import { Registry } from '../src/core/registry.js';
import { nodeArgsFor } from './helpers/entry-point.js';

const registry = commandRegistry(declaredBackend());
const plan = planCommands(registry);

/** Discord's name rule (§2.3), written out here rather than imported. */
const DISCORD_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Node {
  name: string;
  name_localizations?: Record<string, string>;
  description: string;
  description_localizations?: Record<string, string>;
  choices?: { name: string; name_localizations?: Record<string, string>; value: string | number }[];
  options?: Node[];
}

/** Every node of the command with its path, root first. */
function nodes(root: Node): { path: string; node: Node }[] {
  const found: { path: string; node: Node }[] = [];
  const walk = (node: Node, path: string) => {
    found.push({ path, node });
    for (const child of node.options ?? []) walk(child, path ? `${path} ${child.name}` : child.name);
  };
  walk(root, '');
  return found;
}

/** Discord's count: names, descriptions, choice names and values; of a localised field only its longest text. */
function discordCount(node: Node): number {
  const longest = (text: string, map?: Record<string, string>) => Math.max(text.length, ...Object.values(map ?? {}).map((other) => other.length));
  let total = longest(node.name, node.name_localizations) + longest(node.description, node.description_localizations);
  for (const choice of node.choices ?? []) total += longest(choice.name, choice.name_localizations) + String(choice.value).length;
  for (const child of node.options ?? []) total += discordCount(child);
  return total;
}

function checkShown(root: Node): string[] {
  const problems: string[] = [];
  for (const { path, node } of nodes(root)) {
    const at = `/${root.name} ${path}`.trim();
    const zhName = node.name_localizations?.['zh-CN'];
    const zhDescription = node.description_localizations?.['zh-CN'];
    if (!zhName) problems.push(`${at}: no zh-CN name`);
    if (!zhDescription) problems.push(`${at}: no zh-CN description`);
    for (const name of [node.name, zhName ?? '']) {
      if (!DISCORD_NAME.test(name) || name !== name.toLowerCase()) problems.push(`${at}: name "${name}" breaks Discord's rule`);
    }
    for (const text of [node.description, zhDescription ?? '']) {
      if (text.length < 1 || text.length > 100) problems.push(`${at}: description of ${text.length} characters`);
      if (text.endsWith('…')) problems.push(`${at}: description "${text}" is cut`);
    }
    for (const choice of node.choices ?? []) {
      const zh = choice.name_localizations?.['zh-CN'];
      if (!zh) problems.push(`${at}: choice ${choice.value} has no zh-CN name`);
      for (const name of [choice.name, zh ?? '']) if (name.length < 1 || name.length > 100) problems.push(`${at}: choice name "${name}"`);
    }
    // Localised names must be told apart among siblings as the English ones are.
    const siblings = (node.options ?? []).map((child) => child.name_localizations?.['zh-CN']);
    const repeated = siblings.filter((name, i) => name !== undefined && siblings.indexOf(name) !== i);
    if (repeated.length) problems.push(`${at}: zh-CN names repeated among its options: ${repeated.join(', ')}`);
  }
  return problems;
}

describe('the texts Discord shows of /coc', () => {
  it('has an English and a zh-CN name and description for every subcommand and option, from the definitions', () => {
    expect(missingTexts(plan)).toEqual([]);
    for (const sub of plan.subcommands) {
      const at = `/coc ${subcommandPath(sub)}`;
      expect(sub.description, at).toBeTruthy();
      expect(sub.localized?.name, at).toBeTruthy();
      expect(sub.localized?.description, at).toBeTruthy();
      for (const option of sub.options) {
        expect(option.description, `${at} ${option.name}`).toBeTruthy();
        if (option.kind === 'args') continue;
        expect(option.localized?.name, `${at} ${option.name}`).toBeTruthy();
        expect(option.localized?.description, `${at} ${option.name}`).toBeTruthy();
        for (const choice of option.choiceNames ?? []) expect(choice.zh, `${at} ${option.name} = ${choice.value}`).toBeTruthy();
      }
    }
    // The catalogue writes only what no definition declares: the root, the groups, a trailing `args`.
    for (const { path, name } of catalogPaths(plan)) {
      expect(DESCRIPTIONS[path]?.en, path).toBeTruthy();
      expect(DESCRIPTIONS[path]?.zh, path).toBeTruthy();
      expect(NAMES_ZH[name], name).toBeTruthy();
    }
  });

  it('keeps no catalogue entry that nothing reads', () => {
    const paths = new Set(catalogPaths(plan).map(({ path }) => path));
    // A group's texts are read wherever a backend serves a command of it (alarms, tasks: not COC).
    const groups = COMMANDS.flatMap((command) => (command.discord.group ? [command.discord.group] : []));
    for (const group of groups) paths.add(group);
    expect(Object.keys(DESCRIPTIONS).filter((path) => !paths.has(path))).toEqual([]);
    // A Chinese name is read for a name whose definition declares none of its own (any
    // command, also one a backend with other capabilities serves).
    const named = new Set(catalogPaths(plan).map(({ name }) => name));
    for (const group of groups) named.add(group);
    for (const command of COMMANDS) {
      if (!command.discord.localName) named.add(command.discord.name);
      for (const [key, spec] of Object.entries({ ...command.positionals, ...command.flags } as ArgSpecs)) if (!spec.localName) named.add(spec.discordName ?? key);
    }
    expect(Object.keys(NAMES_ZH).filter((name) => !named.has(name))).toEqual([]);
    // A choice's words are read for a choice offered without a label of its own.
    const offered = new Set(plan.subcommands.flatMap((sub) => sub.options.flatMap((option) => option.choices ?? [])));
    expect(Object.keys(CHOICES).filter((choice) => !offered.has(choice))).toEqual([]);
  });

  it('has no cut text and every one within its limit, in both languages', () => {
    for (const [path, { en, zh }] of Object.entries(DESCRIPTIONS)) {
      for (const text of [en, zh]) {
        expect(text.length, `${path}: ${text}`).toBeLessThanOrEqual(100);
        expect(text.endsWith('…'), `${path}: ${text}`).toBe(false);
      }
    }
    for (const [name, zh] of Object.entries(NAMES_ZH)) expect(DISCORD_NAME.test(zh) && zh === zh.toLowerCase(), `${name} → ${zh}`).toBe(true);
  });

  it('registers every root with a zh-CN name and description everywhere, each within 8000 characters counted as Discord counts them', () => {
    const list = commandJson(plan);
    expect(list.map((command) => command.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    expect(commandListProblems(list)).toEqual([]);
    for (const command of list) {
      const json = command as unknown as Node;
      expect(checkShown(json)).toEqual([]);
      expect(commandProblems(command)).toEqual([]);
      const count = discordCount(json);
      expect(count, command.name).toBeLessThanOrEqual(8000);
      // The product's own count (which registration checks) is Discord's: a longer zh-CN name counts in full.
      expect(commandCharacters(command)).toBe(count);
    }
    expect(nodes(list[0] as unknown as Node).some(({ node }) => (node.name_localizations?.['zh-CN']?.length ?? 0) > node.name.length)).toBe(true);
  });

  it('npm run discord:register -- --print shows every root so, with its count, and says where the commands are offered', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...nodeArgsFor('src/adapters/discord/register-cli.ts'), '--print'], { cwd: process.cwd(), maxBuffer: 10_000_000 });
    const printed = JSON.parse(stdout) as Node[];
    expect(stdout).not.toContain('…"');
    expect(printed.map((command) => command.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    for (const command of printed) {
      expect(checkShown(command)).toEqual([]);
      expect(stderr).toContain(`/${command.name}: ${discordCount(command)} of 8000 characters; within Discord's limits`);
    }
    expect(stderr).not.toMatch(/missing/);
    expect(stderr).toMatch(/in that server only — not in DMs/);
  });
});
