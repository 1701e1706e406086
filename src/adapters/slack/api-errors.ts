/**
 * Web API failures as ChatDeliveryErrors the core understands: a rate limit carries Slack's
 * Retry-After, a refusal says what Slack refused and, where it is the usual cause, what to do.
 * Tokens never appear: Slack's error codes and HTTP statuses are all that is kept.
 */
import { ChatDeliveryError, type DeliveryFailureReason } from '../../core/chat-surface.js';

const HINTS: Readonly<Record<string, string>> = {
  not_in_channel: 'the bot is not in that channel: invite it (/invite @coc)',
  channel_not_found: 'the channel does not exist or the bot cannot see it: invite the bot into private channels',
  is_archived: 'the channel is archived',
  message_not_found: 'the message no longer exists',
  cant_update_message: 'the message cannot be edited by the bot',
  user_not_in_channel: 'the person is not in that channel',
  missing_scope: 'the Slack app lacks a permission: reinstall it from manifest.yml',
  invalid_auth: 'the bot token is not valid',
  not_authed: 'the bot token is missing',
  token_revoked: 'the bot token was revoked',
  account_inactive: 'the bot token belongs to a deactivated app',
  restricted_action: 'a workspace setting forbids this',
  name_taken: 'a channel with that name exists',
  expired_trigger_id: 'Slack no longer allows the form to open',
  invalid_blocks: 'Slack refused the message layout',
  msg_too_long: 'the message is longer than Slack allows',
};

/** Slack's error codes by what an operator can do about them; codes not listed are 'other'. */
const REASONS: Readonly<Record<string, DeliveryFailureReason>> = {
  not_in_channel: 'not-in-channel',
  channel_not_found: 'channel-not-found',
  is_archived: 'archived',
  missing_scope: 'no-permission',
  restricted_action: 'no-permission',
  restricted_action_read_only_channel: 'no-permission',
  restricted_action_thread_only_channel: 'no-permission',
  restricted_action_non_threadable_channel: 'no-permission',
  cant_update_message: 'no-permission',
  ekm_access_denied: 'no-permission',
  team_access_not_granted: 'no-permission',
  access_denied: 'no-permission',
  msg_too_long: 'too-large',
  msg_blocks_too_long: 'too-large',
  too_many_attachments: 'too-large',
  internal_error: 'unavailable',
  fatal_error: 'unavailable',
  service_unavailable: 'unavailable',
  request_timeout: 'unavailable',
};

/** What kind of failure a Slack error code is. */
export function slackFailureReason(code: string): DeliveryFailureReason {
  return REASONS[code] ?? 'other';
}

interface SlackErrorShape {
  readonly code?: unknown;
  readonly retryAfter?: unknown;
  readonly data?: { readonly error?: unknown };
  readonly statusCode?: unknown;
}

function shape(error: unknown): SlackErrorShape {
  return typeof error === 'object' && error !== null ? (error as SlackErrorShape) : {};
}

/** Slack's error code of a refused call (`channel_not_found`), if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  const { code, data } = shape(error);
  return code === 'slack_webapi_platform_error' && typeof data?.error === 'string' ? data.error : undefined;
}

export function deliveryError(method: string, error: unknown): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
  const { code, retryAfter, statusCode } = shape(error);
  const cause = { cause: error };
  if (code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof retryAfter === 'number' && Number.isFinite(retryAfter) ? Math.max(0, retryAfter) : 1;
    return new ChatDeliveryError(`Slack rate-limited ${method}; retry after ${seconds} s`, seconds * 1000, cause);
  }
  const refused = slackErrorCode(error);
  if (refused) {
    const hint = HINTS[refused];
    return new ChatDeliveryError(`Slack refused ${method}: ${refused}${hint ? ` (${hint})` : ''}`, undefined, { ...cause, reason: slackFailureReason(refused) });
  }
  if (code === 'slack_webapi_http_error') {
    const status = typeof statusCode === 'number' ? statusCode : 0;
    return new ChatDeliveryError(`Slack answered ${method} with HTTP ${String(statusCode)}`, undefined, { ...cause, reason: status >= 500 || status === 0 ? 'unavailable' : status === 413 ? 'too-large' : 'other' });
  }
  if (code === 'slack_webapi_request_error') return new ChatDeliveryError(`Slack could not be reached for ${method}`, undefined, { ...cause, reason: 'unavailable' });
  return new ChatDeliveryError(`${method} failed: ${error instanceof Error ? error.name : 'unknown error'}`, undefined, cause);
}
