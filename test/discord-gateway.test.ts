/**
 * Gateway mode: the discord.js Client logs in to a fake gateway (real WebSocket: HELLO,
 * IDENTIFY → READY), receives INTERACTION_CREATE, and the bot answers through the interaction
 * callback on the fake REST API — the same handler as the HTTP endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter, type DiscordAdapter } from '../src/adapters/discord/adapter.js';
import { Secret, type Config } from '../src/config.js';
import { Readiness } from '../src/ops/readiness.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { APP, CAROL, DISCORD_MAPPINGS, GUILD, interactionOf, slash } from './helpers/discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';

let bot: TestBot;
let fake: FakeDiscord;
let adapter: DiscordAdapter;
const unexpected: unknown[] = [];
const readiness = new Readiness();

beforeAll(async () => {
  bot = await makeTestBot({ mappings: DISCORD_MAPPINGS });
  fake = await startFakeDiscord();
  const config = {
    ...bot.config,
    discord: { ...bot.config.discord, botToken: new Secret('MTIz.gateway.token'), applicationId: APP, mode: 'gateway', guildId: GUILD, apiUrl: fake.api },
  } as Config;
  adapter = await startDiscordAdapter({ config, dispatcher: bot.dispatcher, registry: bot.core.registry, db: bot.store.db, readiness, onUnexpected: (error) => unexpected.push(error) });
  bot.core.chat.register(adapter.surface);
});

afterAll(async () => {
  await adapter?.close();
  await bot?.close();
  await fake?.close();
});

describe('Discord gateway mode', () => {
  it('identifies with the bot token and the Guilds intent', async () => {
    const { token, intents } = await fake.identified;
    expect(token).toBe('MTIz.gateway.token');
    expect(intents).toBe(1);
    expect(adapter.mode).toBe('gateway');
    expect((await readiness.report()).checks).toEqual([{ name: 'discord', ok: true, detail: 'gateway connected' }]);
  });

  it('answers an interaction from the gateway through the interaction callback', async () => {
    const interaction = interactionOf(2, slash('whoami'), CAROL);
    fake.dispatchInteraction(interaction);
    const callback = await fake.waitFor('POST', new RegExp(`^/interactions/${interaction.id}/${interaction.token}/callback$`));
    const body = callback.body as { type: number; data: { flags: number } };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(JSON.stringify(body)).toContain('carol');
    expect(callback.authorization).toBeUndefined();
  });

  it('reported nothing unexpected', () => {
    expect(unexpected).toEqual([]);
  });
});
