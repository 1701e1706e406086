/**
 * The Web API client every call of the adapter goes through. It never retries by itself: a
 * post that timed out may have arrived, and sending it again would show it twice. A 429 comes
 * back at once with its Retry-After (the caller decides when to come back) instead of pausing
 * every call of the bot behind it.
 */
import { LogLevel, webApi } from '@slack/bolt';
import { boltLogger } from './logger.js';

export interface SlackClientOptions {
  /** `https://slack.com/api/` unless a test points it at a fake. */
  readonly slackApiUrl?: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  readonly logLevel?: LogLevel;
}

/** The options Bolt's own clients get too, so they behave the same. */
export function slackClientOptions(options: SlackClientOptions): webApi.WebClientOptions {
  return {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    logger: boltLogger(options.log, options.logLevel),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
  };
}

export function slackWebClient(token: string, options: SlackClientOptions): webApi.WebClient {
  return new webApi.WebClient(token, slackClientOptions(options));
}
