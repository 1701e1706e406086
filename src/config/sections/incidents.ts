import { z } from 'zod';
import { nonEmpty, wholeNumber } from '../fields.js';
import { EVEN_WITH_FIELD_ERRORS, isRecord, reportRule } from '../rules.js';

export const SLACK_INCIDENT_PLACE_MODES = ['channel', 'private-channel', 'thread'] as const;

export const incidentsSchema = z
  .strictObject({
    summaryMinutes: wholeNumber(0, 1440)
      .default(30)
      .meta({
        description: 'Minutes between two summaries posted in an open incident’s channel (0-1440); 0 = no periodic summaries.',
        env: 'COC_INCIDENT_SUMMARY_MINUTES',
      }),
    pollSeconds: wholeNumber(5, 3600)
      .default(30)
      .meta({ description: 'How often open incidents are read from COC to post their status changes, in seconds (5-3600).', env: 'COC_INCIDENT_POLL_SECONDS' }),
    alarmApplication: z
      .string()
      .regex(/^[0-9a-f]{24}$/i, { error: 'must be a COC application id: 24 hex characters, e.g. 6470681a31da2a47ed50a919' })
      .optional()
      .meta({
        description: 'The COC application id an alarm raised with "alarm" is filed under when --app is not given (COC requires one; 24 hex characters). Unset: "alarm" asks for --app.',
        env: 'COC_ALARM_APPLICATION',
      }),
    announce: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .meta({
        description: 'Also open a notification place for incidents created in COC itself (found by polling), not only for those created from chat.',
        env: 'COC_INCIDENT_ANNOUNCE',
      }),
    slack: z
      .strictObject({
        mode: z
          .enum(SLACK_INCIDENT_PLACE_MODES)
          .default('thread')
          .meta({
            description: 'channel: a new public Slack channel per incident. private-channel: a new private one (only the people invited see it). thread: a thread in slack.channel (or, unset, where the incident was created).',
            env: 'SLACK_INCIDENT_MODE',
          }),
        channel: nonEmpty()
          .optional()
          .meta({ description: 'Slack channel id where incident threads are opened (thread mode).', env: 'SLACK_INCIDENT_CHANNEL' }),
        workspace: nonEmpty()
          .optional()
          .meta({ description: 'Slack team id (T…) in which incidents found by polling are announced.', env: 'SLACK_INCIDENT_WORKSPACE' }),
      })
      .prefault({})
      .meta({ description: 'Where incident notifications go in Slack.' }),
    discord: z
      .strictObject({
        channel: nonEmpty()
          .optional()
          .meta({ description: 'Discord channel id in which a thread is opened per incident; unset = where the incident was created.', env: 'DISCORD_INCIDENT_CHANNEL' }),
        workspace: nonEmpty()
          .optional()
          .meta({ description: 'Discord server (guild) id in which incidents found by polling are announced.', env: 'DISCORD_INCIDENT_WORKSPACE' }),
      })
      .prefault({})
      .meta({ description: 'Where incident notifications go in Discord.' }),
  })
  .superRefine((incidents, ctx) => {
    const slack: Record<string, unknown> = isRecord(incidents.slack) ? incidents.slack : {};
    if (slack['mode'] === 'thread' && slack['workspace'] !== undefined && slack['channel'] === undefined) {
      reportRule(ctx, ['slack', 'channel'], 'missing: incidents found by polling are announced in a thread, which needs a parent channel', {
        set: ['incidents', 'slack', 'channel'],
        to: 'the Slack channel id for incident threads',
        orElse: 'set incidents.slack.mode to channel',
      });
    }
    const discord: Record<string, unknown> = isRecord(incidents.discord) ? incidents.discord : {};
    if (discord['workspace'] !== undefined && discord['channel'] === undefined) {
      reportRule(ctx, ['discord', 'channel'], 'missing: incidents found by polling are announced in a thread, which needs a parent channel', {
        set: ['incidents', 'discord', 'channel'],
        to: 'the Discord channel id for incident threads',
      });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Incidents: where their notifications go, how often they are read from COC, and periodic summaries.' });

export type IncidentsConfig = z.infer<typeof incidentsSchema>;
