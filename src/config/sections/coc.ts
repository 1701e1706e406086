import { z } from 'zod';
import { nonEmpty, secretString, serviceUrl, wholeNumber } from '../fields.js';
import { EVEN_WITH_FIELD_ERRORS, isSet, record, reportRule } from '../rules.js';

/** COC is served from three sites; the region id picks the site, not where resources live. */
export const COC_REGIONS = ['cn-north-4', 'ap-southeast-3', 'eu-west-101'] as const;
export type CocRegion = (typeof COC_REGIONS)[number];

export const COC_ENDPOINTS: Readonly<Record<CocRegion, string>> = {
  'cn-north-4': 'https://coc.myhuaweicloud.com',
  'ap-southeast-3': 'https://coc-intl.myhuaweicloud.com',
  'eu-west-101': 'https://coc-eu-west-101-open-api.myhuaweicloud.eu',
};

/** Where IAM password tokens are issued for each site. */
export const IAM_ENDPOINTS: Readonly<Record<CocRegion, string>> = {
  'cn-north-4': 'https://iam.cn-north-4.myhuaweicloud.com',
  'ap-southeast-3': 'https://iam.ap-southeast-3.myhuaweicloud.com',
  'eu-west-101': 'https://iam.eu-west-101.myhuaweicloud.eu',
};

export const COC_LANGUAGES = ['en-us', 'zh-cn'] as const;

const iamSchema = z
  .strictObject({
    endpoint: serviceUrl()
      .optional()
      .meta({ description: 'IAM endpoint that issues tokens. Default: the IAM endpoint of coc.region.', env: 'COC_IAM_ENDPOINT' }),
    domain: nonEmpty()
      .optional()
      .meta({ description: 'Account (domain) name the IAM user belongs to.', env: 'COC_IAM_DOMAIN' }),
    user: nonEmpty().optional().meta({ description: 'IAM user name the bot logs in as.', env: 'COC_IAM_USER' }),
    password: secretString()
      .optional()
      .meta({ description: "That IAM user's password.", env: 'COC_IAM_PASSWORD', secret: true }),
    project: nonEmpty()
      .optional()
      .meta({ description: 'Project name the token is scoped to. Default: coc.region.', env: 'COC_IAM_PROJECT' }),
  })
  .prefault({})
  .meta({ description: 'IAM token authentication (alternative to AK/SK): the bot logs in with a password and caches the token.' });

const authSchema = z
  .strictObject({
    ak: secretString()
      .optional()
      .meta({ description: 'Access key id (AK) for request signing.', env: 'COC_AK', secret: true }),
    sk: secretString()
      .optional()
      .meta({ description: 'Secret access key (SK) that goes with the AK.', env: 'COC_SK', secret: true }),
    securityToken: secretString()
      .optional()
      .meta({ description: 'Security token, only for temporary AK/SK.', env: 'COC_SECURITY_TOKEN', secret: true }),
    projectId: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,64}$/, { error: 'must be a project id (letters and digits, as shown under My Credentials)' })
      .optional()
      .meta({ description: 'Project id of coc.region, sent with AK/SK requests.', env: 'COC_PROJECT_ID' }),
    iam: iamSchema,
  })
  .prefault({})
  .meta({
    description:
      'Credentials for the real COC: either AK/SK (ak, sk, projectId) or an IAM user (iam.*). Without any, the bot uses the built-in simulator.',
  });

export const cocSchema = z
  .strictObject({
    endpoint: serviceUrl()
      .optional()
      .meta({ description: 'COC endpoint. Default: the endpoint of coc.region.', env: 'COC_ENDPOINT' }),
    region: z
      .enum(COC_REGIONS)
      .default('cn-north-4')
      .meta({ description: 'COC site: cn-north-4 (Chinese mainland), ap-southeast-3 (international), eu-west-101 (EU).', env: 'COC_REGION' }),
    auth: authSchema,
    timeoutMs: wholeNumber(1000, 300_000)
      .default(15_000)
      .meta({ description: 'Time limit of one COC request, in milliseconds.', env: 'COC_TIMEOUT_MS' }),
    commandDeadlineMs: wholeNumber(1000, 600_000)
      .default(30_000)
      .meta({
        description: "How long one command may wait for COC's answers to its reads, in all, in milliseconds: then it says COC did not answer. Writes keep their own time limit.",
        env: 'COC_COMMAND_DEADLINE_MS',
      }),
    language: z
      .enum(COC_LANGUAGES)
      .default('en-us')
      .meta({ description: 'Language of COC messages (X-Language header).', env: 'COC_LANGUAGE' }),
    integrationKey: secretString()
      .optional()
      .meta({
        description:
          'Integration key of a COC custom-event integration, used by the alarm command to raise and clear alarms. Unset: alarm is refused (the built-in simulator uses its own key).',
        env: 'COC_INTEGRATION_KEY',
        secret: true,
      }),
  })
  .superRefine((coc, ctx) => {
    const auth = record(coc.auth);
    const iam = record(auth['iam']);
    const [ak, sk, securityToken, projectId] = [auth['ak'], auth['sk'], auth['securityToken'], auth['projectId']].map(isSet);
    const usesKeys = ak || sk;
    const usesPassword = isSet(iam['domain']) || isSet(iam['user']) || isSet(iam['password']);
    const region = typeof coc.region === 'string' ? coc.region : 'coc.region';

    if (usesKeys && usesPassword) {
      reportRule(ctx, ['auth'], 'both AK/SK and IAM password credentials are set', {
        text: 'keep one: remove coc.auth.iam.domain/user/password (COC_IAM_*) or coc.auth.ak/sk (COC_AK, COC_SK)',
      });
    }
    if (ak && !sk) {
      reportRule(ctx, ['auth', 'sk'], 'missing: an access key is set without its secret key', {
        set: ['coc', 'auth', 'sk'],
        orElse: `remove coc.auth.ak (COC_AK) to use the built-in simulator`,
      });
    }
    if (sk && !ak) {
      reportRule(ctx, ['auth', 'ak'], 'missing: a secret key is set without its access key', {
        set: ['coc', 'auth', 'ak'],
        orElse: `remove coc.auth.sk (COC_SK) to use the built-in simulator`,
      });
    }
    if (usesKeys && !projectId) {
      reportRule(ctx, ['auth', 'projectId'], `missing: AK/SK requests need the project id of ${region}`, {
        set: ['coc', 'auth', 'projectId'],
        to: `the id of project ${region} (My Credentials > API Credentials)`,
      });
    }
    if (securityToken && !usesKeys) {
      reportRule(ctx, ['auth', 'securityToken'], 'a security token is only used with a temporary AK/SK', {
        set: ['coc', 'auth', 'ak'],
        orElse: 'remove coc.auth.securityToken (COC_SECURITY_TOKEN)',
      });
    }
    if (usesPassword) {
      for (const field of ['domain', 'user', 'password'] as const) {
        if (!isSet(iam[field])) {
          reportRule(ctx, ['auth', 'iam', field], 'missing: IAM token login needs domain, user and password', {
            set: ['coc', 'auth', 'iam', field],
          });
        }
      }
    }
    if (isSet(coc.endpoint) && !usesKeys && !usesPassword) {
      reportRule(ctx, ['endpoint'], 'an endpoint is set but no credentials to call it with', {
        set: ['coc', 'auth', 'ak'],
        to: 'an access key (with coc.auth.sk and coc.auth.projectId), or set the coc.auth.iam options',
        orElse: 'remove it to use the built-in simulator',
      });
    }
  }, EVEN_WITH_FIELD_ERRORS)
  .prefault({})
  .meta({ description: 'Huawei Cloud COC. With no credentials at all, the built-in simulator is used instead.' });

export type CocConfig = z.infer<typeof cocSchema>;
