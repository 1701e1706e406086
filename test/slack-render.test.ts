/**
 * The Block Kit renderer against Slack's limits (platform-rules §1.2), with messages far
 * bigger than any command sends: every element within its limit, and what does not fit left
 * out visibly, never silently.
 */
import { describe, expect, it } from 'vitest';
import type { Form, Message } from '../src/core/message.js';
import { commandText } from '../src/adapters/slack/invocations.js';
import { decodeElementId, decodeFormOrigin, encodeElementId, encodeFormOrigin, fieldBlockId } from '../src/adapters/slack/ids.js';
import { LIMITS } from '../src/adapters/slack/limits.js';
import { renderForm, slackFieldErrors, submittedValues } from '../src/adapters/slack/modal.js';
import { clip, splitText } from '../src/adapters/slack/mrkdwn.js';
import { renderMessage } from '../src/adapters/slack/render.js';

type Json = Record<string, unknown>;

/** Every limit we know, checked over a rendered message or modal; returns what breaks them. */
function violations(blocks: readonly unknown[], maxBlocks: number): string[] {
  const problems: string[] = [];
  const text = (value: unknown): string => (typeof value === 'object' && value !== null ? String((value as Json)['text'] ?? '') : '');
  const check = (what: string, length: number, max: number) => {
    if (length > max) problems.push(`${what}: ${length} > ${max}`);
  };
  check('blocks', blocks.length, maxBlocks);
  const option = (o: Json, at: string) => {
    check(`${at} option text`, text(o['text']).length, LIMITS.optionText);
    check(`${at} option value`, String(o['value'] ?? '').length, LIMITS.optionValue);
  };
  const element = (e: Json, at: string) => {
    if (typeof e['action_id'] === 'string') check(`${at} action_id`, e['action_id'].length, LIMITS.actionId);
    if (e['type'] === 'button') {
      check(`${at} button text`, text(e['text']).length, LIMITS.buttonText);
      check(`${at} button value`, String(e['value'] ?? '').length, LIMITS.buttonValue);
      const confirm = e['confirm'] as Json | undefined;
      if (confirm) {
        check(`${at} confirm title`, text(confirm['title']).length, LIMITS.confirmTitle);
        check(`${at} confirm text`, text(confirm['text']).length, LIMITS.confirmText);
        check(`${at} confirm button`, text(confirm['confirm']).length, LIMITS.confirmButton);
        check(`${at} deny button`, text(confirm['deny']).length, LIMITS.confirmButton);
      }
    }
    if (Array.isArray(e['options'])) {
      check(`${at} options`, e['options'].length, LIMITS.selectOptions);
      if (e['options'].length === 0) problems.push(`${at}: a menu without options`);
      (e['options'] as Json[]).forEach((o) => option(o, at));
    }
    if (e['placeholder']) check(`${at} placeholder`, text(e['placeholder']).length, LIMITS.placeholder);
    if (typeof e['initial_value'] === 'string') check(`${at} initial value`, e['initial_value'].length, LIMITS.textInput);
  };
  blocks.forEach((raw, index) => {
    const block = raw as Json;
    const at = `block ${index} (${String(block['type'])})`;
    if (typeof block['block_id'] === 'string') check(`${at} block_id`, block['block_id'].length, LIMITS.blockId);
    switch (block['type']) {
      case 'header':
        check(`${at} text`, text(block['text']).length, LIMITS.headerText);
        break;
      case 'section': {
        if (block['text']) check(`${at} text`, text(block['text']).length, LIMITS.sectionText);
        const fields = (block['fields'] as Json[] | undefined) ?? [];
        check(`${at} fields`, fields.length, LIMITS.sectionFields);
        fields.forEach((field) => check(`${at} field`, String(field['text']).length, LIMITS.fieldText));
        if (!block['text'] && fields.length === 0) problems.push(`${at}: empty section`);
        break;
      }
      case 'context': {
        const elements = block['elements'] as Json[];
        check(`${at} elements`, elements.length, LIMITS.contextElements);
        elements.forEach((e) => check(`${at} text`, String(e['text']).length, LIMITS.contextText));
        break;
      }
      case 'actions': {
        const elements = block['elements'] as Json[];
        check(`${at} elements`, elements.length, LIMITS.actionsElements);
        const ids = elements.map((e) => e['action_id']);
        if (new Set(ids).size !== ids.length) problems.push(`${at}: repeated action_id`);
        elements.forEach((e) => element(e, at));
        break;
      }
      case 'input':
        check(`${at} label`, text(block['label']).length, LIMITS.inputLabel);
        if (block['hint']) check(`${at} hint`, text(block['hint']).length, LIMITS.inputHint);
        element(block['element'] as Json, at);
        break;
      case 'divider':
        break;
      default:
        problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

const visibleText = (blocks: readonly unknown[]) => JSON.stringify(blocks);

describe('Block Kit rendering of a message', () => {
  const message: Message = {
    title: 'Order 42 finished',
    tone: 'success',
    text: 'Ran *disk_usage* on 3 hosts <!channel> & <@U123> @here',
    fields: [
      { label: 'Script', value: 'disk_usage' },
      { label: 'Hosts', value: '3' },
    ],
    progress: { done: 3, total: 4, label: '3 of 4 hosts done' },
    table: { columns: ['HOST', 'STATUS'], rows: [['web-01', 'ok'], ['网页-02', 'failed']] },
    buttons: [
      { actionId: 'order:cancel', label: 'Cancel', value: 'uuid-1', style: 'danger', confirm: { title: 'Cancel order?', text: 'Stops the rest.', confirmLabel: 'Cancel it', denyLabel: 'Keep' } },
      { actionId: 'order:cancel', label: 'Cancel other', value: 'uuid-2' },
    ],
    footer: 'Tracked by coc-chatops',
  };

  it('maps each part to its block, escaped, with buttons routed back to their action', () => {
    const { text, blocks } = renderMessage(message, 'en-US');
    expect(violations(blocks, LIMITS.messageBlocks)).toEqual([]);
    expect(text).toContain('Order 42 finished');
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: ':white_check_mark: Order 42 finished', emoji: true } });
    const json = visibleText(blocks);
    // Nothing typed can mention or broadcast.
    expect(json).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt; @\u200bhere');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('`███████████████░░░░░` 3 of 4 hosts done');
    expect(json).toContain('```\\nHOST     STATUS\\nweb-01   ok\\n网页-02  failed\\n```');
    const actions = blocks.find((block) => block.type === 'actions');
    expect(actions && actions.type === 'actions' ? actions.elements.length : 0).toBe(2);
    const [cancel] = (actions && actions.type === 'actions' ? actions.elements : []) as unknown as Json[];
    expect(cancel).toMatchObject({ type: 'button', style: 'danger', value: 'uuid-1', confirm: { style: 'danger', confirm: { text: 'Cancel it' } } });
    expect(decodeElementId(String(cancel?.['action_id']))).toEqual({ kind: 'b', id: 'order:cancel' });
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Tracked by coc-chatops' }] });
  });

  it('keeps a huge message within every limit, keeps the buttons and footer, and says what it left out', () => {
    const huge: Message = {
      title: `T${'x'.repeat(400)}`,
      tone: 'warning',
      text: 'word '.repeat(5_000),
      fields: Array.from({ length: 60 }, (_, i) => ({ label: `Field ${i}`, value: 'v'.repeat(3_000) })),
      table: { columns: ['HOST', 'IP', 'STATUS'], rows: Array.from({ length: 500 }, (_, i) => [`host-${i}`, `10.0.0.${i % 255}`, 'running']) },
      sections: Array.from({ length: 30 }, (_, i) => ({ title: `Section ${i}`, text: 'details '.repeat(100) })),
      buttons: Array.from({ length: 40 }, (_, i) => ({
        actionId: `act:${i}`,
        label: `A very long button label number ${i} `.repeat(5),
        value: `v${i}`,
        confirm: { title: 'Sure? '.repeat(40), text: 'Really '.repeat(100), confirmLabel: 'Yes '.repeat(20), denyLabel: 'No '.repeat(20) },
      })),
      select: { actionId: 'pick', placeholder: 'Pick one '.repeat(40), options: Array.from({ length: 250 }, (_, i) => ({ label: `Option ${i} `.repeat(20), value: `o${i}` })) },
      footer: 'f'.repeat(5_000),
    };
    const { text, blocks } = renderMessage(huge, 'en-US');
    expect(violations(blocks, LIMITS.messageBlocks)).toEqual([]);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(LIMITS.messageBlockChars);
    expect(text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    const json = visibleText(blocks);
    expect(json).toContain('Shortened to fit Slack');
    expect(json).toMatch(/The menu shows the first \d+ of 250 choices/);
    expect(json).toContain('more characters not shown');
    // The first buttons are kept; the header and footer too.
    expect(blocks[0]?.type).toBe('header');
    expect(blocks.at(-1)?.type).toBe('context');
    expect(json).toContain('"value":"v0"');
    expect(blocks.some((block) => block.type === 'actions' && block.elements.some((e) => e.type === 'static_select'))).toBe(true);
  });

  it('cuts a long table between rows and counts the rows left out', () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => [`host-${i}`, 'ok']);
    const { blocks } = renderMessage({ title: 'Hosts', table: { columns: ['HOST', 'STATUS'], rows } }, 'en-US');
    expect(violations(blocks, LIMITS.messageBlocks)).toEqual([]);
    const shown = (visibleText(blocks).match(/host-\d+/g) ?? []).length;
    expect(shown).toBeGreaterThan(100);
    expect(visibleText(blocks)).toContain(`… ${2_000 - shown} more row(s) not shown`);
    // Each part repeats the header so it reads on its own.
    const parts = blocks.filter((block) => block.type === 'section');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(JSON.stringify(part)).toContain('HOST');
  });

  it('leaves out buttons and choices whose values Slack cannot carry, and says so', () => {
    const { blocks } = renderMessage(
      {
        text: 'x',
        buttons: [
          { actionId: 'ok', label: 'Fine', value: 'short' },
          { actionId: 'long', label: 'Too long', value: 'v'.repeat(2_001) },
        ],
        select: { actionId: 'pick', placeholder: 'Pick', options: [{ label: 'a', value: 'a' }, { label: 'b', value: 'b'.repeat(76) }] },
      },
      'zh-CN',
    );
    expect(violations(blocks, LIMITS.messageBlocks)).toEqual([]);
    expect(visibleText(blocks)).toContain('有 2 个选项或按钮无法在 Slack 中提供');
    expect(visibleText(blocks)).not.toContain('Too long');
  });

  it('renders a reply many people get once per language and size from its second answer on, and one seen once anew', () => {
    const card: Message = { title: 'Order', text: 'running', buttons: [{ label: 'Pause', actionId: 'order.pause', value: 'o-1' }] };
    const first = renderMessage(card, 'en-US');
    const second = renderMessage(card, 'en-US');
    // The first answer's rendering is not kept: the second is made anew, then shared.
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(renderMessage(card, 'en-US')).toBe(second);
    // Another language, another size, another reply object: each its own rendering.
    const chinese = renderMessage(card, 'zh-CN');
    expect(chinese).not.toBe(second);
    expect(renderMessage(card, 'zh-CN')).toBe(chinese);
    const small = renderMessage(card, 'en-US', { maxBlocks: 3 });
    expect(small).not.toBe(second);
    expect(renderMessage(card, 'en-US', { maxBlocks: 3 })).toBe(small);
    expect(renderMessage({ ...card }, 'en-US')).not.toBe(second);
  });

  it('lets no one sending a shared rendering change it: frozen from the second answer on, one person\'s left as made', () => {
    const card: Message = { title: 'Order', text: 'running', buttons: [{ label: 'Pause', actionId: 'order.pause', value: 'o-2' }] };
    const own = renderMessage(card, 'en-US');
    expect(Object.isFrozen(own.blocks)).toBe(false);
    const shared = renderMessage(card, 'en-US');
    expect(Object.isFrozen(shared.blocks)).toBe(true);
    expect(() => shared.blocks.push({ type: 'divider' })).toThrow(TypeError);
    const header = shared.blocks[0] as unknown as { text: { text: string } };
    expect(() => {
      header.text.text = 'changed';
    }).toThrow(TypeError);
    expect(renderMessage(card, 'en-US')).toEqual(own);
  });

  it('offers a type-ahead select as an external select naming its source', () => {
    const { blocks } = renderMessage({ text: 'Pick hosts', select: { actionId: 'run:hosts', placeholder: 'Hosts', options: [], searchId: 'hosts' } }, 'en-US');
    const select = blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []))[0] as unknown as Json;
    expect(select['type']).toBe('external_select');
    expect(decodeElementId(String(select['action_id']))).toEqual({ kind: 's', id: 'run:hosts', searchId: 'hosts' });
  });
});

describe('forms as modals', () => {
  const form: Form = {
    id: 'run:submit',
    title: 'Run a script on hosts now',
    submitLabel: 'Request approval for this',
    context: 'script-uuid-1',
    fields: [
      { id: 'hosts', label: 'Hosts', kind: 'multiselect', required: true, searchId: 'hosts', initial: 'h1,h2' },
      { id: 'batch', label: 'Batch', kind: 'select', required: false, options: Array.from({ length: 120 }, (_, i) => ({ label: `${i + 1} at a time`, value: String(i + 1) })), initial: '5' },
      { id: 'new_password', label: 'New password', kind: 'text', required: true, secret: true, initial: 'hunter2' },
      { id: 'note', label: 'Note', kind: 'multiline', required: false, hint: 'Why', maxLength: 10_000, initial: 'n'.repeat(5_000) },
      { id: 'mode', label: 'Mode', kind: 'select', required: false, options: [] },
    ],
  };

  it('has one input per field within every limit; secrets never pre-filled', () => {
    const rendered = renderForm(form, { channelId: 'C0OPS', isDirect: false }, 'en-US', { title: 'Run disk_usage', text: 'Pick hosts' });
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    const { view } = rendered;
    expect(view.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(view.submit?.text.length).toBeLessThanOrEqual(LIMITS.modalButton);
    expect(view.callback_id).toBe('run:submit');
    expect(decodeFormOrigin(view.private_metadata)).toEqual({ channelId: 'C0OPS', isDirect: false, context: 'script-uuid-1' });
    expect(violations(view.blocks, LIMITS.modalBlocks)).toEqual([]);
    const inputs = view.blocks.filter((block) => block.type === 'input') as unknown as Json[];
    expect(inputs.map((block) => block['block_id'])).toEqual(form.fields.map((field) => fieldBlockId(field.id)));
    const byField = Object.fromEntries(inputs.map((block) => [String(block['block_id']), block['element'] as Json]));
    expect(byField[fieldBlockId('hosts')!]).toMatchObject({ type: 'multi_external_select', initial_options: [{ value: 'h1' }, { value: 'h2' }] });
    expect(byField[fieldBlockId('batch')!]).toMatchObject({ type: 'static_select', initial_option: { value: '5' } });
    expect(byField[fieldBlockId('new_password')!]).not.toHaveProperty('initial_value');
    expect(JSON.stringify(view)).not.toContain('hunter2');
    expect(byField[fieldBlockId('note')!]).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3_000 });
    // No choices: typing the value, rather than a menu Slack would refuse.
    expect(byField[fieldBlockId('mode')!]).toMatchObject({ type: 'plain_text_input' });
    expect(JSON.stringify(view)).toContain('The menu shows the first 100 of 120 choices');
  });

  it('refuses to open a form whose state does not fit, so the reply can say so', () => {
    expect(renderForm({ ...form, context: 'x'.repeat(3_000) }, { channelId: 'C0OPS', isDirect: false }, 'en-US').ok).toBe(false);
    expect(renderForm({ ...form, fields: Array.from({ length: 101 }, (_, i) => ({ id: `f${i}`, label: 'F', kind: 'text' as const, required: false })) }, { channelId: 'C', isDirect: false }, 'en-US').ok).toBe(false);
  });

  it('shows each refused field under itself, and an unknown one under the first field', () => {
    const ids = form.fields.map((field) => fieldBlockId(field.id)!);
    expect(slackFieldErrors({ batch: 'must be 1-100', ghost: 'gone' }, ids)).toEqual({
      [fieldBlockId('batch')!]: 'must be 1-100',
      [fieldBlockId('hosts')!]: 'ghost: gone',
    });
  });

  it('reads submitted values back by field id', () => {
    const id = (field: string, search?: string) => encodeElementId('f', 0, field, search)!;
    const values = submittedValues({
      values: {
        [fieldBlockId('hosts')!]: { [id('hosts', 'hosts')]: { type: 'multi_external_select', selected_options: [{ value: 'h1' }, { value: 'h2' }] } },
        [fieldBlockId('batch')!]: { [id('batch')]: { type: 'static_select', selected_option: { value: '5' } } },
        [fieldBlockId('note')!]: { [id('note')]: { type: 'plain_text_input', value: null } },
        other: { foreign: { type: 'plain_text_input', value: 'ignored' } },
      },
    });
    expect(values).toEqual({ hosts: 'h1,h2', batch: '5' });
  });
});

describe('ids, text and commands', () => {
  it('round-trips element ids and refuses foreign or oversized ones', () => {
    const id = encodeElementId('s', 3, 'run:hosts|x', 'hosts')!;
    expect(decodeElementId(id)).toEqual({ kind: 's', id: 'run:hosts|x', searchId: 'hosts' });
    expect(decodeElementId('something_else')).toBeUndefined();
    expect(decodeElementId('coc|z|1|a|')).toBeUndefined();
    expect(encodeElementId('b', 1, 'x'.repeat(300))).toBeUndefined();
    expect(encodeFormOrigin({ channelId: 'C1', isDirect: false, context: 'x'.repeat(3_000) })).toBeUndefined();
    expect(decodeFormOrigin('{"v":2}')).toBeUndefined();
  });

  it('clips and splits without breaking characters or escapes', () => {
    expect(clip('ab😀cd', 4)).toBe('ab…');
    const parts = splitText('a &amp; b '.repeat(1_000), 3_000);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(3_000);
      expect(part).not.toMatch(/&[a-z]{0,3}$/);
    }
  });

  it('reads the text after /coc as typed: mentions as ids, links and entities unwrapped', () => {
    expect(commandText('admin link &lt;@U0ABC|alice&gt;')).toBe('admin link <@U0ABC|alice>');
    expect(commandText('admin link <@U0ABC|alice>')).toBe('admin link <@U0ABC>');
    expect(commandText('run x --param cmd="a &amp;&amp; b &gt; c"')).toBe('run x --param cmd="a && b > c"');
    expect(commandText('see <https://example.com/a?b=1&amp;c=2|example.com/a> in <#C0OPS|ops> <!here>')).toBe('see https://example.com/a?b=1&c=2 in <#C0OPS> @here');
    expect(commandText('&amp;lt;')).toBe('&lt;');
  });
});
