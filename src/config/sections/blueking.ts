import { z } from 'zod';
import { nonEmpty, secretString, serviceUrl, wholeNumber } from '../fields.js';
import { EVEN_WITH_FIELD_ERRORS, isRecord, isSet, record, reportRule } from '../rules.js';

/** The operations platforms a deployment can use; one per deployment. */
export const BACKEND_KINDS = ['coc', 'blueking'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** The levels a risk rule may give a script; a script no rule matches counts as HIGH. */
export const BLUEKING_RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;

/** The fields of a risk rule that pick scripts; a rule needs at least one, or it would match every script. */
export const RISK_RULE_MATCHERS = ['scriptId', 'namePattern', 'biz'] as const;

/** BlueKing ids (business, script, ITSM service) are positive integers well inside JSON's exact range. */
const bluekingId = () => wholeNumber(1, Number.MAX_SAFE_INTEGER);

const riskRuleSchema = z
  .strictObject({
    scriptId: bluekingId()
      .optional()
      .meta({ description: "The script's id on BlueKing Job (as get_script_list shows it)." }),
    namePattern: nonEmpty()
      .optional()
      .meta({ description: "A pattern on the script's name: * any run of characters, ? one character; case-sensitive." }),
    biz: bluekingId()
      .optional()
      .meta({ description: 'The business (bk_biz_id) the script belongs to.' }),
    risk: z
      .enum(BLUEKING_RISK_LEVELS, { error: `must be one of ${BLUEKING_RISK_LEVELS.join(', ')}` })
      .meta({ description: `The risk of the scripts this rule matches: ${BLUEKING_RISK_LEVELS.join(', ')}.` }),
    sensitiveArgs: z
      .boolean({ error: 'must be true or false' })
      .optional()
      .meta({ description: "The script's parameter line carries secrets: sent as sensitive to BlueKing and masked everywhere." }),
  })
  .meta({ description: 'One rule; the first whose matchers all fit a script gives its risk.' });

export const bluekingSchema = z
  .strictObject({
    paasHost: serviceUrl()
      .optional()
      .meta({
        description: 'Base URL of the BlueKing PaaS (bk_paas_host) whose ESB the bot calls. Unset = the built-in BlueKing simulator.',
        env: 'BLUEKING_PAAS_HOST',
      }),
    appCode: nonEmpty()
      .optional()
      .meta({ description: "The bot's application code (bk_app_code); the app must be on ESB's skip-user-auth list.", env: 'BLUEKING_APP_CODE' }),
    appSecret: secretString()
      .optional()
      .meta({ description: "The application's secret (bk_app_secret).", env: 'BLUEKING_APP_SECRET', secret: true }),
    serviceUser: nonEmpty()
      .optional()
      .meta({
        description: "The BlueKing user the bot's own background reads (live cards, recovery) act as. People act as their mapped user.",
        env: 'BLUEKING_SERVICE_USER',
      }),
    defaultBiz: bluekingId()
      .optional()
      .meta({
        description: "The business (bk_biz_id) commands act in unless a person names another. Required with paasHost; the simulator's own otherwise.",
        env: 'BLUEKING_DEFAULT_BIZ',
      }),
    defaultAccount: nonEmpty()
      .default('root')
      .meta({ description: 'The OS account (its alias on Job) scripts run as unless a person names another.', env: 'BLUEKING_DEFAULT_ACCOUNT' }),
    timeoutMs: wholeNumber(1000, 300_000)
      .default(15_000)
      .meta({ description: 'Time limit of one BlueKing request, in milliseconds.', env: 'BLUEKING_TIMEOUT_MS' }),
    commandDeadlineMs: wholeNumber(1000, 600_000)
      .default(30_000)
      .meta({
        description: "How long one command may wait for BlueKing's answers to its reads, in all, in milliseconds: then it says BlueKing did not answer. Writes keep their own time limit.",
        env: 'BLUEKING_COMMAND_DEADLINE_MS',
      }),
    risk: z
      .array(riskRuleSchema)
      .default([])
      .meta({ description: "How risky each BlueKing script is, by script id, name pattern or business; the first matching rule wins and a script no rule matches counts as HIGH." }),
    itsm: z
      .strictObject({
        serviceId: bluekingId()
          .optional()
          .meta({ description: "The ITSM service whose tickets carry approvals; required when approvals.via is itsm with a paasHost (the simulator's own otherwise).", env: 'BLUEKING_ITSM_SERVICE_ID' }),
      })
      .prefault({})
      .meta({ description: 'BlueKing ITSM, for approvals.via itsm.' }),
    callbackBaseUrl: serviceUrl()
      .optional()
      .meta({
        description:
          "The bot's public base URL that BlueKing Job calls when a run's batch ends (<url>/bk/job-done/…), so a batch whose answer was lost can still be recognised. Unset = no callbacks.",
        env: 'BLUEKING_CALLBACK_BASE_URL',
      }),
  })
  .superRefine((blueking, ctx) => {
    const paasHost = isSet(blueking.paasHost);
    if (paasHost) {
      const needed = [
        ['appCode', 'the application code'],
        ['appSecret', "the application's secret"],
        ['serviceUser', "the BlueKing user the bot's own reads act as"],
        ['defaultBiz', 'the business commands act in (bk_biz_id)'],
      ] as const;
      for (const [field, what] of needed) {
        if (!isSet(blueking[field])) {
          reportRule(ctx, [field], `missing: calling BlueKing at blueking.paasHost needs ${what}`, {
            set: ['blueking', field],
            orElse: 'remove blueking.paasHost (BLUEKING_PAAS_HOST) to use the built-in simulator',
          });
        }
      }
    } else {
      // The simulator has its own application and users; credentials meant for a real BlueKing are a mistake here.
      const stray = (['appCode', 'appSecret', 'serviceUser'] as const).filter((field) => isSet(blueking[field]));
      if (stray.length > 0) {
        reportRule(ctx, ['paasHost'], `${stray.map((field) => `blueking.${field}`).join(', ')} ${stray.length === 1 ? 'is' : 'are'} set but no PaaS host to call`, {
          set: ['blueking', 'paasHost'],
          to: 'the https:// address of your BlueKing PaaS',
          orElse: `remove ${stray.map((field) => `blueking.${field}`).join(', ')} to use the built-in simulator`,
        });
      }
    }
    const rules: unknown = blueking.risk;
    if (Array.isArray(rules)) {
      rules.forEach((rule: unknown, index) => {
        if (!isRecord(rule)) return;
        if (RISK_RULE_MATCHERS.some((matcher) => isSet(record(rule)[matcher]))) return;
        reportRule(ctx, ['risk', index], `a risk rule needs at least one of ${RISK_RULE_MATCHERS.join(', ')}; without one it would match every script`, {
          text: `give blueking.risk[${index}] a scriptId, a namePattern or a biz, or remove it`,
        });
      });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Tencent BlueKing (backend blueking). With no paasHost, the built-in BlueKing simulator is used instead.' });

export type BluekingConfig = z.infer<typeof bluekingSchema>;
