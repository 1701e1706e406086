/**
 * Which top-level Discord command a command is offered under (here in the core, not the
 * Discord adapter, because help and refusals name the command as the reader must type it). Discord counts at most 8,000
 * characters of names, descriptions and choices per top-level command (platform-rules §2.3),
 * and the registry outgrew one: the commands are split over several roots, decided here and
 * nowhere else.
 *
 * The rule: administration is `/coc-admin` — every command only an admin may use (linking
 * people, writing scripts) and the audit trail (families `admin` and `audit`); everything else,
 * what operators and viewers use every day, is `/coc`. It reads what each command already
 * declares (its family and the lowest role that may use it), so a new command lands in the
 * right root without saying so. Subcommand and group names stay as they were: only the root
 * differs (`/coc-admin admin link`, `/coc-admin scripts create`, `/coc scripts show`).
 *
 * On-call response is `/coc-incident`: incidents, WarRooms and alarms (families `incident`,
 * `warroom`, `alarm`), what a person answering a page uses; `/coc` had reached its budget
 * (7,972 of 8,000 characters once the incident timeline and the alarm centre came).
 *
 * When a root nears its budget (the tests fail at 8,000), add a root to DISCORD_ROOTS and a
 * line to rootOf: the generated list, registration, the interaction handler and the texts
 * catalogue all follow.
 */
import type { Guarded } from './command.js';
import type { ChatPlatform } from '../store/vocabulary.js';

/** The roots, in the order they are registered and listed. */
export const DISCORD_ROOTS = ['coc', 'coc-admin', 'coc-incident'] as const;
export type DiscordRoot = (typeof DISCORD_ROOTS)[number];

/** The everyday root: where a command goes unless the rule below says otherwise. */
export const MAIN_ROOT: DiscordRoot = 'coc';

const ADMINISTRATION_FAMILIES: ReadonlySet<string> = new Set(['admin', 'audit']);

const ON_CALL_FAMILIES: ReadonlySet<string> = new Set(['incident', 'warroom', 'alarm']);

export function rootOf(command: Pick<Guarded, 'family' | 'permission'>): DiscordRoot {
  if (command.permission === 'admin' || ADMINISTRATION_FAMILIES.has(command.family)) return 'coc-admin';
  if (ON_CALL_FAMILIES.has(command.family)) return 'coc-incident';
  return MAIN_ROOT;
}

export function isDiscordRoot(name: string): name is DiscordRoot {
  return (DISCORD_ROOTS as readonly string[]).includes(name);
}

/** The slash command a reader types for a command on their platform: its root on Discord (`/coc-admin`, `/coc-incident`, `/coc`), `/coc` everywhere else. */
export function slashCommandFor(command: Pick<Guarded, 'family' | 'permission'>, platform: ChatPlatform): string {
  return platform === 'discord' ? `/${rootOf(command)}` : `/${MAIN_ROOT}`;
}
