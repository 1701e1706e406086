/**
 * The terminal's demo people, used only with the built-in simulator and no configured
 * mappings: enough to request as one person and approve as another (`/as bob`).
 */
import type { IdentityMappingConfig } from '../config.js';

export const SHELL_WORKSPACE = 'local';

export const DEMO_MAPPINGS: readonly IdentityMappingConfig[] = [
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'alice', iamUser: 'alice', role: 'operator' },
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'bob', iamUser: 'bob', role: 'approver' },
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'carol', iamUser: 'carol', role: 'viewer' },
  { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'dave', iamUser: 'dave', role: 'admin' },
];

export const DEMO_FIRST_USER = 'alice';

export interface StartingPeople {
  /** Everyone the bot knows from the start (what the store's config-sourced mappings become). */
  readonly mappings: readonly IdentityMappingConfig[];
  /** The demo people stand in for the terminal's. */
  readonly demo: boolean;
  /** How many people the configuration maps for the terminal. */
  readonly configuredForTerminal: number;
}

/**
 * The configuration's people, and — when the built-in simulator answers and the configuration
 * maps nobody for the terminal — the demo people too, so that a config file written for Slack
 * or Discord does not leave the terminal with nobody. People mapped for the terminal replace them.
 */
export function startingPeople(configured: readonly IdentityMappingConfig[], simulated: boolean): StartingPeople {
  const configuredForTerminal = configured.filter((mapping) => mapping.platform === 'shell').length;
  const demo = simulated && configuredForTerminal === 0;
  return { mappings: demo ? [...configured, ...DEMO_MAPPINGS] : configured, demo, configuredForTerminal };
}
