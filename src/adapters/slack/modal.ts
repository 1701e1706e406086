/**
 * Forms as Slack modals: each field an input block whose block id names the field (so a
 * refused submission can show each problem under its own field with `response_action:
 * errors`), and the submitted state read back into the neutral `values`.
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Form, FormField, Message } from '../../core/message.js';
import { translator, type Locale, type Translate } from '../../i18n/translate.js';
import { decodeElementId, encodeElementId, encodeFormOrigin, fieldBlockId, type FormOrigin } from './ids.js';
import { LIMITS } from './limits.js';
import { clip, escapeText, oneLine } from './mrkdwn.js';
import { renderMessage, selectOptions } from './render.js';
import { KEEP_TYPING_VALUE } from './suggestions.js';
import { SLACK_TEXTS as T } from './texts.js';

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clip(oneLine(text) || '…', max), emoji: true };
}

type InputElement = types.InputBlock['element'];

function textInput(field: FormField, actionId: string, multiline: boolean): types.PlainTextInput {
  const max = Math.min(field.maxLength ?? LIMITS.textInput, LIMITS.textInput);
  // A secret is never pre-filled: whatever the form carries would be shown in clear in the modal.
  const initial = !field.secret && field.initial ? field.initial.slice(0, max) : undefined;
  return {
    type: 'plain_text_input',
    action_id: actionId,
    multiline,
    max_length: max,
    ...(initial ? { initial_value: initial } : {}),
    ...(field.placeholder ? { placeholder: plain(field.placeholder, LIMITS.placeholder) } : {}),
  };
}

function elementOf(field: FormField, index: number, notes: string[], t: Translate): InputElement | undefined {
  const actionId = encodeElementId('f', index, field.id, field.searchId);
  if (!actionId) return undefined;
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, LIMITS.placeholder) } : {};
  if (field.kind === 'text' || field.kind === 'multiline') return textInput(field, actionId, field.kind === 'multiline');
  const initialValues = field.secret || !field.initial ? [] : field.initial.split(',').map((value) => value.trim()).filter(Boolean);
  const known = new Map((field.options ?? []).map((option) => [option.value, option.label]));
  const initialOptions = initialValues
    .filter((value) => value.length <= LIMITS.optionValue)
    .map((value) => ({ text: plain(known.get(value) ?? value, LIMITS.optionText), value }));
  if (field.searchId) {
    if (field.kind === 'select') {
      const element: types.ExternalSelect = { type: 'external_select', action_id: actionId, min_query_length: 0, ...placeholder, ...(initialOptions[0] ? { initial_option: initialOptions[0] } : {}) };
      return element;
    }
    const element: types.MultiExternalSelect = { type: 'multi_external_select', action_id: actionId, min_query_length: 0, ...placeholder, ...(initialOptions.length ? { initial_options: initialOptions } : {}) };
    return element;
  }
  const { options, tooLong, beyond } = selectOptions(field.options ?? []);
  if (tooLong > 0) notes.push(t(T.longValues, { count: tooLong }));
  if (beyond > 0) notes.push(t(T.moreOptions, { shown: options.length, total: options.length + beyond }));
  // Slack refuses a menu without choices; typing the value is the honest fallback.
  if (options.length === 0) return textInput(field, actionId, false);
  const offered = new Set(options.map((option) => option.value));
  const initial = initialOptions.filter((option) => offered.has(option.value));
  if (field.kind === 'select') {
    const element: types.StaticSelect = { type: 'static_select', action_id: actionId, options, ...placeholder, ...(initial[0] ? { initial_option: initial[0] } : {}) };
    return element;
  }
  const element: types.MultiStaticSelect = { type: 'multi_static_select', action_id: actionId, options, ...placeholder, ...(initial.length ? { initial_options: initial } : {}) };
  return element;
}

function inputBlock(field: FormField, index: number, t: Translate): types.InputBlock | undefined {
  const blockId = fieldBlockId(field.id);
  const notes: string[] = [];
  const element = elementOf(field, index, notes, t);
  if (!blockId || !element) return undefined;
  const hint = [field.hint, field.secret ? t(T.secretHint) : undefined, ...notes].filter(Boolean).join(' ');
  return {
    type: 'input',
    block_id: blockId,
    label: plain(field.label, LIMITS.inputLabel),
    optional: !field.required,
    element,
    ...(hint ? { hint: plain(hint, LIMITS.inputHint) } : {}),
  };
}

export type RenderedForm = { readonly ok: true; readonly view: types.ModalView } | { readonly ok: false };

/**
 * The modal for `form`, opened from `origin`; `intro` (the rest of the reply) is shown above the
 * fields. Not ok when the form cannot be carried by Slack (too many fields, state too large).
 */
export function renderForm(form: Form, origin: Omit<FormOrigin, 'context'>, locale: Locale, intro?: Message): RenderedForm {
  const t = translator(locale);
  const metadata = encodeFormOrigin({ ...origin, ...(form.context !== undefined ? { context: form.context } : {}) });
  if (!metadata || form.id.length > LIMITS.callbackId || form.fields.length === 0) return { ok: false };
  const inputs = form.fields.map((field, index) => inputBlock(field, index, t));
  if (inputs.some((block) => block === undefined)) return { ok: false };
  const introText = [intro?.title ? `*${escapeText(oneLine(intro.title))}*` : '', intro?.text ? escapeText(intro.text) : ''].filter(Boolean).join('\n');
  const blocks: types.KnownBlock[] = [
    ...(introText ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: clip(introText, LIMITS.sectionText) } }] : []),
    ...(inputs as types.InputBlock[]),
  ];
  if (blocks.length > LIMITS.modalBlocks) return { ok: false };
  return {
    ok: true,
    view: {
      type: 'modal',
      callback_id: form.id,
      title: plain(form.title, LIMITS.modalTitle),
      submit: plain(form.submitLabel, LIMITS.modalButton),
      close: plain(t(T.formClose), LIMITS.modalButton),
      private_metadata: metadata,
      blocks,
    },
  };
}

/** The callback id of the bot's own views that are not forms (nothing is ever submitted from them). */
export const INFO_VIEW_ID = 'coc|info';

function infoView(title: string, close: string, blocks: types.KnownBlock[]): types.ModalView {
  return { type: 'modal', callback_id: INFO_VIEW_ID, title: plain(title, LIMITS.modalTitle), close: plain(close, LIMITS.modalButton), blocks };
}

/**
 * What opens at once, with the trigger id, while the answer of a command or click that may be a
 * form is still coming (`placeholder`); what a submitted form turns into while the next step is
 * (`working`). Either is then filled in with `views.update`.
 */
export function waitingView(kind: 'placeholder' | 'working', locale: Locale): types.ModalView {
  const t = translator(locale);
  const text = t(kind === 'placeholder' ? T.placeholderText : T.workingText);
  return infoView(t(kind === 'placeholder' ? T.placeholderTitle : T.workingTitle), t(T.formClose), [{ type: 'section', text: { type: 'mrkdwn', text } }]);
}

/**
 * A reply shown in a view that was waiting for it (a placeholder, a "working" view). Buttons and
 * menus do not work from a view (a click there names no conversation), so they are left out and
 * `inConversation` says where they are instead.
 */
export function answerView(message: Message, locale: Locale, inConversation: boolean): types.ModalView {
  const t = translator(locale);
  const rendered = renderMessage(message, locale, { maxBlocks: LIMITS.modalBlocks - 1 });
  const blocks = rendered.blocks.filter((block) => block.type !== 'actions');
  if (inConversation && blocks.length < rendered.blocks.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t(T.answerAlsoPosted) }] });
  if (blocks.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: rendered.text || '…' } });
  return infoView(t(T.answerTitle), t(T.answerClose), blocks);
}

/**
 * `response_action: errors` for a refused submission: each problem under its own field. A
 * problem about a field the modal does not show goes under the first field, named, so it is
 * never lost.
 */
export function slackFieldErrors(fieldErrors: Readonly<Record<string, string>>, inputBlockIds: readonly string[], labels: ReadonlyMap<string, string> = new Map()): Record<string, string> {
  const errors: Record<string, string> = {};
  const orphans: string[] = [];
  for (const [fieldId, problem] of Object.entries(fieldErrors)) {
    const blockId = fieldBlockId(fieldId);
    if (blockId && inputBlockIds.includes(blockId)) errors[blockId] = clip(oneLine(problem), LIMITS.fieldError);
    else orphans.push(`${labels.get(fieldId) ?? fieldId}: ${oneLine(problem)}`);
  }
  const first = inputBlockIds[0];
  if (orphans.length > 0 && first) errors[first] = clip([errors[first], ...orphans].filter(Boolean).join(' · '), LIMITS.fieldError);
  return errors;
}

const stateValueSchema = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: z.object({ value: z.string() }).nullish(),
    selected_options: z.array(z.object({ value: z.string() })).nullish(),
  })
  .loose();

export const viewStateSchema = z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }).loose();

/** The submitted values by field id; empty fields are left out, multi-selects joined with commas. */
export function submittedValues(state: z.infer<typeof viewStateSchema>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const actions of Object.values(state.values)) {
    for (const [actionId, entry] of Object.entries(actions)) {
      const element = decodeElementId(actionId);
      if (!element || element.kind !== 'f') continue;
      const value = entry.selected_options
        ? entry.selected_options.map((option) => option.value).join(',')
        : (entry.selected_option?.value ?? entry.value ?? '');
      // "Still searching, keep typing" is not a choice: the field counts as left empty.
      const chosen = value.split(',').filter((one) => one !== KEEP_TYPING_VALUE).join(',');
      if (chosen !== '') values[element.id] = chosen;
    }
  }
  return values;
}
