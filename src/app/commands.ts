/** Every command the bot offers, in the order help lists them. */
import { hostsCommand } from '../../commands/hosts.js';
import { scriptsCommand } from '../../commands/scripts.js';
import type { CommandDefinition } from '../core/command.js';

export const COMMANDS: readonly CommandDefinition[] = [scriptsCommand, hostsCommand];
