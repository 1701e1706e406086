import { z } from 'zod';
import { nonEmpty } from '../fields.js';
import { EVEN_WITH_FIELD_ERRORS, isRecord, reportRule } from '../rules.js';
import { CHAT_PLATFORMS } from '../../store/vocabulary.js';

/** The command families a channel can allow (one per file in commands/). */
export const COMMAND_FAMILIES = [
  'run',
  'scripts',
  'orders',
  'incident',
  'warroom',
  'hosts',
  'patch',
  'alarm',
  'change',
  'runbook',
  'tasks',
  'notify',
  'whoami',
  'help',
  'audit',
  'admin',
] as const;
export type CommandFamily = (typeof COMMAND_FAMILIES)[number];

const families = z.array(z.enum(COMMAND_FAMILIES));

const channelRuleSchema = z.strictObject({
  platform: z.enum(CHAT_PLATFORMS).meta({ description: 'slack, discord or shell.' }),
  channel: nonEmpty().meta({ description: 'Channel id (Slack C…, Discord channel id).' }),
  allow: families.meta({ description: 'Command families allowed in this channel; replaces policy.defaultAllow there.' }),
});

export const policySchema = z
  .strictObject({
    defaultAllow: families
      .default([...COMMAND_FAMILIES])
      .meta({ description: 'Command families allowed in channels not listed in policy.channels. Roles still apply.' }),
    channels: z
      .array(channelRuleSchema)
      .default([])
      .meta({ description: 'Per-channel allow lists, e.g. only read-only commands in a public channel.' }),
    allowExecutionInDms: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .meta({
        description: 'Allow running scripts and changing orders in direct messages, where nobody else sees them.',
        env: 'COC_POLICY_ALLOW_EXECUTION_IN_DMS',
      }),
  })
  .superRefine((policy, ctx) => {
    if (!Array.isArray(policy.channels)) return;
    const seen = new Map<string, number>();
    policy.channels.forEach((rule: unknown, index) => {
      if (!isRecord(rule)) return;
      const key = JSON.stringify([rule['platform'], rule['channel']]);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
        return;
      }
      reportRule(ctx, ['channels', index], `repeats the channel of policy.channels[${first}]`, {
        text: 'merge the two allow lists into one entry',
      });
    });
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Where which commands may be used. Checked before roles.' });

export type PolicyConfig = z.infer<typeof policySchema>;
