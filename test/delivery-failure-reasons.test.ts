/**
 * What each platform refusal means for a post the bot made on its own: Slack's error codes and
 * Discord's JSON error codes map to one typed reason (whether retrying can help follows from
 * it), and the words an operator reads say where and what to do, in English and Chinese.
 */
import { describe, expect, it } from 'vitest';
import { deliveryError } from '../src/adapters/slack/api-errors.js';
import { discordFailureReason } from '../src/adapters/discord/surface.js';
import { ChatDeliveryError, DELIVERY_FAILURE_REASONS } from '../src/core/chat-surface.js';
import { whyUndelivered } from '../src/core/undelivered.js';
import { DELIVERY_TEXTS } from '../src/i18n/catalogues/delivery.js';
import { translator } from '../src/i18n/translate.js';

/** A Web API refusal as @slack/web-api throws it. */
function slackRefusal(error: string) {
  return Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });
}

describe('Slack refusals', () => {
  it.each([
    ['not_in_channel', 'not-in-channel'],
    ['channel_not_found', 'channel-not-found'],
    ['is_archived', 'archived'],
    ['restricted_action', 'no-permission'],
    ['missing_scope', 'no-permission'],
    ['msg_too_long', 'too-large'],
    ['internal_error', 'unavailable'],
    ['invalid_blocks', 'other'],
  ] as const)('%s is %s', (code, reason) => {
    const failure = deliveryError('chat.postMessage', slackRefusal(code));
    expect(failure.reason).toBe(reason);
    expect(failure.message).toContain(code);
  });

  it('a 429 is rate-limited with its Retry-After, and retryable; an unreachable Slack is retryable, a refusal is not', () => {
    const limited = deliveryError('chat.postMessage', Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 7 }));
    expect([limited.reason, limited.retryAfterMs, limited.retryable]).toEqual(['rate-limited', 7000, true]);
    const unreachable = deliveryError('chat.postMessage', Object.assign(new Error('ECONNRESET'), { code: 'slack_webapi_request_error' }));
    expect([unreachable.reason, unreachable.retryable]).toEqual(['unavailable', true]);
    const http = deliveryError('chat.postMessage', Object.assign(new Error('HTTP 503'), { code: 'slack_webapi_http_error', statusCode: 503 }));
    expect(http.reason).toBe('unavailable');
    expect(deliveryError('chat.postMessage', slackRefusal('not_in_channel')).retryable).toBe(false);
  });
});

describe('Discord refusals', () => {
  it.each([
    [50001, 403, 'not-in-channel'],
    [10003, 404, 'channel-not-found'],
    [50013, 403, 'no-permission'],
    [50007, 403, 'no-permission'],
    [160005, 400, 'archived'],
    [40005, 413, 'too-large'],
    [50035, 400, 'other'],
    [0, 502, 'unavailable'],
  ] as const)('code %i (HTTP %i) is %s', (code, status, reason) => {
    expect(discordFailureReason(code, status)).toBe(reason);
  });
});

describe('the words for an undelivered post', () => {
  it('exist for every reason on both platforms in both languages, and say where', () => {
    for (const platform of ['slack', 'discord'] as const) {
      for (const reason of DELIVERY_FAILURE_REASONS) {
        for (const locale of ['en-US', 'zh-CN'] as const) {
          const said = whyUndelivered(translator(locale), platform, new ChatDeliveryError('refused', undefined, { reason }), '#C0PRIVATE');
          expect(said).toContain('#C0PRIVATE');
          expect(said).not.toMatch(/\{\w+\}/);
        }
        expect(DELIVERY_TEXTS[platform][reason]['zh-CN']).not.toBe(DELIVERY_TEXTS[platform][reason]['en-US']);
      }
    }
  });

  it('tell a Slack operator to invite the bot, in Chinese as well', () => {
    const error = new ChatDeliveryError('refused', undefined, { reason: 'not-in-channel' });
    expect(whyUndelivered(translator('en-US'), 'slack', error, '#ops-private')).toBe('the bot is not in #ops-private: invite it with /invite @coc, or run from a channel it is in');
    expect(whyUndelivered(translator('zh-CN'), 'slack', error, '#ops-private')).toContain('/invite @coc');
  });
});
