import { z } from 'zod';
import { nonEmpty, wholeNumber } from '../fields.js';

export const approvalsSchema = z
  .strictObject({
    channel: z
      .strictObject({
        slack: nonEmpty()
          .optional()
          .meta({ description: 'Slack channel id for approval requests.', env: 'SLACK_APPROVAL_CHANNEL' }),
        discord: nonEmpty()
          .optional()
          .meta({ description: 'Discord channel id for approval requests.', env: 'DISCORD_APPROVAL_CHANNEL' }),
      })
      .prefault({})
      .meta({ description: 'Where approval requests are posted. Unset = in the channel where the script was requested.' }),
    expiryMinutes: wholeNumber(1, 1440)
      .default(30)
      .meta({ description: 'Minutes an approval request stays open before it expires.', env: 'COC_APPROVAL_EXPIRY_MINUTES' }),
  })
  .prefault({})
  .meta({ description: 'Second-person approval of HIGH-risk scripts.' });

export type ApprovalsConfig = z.infer<typeof approvalsSchema>;
