/**
 * The bot's configuration: a JSON file (COC_CHATOPS_CONFIG or ./coc-chatops.json) with
 * environment variables on top, checked by one zod schema. See config.example.json.
 */
export { configSchema, type Config, type ConfigInput } from './config/schema.js';
export {
  loadConfig,
  requireConfig,
  InvalidConfigError,
  type LoadConfigOptions,
  type LoadConfigResult,
  type ConfigSource,
} from './config/load.js';
export type { ConfigProblem } from './config/problems.js';
export { Secret, REDACTED } from './config/secret.js';
export { redactConfig, type Redacted } from './config/redact.js';
export {
  backendTimeoutMs,
  bluekingConnection,
  bluekingSettingsFrom,
  cocConnection,
  commandDeadlineMs,
  enabledAdapters,
  storeOptionsFrom,
  UnvalidatedConfigError,
  type BluekingConnection,
  type BluekingSimulatorPlace,
  type CocAuth,
  type CocConnection,
  type EnabledAdapters,
} from './config/derived.js';
export { summarizeConfig } from './config/summary.js';
export { checkConfig, type CheckReport } from './config/check.js';
export { configOptions, type OptionInfo } from './config/catalogue.js';
export { CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE } from './config/sources.js';
export { COC_REGIONS, COC_ENDPOINTS, IAM_ENDPOINTS, COC_LANGUAGES, type CocRegion } from './config/sections/coc.js';
export { BACKEND_KINDS, BLUEKING_RISK_LEVELS, type BackendKind } from './config/sections/blueking.js';
export { APPROVAL_HOLDERS, type ApprovalHolder } from './config/sections/approvals.js';
export { COMMAND_FAMILIES, type CommandFamily } from './config/sections/policy.js';
export { SLACK_MODES } from './config/sections/slack.js';
export { DISCORD_MODES } from './config/sections/discord.js';
export type { IdentityMappingConfig } from './config/sections/identity.js';
