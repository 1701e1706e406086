/**
 * Discord's published limits for what the bot sends (platform-rules §2.2–2.3). Lengths are
 * measured in UTF-16 code units, which is never less than Discord's count of characters, so
 * staying under them keeps every message acceptable.
 */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  /** Title, description, field names and values and footer of all embeds of one message. */
  embedTotal: 6000,
  embedsPerMessage: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  textInputPlaceholder: 100,
  textInputValue: 4000,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  /** All names, descriptions and choice values of one command together. */
  commandTotal: 8000,
  threadName: 100,
} as const;

/** Names of commands, subcommands and options: lowercase where the script has case. */
export const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Deadlines (platform-rules §2.1). */
export const INITIAL_RESPONSE_MS = 3_000;
export const INTERACTION_TOKEN_MS = 15 * 60_000;

/**
 * Interactions taken in and not yet answered (running, or waiting for the dispatcher, COC or
 * Discord) past which new ones are answered "busy, try again in n s" at once (config
 * `discord.maxInFlight`). It should be about 2 s of what the replica finishes: 256 is meant for
 * a replica with two unshared cores, where the Slack path sustained 200 `/coc order` a second
 * (about 1.3 s of work; not yet measured for Discord on an unloaded machine). On a busier machine
 * set it from the sustainable rate `bench/discord-answer.ts` reports there (rate × 2 s): on a
 * 2-core machine with a load average near 15 that was 25-50 a second, and answers waited 5 s
 * before the bound of 256 was reached.
 */
export const DEFAULT_MAX_IN_FLIGHT = 256;
