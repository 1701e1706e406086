/**
 * Gateway mode (the default; no public URL needed): a discord.js Client keeps the WebSocket
 * to Discord and hands each INTERACTION_CREATE payload to the same interaction handler the
 * HTTP endpoint uses; the initial response is the interaction callback request, sent through
 * the Client's REST queue. Run one gateway owner: identical replicas on one shard would race
 * for the same interaction (platform-rules §2.5); several replicas use the HTTP endpoint.
 */
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Routes, type APIInteractionResponse, type REST } from 'discord.js';
import { interactionSchema } from './interaction-schema.js';
import type { DiscordInteractions } from './interactions.js';

export interface GatewayOptions {
  readonly token: string;
  /** Discord's API base (`https://discord.com/api`); a local fake in tests. */
  readonly api?: string;
  readonly onUnexpected?: (error: unknown) => void;
}

export interface Gateway {
  readonly client: Client;
  readonly rest: REST;
  /** Starts handing interactions to `interactions` and logs in; resolves when the gateway is ready. */
  connect(interactions: DiscordInteractions): Promise<void>;
  /** Stops handing interactions over (those that arrive are left unanswered, for Discord to fail); the connection stays. */
  stopTaking(): void;
  /** Disconnects; drain the interactions first (`DiscordInteractions.drain`). */
  close(): Promise<void>;
}

/** A Client with its REST (configured, not yet connected), so the surface can use the same queue. */
export function createGateway(options: GatewayOptions): Gateway {
  const client = new Client({
    // Interactions arrive without any intent; Guilds keeps thread and channel events coherent.
    intents: [GatewayIntentBits.Guilds],
    ...(options.api ? { rest: { api: options.api } } : {}),
  });
  client.rest.setToken(options.token);
  let taking = true;
  return {
    client,
    rest: client.rest,
    async connect(interactions) {
      client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: unknown) => {
        const parsed = interactionSchema.safeParse(raw);
        if (!parsed.success) {
          options.onUnexpected?.(new Error('the gateway delivered an interaction of an unexpected shape'));
          return;
        }
        if (!taking) return;
        const interaction = parsed.data;
        const respond = async (body: APIInteractionResponse) => {
          await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false });
        };
        // A resumed session may deliver an interaction again: only the delivery that claims it runs.
        // A slow claim does not hold the initial response past Discord's 3 s (handleClaimed defers);
        // a delivery refused in time gets no response here (the one that claimed it answers).
        interactions.handleClaimed(interaction, respond, async () => undefined).catch((error: unknown) => options.onUnexpected?.(error));
      });
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
    },
    stopTaking() {
      taking = false;
    },
    async close() {
      taking = false;
      await client.destroy();
    },
  };
}
