import { z } from 'zod';
import { port, secretString, serviceUrl, wholeNumber } from '../fields.js';
import { MAX_IN_FLIGHT } from '../../adapters/slack/limits.js';
import { EVEN_WITH_FIELD_ERRORS, isSet, reportRule } from '../rules.js';
import { checkBudgetFitsBody, HTTP_LIMIT_DEFAULTS, maxBodyBytesField, maxConnectionsField, maxConnectionsPerAddressField, pendingBodyBytesField } from './http-limits.js';

export const SLACK_MODES = ['socket', 'http'] as const;

export const slackSchema = z
  .strictObject({
    botToken: secretString((text) => text.startsWith('xoxb-', { error: 'must be a bot token (starting with xoxb-)' }))
      .optional()
      .meta({ description: 'Bot token from OAuth & Permissions (xoxb-…). Setting it enables Slack.', env: 'SLACK_BOT_TOKEN', secret: true }),
    appToken: secretString((text) => text.startsWith('xapp-', { error: 'must be an app-level token (starting with xapp-)' }))
      .optional()
      .meta({ description: 'App-level token with connections:write (xapp-…), for Socket Mode.', env: 'SLACK_APP_TOKEN', secret: true }),
    signingSecret: secretString()
      .optional()
      .meta({ description: 'Signing secret from Basic Information, to verify requests in HTTP mode.', env: 'SLACK_SIGNING_SECRET', secret: true }),
    mode: z
      .enum(SLACK_MODES)
      .default('socket')
      .meta({ description: 'socket: outbound WebSocket, no public URL needed. http: Slack calls https://<host>/slack/events.', env: 'SLACK_MODE' }),
    port: port()
      .default(3000)
      .meta({ description: 'Port the HTTP receiver listens on (http mode only).', env: 'SLACK_PORT' }),
    maxBodyBytes: maxBodyBytesField('Slack', HTTP_LIMIT_DEFAULTS.slackMaxBodyBytes, 'SLACK_MAX_BODY_BYTES'),
    maxConnections: maxConnectionsField('SLACK_MAX_CONNECTIONS'),
    maxConnectionsPerAddress: maxConnectionsPerAddressField('SLACK_MAX_CONNECTIONS_PER_ADDRESS'),
    pendingBodyBytes: pendingBodyBytesField('SLACK_PENDING_BODY_BYTES'),
    maxInFlight: wholeNumber(1, 100_000)
      .default(MAX_IN_FLIGHT)
      .meta({
        description: `Commands and clicks taken in and not yet answered (1-100000) past which new ones are answered at once "busy, try again in n s" and nothing is done for them (overload is shed, never hoarded).`,
        env: 'SLACK_MAX_IN_FLIGHT',
      }),
    apiUrl: serviceUrl()
      .optional()
      .meta({ description: 'Slack Web API base URL; unset = https://slack.com/api/ (GovSlack: https://slack-gov.com/api/).', env: 'SLACK_API_URL' }),
  })
  .superRefine((slack, ctx) => {
    checkBudgetFitsBody(slack, ctx, 'slack');
    const enabled = isSet(slack.botToken);
    if (!enabled) {
      if (isSet(slack.appToken) || isSet(slack.signingSecret)) {
        reportRule(ctx, ['botToken'], 'missing: Slack is half configured (an app token or signing secret without a bot token)', {
          set: ['slack', 'botToken'],
          to: 'the bot token (xoxb-…)',
          orElse: 'remove the other Slack settings to run without Slack',
        });
      }
      return;
    }
    if (slack.mode === 'socket' && !isSet(slack.appToken)) {
      reportRule(ctx, ['appToken'], 'missing: Socket Mode needs an app-level token', {
        set: ['slack', 'appToken'],
        to: 'an app-level token with connections:write (xapp-…)',
        orElse: 'set slack.mode to http (SLACK_MODE=http)',
      });
    }
    if (slack.mode === 'http' && !isSet(slack.signingSecret)) {
      reportRule(ctx, ['signingSecret'], 'missing: HTTP mode needs the signing secret to verify requests', {
        set: ['slack', 'signingSecret'],
        to: 'the signing secret from Basic Information',
        orElse: 'use Socket Mode (SLACK_MODE=socket)',
      });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Slack app. Enabled when slack.botToken is set.' });

export type SlackConfig = z.infer<typeof slackSchema>;
