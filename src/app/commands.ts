/** Every command and button action the bot offers, in the order help lists them. */
import { hostsCommand } from '../../commands/hosts.js';
import { scriptsCommand } from '../../commands/scripts.js';
import type { ActionDefinition, CommandDefinition } from '../core/command.js';

export const COMMANDS: readonly CommandDefinition[] = [scriptsCommand, hostsCommand];

export const ACTIONS: readonly ActionDefinition[] = [];
