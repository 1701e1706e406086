/**
 * The interaction lifecycle with a scripted dispatcher: what is answered at once, what is
 * deferred and then edited, replaced (a private answer after a public deferral), posted as a
 * bot message (the token has run out), a form after a deferral, forms asked over several
 * modals, select menus, and autocomplete of lists.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCommands, rootJson } from '../src/adapters/discord/command-map.js';
import { ComponentState } from '../src/adapters/discord/component-state.js';
import { decodeCustomId } from '../src/adapters/discord/custom-id.js';
import type { Interaction } from '../src/adapters/discord/interaction-schema.js';
import { DiscordInteractions, type Respond } from '../src/adapters/discord/interactions.js';
import { DiscordSurface } from '../src/adapters/discord/surface.js';
import { arg, defineCommand } from '../src/core/arguments/index.js';
import type { CommandDefinition } from '../src/core/command.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Form, Message, SelectOption } from '../src/core/message.js';
import type { Store } from '../src/store/index.js';
import { freshMemoryStore } from './helpers/memory-store.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { APP, CHANNEL, interactionOf, slash } from './helpers/discord-interactions.js';

let store: Store;
let fake: FakeDiscord;
let state: ComponentState;
let rest: REST;

const definition = (words: string[], permission: CommandDefinition['permission'] = 'viewer'): CommandDefinition =>
  defineCommand({
    words,
    discord: { name: words.join('-') },
    positionals: {},
    flags: { hosts: arg.string({ description: { 'en-US': 'host names, comma-separated', 'zh-CN': '主机名，逗号分隔' }, max: 2000, suggest: 'hosts' }) },
    summary: { 'en-US': 'test command', 'zh-CN': '测试命令' },
    examples: [],
    family: 'orders',
    permission,
    mutates: false,
    run: async () => ({}),
  });
// `grant` only an admin may use: it is offered under /coc-admin (roots.ts).
const plan = planCommands({ commands: [definition(['slow']), definition(['quick']), definition(['grant'], 'admin')], suggestion: (id) => (id === 'hosts' ? {} : undefined) });

const longForm: Form = {
  id: 'test:long',
  title: 'Seven questions',
  submitLabel: 'Send',
  context: 'ctx-1',
  fields: Array.from({ length: 7 }, (_, i) => ({ id: `q${i}`, label: `Question ${i}`, kind: 'text' as const, required: false, ...(i === 6 ? { secret: true } : {}) })),
};

/** A dispatcher that answers as scripted per invocation, after `delayMs`. */
function scripted(answer: (invocation: Invocation) => Message, delayMs = 0, suggestions: SelectOption[] = []) {
  const seen: Invocation[] = [];
  return {
    seen,
    dispatcher: {
      async handle(invocation: Invocation): Promise<Message> {
        seen.push(invocation);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return answer(invocation);
      },
      async suggest(): Promise<readonly SelectOption[]> {
        return suggestions;
      },
    },
  };
}

function interactions(dispatcher: ReturnType<typeof scripted>['dispatcher'], options: { ackBudgetMs?: number; clock?: () => number } = {}): DiscordInteractions {
  const surface = new DiscordSurface({ rest, state, locale: 'en-US' });
  return new DiscordInteractions({ dispatcher, rest, applicationId: APP, state, plan, surface, ackBudgetMs: options.ackBudgetMs ?? 50, ...(options.clock ? { clock: options.clock } : {}) });
}

/** Runs one interaction to its end; returns the initial response. */
async function run(handler: DiscordInteractions, interaction: ReturnType<typeof interactionOf>) {
  const responses: Parameters<Respond>[0][] = [];
  await handler.handle(interaction as Interaction, async (body) => {
    responses.push(body);
  });
  expect(responses).toHaveLength(1);
  return responses[0] as { type: number; data?: { flags?: number; custom_id?: string; components?: { components?: { custom_id: string }[]; component?: { custom_id: string } }[] } };
}

beforeAll(async () => {
  store = await freshMemoryStore();
  state = new ComponentState(store.db);
  fake = await startFakeDiscord();
  rest = new REST({ api: fake.api }).setToken('MTIz.fake.token');
});
afterAll(async () => {
  await fake.close();
  await store.close();
});

describe('Discord interaction lifecycle', () => {
  it('defers a slow command and edits the answer in', async () => {
    const { dispatcher, seen } = scripted(() => ({ title: 'Done slowly' }), 120);
    const interaction = interactionOf(2, slash('slow', [{ name: 'hosts', type: 3, value: 'web-01, web-02' }]));
    const initial = await run(interactions(dispatcher), interaction);
    expect(initial.type).toBe(5);
    expect(seen[0]).toMatchObject({ kind: 'command', text: 'slow --hosts=web-01,\\ web-02', interactionId: interaction.id });
    const edit = fake.callsTo('PATCH', new RegExp(`/webhooks/${APP}/${interaction.token}/messages/@original`));
    expect(JSON.stringify(edit[0]!.body)).toContain('Done slowly');
    expect(edit[0]!.authorization).toBeUndefined(); // webhook calls carry the interaction token, not the bot token
  });

  it('replaces a public deferral by an ephemeral follow-up when the answer is private', async () => {
    const { dispatcher } = scripted(() => ({ title: 'Only for you', private: true }), 120);
    const interaction = interactionOf(2, slash('slow'));
    expect((await run(interactions(dispatcher), interaction)).type).toBe(5);
    expect(fake.callsTo('DELETE', new RegExp(`/webhooks/${APP}/${interaction.token}/messages/@original`))).toHaveLength(1);
    const followUp = fake.callsTo('POST', new RegExp(`^/webhooks/${APP}/${interaction.token}$`));
    expect(followUp).toHaveLength(1);
    expect((followUp[0]!.body as { flags: number }).flags).toBe(64);
  });

  it('posts the answer as a bot message once the interaction token has run out', async () => {
    let now = 0;
    const { dispatcher } = scripted(() => {
      now += 16 * 60_000; // the work took longer than the token lives
      return { title: 'Late but delivered' };
    }, 80);
    const interaction = interactionOf(2, slash('slow'));
    const before = fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).length;
    await run(interactions(dispatcher, { clock: () => now }), interaction);
    const posts = fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`));
    expect(posts.length - before).toBe(1);
    expect(JSON.stringify(posts.at(-1)!.body)).toContain('Late but delivered');
    // And when Discord itself says the token is dead (50027), the same.
    const second = interactionOf(2, slash('slow'));
    fake.expireToken(second.token);
    const { dispatcher: again } = scripted(() => ({ title: 'Token refused' }), 80);
    await run(interactions(again), second);
    expect(JSON.stringify(fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).at(-1)!.body)).toContain('Token refused');
  });

  it('opens a form directly when quick, and offers a button to it after a deferral', async () => {
    const { dispatcher } = scripted(() => ({ form: longForm }));
    const modal = await run(interactions(dispatcher), interactionOf(2, slash('quick')));
    expect(modal.type).toBe(9);
    const { dispatcher: slow } = scripted(() => ({ title: 'Fill this in', form: longForm }), 120);
    const interaction = interactionOf(2, slash('slow'));
    expect((await run(interactions(slow), interaction)).type).toBe(5);
    const edit = fake.callsTo('PATCH', new RegExp(`/webhooks/${APP}/${interaction.token}/messages/@original`))[0]!;
    const ids = ((edit.body as { components: { components: { custom_id: string }[] }[] }).components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));
    expect(ids.some((id) => decodeCustomId(id).kind === 'form')).toBe(true);
    // That button opens the modal at once.
    const opened = await run(interactions(slow), interactionOf(3, { custom_id: ids.find((id) => id.startsWith('f|')), component_type: 2 }));
    expect(opened.type).toBe(9);
  });

  it('asks a seven-field form over two modals and submits all answers once', async () => {
    const { dispatcher, seen } = scripted((invocation) => (invocation.kind === 'submission' ? { title: 'Received' } : { form: longForm }));
    const handler = interactions(dispatcher);
    const first = await run(handler, interactionOf(2, slash('quick')));
    expect(first.type).toBe(9);
    const answers = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ type: 18, component: { type: 4, custom_id: `f${from + i}`, value: `a${from + i}` } }));
    const step = await run(handler, interactionOf(5, { custom_id: first.data!.custom_id, components: answers(0, 5) }));
    expect(step.type).toBe(4);
    expect(step.data!.flags).toBe(64);
    expect(seen.filter((i) => i.kind === 'submission')).toHaveLength(0);
    const next = step.data!.components![0]!.components![0]!.custom_id;
    const second = await run(handler, interactionOf(3, { custom_id: next, component_type: 2 }));
    expect(second.type).toBe(9);
    expect(second.data!.components).toHaveLength(2);
    const done = await run(handler, interactionOf(5, { custom_id: second.data!.custom_id, components: answers(5, 7) }));
    expect(done.type).toBe(4);
    const submission = seen.find((i) => i.kind === 'submission');
    expect(submission).toMatchObject({ kind: 'submission', formId: 'test:long', context: 'ctx-1', values: { q0: 'a0', q4: 'a4', q5: 'a5', q6: 'a6' } });
  });

  it('shows refused fields by label and reopens the form with what was typed, secrets excepted', async () => {
    const { dispatcher } = scripted((invocation) => (invocation.kind === 'submission' ? { fieldErrors: { q1: 'must be a number' } } : { form: { ...longForm, fields: longForm.fields.slice(0, 2) } }));
    const handler = interactions(dispatcher);
    const modal = await run(handler, interactionOf(2, slash('quick')));
    const refused = await run(handler, interactionOf(5, { custom_id: modal.data!.custom_id, components: [{ type: 18, component: { type: 4, custom_id: 'f0', value: 'kept' } }, { type: 18, component: { type: 4, custom_id: 'f1', value: 'x' } }] }));
    expect(refused.type).toBe(4);
    expect(refused.data!.flags).toBe(64);
    expect(JSON.stringify(refused.data)).toContain('Question 1');
    expect(JSON.stringify(refused.data)).toContain('must be a number');
    const reopen = refused.data!.components![0]!.components![0]!.custom_id;
    const again = await run(handler, interactionOf(3, { custom_id: reopen, component_type: 2 }));
    expect(again.type).toBe(9);
    expect(JSON.stringify(again.data)).toContain('"value":"kept"');
  });

  it('routes a select menu choice to its action with the full value', async () => {
    const long = `v-${'x'.repeat(200)}`;
    const { dispatcher, seen } = scripted((invocation) => (invocation.kind === 'command' ? { title: 'Pick', select: { actionId: 'pick:one', placeholder: 'Pick', options: [{ label: 'Long', value: long }] } } : { title: 'Picked' }));
    const handler = interactions(dispatcher);
    const menu = await run(handler, interactionOf(2, slash('quick')));
    const select = menu.data!.components![0]!.components![0] as unknown as { custom_id: string; options: { value: string }[] };
    await run(handler, interactionOf(3, { custom_id: select.custom_id, component_type: 3, values: [select.options[0]!.value] }));
    expect(seen.at(-1)).toMatchObject({ kind: 'action', actionId: 'pick:one', value: long });
  });

  it('autocompletes the last item of a comma-separated list and keeps what came before', async () => {
    const { dispatcher } = scripted(() => ({}), 0, [
      { label: 'web-03 (10.0.0.3)', value: 'web-03' },
      { label: 'web-04 (10.0.0.4)', value: 'web-04' },
    ]);
    const reply = await run(interactions(dispatcher), interactionOf(4, slash('quick', [{ name: 'hosts', type: 3, value: 'web-01,web-0', focused: true }])));
    expect(reply).toEqual({
      type: 8,
      data: {
        choices: [
          { name: 'web-01,web-03 (10.0.0.3)', value: 'web-01,web-03' },
          { name: 'web-01,web-04 (10.0.0.4)', value: 'web-01,web-04' },
        ],
      },
    });
  });

  it('reads a command under its own root: /coc-admin grant runs and autocompletes, /coc grant is not known', async () => {
    const { dispatcher, seen } = scripted(() => ({ title: 'Granted' }), 0, [{ label: 'web-03', value: 'web-03' }]);
    const handler = interactions(dispatcher);
    await run(handler, interactionOf(2, slash('grant', [{ name: 'hosts', type: 3, value: 'web-01' }], 1, 'coc-admin')));
    expect(seen.map((invocation) => invocation.kind === 'command' && invocation.text)).toEqual(['grant --hosts=web-01']);
    const completed = await run(handler, interactionOf(4, slash('grant', [{ name: 'hosts', type: 3, value: 'web-0', focused: true }], 1, 'coc-admin')));
    expect(completed).toEqual({ type: 8, data: { choices: [{ name: 'web-03', value: 'web-03' }] } });
    const unknown = await run(handler, interactionOf(2, slash('grant')));
    expect(JSON.stringify(unknown)).toContain('This command is not known');
    expect(seen).toHaveLength(1);
  });

  it('delivers a quick answer as a bot message when the initial response fails, and takes an interaction once', async () => {
    const { dispatcher, seen } = scripted(() => ({ title: 'Answer that must not be lost' }));
    const handler = interactions(dispatcher);
    const interaction = interactionOf(2, slash('quick'));
    await handler.handle(interaction as Interaction, async () => {
      throw new Error('the callback request failed');
    });
    expect(JSON.stringify(fake.callsTo('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).at(-1)!.body)).toContain('Answer that must not be lost');
    // The same interaction again (a gateway replaying after a resume) does nothing.
    let answered = false;
    await handler.handle(interaction as Interaction, async () => {
      answered = true;
    });
    expect(answered).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("speaks the person's Discord language in the adapter's own notes", async () => {
    const { dispatcher } = scripted(() => ({}));
    const reply = await run(interactions(dispatcher), interactionOf(3, { custom_id: 'k|AAAAAAAAAAAAAAAAAAAAAA', component_type: 2 }, undefined, { locale: 'zh-CN' }));
    expect(JSON.stringify(reply)).toContain('此按钮已过期');
  });

  it('builds valid command JSON for the scripted commands too', () => {
    expect(rootJson(plan).options).toHaveLength(2);
  });
});
