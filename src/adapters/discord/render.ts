/**
 * Renders a neutral Message as Discord messages: embeds (title, text, fields, sections, a
 * progress bar, a table as a code block, footer) and components (buttons in rows of five, a
 * select menu), within Discord's limits.
 *
 * Replies may be split over several messages ('split': nothing is lost, buttons come with the
 * last part). Cards the bot edits later must stay one message ('single'): what does not fit
 * is left out and the footer says so — nothing is ever cut silently. Buttons carry their
 * action and value in the custom_id, or a key to them when they do not fit (see custom-id.ts).
 */
import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
} from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { Button, Message, MessageField, Progress, Select, Tone } from '../../core/message.js';
import type { Translate } from '../../i18n/translate.js';
import type { ComponentState } from './component-state.js';
import { encodeOptionValue, MessageIds } from './custom-id.js';
import { LIMITS } from './limits.js';
import { cut, splitText } from './text.js';
import { DISCORD_TEXTS as T } from './texts.js';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The body of one message, as channel messages, interaction replies and webhook edits take it. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  /** Nobody is ever pinged by what the bot renders. */
  allowed_mentions: { parse: [] };
}

export type RenderMode = 'split' | 'single';

export interface RenderContext {
  readonly state: ComponentState;
  readonly t: Translate;
}

export interface RenderOptions {
  readonly mode: RenderMode;
  /** Components the adapter puts first (e.g. a button that opens a form). */
  readonly lead?: readonly APIButtonComponentWithCustomId[];
}

const TONE_COLORS: Readonly<Record<Tone, number>> = {
  info: 0x3b82f6,
  success: 0x22c55e,
  warning: 0xf59e0b,
  danger: 0xef4444,
};

/** Room kept in every message for the footer and a "shortened" note. */
const NOTE_ROOM = 400;

export function embedSize(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

export function messageSize(message: DiscordMessage): number {
  return message.embeds.reduce((sum, embed) => sum + embedSize(embed), 0);
}

/**
 * Texts escaped lately: escaping runs a dozen regular expressions over each text, and a card
 * many people look at (a burst of views of one order) repeats the same labels and values.
 * Only short texts are kept, so the memory stays small whatever is rendered.
 */
const escaped = new LRUCache<string, string>({ max: 2_000 });
const ESCAPED_KEPT_UP_TO = 512;

function md(text: string): string {
  if (text.length > ESCAPED_KEPT_UP_TO) return escapeMarkdown(text);
  let done = escaped.get(text);
  if (done === undefined) {
    done = escapeMarkdown(text);
    escaped.set(text, done);
  }
  return done;
}

/** `[██████░░░░░░░░░░░░░░] 3 of 10 hosts done`. */
export function progressLine(progress: Progress, width = 20): string {
  const ratio = progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const filled = Math.round(ratio * width);
  return `\`[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]\` ${md(progress.label ?? `${progress.done}/${progress.total}`)}`;
}

/** Table lines in a monospace block; backticks in cells would end the block, so they are swapped for a look-alike. */
function tableLines(columns: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const clean = (cell: string) => cell.replace(/`/g, 'ˋ').replace(/\r?\n/g, ' ');
  const all = [columns.map(clean), ...rows.map((row) => row.map(clean))];
  const widths = columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

const FENCE = 8; // "```\n" + "\n```"

/** Description paragraphs: the text, the progress bar, the table in code blocks of at most `max` characters. */
function paragraphs(message: Pick<Message, 'text' | 'progress' | 'table'>, max: number): string[] {
  const out: string[] = [];
  if (message.text) out.push(...splitText(md(message.text), max));
  if (message.progress) out.push(progressLine(message.progress));
  if (message.table) {
    let block: string[] = [];
    let size = 0;
    for (const line of tableLines(message.table.columns, message.table.rows)) {
      const shown = cut(line, max - FENCE);
      if (block.length && size + shown.length + 1 > max - FENCE) {
        out.push(`\`\`\`\n${block.join('\n')}\n\`\`\``);
        block = [];
        size = 0;
      }
      block.push(shown);
      size += shown.length + 1;
    }
    if (block.length) out.push(`\`\`\`\n${block.join('\n')}\n\`\`\``);
  }
  return out;
}

function field(label: string, value: string): APIEmbedField {
  const name = cut(md(label), LIMITS.embedFieldName) || '\u200b';
  const shown = cut(md(value), LIMITS.embedFieldValue) || '—';
  return { name, value: shown, inline: shown.length <= 60 && !shown.includes('\n') };
}

/** Builds embeds of one colour, each within the per-embed and per-message size limits. */
class EmbedSequence {
  readonly embeds: APIEmbed[] = [];
  #current: APIEmbed | undefined;

  constructor(
    private readonly color: number,
    private readonly budget: number,
  ) {}

  /** Starts a new embed (a section). */
  open(title?: string): void {
    this.#current = { color: this.color, ...(title ? { title: cut(md(title), LIMITS.embedTitle) } : {}) };
    this.embeds.push(this.#current);
  }

  private current(): APIEmbed {
    if (!this.#current) this.open();
    return this.#current!;
  }

  paragraph(text: string): void {
    let embed = this.current();
    const joined = embed.description ? `${embed.description}\n${text}` : text;
    if (embed.fields?.length || joined.length > LIMITS.embedDescription || embedSize(embed) + text.length + 1 > this.budget) {
      this.open();
      embed = this.current();
      embed.description = text;
      return;
    }
    embed.description = joined;
  }

  field(label: string, value: string): void {
    let embed = this.current();
    const next = field(label, value);
    if ((embed.fields?.length ?? 0) >= LIMITS.embedFields || embedSize(embed) + next.name.length + next.value.length > this.budget) {
      this.open();
      embed = this.current();
    }
    (embed.fields ??= []).push(next);
  }
}

function bodyEmbeds(message: Message, budget: number): APIEmbed[] {
  const sequence = new EmbedSequence(TONE_COLORS[message.tone ?? 'info'], budget);
  sequence.open(message.title);
  for (const text of paragraphs(message, LIMITS.embedDescription)) sequence.paragraph(text);
  for (const item of message.fields ?? []) sequence.field(item.label, item.value);
  for (const section of message.sections ?? []) {
    sequence.open(section.title);
    for (const text of paragraphs({ ...(section.text ? { text: section.text } : {}) }, LIMITS.embedDescription)) sequence.paragraph(text);
    for (const item of section.fields ?? []) sequence.field(item.label, item.value);
  }
  return sequence.embeds.filter((embed) => embedSize(embed) > 0);
}

/** Groups embeds into messages of at most 10 embeds and `budget` characters. */
function pack(embeds: readonly APIEmbed[], budget: number): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let group: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const add = embedSize(embed);
    if (group.length && (group.length >= LIMITS.embedsPerMessage || size + add > budget)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(embed);
    size += add;
  }
  if (group.length) groups.push(group);
  return groups;
}

async function buttonComponent(button: Button, ids: MessageIds): Promise<APIButtonComponentWithCustomId> {
  const style = button.style === 'danger' ? ButtonStyle.Danger : button.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, label: cut(button.label, LIMITS.buttonLabel) || '…', custom_id: await ids.button(button) };
}

async function selectRow(select: Select, ids: MessageIds, state: ComponentState): Promise<ActionRow> {
  const options: APISelectMenuOption[] = [];
  for (const option of select.options.slice(0, LIMITS.selectOptions)) {
    options.push({ label: cut(option.label, LIMITS.selectOptionLabel) || '…', value: await encodeOptionValue(state, option.value) });
  }
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: await ids.select(select.actionId),
        placeholder: cut(select.placeholder, LIMITS.selectPlaceholder),
        options,
        min_values: 1,
        max_values: 1,
      },
    ],
  };
}

/** Action rows: lead buttons and the message's buttons five to a row, then the select. */
async function actionRows(message: Message, lead: readonly APIButtonComponentWithCustomId[], ids: MessageIds, state: ComponentState): Promise<ActionRow[]> {
  const buttons: APIButtonComponentWithCustomId[] = [...lead];
  for (const button of message.buttons ?? []) buttons.push(await buttonComponent(button, ids));
  const rows: ActionRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  if (message.select && message.select.options.length > 0) rows.push(await selectRow(message.select, ids, state));
  return rows;
}

/** The footer of the last embed: the message's own footer, then the adapter's notes (which are never cut away). */
function withFooter(embeds: APIEmbed[], footer: string, notes: readonly string[], color: number): void {
  if (!footer && notes.length === 0) return;
  let last = embeds.at(-1);
  if (!last) {
    last = { color };
    embeds.push(last);
  }
  const room = Math.min(LIMITS.embedFooter, LIMITS.embedTotal - embeds.reduce((sum, embed) => sum + embedSize(embed), 0));
  const noteText = notes.join('\n');
  const own = footer ? cut(footer, Math.max(0, room - noteText.length - (noteText ? 1 : 0))) : '';
  last.footer = { text: cut([own, noteText].filter(Boolean).join('\n'), room) };
}

/** One or more Discord messages for `message`; see the file comment for the two modes. */
export async function renderMessages(message: Message, context: RenderContext, options: RenderOptions): Promise<DiscordMessage[]> {
  const { t, state } = context;
  const color = TONE_COLORS[message.tone ?? 'info'];
  const budget = LIMITS.embedTotal - NOTE_ROOM;
  const groups = pack(bodyEmbeds(message, budget), budget);
  const ids = new MessageIds(state);
  for (const button of options.lead ?? []) ids.reserve(button.custom_id);
  const rows = await actionRows(message, options.lead ?? [], ids, state);

  const notes: string[] = [];
  const selectTotal = message.select?.options.length ?? 0;
  if (selectTotal > LIMITS.selectOptions) notes.push(t(T.moreOptions, { shown: LIMITS.selectOptions, total: selectTotal }));

  if (options.mode === 'single') {
    const embeds = groups[0] ?? [];
    if (groups.length > 1) notes.push(t(T.shortened, { count: groups.length - 1 }));
    const kept = rows.slice(0, LIMITS.actionRows);
    const dropped = rows.slice(LIMITS.actionRows).reduce((sum, row) => sum + row.components.length, 0);
    if (dropped > 0) notes.push(t(T.moreButtons, { count: dropped }));
    withFooter(embeds, message.footer ?? '', notes, color);
    return [finish({ embeds, components: kept, allowed_mentions: { parse: [] } }, t)];
  }

  const messages: DiscordMessage[] = (groups.length ? groups : [[]]).map((embeds) => ({ embeds, components: [], allowed_mentions: { parse: [] } }));
  const last = messages.at(-1)!;
  withFooter(last.embeds, message.footer ?? '', notes, color);
  last.components = rows.slice(0, LIMITS.actionRows);
  for (let i = LIMITS.actionRows; i < rows.length; i += LIMITS.actionRows) {
    messages.push({ content: t(T.continued), embeds: [], components: rows.slice(i, i + LIMITS.actionRows), allowed_mentions: { parse: [] } });
  }
  return messages.map((part) => finish(part, t));
}

/** Discord refuses a message with neither content nor embeds nor components. */
function finish(message: DiscordMessage, t: Translate): DiscordMessage {
  if (message.embeds.length === 0 && !message.content) return { ...message, content: t(T.emptyReply) };
  return message;
}

/** Fields that list what was wrong with a refused form, next to the labels the person saw. */
export function fieldErrorFields(errors: Readonly<Record<string, string>>, labels: ReadonlyMap<string, string>): MessageField[] {
  return Object.entries(errors).map(([id, problem]) => ({ label: labels.get(id) ?? id, value: problem }));
}
