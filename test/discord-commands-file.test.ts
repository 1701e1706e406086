/**
 * discord-commands.json is the list of top-level commands (/coc, /coc-admin) the registry generates, committed: a change to what
 * Discord offers (a name, an option's type, range or choices) cannot slip through unseen.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DISCORD_COMMANDS_FILE, discordCommandsText } from '../src/adapters/discord/commands-file.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('discord-commands.json', () => {
  it('is what the command registry generates now', () => {
    const committed = readFileSync(join(ROOT, DISCORD_COMMANDS_FILE), 'utf8');
    expect(committed, 'discord-commands.json is out of date: run `npm run discord-commands` and commit it').toBe(discordCommandsText());
  });

  it('names every subcommand and option explicitly, in English and Chinese', () => {
    const list = JSON.parse(readFileSync(join(ROOT, DISCORD_COMMANDS_FILE), 'utf8')) as Node[];
    interface Choice { name: string; name_localizations?: Record<string, string> }
    interface Node { name: string; type: number; name_localizations?: Record<string, string>; description_localizations?: Record<string, string>; options?: Node[]; choices?: Choice[] }
    const nodes: Node[] = [];
    const walk = (list: readonly Node[] | undefined) => {
      for (const node of list ?? []) {
        nodes.push(node);
        walk(node.options);
      }
    };
    expect(list.map((command) => command.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    walk(list);
    expect(nodes.length).toBeGreaterThan(100);
    const unlocalised = nodes.filter((node) => !node.name_localizations?.['zh-CN'] || !node.description_localizations?.['zh-CN']).map((node) => node.name);
    expect(unlocalised).toEqual([]);
    const choices = nodes.flatMap((node) => node.choices ?? []);
    expect(choices.length).toBeGreaterThan(10);
    expect(choices.filter((choice) => !choice.name_localizations?.['zh-CN']).map((choice) => choice.name)).toEqual([]);
  });
});
