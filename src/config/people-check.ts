/**
 * Whether the people the configuration maps can use what it turns on: a surface nobody is
 * mapped on refuses everyone who types there, and a real deployment without an admin has
 * nobody who can link people from chat (`/coc admin link`). Said by check-config as warnings:
 * the configuration is valid, it just will not get anyone far.
 */
import type { Config } from './schema.js';
import type { ConfigProblem } from './problems.js';
import { bluekingConnection, cocConnection, enabledAdapters } from './derived.js';
import type { ChatPlatform } from '../store/vocabulary.js';

const SURFACE_NAMES: Readonly<Record<ChatPlatform, string>> = { shell: 'the terminal', slack: 'Slack', discord: 'Discord' };

/** The built-in simulator answers (it comes with the terminal's demo people). */
function simulated(config: Config): boolean {
  return config.backend === 'blueking' ? bluekingConnection(config).kind === 'simulator' : cocConnection(config).kind === 'simulator';
}

export function peopleWarnings(config: Config): ConfigProblem[] {
  const warnings: ConfigProblem[] = [];
  const { mappings } = config.identity;
  const adapters = enabledAdapters(config);
  const withSimulator = simulated(config);
  const active = (['shell', 'slack', 'discord'] as const).filter((platform) => (platform === 'shell' ? adapters.shell : adapters[platform]));
  // Nobody mapped at all with a chat platform on is already said by the loader's own warning.
  const chatWithNobody = (adapters.slack || adapters.discord) && mappings.length === 0;
  for (const platform of active) {
    if (mappings.some((mapping) => mapping.platform === platform)) continue;
    // The terminal with the simulator gets the demo people (alice, bob, carol, dave).
    if (platform === 'shell' && withSimulator) continue;
    if (platform !== 'shell' && chatWithNobody) continue;
    warnings.push({
      path: 'identity.mappings',
      message: `${SURFACE_NAMES[platform]} is on but nobody is mapped there: everyone who types in ${SURFACE_NAMES[platform]} will be refused`,
      fix:
        platform === 'shell'
          ? 'add a mapping with platform shell, workspace local and user <your login name> (or start with --as <user>)'
          : `add a mapping with platform ${platform} (its workspace and user ids) to identity.mappings`,
    });
  }
  // With the simulator and nobody mapped for the terminal, the demo admin (dave) can link people from it.
  const demoAdmin = withSimulator && !mappings.some((mapping) => mapping.platform === 'shell');
  const admins = mappings.filter((mapping) => mapping.role === 'admin');
  if (admins.length === 0 && !demoAdmin && !chatWithNobody) {
    warnings.push({
      path: 'identity.mappings',
      message: 'nobody can link people: no mapping has role admin, so "/coc admin link" is refused to everyone',
      fix: 'add one admin under identity.mappings (platform, workspace, user, iamUser, role: "admin")',
    });
  }
  const adminAllowedSomewhere = config.policy.defaultAllow.includes('admin') || config.policy.channels.some((rule) => rule.allow.includes('admin'));
  if ((admins.length > 0 || demoAdmin) && !adminAllowedSomewhere) {
    warnings.push({
      path: 'policy.defaultAllow',
      message: 'does not include admin, and no channel in policy.channels allows it: "/coc admin link" is refused everywhere',
      fix: 'add "admin" to policy.defaultAllow (or to the allow list of one channel)',
    });
  }
  return warnings;
}
