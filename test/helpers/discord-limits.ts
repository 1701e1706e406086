/**
 * Discord's message limits, checked on what the bot sends (written from platform-rules §2.2,
 * independently of the renderer). Used by the render tests and by the fake Discord API, which
 * refuses a message that breaks them as Discord does (400).
 */
interface Embed {
  readonly title?: string;
  readonly description?: string;
  readonly fields?: readonly { readonly name: string; readonly value: string }[];
  readonly footer?: { readonly text: string };
}

interface Component {
  readonly type: number;
  readonly custom_id?: string;
  readonly label?: string;
  readonly options?: readonly { readonly label: string; readonly value: string }[];
  readonly components?: readonly Component[];
}

export interface SentMessage {
  readonly content?: string;
  readonly embeds?: readonly Embed[];
  readonly components?: readonly Component[];
}

export function messageProblems(message: SentMessage): string[] {
  const problems: string[] = [];
  const embeds = message.embeds ?? [];
  const rows = message.components ?? [];
  if ((message.content ?? '').length > 2000) problems.push('content over 2000');
  if (!message.content && embeds.length === 0 && rows.length === 0) problems.push('empty message');
  if (embeds.length > 10) problems.push(`${embeds.length} embeds`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const title = embed.title?.length ?? 0;
    const description = embed.description?.length ?? 0;
    const footer = embed.footer?.text.length ?? 0;
    if (title > 256) problems.push(`embed ${i} title ${title}`);
    if (description > 4096) problems.push(`embed ${i} description ${description}`);
    if (footer > 2048) problems.push(`embed ${i} footer ${footer}`);
    const fields = embed.fields ?? [];
    if (fields.length > 25) problems.push(`embed ${i} has ${fields.length} fields`);
    for (const field of fields) {
      if (field.name.length === 0 || field.name.length > 256) problems.push(`embed ${i} field name ${field.name.length}`);
      if (field.value.length === 0 || field.value.length > 1024) problems.push(`embed ${i} field value ${field.value.length}`);
      total += field.name.length + field.value.length;
    }
    total += title + description + footer;
    if (title + description + footer + fields.length === 0) problems.push(`embed ${i} is empty`);
  });
  if (total > 6000) problems.push(`embeds total ${total}`);
  if (rows.length > 5) problems.push(`${rows.length} action rows`);
  const ids = new Set<string>();
  for (const row of rows) {
    const inner = row.components ?? [];
    if (row.type !== 1) problems.push('top-level component is not an action row');
    const buttons = inner.filter((c) => c.type === 2);
    const selects = inner.filter((c) => c.type === 3);
    if (buttons.length > 5) problems.push(`${buttons.length} buttons in a row`);
    if (selects.length > 0 && inner.length > 1) problems.push('a select shares its row');
    for (const component of inner) {
      const id = component.custom_id ?? '';
      if (id.length < 1 || id.length > 100) problems.push(`custom_id of ${id.length}`);
      if (ids.has(id)) problems.push(`custom_id "${id}" repeats`);
      ids.add(id);
      if ((component.label?.length ?? 0) > 80) problems.push(`button label ${component.label?.length}`);
      const options = component.options ?? [];
      if (options.length > 25) problems.push(`${options.length} select options`);
      for (const option of options) {
        if (option.label.length > 100 || option.value.length > 100) problems.push('select option over 100');
      }
    }
  }
  return problems;
}

/** No unpaired UTF-16 surrogate anywhere (a cut in the middle of an emoji). */
export function hasBrokenCharacter(value: unknown): boolean {
  if (typeof value === 'string') return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
  if (Array.isArray(value)) return value.some(hasBrokenCharacter);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasBrokenCharacter);
  return false;
}
