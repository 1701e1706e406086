/**
 * Requests as Slack sends them to an app's Request URL: form-encoded bodies (slash commands
 * field by field, interactivity as `payload=<json>`), signed with the signing secret (v0 HMAC
 * of `v0:<timestamp>:<raw body>`), sent over real HTTP.
 */
import { createHmac } from 'node:crypto';

export interface SignedPostOptions {
  /** Seconds; default now. */
  readonly timestamp?: number;
  /** Replaces the computed signature (a forgery). */
  readonly signature?: string;
  /** Leaves these headers out. */
  readonly omit?: readonly ('x-slack-signature' | 'x-slack-request-timestamp')[];
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlackHttpResponse {
  readonly status: number;
  readonly body: string;
  readonly json: unknown;
  /** Milliseconds from sending to the full answer. */
  readonly elapsedMs: number;
}

export async function signedPost(url: string, secret: string, body: string, options: SignedPostOptions = {}): Promise<SlackHttpResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? sign(secret, timestamp, body),
  };
  for (const name of options.omit ?? []) delete headers[name];
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, elapsedMs: performance.now() - started };
}

export interface SlackUser {
  readonly teamId: string;
  readonly userId: string;
  readonly userName?: string;
}

export function commandBody(user: SlackUser, text: string, extra: { channelId?: string; channelName?: string; responseUrl: string; triggerId?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: user.teamId,
    team_domain: 'fake',
    channel_id: extra.channelId ?? 'C0OPS',
    channel_name: extra.channelName ?? 'ops',
    user_id: user.userId,
    user_name: user.userName ?? user.userId.toLowerCase(),
    command: '/coc',
    text,
    api_app_id: 'A0FAKE',
    response_url: extra.responseUrl,
    trigger_id: extra.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`,
  }).toString();
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/**
 * Where a clicked element sits, as Slack describes it: the message (its blocks and text, which
 * Slack sends for messages in a channel but not for ephemeral ones) and the block of the element.
 */
export interface ClickedMessage {
  readonly channelId?: string;
  readonly messageTs?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  /** An ephemeral message (only its viewer sees it): no `message` in the payload. */
  readonly ephemeral?: boolean;
  readonly message?: { readonly text?: string; readonly blocks?: readonly unknown[] };
}

/** A click on a button (or a pick in a menu) of a message the bot posted. */
export function blockActionsPayload(
  user: SlackUser,
  action: { actionId: string; value?: string; selectedValue?: string; type?: string; label?: string; blockId?: string },
  where: ClickedMessage,
): Record<string, unknown> {
  const channelId = where.channelId ?? 'C0OPS';
  const ts = where.messageTs ?? '1700000000.000001';
  return {
    type: 'block_actions',
    team: { id: user.teamId, domain: 'fake' },
    user: { id: user.userId, username: user.userName ?? user.userId.toLowerCase(), team_id: user.teamId },
    api_app_id: 'A0FAKE',
    trigger_id: where.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`,
    channel: { id: channelId, name: 'ops' },
    container: { type: 'message', channel_id: channelId, message_ts: ts, is_ephemeral: where.ephemeral === true },
    ...(where.ephemeral ? {} : { message: { ts, type: 'message', ...(where.message ? { text: where.message.text ?? '', blocks: where.message.blocks ?? [] } : {}) } }),
    response_url: where.responseUrl,
    actions: [
      {
        action_id: action.actionId,
        block_id: action.blockId ?? 'b1',
        type: action.type ?? (action.selectedValue !== undefined ? 'static_select' : 'button'),
        action_ts: `${Date.now() / 1000}`,
        ...(action.label !== undefined ? { text: { type: 'plain_text', text: action.label, emoji: true } } : {}),
        ...(action.value !== undefined ? { value: action.value } : {}),
        ...(action.selectedValue !== undefined ? { selected_option: { text: { type: 'plain_text', text: action.selectedValue }, value: action.selectedValue } } : {}),
      },
    ],
  };
}

/** Options for an external select as the user types. */
export function suggestionPayload(user: SlackUser, actionId: string, value: string, where: { channelId?: string; view?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    type: 'block_suggestion',
    team: { id: user.teamId, domain: 'fake' },
    user: { id: user.userId, name: user.userName ?? user.userId.toLowerCase(), team_id: user.teamId },
    api_app_id: 'A0FAKE',
    action_id: actionId,
    block_id: 'b1',
    value,
    ...(where.view ? { view: where.view, container: { type: 'view', view_id: 'V1' } } : { channel: { id: where.channelId ?? 'C0OPS' }, container: { type: 'message', channel_id: where.channelId ?? 'C0OPS' } }),
  };
}

/**
 * A submitted modal: `view` is what the bot opened (as the fake recorded it in views.open), and
 * `values` the state by block id and action id, as Slack reports it.
 */
export function viewSubmissionPayload(user: SlackUser, view: Record<string, unknown>, state: Record<string, Record<string, Record<string, unknown>>>): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: user.teamId, domain: 'fake' },
    user: { id: user.userId, name: user.userName ?? user.userId.toLowerCase(), team_id: user.teamId },
    api_app_id: 'A0FAKE',
    trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    view: { id: 'V1', hash: 'h1', ...view, state: { values: state } },
    response_urls: [],
  };
}
