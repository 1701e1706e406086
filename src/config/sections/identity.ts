import { z } from 'zod';
import { nonEmpty } from '../fields.js';
import { EVEN_WITH_FIELD_ERRORS, isRecord, reportRule } from '../rules.js';
import { CHAT_PLATFORMS, LOCALES, ROLES } from '../../store/vocabulary.js';

/**
 * Mappings are keyed by the platforms' immutable ids. A display name in their place would
 * never match, or worse, match whoever takes that name, so the id formats are checked here.
 */
const ID_FORMATS: Record<(typeof CHAT_PLATFORMS)[number], { workspace: RegExp; user: RegExp; hint: string } | undefined> = {
  slack: {
    workspace: /^[TE][A-Z0-9]{2,}$/,
    user: /^[UW][A-Z0-9]{2,}$/,
    hint: 'Slack ids look like T0123ABCD (workspace) and U0123ABCD (member: profile > ⋮ > Copy member ID)',
  },
  discord: {
    workspace: /^\d{17,20}$/,
    user: /^\d{17,20}$/,
    hint: 'Discord ids are 17-20 digits (Developer Mode, then right-click > Copy Server ID / Copy User ID)',
  },
  shell: undefined,
};

const mappingSchema = z
  .strictObject({
    platform: z.enum(CHAT_PLATFORMS).meta({ description: 'slack, discord or shell (the terminal).' }),
    workspace: nonEmpty().meta({ description: 'Slack team id (T…), Discord server id, or "local" for the shell.' }),
    user: nonEmpty().meta({ description: 'Slack member id (U…), Discord user id, or the shell user name. Never a display name.' }),
    iamUser: nonEmpty().meta({ description: 'IAM user name this chat user acts as in COC.' }),
    iamUserId: nonEmpty().optional().meta({ description: 'IAM user id, when known.' }),
    role: z.enum(ROLES).meta({ description: 'viewer (read), operator (run, pause, cancel), approver (also approve others), admin (everything).' }),
    locale: z.enum(LOCALES).optional().meta({ description: 'Language of replies to this user. Default: locale.' }),
    credentialRef: nonEmpty()
      .optional()
      .meta({ description: "Name of this user's own COC credential, kept outside this file. Unset = the bot's credentials." }),
  })
  .superRefine((mapping, ctx) => {
    const format = (CHAT_PLATFORMS as readonly unknown[]).includes(mapping.platform) ? ID_FORMATS[mapping.platform] : undefined;
    if (!format) return;
    if (typeof mapping.workspace === 'string' && !format.workspace.test(mapping.workspace)) {
      reportRule(ctx, ['workspace'], `is not a ${mapping.platform} workspace id`, { text: format.hint });
    }
    if (typeof mapping.user === 'string' && !format.user.test(mapping.user)) {
      reportRule(ctx, ['user'], `is not a ${mapping.platform} user id`, { text: format.hint });
    }
  }, EVEN_WITH_FIELD_ERRORS);

const workspaceSchema = z.strictObject({
  platform: z.enum(CHAT_PLATFORMS).meta({ description: 'slack, discord or shell.' }),
  workspace: nonEmpty().meta({ description: 'Slack team id (T…), Discord server id, or "local" for the shell.' }),
  locale: z.enum(LOCALES).meta({ description: 'Language of replies in this workspace, for people who did not choose one.' }),
});

export const identitySchema = z
  .strictObject({
    workspaces: z
      .array(workspaceSchema)
      .default([])
      .meta({ description: "Per-workspace language: a person's own language wins, then their workspace's, then locale." }),
    mappings: z
      .array(mappingSchema)
      .default([])
      .meta({ description: 'Who may use the bot: each chat user mapped to an IAM user and a role. Anyone not listed is refused.' }),
  })
  .superRefine((identity, ctx) => {
    if (!Array.isArray(identity.mappings)) return;
    const seen = new Map<string, number>();
    identity.mappings.forEach((mapping: unknown, index) => {
      if (!isRecord(mapping)) return;
      const key = JSON.stringify([mapping['platform'], mapping['workspace'], mapping['user']]);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
        return;
      }
      reportRule(ctx, ['mappings', index], `maps the same ${String(mapping['platform'])} user as identity.mappings[${first}]`, {
        text: 'keep one mapping per platform, workspace and user',
      });
    });
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Chat users and the IAM users they act as. Mappings can also be added from chat by an admin.' });

export type IdentityConfig = z.infer<typeof identitySchema>;
export type IdentityMappingConfig = IdentityConfig['mappings'][number];
