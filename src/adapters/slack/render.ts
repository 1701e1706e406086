/**
 * The neutral Message as Block Kit: a header, sections, fields, a text progress bar, tables
 * as monospace code blocks, buttons (with confirm dialogs and danger/primary style), static
 * and external selects, and the footer as context.
 *
 * Slack refuses a message that breaks one of its limits, and an operator at 3 a.m. needs the
 * buttons more than the 40th table row. So every text is clipped to its element's limit, and
 * when the whole does not fit (50 blocks, ~11k characters) the header, the footer, the select
 * and the buttons are kept first, then the body in order, and a visible note says what was
 * left out and how to see it.
 */
import type { types } from '@slack/bolt';
import type { Button, Message, MessageField, Progress, Select, SelectOption, Tone } from '../../core/message.js';
import { translator, type Locale, type Translate } from '../../i18n/translate.js';
import { encodeElementId } from './ids.js';
import { LIMITS } from './limits.js';
import { cellText, clip, clipWithNote, displayWidth, escapeText, oneLine, splitText } from './mrkdwn.js';
import { SLACK_TEXTS as T } from './texts.js';
import { deepFreeze, RepeatedReplyRenderings } from '../repeated-replies.js';

type Block = types.KnownBlock;

export interface RenderedMessage {
  /** Notification and screen-reader text; Slack wants it with every message that has blocks. */
  readonly text: string;
  readonly blocks: Block[];
}

const TONE_EMOJI: Record<Tone, string> = {
  info: '',
  success: ':white_check_mark: ',
  warning: ':warning: ',
  danger: ':x: ',
};

/** Parts of the message that are kept or left out together. */
interface Unit {
  readonly blocks: Block[];
  /** Table rows in it, so a cut can say how many rows are missing. */
  readonly rows?: number;
  /** Buttons in it, counted apart when left out. */
  readonly buttons?: number;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clip(oneLine(text) || '…', max), emoji: true };
}

function mrkdwnSection(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function sizeOf(blocks: readonly Block[]): number {
  return JSON.stringify(blocks).length;
}

/** Text as mrkdwn sections of at most 3000 characters each. */
function textUnits(text: string): Unit[] {
  return splitText(escapeText(text), LIMITS.sectionText).map((part) => ({ blocks: [mrkdwnSection(part || ' ')] }));
}

function fieldText(field: MessageField): string {
  const label = `*${escapeText(oneLine(field.label))}*\n`;
  return label + clip(escapeText(field.value), LIMITS.fieldText - label.length);
}

function fieldUnits(fields: readonly MessageField[]): Unit[] {
  const units: Unit[] = [];
  for (let at = 0; at < fields.length; at += LIMITS.sectionFields) {
    const group = fields.slice(at, at + LIMITS.sectionFields);
    units.push({ blocks: [{ type: 'section', fields: group.map((field) => ({ type: 'mrkdwn', text: fieldText(field) })) }] });
  }
  return units;
}

/** `[██████░░░░░░░░░░░░░░] 3 of 10 hosts done` in a code span. */
export function progressLine(progress: Progress, width = 20): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * width);
  const bar = `\`${'█'.repeat(filled)}${'░'.repeat(width - filled)}\``;
  return `${bar} ${escapeText(oneLine(progress.label ?? `${progress.done}/${progress.total}`))}`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/**
 * A table as code blocks of at most 3000 characters, the header repeated on top of each, so
 * every part reads on its own. A line too long for a block is clipped.
 */
function tableUnits(columns: readonly string[], rows: readonly (readonly string[])[]): Unit[] {
  const cells = [columns, ...rows].map((row) => columns.map((_, i) => escapeText(cellText(row[i] ?? ''))));
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => displayWidth(row[i] ?? ''))));
  const lineOf = (row: readonly string[]) => clip(row.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ').trimEnd(), 1_000);
  const [head, ...body] = cells.map(lineOf);
  const fence = (lines: readonly string[]) => `\`\`\`\n${lines.join('\n')}\n\`\`\``;
  const units: Unit[] = [];
  let lines: string[] = [head ?? ''];
  let count = 0;
  for (const line of body) {
    if (fence([...lines, line]).length > LIMITS.sectionText && count > 0) {
      units.push({ blocks: [mrkdwnSection(fence(lines))], rows: count });
      lines = [head ?? ''];
      count = 0;
    }
    lines.push(line);
    count += 1;
  }
  units.push({ blocks: [mrkdwnSection(fence(lines))], rows: count });
  return units;
}

function confirmOf(button: Button): types.ConfirmationDialog | undefined {
  if (!button.confirm) return undefined;
  const { title, text, confirmLabel, denyLabel } = button.confirm;
  return {
    title: plain(title, LIMITS.confirmTitle),
    text: { type: 'plain_text', text: clip(text, LIMITS.confirmText) || '…', emoji: true },
    confirm: plain(confirmLabel, LIMITS.confirmButton),
    deny: plain(denyLabel, LIMITS.confirmButton),
    ...(button.style === 'danger' ? { style: 'danger' as const } : {}),
  };
}

function optionOf(option: SelectOption): types.PlainTextOption | undefined {
  if (option.value.length > LIMITS.optionValue || option.value.length === 0) return undefined;
  return { text: plain(option.label, LIMITS.optionText), value: option.value };
}

/** Options Slack can carry (value ≤ 75 characters), the first 100, and how many were not offered. */
export function selectOptions(options: readonly SelectOption[]): { options: types.PlainTextOption[]; tooLong: number; beyond: number } {
  const usable = options.map(optionOf).filter((option): option is types.PlainTextOption => option !== undefined);
  return {
    options: usable.slice(0, LIMITS.selectOptions),
    tooLong: options.length - usable.length,
    beyond: Math.max(0, usable.length - LIMITS.selectOptions),
  };
}

interface Extras {
  longValues: number;
  notes: string[];
}

/** The select with at most `maxOptions` choices; `offered` of `total` usable choices are in it. */
function selectUnit(select: Select, maxOptions: number): { unit: Unit; offered: number; total: number; tooLong: number } | undefined {
  const placeholder = plain(select.placeholder, LIMITS.placeholder);
  if (select.searchId) {
    const actionId = encodeElementId('s', 0, select.actionId, select.searchId);
    if (!actionId) return undefined;
    const element: types.ExternalSelect = { type: 'external_select', action_id: actionId, placeholder, min_query_length: 0 };
    return { unit: { blocks: [{ type: 'actions', elements: [element] }] }, offered: 0, total: 0, tooLong: 0 };
  }
  const actionId = encodeElementId('s', 0, select.actionId);
  const { options, tooLong, beyond } = selectOptions(select.options);
  const offered = options.slice(0, maxOptions);
  if (!actionId || offered.length === 0) return undefined;
  const element: types.StaticSelect = { type: 'static_select', action_id: actionId, placeholder, options: offered };
  return { unit: { blocks: [{ type: 'actions', elements: [element] }] }, offered: offered.length, total: options.length + beyond, tooLong };
}

/**
 * Block ids of the actions blocks that hold buttons whose click decides the card
 * (`Button.settles`): a click's payload names the block of the clicked element, so the adapter
 * knows to take the card's buttons off when the click goes through.
 */
export const SETTLING_BLOCK_PREFIX = 'coc-settles';

export function isSettlingBlock(blockId: string | undefined): boolean {
  return blockId !== undefined && blockId.startsWith(SETTLING_BLOCK_PREFIX);
}

function buttonUnits(buttons: readonly Button[], extras: Extras): Unit[] {
  const elements: { element: types.Button; settles: boolean }[] = [];
  buttons.forEach((button, index) => {
    const actionId = encodeElementId('b', index, button.actionId);
    if (!actionId || button.value.length > LIMITS.buttonValue) {
      extras.longValues += 1;
      return;
    }
    const confirm = confirmOf(button);
    elements.push({
      element: {
        type: 'button',
        action_id: actionId,
        text: plain(button.label, LIMITS.buttonText),
        value: button.value,
        ...(button.style ? { style: button.style } : {}),
        ...(confirm ? { confirm } : {}),
      },
      settles: button.settles === true,
    });
  });
  // One button per unit: when space runs out, the first buttons (the usual next steps) stay.
  return elements.map(({ element, settles }) => ({ blocks: [{ type: 'actions', elements: [element], ...(settles ? { block_id: SETTLING_BLOCK_PREFIX } : {}) }], buttons: 1 }));
}

/**
 * Consecutive one-button action blocks joined back into blocks of up to 25 buttons, settling
 * buttons apart from the others; block ids stay unique within the message.
 */
function mergeActions(blocks: readonly Block[]): Block[] {
  const merged: Block[] = [];
  for (const block of blocks) {
    const previous = merged.at(-1);
    if (
      block.type === 'actions' &&
      previous?.type === 'actions' &&
      block.block_id === previous.block_id &&
      block.elements.every((e) => e.type === 'button') &&
      previous.elements.every((e) => e.type === 'button') &&
      previous.elements.length + block.elements.length <= LIMITS.actionsElements
    ) {
      merged[merged.length - 1] = { ...previous, elements: [...previous.elements, ...block.elements] };
    } else merged.push(block);
  }
  let settling = 0;
  return merged.map((block) => {
    if (block.type !== 'actions' || !isSettlingBlock(block.block_id)) return block;
    settling += 1;
    return settling === 1 ? block : { ...block, block_id: `${SETTLING_BLOCK_PREFIX}-${settling}` };
  });
}

function contextBlock(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.contextText) }] };
}

function fallbackText(message: Message): string {
  const parts = [message.title, message.text, message.footer].filter((part): part is string => Boolean(part && part.trim()));
  return clip(escapeText(parts.join('\n') || '…'), LIMITS.fallbackText);
}

export interface RenderOptions {
  readonly maxBlocks?: number;
  readonly maxChars?: number;
}

/**
 * One card answered to many people at once — a burst of views of one order share it — is
 * rendered once per language and size from its second answer on (src/adapters/repeated-replies.ts).
 * Callers copy the blocks before adding to them; none changes them in place. What is shared is
 * frozen all the same: one person's change to it would reach every other answer, and the
 * response_url poster sends the bytes it made for the last answer with the same blocks
 * (response-url.ts), so a change would not even reach the person who made it.
 */
const renderings = new RepeatedReplyRenderings<RenderedMessage>((made) => deepFreeze(made));

export function renderMessage(message: Message, locale: Locale, options: RenderOptions = {}): RenderedMessage {
  return renderings.of(message, `${locale}|${options.maxBlocks ?? ''}|${options.maxChars ?? ''}`, () => renderFresh(message, locale, options));
}

function renderFresh(message: Message, locale: Locale, options: RenderOptions): RenderedMessage {
  const t = translator(locale);
  const maxBlocks = options.maxBlocks ?? LIMITS.messageBlocks;
  const maxChars = options.maxChars ?? LIMITS.messageBlockChars;
  const extras: Extras = { longValues: 0, notes: [] };

  const head: Unit[] = message.title ? [{ blocks: [{ type: 'header', text: plain(`${TONE_EMOJI[message.tone ?? 'info']}${message.title}`, LIMITS.headerText) }] }] : [];
  const body: Unit[] = [];
  if (message.text) body.push(...textUnits(message.text));
  if (message.fields?.length) body.push(...fieldUnits(message.fields));
  if (message.progress) body.push({ blocks: [mrkdwnSection(progressLine(message.progress))] });
  if (message.table) body.push(...tableUnits(message.table.columns, message.table.rows));
  for (const section of message.sections ?? []) {
    body.push({ blocks: [{ type: 'divider' }] });
    if (section.title) body.push({ blocks: [mrkdwnSection(`*${clip(escapeText(oneLine(section.title)), 2_900)}*`)] });
    if (section.text) body.push(...textUnits(section.text));
    if (section.fields?.length) body.push(...fieldUnits(section.fields));
  }
  let select = message.select ? selectUnit(message.select, LIMITS.selectOptions) : undefined;
  extras.longValues += select?.tooLong ?? 0;
  const buttons = buttonUnits(message.buttons ?? [], extras);
  if (extras.longValues > 0) extras.notes.push(t(T.longValues, { count: extras.longValues }));
  const footer: Unit[] = message.footer ? [{ blocks: [contextBlock(clipWithNote(escapeText(message.footer), LIMITS.contextText, (count) => t(T.moreText, { count })))] }] : [];

  // Kept first: what the reader acts on. A note about what was left out may be needed: room for it is kept.
  const reserveBlocks = 2;
  const reserveChars = 800 + extras.notes.join(' ').length;
  let blocks = 0;
  let chars = 0;
  // Each unit is measured once (a JSON text of its blocks), not once when it is tried and again when taken.
  const sizes = new Map<Unit, number>();
  const size = (unit: Unit) => {
    let measured = sizes.get(unit);
    if (measured === undefined) sizes.set(unit, (measured = sizeOf(unit.blocks)));
    return measured;
  };
  const fits = (unit: Unit) => blocks + unit.blocks.length <= maxBlocks - reserveBlocks && chars + size(unit) <= maxChars - reserveChars;
  const take = (unit: Unit) => {
    blocks += unit.blocks.length;
    chars += size(unit);
  };
  const kept = new Set<Unit>();
  for (const unit of [...head, ...footer]) {
    if (fits(unit)) {
      take(unit);
      kept.add(unit);
    }
  }
  // A menu too big for the room left offers fewer choices (the rest are said to exist).
  while (select && !fits(select.unit) && select.offered > 5 && message.select) select = selectUnit(message.select, Math.floor(select.offered / 2));
  if (select && fits(select.unit)) {
    take(select.unit);
    kept.add(select.unit);
    if (select.offered < select.total) extras.notes.push(t(T.moreOptions, { shown: select.offered, total: select.total }));
  }
  let droppedButtons = select && !kept.has(select.unit) ? 1 : 0;
  for (const unit of buttons) {
    if (fits(unit)) {
      take(unit);
      kept.add(unit);
    } else droppedButtons += unit.buttons ?? 0;
  }
  let droppedParts = 0;
  let droppedRows = 0;
  let full = false;
  for (const unit of body) {
    // In order: once something is left out, everything after it is too (no holes in a table).
    if (!full && fits(unit)) {
      take(unit);
      kept.add(unit);
      continue;
    }
    full = true;
    if (unit.rows !== undefined) droppedRows += unit.rows;
    else if (unit.blocks.some((block) => block.type !== 'divider')) droppedParts += 1;
  }

  const notes = [...extras.notes];
  if (droppedRows > 0) notes.push(t(T.moreRows, { count: droppedRows }));
  if (droppedParts > 0 || droppedRows > 0) notes.push(t(T.shortened, { count: droppedParts + (droppedRows > 0 ? 1 : 0) }));
  if (droppedButtons > 0) notes.push(t(T.shortened, { count: droppedButtons }));
  const noteBlocks: Block[] = notes.length > 0 ? [contextBlock(escapeText(notes.join('\n')))] : [];

  const keptOf = (units: readonly Unit[]) => units.filter((unit) => kept.has(unit)).flatMap((unit) => unit.blocks);
  const keptBody = keptOf(body);
  while (keptBody.at(-1)?.type === 'divider') keptBody.pop();
  const ordered: Block[] = [
    ...keptOf(head),
    ...keptBody,
    ...noteBlocks,
    ...keptOf(select ? [select.unit] : []),
    ...mergeActions(keptOf(buttons)),
    ...keptOf(footer),
  ];
  return { text: fallbackText(message), blocks: ordered };
}
