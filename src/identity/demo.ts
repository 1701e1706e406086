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
