/**
 * What an argument is (its type, choices, range, length, whether it is required) is declared
 * as data and never read back out of words written for people. Two checks keep it so: no
 * source reads a usage line, a description or a summary to learn a type, and rewording every
 * text of every registered command changes nothing in the Discord options generated from them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCommands, type CommandPlan, type RegistryView } from '../src/adapters/discord/command-map.js';
import { declaredBackend } from '../src/app/backends.js';
import { commandRegistry } from '../src/app/commands.js';
import type { CommandDefinition } from '../src/core/command.js';

const ROOT = join(import.meta.dirname, '..');

/** Every TypeScript file under a folder of the repository. */
function sourcesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) found.push(path);
    }
  };
  walk(join(ROOT, folder));
  return found;
}

/**
 * Reading prose to learn a type: a usage line (`command.usage`), a description or a summary
 * taken apart. A text catalogue's own `usage` entry (`T.usage`, the "Usage: …" frame said
 * around a generated line) is a text to say, not a line to read: a receiver in capitals is one.
 */
const PROSE_READ = /(?<!\b[A-Z][A-Z_\d]*)\.usage\b|\.description\.(match|split|includes|replace)|summary\.(match|split|includes)/;
const USAGE_READER = /function\s+parseUsage\b|parseUsage\s*[=:]/;

describe('no source reads prose to learn a type', () => {
  it('finds no usage line, description or summary read apart under src/ or commands/', () => {
    const offending: string[] = [];
    for (const file of [...sourcesUnder('src'), ...sourcesUnder('commands')]) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (PROSE_READ.test(line) || USAGE_READER.test(line)) offending.push(`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  it('would notice one', () => {
    for (const line of ['const flags = command.usage.split(" ");', 'spec.description.match(/\\d+-\\d+/)', 'if (summary.includes("list"))', 'export function parseUsage(usage: string) {']) {
      expect(PROSE_READ.test(line) || USAGE_READER.test(line), line).toBe(true);
    }
    expect(PROSE_READ.test("t(T.usage, { usage: usageLine(command, locale) })")).toBe(false);
  });
});

/** A text in both languages (what every description, summary, label and name in Chinese is). */
function isText(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).sort().join() === 'en-US,zh-CN';
}

const X = { 'en-US': 'x', 'zh-CN': 'x' };

/** The value with every text in it, however deep (choices read from the backend too), said as "x". */
function reworded(value: unknown): unknown {
  if (isText(value)) return X;
  if (typeof value === 'function') return (...args: unknown[]) => reworded((value as (...a: unknown[]) => unknown)(...args));
  if (Array.isArray(value)) return value.map(reworded);
  if (typeof value === 'object' && value !== null && !(value instanceof RegExp)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reworded(inner)]));
  }
  return value;
}

/** What Discord makes of each option, leaving out every text. */
function shapeOf(plan: CommandPlan) {
  return plan.subcommands.map((sub) => ({
    at: [sub.group, sub.name, ...sub.words],
    options: sub.options.map(({ name, kind, flag, type, choices, min, max, minLength, maxLength, required, repeatable, suggestionId, position }) => ({
      name,
      kind,
      flag,
      type,
      choices,
      min,
      max,
      minLength,
      maxLength,
      required,
      repeatable,
      suggestionId,
      position,
    })),
  }));
}

describe('the Discord options of every registered command', () => {
  it('keep their types, choices, ranges, lengths and required flags when every text is reworded', () => {
    const registry = commandRegistry(declaredBackend());
    const view = (commands: readonly CommandDefinition[]): RegistryView => ({ commands, suggestion: (id) => registry.suggestion(id), limits: registry.limits });
    const rewritten = registry.commands.map((command) => reworded(command) as CommandDefinition);
    expect(rewritten.every((command) => command.summary['en-US'] === 'x')).toBe(true);
    const before = shapeOf(planCommands(view(registry.commands)));
    expect(shapeOf(planCommands(view(rewritten)))).toEqual(before);
    // The comparison means something: the registry has options of every kind Discord types.
    const options = before.flatMap((sub) => sub.options);
    expect(options.some((option) => option.type === 'integer' && option.max !== undefined)).toBe(true);
    expect(options.some((option) => option.choices && option.choices.length > 1)).toBe(true);
    expect(options.some((option) => option.type === 'boolean')).toBe(true);
    expect(options.some((option) => option.required)).toBe(true);
  });
});
