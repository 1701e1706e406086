import { z } from 'zod';
import { reportRule } from './rules.js';
import { approvalsSchema, reportApproverRules } from './sections/approvals.js';
import { BACKEND_KINDS, bluekingSchema } from './sections/blueking.js';
import { cocSchema } from './sections/coc.js';
import { discordSchema } from './sections/discord.js';
import { identitySchema } from './sections/identity.js';
import { incidentsSchema } from './sections/incidents.js';
import { opsPortOf, opsSchema } from './sections/ops.js';
import { policySchema } from './sections/policy.js';
import { shellSchema } from './sections/shell.js';
import { simSchema } from './sections/sim.js';
import { slackSchema } from './sections/slack.js';
import { storeSchema } from './sections/store.js';
import { trackerSchema } from './sections/tracker.js';
import { runbookTrackerSchema } from './sections/runbook-tracker.js';
import { LOCALES } from '../store/vocabulary.js';

/** Rules across the backend choice and the sections that depend on it. */
function reportBackendRules(
  config: { backend: string; approvals: { via: string }; blueking: { paasHost?: string | undefined; itsm: { serviceId?: number | undefined } } },
  ctx: z.RefinementCtx,
): void {
  if (config.approvals.via !== 'itsm') return;
  if (config.backend !== 'blueking') {
    reportRule(ctx, ['approvals', 'via'], `itsm approvals need BlueKing ITSM, but the backend is ${config.backend}`, {
      set: ['approvals', 'via'],
      to: 'bot',
      orElse: 'set COC_CHATOPS_BACKEND or backend to blueking',
    });
  } else if (config.blueking.paasHost !== undefined && config.blueking.itsm.serviceId === undefined) {
    // The built-in simulator has an approval service of its own; a real BlueKing's must be named.
    reportRule(ctx, ['blueking', 'itsm', 'serviceId'], 'missing: approvals.via itsm opens tickets of one ITSM service', {
      set: ['blueking', 'itsm', 'serviceId'],
      to: 'the id of the ITSM service with the approval node',
      orElse: 'set approvals.via to bot',
    });
  }
}

/** The whole configuration: the file's shape, its defaults, its environment variables and its rules. */
export const configSchema = z
  .strictObject({
    backend: z
      .enum(BACKEND_KINDS, { error: `must be one of ${BACKEND_KINDS.join(', ')}` })
      .default('coc')
      .meta({ description: 'The operations platform: coc (Huawei Cloud COC) or blueking (Tencent BlueKing).', env: 'COC_CHATOPS_BACKEND' }),
    coc: cocSchema,
    blueking: bluekingSchema,
    sim: simSchema,
    store: storeSchema,
    slack: slackSchema,
    discord: discordSchema,
    shell: shellSchema,
    identity: identitySchema,
    policy: policySchema,
    approvals: approvalsSchema,
    incidents: incidentsSchema,
    tracker: trackerSchema,
    runbookTracker: runbookTrackerSchema,
    ops: opsSchema,
    locale: z
      .enum(LOCALES)
      .default('en-US')
      .meta({ description: 'Default language of replies: en-US or zh-CN.', env: 'COC_CHATOPS_LOCALE' }),
  })
  .superRefine((config, ctx) => {
    if (config.shell.enabled === false && !config.slack.botToken && !config.discord.botToken) {
      reportRule(ctx, ['shell', 'enabled'], 'no adapter is enabled: the bot would listen to nobody', {
        set: ['shell', 'enabled'],
        to: 'true',
        orElse: 'configure Slack (slack.botToken) or Discord (discord.botToken)',
      });
    }
    reportBackendRules(config, ctx);
    reportApproverRules(config, ctx);
    // Two HTTP listeners cannot share a port.
    const listeners: { path: string[]; port: number }[] = [];
    if (config.slack.botToken && config.slack.mode === 'http') listeners.push({ path: ['slack', 'port'], port: config.slack.port });
    if (config.discord.botToken && config.discord.mode === 'http') {
      listeners.push({ path: ['discord', 'port'], port: config.discord.port });
    }
    if (config.sim.port) listeners.push({ path: ['sim', 'port'], port: config.sim.port });
    const opsPort = opsPortOf(config.ops, { slack: config.slack.botToken !== undefined, discord: config.discord.botToken !== undefined });
    if (opsPort !== undefined) listeners.push({ path: ['ops', 'port'], port: opsPort });
    listeners.forEach((listener, index) => {
      const earlier = listeners.slice(0, index).find((other) => other.port === listener.port);
      if (earlier) {
        reportRule(ctx, listener.path, `port ${listener.port} is already used by ${earlier.path.join('.')}`, {
          set: listener.path,
          to: 'another port',
        });
      }
    });
  })
  .meta({ description: 'coc-chatops configuration. Every option can be left out; environment variables override the file.' });

export type Config = z.infer<typeof configSchema>;
/** What the file may contain (before defaults and secrets are applied). */
export type ConfigInput = z.input<typeof configSchema>;
