import { describePostgresUrl } from '../store/postgres-url.js';
import { bluekingConnection, cocConnection, enabledAdapters } from './derived.js';
import type { ConfigSource } from './load.js';
import type { Config } from './schema.js';
import { COMMAND_FAMILIES } from './sections/policy.js';

/** Who approves, when it is not simply the approver role. */
const APPROVERS_SUMMARY = { role: '', reviewers: "approved by the script's reviewers only; ", both: "approved by the script's reviewers with the approver role; " } as const;

/**
 * What the bot will use, as "label: value" lines. Built only from non-secret values: secrets
 * are mentioned by presence ("AK/SK signing"), never by content.
 */
export function summarizeConfig(config: Config, source: ConfigSource): [label: string, value: string][] {
  const lines: [string, string][] = [];
  lines.push(config.backend === 'blueking' ? bluekingLine(config) : cocLine(config));

  const { store } = config;
  const where = store.databaseUrl
    ? `${describePostgresUrl(store.databaseUrl.reveal())} (shared by replicas)`
    : store.dataDir === 'memory://'
      ? 'PGlite in memory (nothing kept across restarts)'
      : `PGlite in ${store.dataDir}`;
  lines.push(['Store', `${where}${store.schema ? `, schema ${store.schema}` : ''}`]);

  const adapters = enabledAdapters(config);
  const enabled: string[] = [];
  if (adapters.slack) {
    enabled.push(config.slack.mode === 'socket' ? 'Slack (Socket Mode)' : `Slack (HTTP on port ${config.slack.port})`);
  }
  if (adapters.discord) {
    const scope = config.discord.guildId ? `commands in server ${config.discord.guildId}` : 'global commands';
    const mode = config.discord.mode === 'gateway' ? 'gateway' : `HTTP on port ${config.discord.port}`;
    enabled.push(`Discord (${mode}, application ${config.discord.applicationId}, ${scope})`);
  }
  if (adapters.shell) enabled.push('terminal');
  lines.push(['Adapters', enabled.join(', ')]);

  const byPlatform = new Map<string, number>();
  for (const mapping of config.identity.mappings) byPlatform.set(mapping.platform, (byPlatform.get(mapping.platform) ?? 0) + 1);
  const counts = [...byPlatform].map(([platform, count]) => `${platform} ${count}`).join(', ');
  lines.push([
    'Identity',
    `${config.identity.mappings.length} configured mapping(s)${counts ? ` (${counts})` : ''}; unmapped users are refused`,
  ]);

  const { policy } = config;
  const allowed = policy.defaultAllow.length === COMMAND_FAMILIES.length ? 'all commands' : policy.defaultAllow.join(', ') || 'nothing';
  lines.push([
    'Policy',
    `${allowed} by default; ${policy.channels.length} channel rule(s); execution in DMs ${policy.allowExecutionInDms ? 'allowed' : 'refused'}`,
  ]);

  const channels = Object.entries(config.approvals.channel)
    .filter(([, id]) => id !== undefined)
    .map(([platform, id]) => `${platform} ${id}`);
  lines.push([
    'Approvals',
    `${APPROVERS_SUMMARY[config.approvals.approvers]}${config.approvals.via === 'itsm' ? `held in BlueKing ITSM (service ${config.blueking.itsm.serviceId}) and in chat; ` : ''}expire after ${config.approvals.expiryMinutes} min; posted ${channels.length > 0 ? `in ${channels.join(', ')}` : 'where requested'}; Run: ${Object.entries(config.approvals.riskPolicy).map(([level, step]) => `${level} ${step}`).join(', ')}`,
  ]);
  lines.push(['Locale', config.locale]);
  const from = [source.file ?? 'no config file (defaults)'];
  if (source.envVariables.length > 0) from.push(`environment: ${source.envVariables.join(', ')}`);
  lines.push(['Read from', from.join('; ')]);
  return lines;
}

function cocLine(config: Config): [string, string] {
  const coc = cocConnection(config);
  if (coc.kind === 'simulator') {
    const sim = config.sim;
    return [
      'COC',
      `built-in simulator (no COC credentials set); port ${sim.port || 'any free'}, seed ${sim.seed ?? 'default'}, tick ${sim.tickMs === undefined ? 'default' : `${sim.tickMs} ms`}`,
    ];
  }
  const auth =
    coc.auth.method === 'aksk'
      ? `AK/SK signing, project ${coc.auth.projectId}${coc.auth.securityToken ? ', temporary credentials' : ''}`
      : `IAM token of ${coc.auth.user}@${coc.auth.domain} from ${coc.auth.iamEndpoint}, project ${coc.auth.project}`;
  return ['COC', `${coc.endpoint} (site ${coc.region}); ${auth}; language ${coc.language}, timeout ${coc.timeoutMs} ms`];
}

function bluekingLine(config: Config): [string, string] {
  const { blueking } = config;
  const connection = bluekingConnection(config);
  const rules = `${blueking.risk.length} risk rule(s), unmatched scripts HIGH`;
  const callbacks = blueking.callbackBaseUrl ? `Job calls back ${blueking.callbackBaseUrl}` : 'no Job callbacks';
  if (connection.kind === 'simulator') {
    const sim = connection.sim;
    return [
      'BlueKing',
      `built-in BlueKing simulator (no blueking.paasHost set); port ${sim.port || 'any free'}, seed ${sim.seed ?? 'default'}; business ${blueking.defaultBiz ?? "the simulator's"}, account ${blueking.defaultAccount}; ${blueking.risk.length === 0 ? "the simulator's demo risk rules" : rules}`,
    ];
  }
  return [
    'BlueKing',
    `${connection.endpoint}; app ${connection.appCode} (secret set), bot acts as ${connection.serviceUser}; business ${connection.defaultBiz}, account ${blueking.defaultAccount}; ${rules}; ${callbacks}; timeout ${connection.timeoutMs} ms`,
  ];
}
