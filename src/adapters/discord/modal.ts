/**
 * Forms as Discord modals. A modal holds at most five inputs, so longer forms are asked in
 * pages (each page a modal; Discord cannot open the next modal from a submission, so a
 * "Continue" button opens it). Each input is a Label with a text input or, for fixed choices,
 * a select menu; choices searched as the user types (no such thing in a modal) become a text
 * input with a hint. Inputs are named by their field's position (`f0`…), never by the field
 * id, so any id fits; the form itself is kept server-side (component-state.ts).
 */
import { ComponentType, TextInputStyle, type APILabelComponent, type APIModalInteractionResponseCallbackData } from 'discord.js';
import type { Form, FormField } from '../../core/message.js';
import type { Translate } from '../../i18n/translate.js';
import type { ModalData } from './interaction-schema.js';
import { LIMITS } from './limits.js';
import { cut } from './text.js';
import { DISCORD_TEXTS as T } from './texts.js';

export const FIELDS_PER_PAGE = LIMITS.modalComponents;

export function pageCount(form: Form): number {
  return Math.max(1, Math.ceil(form.fields.length / FIELDS_PER_PAGE));
}

function fieldsOf(form: Form, page: number): { field: FormField; index: number }[] {
  return form.fields.map((field, index) => ({ field, index })).slice((page - 1) * FIELDS_PER_PAGE, page * FIELDS_PER_PAGE);
}

export function modalCustomId(key: string, page: number, draft: string | undefined): string {
  return `m|${key}|${page}|${draft ?? ''}`;
}

/** Fixed choices a modal select can show (at most 25). */
function selectable(field: FormField): boolean {
  return (field.kind === 'select' || field.kind === 'multiselect') && (field.options?.length ?? 0) > 0 && (field.options?.length ?? 0) <= LIMITS.selectOptions;
}

function hintOf(field: FormField, t: Translate): string | undefined {
  const hints: string[] = [];
  // First, so a long hint never cuts it off.
  if (field.secret) hints.push(t(T.secretHint));
  if (field.hint) hints.push(field.hint);
  if ((field.kind === 'select' || field.kind === 'multiselect') && !selectable(field)) {
    if (field.options?.length) hints.push(t(T.optionsHint, { options: field.options.map((option) => option.value).join(', ') }));
    else if (field.searchId && !field.hint) hints.push(t(T.searchHint));
    if (field.kind === 'multiselect') hints.push(t(T.severalHint));
  }
  return hints.length ? cut(hints.join(' '), LIMITS.labelDescription) : undefined;
}

function input(field: FormField, index: number, t: Translate): APILabelComponent {
  const description = hintOf(field, t);
  const base = { type: ComponentType.Label as const, label: cut(field.label, LIMITS.labelText) || '…', ...(description ? { description } : {}) };
  const initial = field.secret ? undefined : field.initial;
  if (selectable(field)) {
    const chosen = new Set((initial ?? '').split(',').map((value) => value.trim()).filter(Boolean));
    const options = field.options!;
    return {
      ...base,
      component: {
        type: ComponentType.StringSelect,
        custom_id: `f${index}`,
        required: field.required,
        min_values: field.required ? 1 : 0,
        max_values: field.kind === 'multiselect' ? options.length : 1,
        ...(field.placeholder ? { placeholder: cut(field.placeholder, LIMITS.selectPlaceholder) } : {}),
        // Values are positions: an option value may be longer than Discord's 100 characters.
        options: options.map((option, i) => ({ label: cut(option.label, LIMITS.selectOptionLabel) || '…', value: `o${i}`, default: chosen.has(option.value) })),
      },
    };
  }
  const maxLength = Math.min(field.maxLength ?? LIMITS.textInputValue, LIMITS.textInputValue);
  return {
    ...base,
    component: {
      type: ComponentType.TextInput,
      custom_id: `f${index}`,
      style: field.kind === 'multiline' ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: field.required,
      max_length: maxLength,
      ...(field.placeholder ? { placeholder: cut(field.placeholder, LIMITS.textInputPlaceholder) } : {}),
      ...(initial ? { value: initial.slice(0, maxLength) } : {}),
    },
  };
}

/** The modal for one page of the form. */
export function modalFor(form: Form, key: string, page: number, draft: string | undefined, t: Translate): APIModalInteractionResponseCallbackData {
  const pages = pageCount(form);
  const title = pages > 1 ? `${cut(form.title, LIMITS.modalTitle - 8)} (${page}/${pages})` : cut(form.title, LIMITS.modalTitle);
  return {
    custom_id: modalCustomId(key, page, draft),
    title: title || '…',
    components: fieldsOf(form, page).map(({ field, index }) => input(field, index, t)),
  };
}

/**
 * The values of one submitted page, keyed by field id. Empty inputs are left out (as when an
 * optional question is skipped in the terminal); several choices are joined with commas.
 */
export function submittedValues(form: Form, components: ModalData['components']): Record<string, string> {
  const values: Record<string, string> = {};
  const take = (input: { readonly custom_id: string; readonly value?: string | boolean | null | undefined; readonly values?: readonly string[] | undefined }) => {
    const index = /^f(\d+)$/.exec(input.custom_id);
    const field = index ? form.fields[Number(index[1])] : undefined;
    if (!field) return;
    const text = input.values
      ? input.values.map((chosen) => optionValue(field, chosen)).filter((value): value is string => value !== undefined).join(',')
      : typeof input.value === 'string'
        ? input.value
        : '';
    if (text !== '') values[field.id] = text;
  };
  for (const component of components) {
    if (component.type === ComponentType.Label && component.component) take(component.component);
    else if (component.type === ComponentType.ActionRow) for (const inner of component.components ?? []) take(inner);
  }
  return values;
}

function optionValue(field: FormField, chosen: string): string | undefined {
  const index = /^o(\d+)$/.exec(chosen);
  return index ? field.options?.[Number(index[1])]?.value : undefined;
}

/** The form to open again after a refusal: what was typed stays, except secrets. */
export function refilled(form: Form, values: Readonly<Record<string, string>>): Form {
  return {
    ...form,
    fields: form.fields.map(({ initial, ...field }) => {
      const kept = field.secret ? undefined : (values[field.id] ?? initial);
      return kept === undefined ? field : { ...field, initial: kept };
    }),
  };
}
