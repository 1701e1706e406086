/** `hosts`: the ECS hosts COC knows, with agent state, region and tags, filtered and paged. */
import { AGENT_STATES } from '../src/coc/schemas/resources.js';
import type { CommandDefinition } from '../src/core/command.js';
import { choiceFlag, flagValue, intFlag, keyValueFlag, noPositionals } from '../src/core/flags.js';

export const hostsCommand: CommandDefinition = {
  family: 'hosts',
  words: ['hosts'],
  permission: 'viewer',
  mutates: false,
  summary: 'List hosts with their UniAgent state, region and tags',
  usage: 'hosts [--name text] [--tag key=value] [--agent online|offline|installing|failed|uninstalled] [--region id] [--limit 1-100] [--after id]',
  examples: ['hosts', 'hosts --tag env=prod', 'hosts --agent offline', 'hosts --name web --region cn-north-4'],
  flags: [
    { name: 'name', takesValue: true, description: 'part of the host name' },
    { name: 'tag', takesValue: true, description: 'key=value, for example env=prod' },
    { name: 'agent', takesValue: true, description: 'UniAgent state' },
    { name: 'region', takesValue: true, description: 'region id, for example cn-north-4' },
    { name: 'limit', takesValue: true, description: 'how many to show, 1-100 (default 20)' },
    { name: 'after', takesValue: true, description: 'the id of the last host of the previous page' },
  ],
  async run(context, args) {
    const { coc } = context;
    noPositionals(args, 'hosts');
    const limit = intFlag(args, 'limit', 1, 100, 20);
    const tag = keyValueFlag(args, 'tag');
    const agent = choiceFlag(args, 'agent', AGENT_STATES);
    const name = flagValue(args, 'name');
    const region = flagValue(args, 'region');
    const after = flagValue(args, 'after');
    const filters = {
      provider: 'ecs',
      type: 'cloudservers',
      ...(name ? { name } : {}),
      ...(tag ? { tag: `${tag.key}.${tag.value}` } : {}),
      ...(agent ? { agent_state: agent } : {}),
      ...(region ? { region_id: region } : {}),
    };
    const [hosts, total] = await Promise.all([
      coc.listResources({ ...filters, limit, ...(after ? { marker: after } : {}) }),
      coc.countResources(filters),
    ]);
    const last = hosts.at(-1);
    return {
      title: `Hosts (${hosts.length} of ${total})`,
      ...(hosts.length === 0 ? { text: 'No host matches.' } : {}),
      table: {
        columns: ['NAME', 'AGENT', 'REGION', 'IP', 'TAGS', 'ID'],
        rows: hosts.map((host) => [
          host.name ?? '',
          host.agent_state ?? 'none',
          host.region_id ?? '',
          host.inner_ip ?? '',
          host.tags.map((t) => `${t.key}=${t.value}`).join(','),
          host.resource_id ?? host.id,
        ]),
      },
      ...(last && hosts.length === limit ? { footer: `More: hosts --after ${last.id}${args.flags.size ? ' (with the same filters)' : ''}` } : {}),
    };
  },
};
