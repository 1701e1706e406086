/** `scripts`: the custom scripts COC holds, with their risk level, filtered and paged. */
import { RISK_LEVELS, SCRIPT_TYPES } from '../src/coc/schemas/scripts.js';
import type { CommandDefinition } from '../src/core/command.js';
import { choiceFlag, flagValue, intFlag, noPositionals } from '../src/core/flags.js';

export const scriptsCommand: CommandDefinition = {
  family: 'scripts',
  words: ['scripts'],
  permission: 'viewer',
  mutates: false,
  summary: 'List the custom scripts in COC, with their risk level',
  usage: 'scripts [--name text] [--risk low|medium|high] [--type shell|python|bat] [--limit 1-100] [--after id]',
  examples: ['scripts', 'scripts --risk high', 'scripts --name nginx'],
  flags: [
    { name: 'name', takesValue: true, description: 'part of the script name' },
    { name: 'risk', takesValue: true, description: 'low, medium or high' },
    { name: 'type', takesValue: true, description: 'shell, python or bat' },
    { name: 'limit', takesValue: true, description: 'how many to show, 1-100 (default 20)' },
    { name: 'after', takesValue: true, description: 'the id of the last script of the previous page' },
  ],
  async run(context, args) {
    const { coc } = context;
    noPositionals(args, 'scripts');
    const limit = intFlag(args, 'limit', 1, 100, 20);
    const after = flagValue(args, 'after');
    const name = flagValue(args, 'name');
    const risk = choiceFlag(args, 'risk', RISK_LEVELS);
    const type = choiceFlag(args, 'type', SCRIPT_TYPES);
    const page = await coc.listScripts({
      limit,
      ...(after !== undefined ? { marker: Number(after) } : {}),
      ...(name ? { name_like: name } : {}),
      ...(risk ? { risk_level: risk } : {}),
      ...(type ? { type } : {}),
    });
    const items = page.data ?? [];
    const last = items.at(-1);
    return {
      title: `Scripts (${items.length}${page.total !== undefined ? ` of ${page.total}` : ''})`,
      ...(items.length === 0 ? { text: 'No script matches.' } : {}),
      table: {
        columns: ['NAME', 'RISK', 'TYPE', 'STATUS', 'UUID'],
        rows: items.map((script) => [
          script.name ?? '',
          script.properties?.risk_level ?? '',
          script.type ?? '',
          script.status ?? '',
          script.script_uuid,
        ]),
      },
      ...(last?.id !== undefined && page.total !== undefined && page.total > items.length
        ? { footer: `More: scripts --after ${last.id}${args.flags.size ? ' (with the same filters)' : ''}` }
        : {}),
    };
  },
};
