/**
 * The Slack app's manifest, generated from the command registry: one `/coc` slash command
 * whose usage hint lists the commands, the long description that explains each, the bot
 * scopes the adapter uses (and only those, each with the call that needs it), and the
 * interactivity and Socket Mode settings of the chosen mode. `npm run manifest` writes it to
 * manifest.yml; a test fails when that file and the registry disagree.
 */
import type { webApi } from '@slack/bolt';
import { isScalar, isSeq, Document } from 'yaml';
import { commandName, summaryOf, type CommandDefinition } from '../../core/command.js';
import { translator } from '../../i18n/translate.js';
import type { BackendName } from '../../backends/ids.js';
import type { SLACK_INCIDENT_PLACE_MODES } from '../../config/sections/incidents.js';
import { SLASH_COMMAND } from './app.js';
import { EVENTS_PATH } from './http-server.js';

/** Slack's own type of a manifest (what apps.manifest.create takes). */
export type Manifest = webApi.AppsManifestCreateArguments['manifest'];

export type IncidentMode = (typeof SLACK_INCIDENT_PLACE_MODES)[number];

export interface ManifestOptions {
  readonly mode: 'socket' | 'http';
  /** http mode: the bot's public base URL (https://…); Slack sends requests to <url>/slack/events. */
  readonly publicUrl?: string;
  /** `incidents.slack.mode`: only a mode that opens channels needs the scope to create them. Default thread. */
  readonly incidentMode?: IncidentMode;
  /** Whose commands the app offers: its descriptions name that platform. Default COC. */
  readonly backend?: BackendName;
}

/** How the app introduces itself on each platform (Slack shows it in the app directory). */
const INTRODUCTION: Readonly<Record<BackendName, { readonly description: string; readonly command: string; readonly intro: string }>> = {
  coc: {
    description: 'Huawei Cloud COC from chat: scripts, orders, incidents, approvals, audit.',
    command: 'Huawei Cloud COC: run scripts, watch orders, work incidents. /coc help lists what you may do.',
    intro:
      'Drive Huawei Cloud Cloud Operations Center (COC) from Slack: run approved scripts on chosen hosts in batches with a second person\'s approval for risky ones, watch execution orders live and pause, continue or cancel them, and work incidents. Every action is checked against your role and recorded in the audit trail.',
  },
  blueking: {
    description: 'Tencent BlueKing from chat: scripts, orders, approvals, audit.',
    command: 'Tencent BlueKing: run scripts, watch orders, approve. /coc help lists what you may do.',
    intro:
      'Drive Tencent BlueKing (Job, CMDB, ITSM) from Slack: run approved scripts on chosen hosts in batches with a second person\'s approval for risky ones, watch runs live and pause, continue or cancel them. Every action is checked against your role and recorded in the audit trail.',
  },
};

/** Each bot scope and the calls that need it (least privilege: nothing else is asked for). */
export const BOT_SCOPES: Readonly<Record<string, string>> = {
  commands: 'the /coc slash command',
  'chat:write': 'chat.postMessage, chat.update, chat.postEphemeral: answers, live order cards, approval requests, notices',
  'chat:write.public': 'cards and approval requests in public channels the bot was not invited to',
  'im:write': 'conversations.open: a direct message when someone must be told privately outside a channel',
  'files:read': 'files.info and the download of a file shared in Slack that a command is given (a script\'s content)',
  'channels:manage': 'conversations.create and conversations.invite: a public channel per incident (incidents.slack.mode = channel)',
  'groups:write': 'conversations.create and conversations.invite: a private channel per incident (incidents.slack.mode = private-channel)',
};

/** The scopes every configuration needs; an incident mode that opens channels adds its own. */
const BASE_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'im:write', 'files:read'] as const;
const INCIDENT_MODE_SCOPES: Readonly<Record<IncidentMode, readonly string[]>> = {
  thread: [],
  channel: ['channels:manage'],
  'private-channel': ['groups:write'],
};

/** The bot scopes a configuration needs, in BOT_SCOPES order. */
export function botScopesFor(incidentMode: IncidentMode = 'thread'): string[] {
  return [...BASE_SCOPES, ...INCIDENT_MODE_SCOPES[incidentMode]];
}

/** A public base URL that cannot be the start of Request URLs. */
export class InvalidPublicUrlError extends Error {
  constructor(
    readonly given: string,
    readonly problem: string,
  ) {
    super(
      `${JSON.stringify(given)} cannot be the public base URL: ${problem}. Give https://host[:port][/path], without a query (?…), a fragment (#…) or a user name; Slack then sends requests to <url>${EVENTS_PATH}.`,
    );
    this.name = 'InvalidPublicUrlError';
  }
}

/**
 * The base URL Slack's requests go under, checked: https, a host, no credentials, query or
 * fragment (which would end up in front of /slack/events); trailing slashes dropped.
 */
export function publicBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidPublicUrlError(text, 'it is not a URL');
  }
  if (url.protocol !== 'https:') throw new InvalidPublicUrlError(text, `Slack only calls https URLs, not ${url.protocol.replace(':', '')}`);
  if (url.username || url.password) throw new InvalidPublicUrlError(text, 'it holds a user name or password');
  if (url.search || text.includes('?')) throw new InvalidPublicUrlError(text, `it has a query (${url.search || '?'})`);
  if (url.hash || text.includes('#')) throw new InvalidPublicUrlError(text, `it has a fragment (${url.hash || '#'})`);
  // The URL parser quietly repairs what a person would not mean: `https:///x`, a backslash for a slash.
  if (!/^https:\/\/[^/\\]/i.test(text.trim()) || text.includes('\\')) throw new InvalidPublicUrlError(text, 'it is not written as https://host/…');
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith(EVENTS_PATH)) throw new InvalidPublicUrlError(text, `it already ends in ${EVENTS_PATH}, which is added to it`);
  return `${url.origin}${path}`;
}

/** Scopes a manifest may ask for: ours, plus the common ones an operator might add by hand. */
const KNOWN_SCOPES = new Set([...Object.keys(BOT_SCOPES), 'groups:write', 'channels:read', 'groups:read', 'im:read', 'users:read', 'chat:write.customize']);

const NAME = 'COC ChatOps';
const BOT_NAME = 'coc';

/** The words that start commands, in the registry's order: what the usage hint lists. */
function firstWords(commands: readonly CommandDefinition[]): string[] {
  return [...new Set([...commands.map((command) => command.words[0] ?? ''), 'help'])].filter(Boolean);
}

function longDescription(commands: readonly CommandDefinition[], intro: string): string {
  // Slack shows one language: the English summary — whole when every command's fits in Slack's
  // 4,000 characters, else its first clause ("Create a custom script"), so every command is named.
  const summaries = commands.map((command) => summaryOf(command, translator('en-US')));
  const fullLength = intro.length + commands.reduce((sum, command, i) => sum + commandName(command).length + summaries[i]!.length + 10, 20);
  const shown = fullLength + 40 > 4_000 ? summaries.map(firstClause) : summaries;
  const lines = commands.map((command, i) => `• /coc ${commandName(command)}: ${shown[i]}`);
  let text = `${intro}\n\nCommands:\n`;
  for (const line of lines) {
    if (text.length + line.length + 40 > 4_000) {
      text += '• … and more: /coc help\n';
      break;
    }
    text += `${line}\n`;
  }
  return text.trimEnd();
}

/** A summary up to its first ': ' or '; ' — what it is, without the details that follow. */
function firstClause(summary: string): string {
  const end = summary.search(/[:;] /);
  return end > 0 ? summary.slice(0, end) : summary;
}

function usageHint(commands: readonly CommandDefinition[]): string {
  const words = firstWords(commands);
  let hint = '<command> …';
  for (const word of words) {
    const next = `${hint}${hint.endsWith('…') ? ' — ' : ' | '}${word}`;
    if (next.length > 1_000) break;
    hint = next;
  }
  return hint;
}

export function slackManifest(commands: readonly CommandDefinition[], options: ManifestOptions): Manifest {
  const http = options.mode === 'http';
  const endpoint = http ? `${publicBaseUrl(options.publicUrl ?? '')}${EVENTS_PATH}` : undefined;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: NAME,
      description: INTRODUCTION[options.backend ?? 'coc'].description,
      long_description: longDescription(commands, INTRODUCTION[options.backend ?? 'coc'].intro),
      background_color: '#1d3557',
    },
    features: {
      // Direct messages from the bot show in the Messages tab; nobody can write there, since the
      // bot handles no message events (it would never answer).
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: BOT_NAME, always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          description: INTRODUCTION[options.backend ?? 'coc'].command,
          usage_hint: usageHint(commands),
          // Escaped, so mentions arrive as member ids (<@U…>), which nobody else can take.
          should_escape: true,
          ...(endpoint ? { url: endpoint } : {}),
        },
      ],
    },
    oauth_config: { scopes: { bot: botScopesFor(options.incidentMode) as NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot'] } },
    settings: {
      interactivity: { is_enabled: true, ...(endpoint ? { request_url: endpoint, message_menu_options_url: endpoint } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as YAML, each scope with the reason it is asked for. */
export function manifestYaml(manifest: Manifest, options: ManifestOptions): string {
  const incidentMode = options.incidentMode ?? 'thread';
  const doc = new Document(manifest);
  doc.commentBefore = [
    ' Slack app manifest for coc-chatops, generated from the command registry by `npm run manifest`.',
    ` Mode: ${options.mode === 'http' ? `HTTP (Request URL ${publicBaseUrl(options.publicUrl ?? '')}${EVENTS_PATH})` : 'Socket Mode (no public URL; needs an app-level token with connections:write)'}.`,
    ` Incidents: incidents.slack.mode = ${incidentMode}${incidentMode === 'thread' ? ' (threads only: no scope to create channels is asked for)' : ''}.`,
    ' Do not edit by hand: change the commands, then run `npm run manifest` (for HTTP mode: `npm run -s manifest -- --http https://your.host`;',
    ' for incidents in channels: `-- --incident-mode channel` or `private-channel`, else the configuration\'s incidents.slack.mode).',
  ].join('\n');
  const scopes = doc.getIn(['oauth_config', 'scopes', 'bot'], true);
  if (isSeq(scopes)) {
    for (const item of scopes.items) {
      if (isScalar(item) && typeof item.value === 'string') item.comment = ` ${BOT_SCOPES[item.value] ?? ''}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * What Slack would refuse, or what would leave the bot unable to work, by the manifest rules
 * we know (platform-rules §1.6, the Web API's manifest types). Empty when valid.
 */
export function manifestProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  // A query or fragment would sit in front of the path Slack posts to.
  const https = (url: unknown) => typeof url === 'string' && /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url);
  const info = manifest.display_information;
  need(typeof info?.name === 'string' && info.name.length >= 1 && info.name.length <= 35, 'display_information.name: 1-35 characters');
  need(info?.description === undefined || info.description.length <= 140, 'display_information.description: at most 140 characters');
  need(info?.long_description === undefined || (info.long_description.length >= 175 && info.long_description.length <= 4_000), 'display_information.long_description: 175-4000 characters');
  need(info?.background_color === undefined || /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(info.background_color), 'display_information.background_color: #rgb or #rrggbb');
  const bot = manifest.features?.bot_user;
  need(bot !== undefined && /^[a-z0-9._-]{1,80}$/.test(bot.display_name), 'features.bot_user.display_name: 1-80 of a-z 0-9 - _ .');
  const socket = manifest.settings?.socket_mode_enabled === true;
  const commands = manifest.features?.slash_commands ?? [];
  need(commands.length >= 1 && commands.length <= 50, 'features.slash_commands: 1-50 commands');
  const seen = new Set<string>();
  for (const [index, command] of commands.entries()) {
    const at = `features.slash_commands[${index}]`;
    need(/^\/[a-z0-9_-]{1,31}$/.test(command.command), `${at}.command: "/" and 1-31 of a-z 0-9 - _`);
    need(!seen.has(command.command), `${at}.command: repeated`);
    seen.add(command.command);
    need(command.description.length >= 1 && command.description.length <= 2_000, `${at}.description: 1-2000 characters`);
    need(command.usage_hint === undefined || command.usage_hint.length <= 1_000, `${at}.usage_hint: at most 1000 characters`);
    need(typeof command.should_escape === 'boolean', `${at}.should_escape: true or false`);
    if (socket) need(command.url === undefined, `${at}.url: leave it out in Socket Mode`);
    else need(https(command.url), `${at}.url: the https Request URL (HTTP mode)`);
  }
  const scopes = manifest.oauth_config?.scopes?.bot ?? [];
  for (const scope of scopes) need(KNOWN_SCOPES.has(scope), `oauth_config.scopes.bot: unknown scope ${scope}`);
  need(scopes.length === new Set(scopes).size, 'oauth_config.scopes.bot: a scope is repeated');
  need(commands.length === 0 || scopes.includes('commands'), 'oauth_config.scopes.bot: slash commands need "commands"');
  need(scopes.includes('chat:write'), 'oauth_config.scopes.bot: "chat:write" is needed to answer and post cards');
  need(!scopes.includes('chat:write.public') || scopes.includes('chat:write'), 'oauth_config.scopes.bot: "chat:write.public" needs "chat:write"');
  const interactivity = manifest.settings?.interactivity;
  need(interactivity?.is_enabled === true, 'settings.interactivity.is_enabled: true (buttons, menus and forms)');
  if (socket) {
    need(interactivity?.request_url === undefined && interactivity?.message_menu_options_url === undefined, 'settings.interactivity: no URLs in Socket Mode');
  } else {
    need(https(interactivity?.request_url), 'settings.interactivity.request_url: the https Request URL (HTTP mode)');
    need(https(interactivity?.message_menu_options_url), 'settings.interactivity.message_menu_options_url: the https options URL, for type-ahead menus (HTTP mode)');
  }
  need(typeof manifest.settings?.socket_mode_enabled === 'boolean', 'settings.socket_mode_enabled: true or false');
  return problems;
}
