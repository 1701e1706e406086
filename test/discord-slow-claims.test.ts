/**
 * Discord's initial response must not wait on a slow store: signed interactions into the real
 * HTTP endpoint, with claims that answer only when the test releases them. The endpoint defers
 * (type 5 for a command, type 6 for a click) before the claim is decided; only a claim that
 * succeeds runs anything, and a late refusal or failure edits the deferral.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import { APP, interactionOf, slash } from './helpers/discord-interactions.js';
import { originalOf, startDiscordEndpointBot, type DiscordEndpointBot } from './helpers/discord-endpoint-bot.js';
import type { FakeDiscord } from './helpers/fake-discord.js';
import { HeldClaims } from './helpers/held-claims.js';

interface Reply {
  type: number;
  data?: { flags?: number; content?: string };
}

let fake: FakeDiscord;
let post: DiscordEndpointBot<Reply>['post'];
let dispatched: Invocation[];
let close: (() => Promise<void>) | undefined;
const claims = new HeldClaims();

beforeAll(async () => {
  ({ fake, post, dispatched, close } = await startDiscordEndpointBot<Reply>({ claims }));
});

afterAll(() => close?.());

describe('Discord interactions whose claim is slow', () => {
  it('defers a command before its claim is decided, then runs it and edits the deferral with the answer', async () => {
    const interaction = interactionOf(2, slash('whoami'));
    const posted = post(interaction);
    const claim = await claims.next();
    expect(claim.key).toBe(`discord:interaction:${interaction.id}`);
    const { status, reply } = await posted;
    // The initial response came while the claim was still undecided, and nothing ran yet.
    expect(claim.released).toBe(false);
    expect(status).toBe(200);
    expect(reply.type).toBe(5);
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(0);
    claim.release(true);
    const edit = await fake.waitFor('PATCH', originalOf(interaction.token));
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(1);
    const body = edit.body as { content?: string; embeds?: { description?: string; title?: string }[] };
    expect(JSON.stringify(body)).toContain('alice');
  });

  it('says on the deferral that a request whose claim failed was not recorded, and runs nothing', async () => {
    const interaction = interactionOf(2, slash('whoami'));
    const posted = post(interaction);
    const claim = await claims.next();
    const { reply } = await posted;
    expect(claim.released).toBe(false);
    expect(reply.type).toBe(5);
    claim.release(new Error('the store did not answer'));
    const edit = await fake.waitFor('PATCH', originalOf(interaction.token));
    expect((edit.body as { content: string }).content).toMatch(/could not be recorded.*not run/);
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(0);
  });

  it('says on the deferral that a repeat was already received, and runs nothing', async () => {
    const interaction = interactionOf(2, slash('whoami'));
    const posted = post(interaction);
    const claim = await claims.next();
    const { reply } = await posted;
    expect(reply.type).toBe(5);
    claim.release(false);
    const edit = await fake.waitFor('PATCH', originalOf(interaction.token));
    expect((edit.body as { content: string }).content).toMatch(/already received/);
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(0);
  });

  it('defers a click silently (type 6) and says privately that a failed claim ran nothing', async () => {
    const interaction = interactionOf(3, { custom_id: 'a|nothing-here|x', component_type: 2 });
    const posted = post(interaction);
    const claim = await claims.next();
    const { reply } = await posted;
    expect(claim.released).toBe(false);
    expect(reply.type).toBe(6);
    claim.release(new Error('the store did not answer'));
    const followUp = await fake.waitFor('POST', new RegExp(`^/webhooks/${APP}/${interaction.token}$`));
    const body = followUp.body as { content: string; flags: number };
    expect(body.content).toMatch(/could not be recorded/);
    expect(body.flags & 64).toBe(64);
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(0);
  });

  it('answers a claim decided in time as before: a repeat gets 409 and never a deferral', async () => {
    const interaction = interactionOf(2, slash('whoami'));
    const posted = post(interaction);
    (await claims.next()).release(false);
    const { status } = await posted;
    expect(status).toBe(409);
    expect(dispatched.filter((invocation) => invocation.interactionId === interaction.id)).toHaveLength(0);
  });
});
