import { z } from 'zod';
import { port, secretString, serviceUrl, wholeNumber } from '../fields.js';
import { DEFAULT_MAX_IN_FLIGHT } from '../../adapters/discord/limits.js';
import { EVEN_WITH_FIELD_ERRORS, isSet, reportRule } from '../rules.js';
import { checkBudgetFitsBody, HTTP_LIMIT_DEFAULTS, maxBodyBytesField, maxConnectionsField, maxConnectionsPerAddressField, pendingBodyBytesField } from './http-limits.js';

export const DISCORD_MODES = ['gateway', 'http'] as const;

const SNOWFLAKE = /^\d{17,20}$/;

function snowflake(what: string): z.ZodString {
  return z.string().regex(SNOWFLAKE, { error: `must be a ${what} id (17 to 20 digits)` });
}

export const discordSchema = z
  .strictObject({
    botToken: secretString((text) =>
      text.regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, { error: 'must be a bot token (three dot-separated parts, from the Bot page)' }),
    )
      .optional()
      .meta({ description: 'Bot token from the Bot page. Setting it enables Discord.', env: 'DISCORD_BOT_TOKEN', secret: true }),
    applicationId: snowflake('application')
      .optional()
      .meta({ description: 'Application id (General Information), to register slash commands.', env: 'DISCORD_APPLICATION_ID' }),
    publicKey: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be the 64 hex character public key from General Information' })
      .optional()
      .meta({ description: 'Public key (General Information), to verify interactions in HTTP mode.', env: 'DISCORD_PUBLIC_KEY' }),
    guildId: snowflake('server (guild)')
      .optional()
      .meta({
        description: 'Register commands in this server only (instant, good for testing). Unset = global commands.',
        env: 'DISCORD_GUILD_ID',
      }),
    mode: z
      .enum(DISCORD_MODES)
      .default('gateway')
      .meta({ description: 'gateway: WebSocket, no public URL. http: Discord calls the Interactions Endpoint URL.', env: 'DISCORD_MODE' }),
    port: port()
      .default(3001)
      .meta({ description: 'Port the interactions endpoint listens on (http mode only).', env: 'DISCORD_PORT' }),
    maxBodyBytes: maxBodyBytesField('Discord', HTTP_LIMIT_DEFAULTS.discordMaxBodyBytes, 'DISCORD_MAX_BODY_BYTES'),
    maxConnections: maxConnectionsField('DISCORD_MAX_CONNECTIONS'),
    maxConnectionsPerAddress: maxConnectionsPerAddressField('DISCORD_MAX_CONNECTIONS_PER_ADDRESS'),
    pendingBodyBytes: pendingBodyBytesField('DISCORD_PENDING_BODY_BYTES'),
    maxInFlight: wholeNumber(1, 100_000)
      .default(DEFAULT_MAX_IN_FLIGHT)
      .meta({
        description: `Interactions taken in and not yet answered (1-100000) past which new ones are answered at once "busy, try again in n s" and nothing is done for them (overload is shed, never hoarded).`,
        env: 'DISCORD_MAX_IN_FLIGHT',
      }),
    apiUrl: serviceUrl()
      .optional()
      .meta({
        description: "Discord's API base URL; unset = https://discord.com/api. Only for a local fake Discord (http://localhost… allowed).",
        env: 'DISCORD_API_URL',
      }),
  })
  .superRefine((discord, ctx) => {
    checkBudgetFitsBody(discord, ctx, 'discord');
    if (!isSet(discord.botToken)) {
      if (isSet(discord.applicationId) || isSet(discord.publicKey) || isSet(discord.guildId)) {
        reportRule(ctx, ['botToken'], 'missing: Discord is half configured (settings without a bot token)', {
          set: ['discord', 'botToken'],
          orElse: 'remove the other Discord settings to run without Discord',
        });
      }
      return;
    }
    if (!isSet(discord.applicationId)) {
      reportRule(ctx, ['applicationId'], 'missing: needed to register the slash commands', {
        set: ['discord', 'applicationId'],
        to: 'the application id from General Information',
      });
    }
    if (discord.mode === 'http' && !isSet(discord.publicKey)) {
      reportRule(ctx, ['publicKey'], 'missing: HTTP interactions must be verified with the public key', {
        set: ['discord', 'publicKey'],
        to: 'the public key from General Information',
        orElse: 'use the gateway (DISCORD_MODE=gateway)',
      });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Discord application. Enabled when discord.botToken is set.' });

export type DiscordConfig = z.infer<typeof discordSchema>;
