/**
 * The Discord renderer with big messages: every message it produces is within Discord's
 * limits, replies split without losing anything, cards shortened visibly, and a value that
 * does not fit a custom_id is kept server-side, never cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentState } from '../src/adapters/discord/component-state.js';
import { decodeCustomId, decodeOptionValue } from '../src/adapters/discord/custom-id.js';
import { modalFor, pageCount, refilled, submittedValues } from '../src/adapters/discord/modal.js';
import { renderMessages, type DiscordMessage } from '../src/adapters/discord/render.js';
import { cut, splitText } from '../src/adapters/discord/text.js';
import type { Form, Message } from '../src/core/message.js';
import { translator } from '../src/i18n/translate.js';
import type { Store } from '../src/store/index.js';
import { freshMemoryStore } from './helpers/memory-store.js';
import { hasBrokenCharacter, messageProblems } from './helpers/discord-limits.js';

let store: Store;
let state: ComponentState;
const t = translator('en-US');

beforeAll(async () => {
  store = await freshMemoryStore();
  state = new ComponentState(store.db);
});
afterAll(async () => {
  await store.close();
});

const render = (message: Message, mode: 'split' | 'single') => renderMessages(message, { state, t }, { mode });

function everyText(messages: readonly DiscordMessage[]): string {
  return messages
    .flatMap((m) => [m.content ?? '', ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])])
    .join('\n');
}

function buttonsOf(messages: readonly DiscordMessage[]): { custom_id?: string; label?: string; type: number }[] {
  return messages.flatMap((m) => m.components.flatMap((row) => row.components as { custom_id?: string; label?: string; type: number }[]));
}

const huge: Message = {
  title: `Hosts ${'x'.repeat(400)}`,
  text: Array.from({ length: 300 }, (_, i) => `line ${i} of a long explanation`).join('\n'),
  tone: 'warning',
  progress: { done: 13, total: 25, label: '13 of 25 hosts done' },
  fields: Array.from({ length: 60 }, (_, i) => ({ label: `field-${i}`, value: i % 7 === 0 ? 'v'.repeat(2000) : `value ${i}` })),
  table: { columns: ['NAME', 'IP', 'STATE'], rows: Array.from({ length: 400 }, (_, i) => [`host-${String(i).padStart(3, '0')}`, `10.0.${Math.floor(i / 250)}.${i % 250}`, 'online']) },
  sections: Array.from({ length: 14 }, (_, i) => ({ title: `Section ${i}`, text: `section text ${i} `.repeat(300), fields: [{ label: 'k', value: 'v' }] })),
  buttons: Array.from({ length: 32 }, (_, i) => ({ actionId: 'order:refresh', label: `Button ${i} ${'L'.repeat(90)}`, value: `SC${i}` })),
  select: { actionId: 'host:pick', placeholder: 'Pick a host', options: Array.from({ length: 40 }, (_, i) => ({ label: `host-${i}`, value: `h${i}` })) },
  footer: `More: hosts --after 400 ${'f'.repeat(3000)}`,
};

describe('Discord renderer', () => {
  it('splits a huge reply into messages that are each within every limit and loses nothing', async () => {
    const messages = await render(huge, 'split');
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) expect(messageProblems(message)).toEqual([]);
    expect(hasBrokenCharacter(messages)).toBe(false);
    const text = everyText(messages);
    for (const row of ['host-000', 'host-199', 'host-399']) expect(text).toContain(row);
    for (const line of ['line 0 of', 'line 299 of']) expect(text).toContain(line);
    for (let i = 0; i < 14; i++) expect(text).toContain(`Section ${i}`);
    for (let i = 0; i < 60; i++) expect(text).toContain(`field-${i}`);
    // 32 buttons and one select: all present, in rows of at most five, over two messages.
    const components = buttonsOf(messages);
    expect(components.filter((c) => c.type === 2)).toHaveLength(32);
    expect(components.filter((c) => c.type === 3)).toHaveLength(1);
    // The select shows 25 of 40 options and says so.
    expect(text).toContain('first 25 of 40');
    // A 2000-character field value is cut visibly, not silently.
    expect(text).toContain(`${'v'.repeat(100)}…`);
  });

  it('keeps a card to one message within the limits and says what was left out', async () => {
    const [card, ...more] = await render(huge, 'single');
    expect(more).toEqual([]);
    expect(messageProblems(card!)).toEqual([]);
    const footer = card!.embeds.at(-1)!.footer!.text;
    expect(footer).toMatch(/Shortened to fit Discord: \d+ more part/);
    expect(footer).toMatch(/more button\(s\) are not shown/);
    expect(card!.components.length).toBe(5);
  });

  it('cuts titles with a visible ellipsis and never inside an emoji', async () => {
    const [message] = await render({ title: '🔥'.repeat(300), text: '😀'.repeat(5000) }, 'single');
    expect(message!.embeds[0]!.title!.length).toBeLessThanOrEqual(256);
    expect(message!.embeds[0]!.title!.endsWith('…')).toBe(true);
    expect(hasBrokenCharacter(message)).toBe(false);
    expect(cut('ab😀', 3)).toBe('ab…');
    expect(splitText('a\n'.repeat(10), 5).every((piece) => piece.length <= 5)).toBe(true);
  });

  it('escapes markdown so names with underscores and stars show as typed', async () => {
    const [message] = await render({ title: 'rotate_db_password', text: '*not bold* and `code`', fields: [{ label: 'name', value: 'a_b_c' }] }, 'single');
    expect(message!.embeds[0]!.description).toBe('\\*not bold\\* and \\`code\\`');
    expect(message!.embeds[0]!.fields![0]!.value).toBe('a\\_b\\_c');
  });

  it('carries short values in the custom_id and keeps long ones server-side, whole', async () => {
    const long = `SC-${'9'.repeat(300)}`;
    const [message] = await render(
      {
        title: 'Order',
        buttons: [
          { actionId: 'order:pause', label: 'Pause', value: 'EX123' },
          { actionId: 'order:pause', label: 'Pause again', value: 'EX123' },
          { actionId: 'order:refresh', label: 'Refresh', value: long },
          { actionId: 'order:cancel', label: 'Cancel', value: 'EX123', style: 'danger', confirm: { title: 'Cancel?', text: 'Sure?', confirmLabel: 'Cancel it', denyLabel: 'Keep' } },
        ],
        select: { actionId: 'pick', placeholder: 'Pick', options: [{ label: 'long', value: long }, { label: 'short', value: 's' }] },
      },
      'single',
    );
    expect(messageProblems(message!)).toEqual([]);
    const [pause, again, refresh, cancel, select] = buttonsOf([message!]) as { custom_id: string; options?: { value: string }[] }[];
    expect(pause!.custom_id).toBe('a|order:pause|EX123');
    // Two identical buttons on one message: still two distinct ids, both meaning the same action.
    expect(again!.custom_id).not.toBe(pause!.custom_id);
    const againDecoded = decodeCustomId(again!.custom_id);
    expect(againDecoded.kind).toBe('stored-action');
    const againStored = againDecoded.kind === 'stored-action' ? await state.get(againDecoded.key) : undefined;
    expect(againStored).toMatchObject({ kind: 'action', actionId: 'order:pause', value: 'EX123' });
    const refreshDecoded = decodeCustomId(refresh!.custom_id);
    const kept = refreshDecoded.kind === 'stored-action' ? await state.get(refreshDecoded.key) : undefined;
    expect(kept).toMatchObject({ kind: 'action', actionId: 'order:refresh', value: long });
    const cancelDecoded = decodeCustomId(cancel!.custom_id);
    expect(cancelDecoded.kind).toBe('confirm');
    const confirm = cancelDecoded.kind === 'confirm' ? await state.get(cancelDecoded.key) : undefined;
    expect(confirm).toMatchObject({ kind: 'confirm', actionId: 'order:cancel', value: 'EX123', confirm: { confirmLabel: 'Cancel it' } });
    expect(await decodeOptionValue(state, select!.options![0]!.value)).toBe(long);
    expect(await decodeOptionValue(state, select!.options![1]!.value)).toBe('s');
    // A fresh store (another replica after a restart) reads the same keys from the database.
    const other = new ComponentState(store.db);
    expect(refreshDecoded.kind === 'stored-action' ? await other.get(refreshDecoded.key) : undefined).toEqual(kept);
  });

  it('answers a message with nothing in it with a visible placeholder', async () => {
    const [message] = await render({}, 'split');
    expect(messageProblems(message!)).toEqual([]);
  });
});

describe('Discord modals', () => {
  const form: Form = {
    id: 'run:params',
    title: 'Run rotate_db_password on 25 hosts in 5 batches',
    submitLabel: 'Run',
    context: 'SC1',
    fields: [
      { id: 'user', label: 'Database user', kind: 'text', required: true, initial: 'admin', hint: 'letters only' },
      { id: 'new_password', label: 'New password', kind: 'text', required: true, secret: true, initial: 'should-not-show' },
      { id: 'mode', label: 'Mode', kind: 'select', required: true, options: [{ label: 'Fast', value: 'fast' }, { label: 'Safe', value: 'x'.repeat(150) }] },
      { id: 'hosts', label: 'Hosts', kind: 'multiselect', required: false, searchId: 'hosts' },
      { id: 'note', label: 'A note that has a rather long label text', kind: 'multiline', required: false, maxLength: 9000 },
      { id: 'tags', label: 'Tags', kind: 'multiselect', required: false, options: [{ label: 'a', value: 'A' }, { label: 'b', value: 'B' }] },
    ],
  };

  it('asks six fields over two modals, each within the limits, secrets never pre-filled', () => {
    expect(pageCount(form)).toBe(2);
    const first = modalFor(form, 'K'.repeat(22), 1, undefined, t);
    expect(first.title.length).toBeLessThanOrEqual(45);
    expect(first.title).toMatch(/\(1\/2\)$/);
    expect(first.custom_id.length).toBeLessThanOrEqual(100);
    expect(first.components).toHaveLength(5);
    const json = JSON.stringify(first);
    expect(json).not.toContain('should-not-show');
    expect(json).toContain('"value":"admin"');
    expect((first.components[1] as { description?: string }).description).toMatch(/^Sensitive: never shown/);
    for (const label of first.components) expect((label as { label: string }).label.length).toBeLessThanOrEqual(45);
    const second = modalFor(form, 'K'.repeat(22), 2, 'draft1', t);
    expect(second.components).toHaveLength(1);
    expect(second.custom_id).toBe(`m|${'K'.repeat(22)}|2|draft1`);
  });

  it('reads the submitted values back by field id, choices by their full value', () => {
    const values = submittedValues(form, [
      { type: 18, component: { type: 4, custom_id: 'f0', value: 'app' } },
      { type: 18, component: { type: 4, custom_id: 'f1', value: 's3cr3t' } },
      { type: 18, component: { type: 3, custom_id: 'f2', values: ['o1'] } },
      { type: 18, component: { type: 4, custom_id: 'f3', value: 'web-01,web-02' } },
      { type: 18, component: { type: 4, custom_id: 'f4', value: '' } },
    ]);
    expect(values).toEqual({ user: 'app', new_password: 's3cr3t', mode: 'x'.repeat(150), hosts: 'web-01,web-02' });
    const again = refilled(form, values);
    expect(again.fields.find((f) => f.id === 'user')!.initial).toBe('app');
    expect(again.fields.find((f) => f.id === 'new_password')!.initial).toBeUndefined();
  });
});
