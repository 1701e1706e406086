/**
 * manifest.yml: generated from the command registry, valid by the Slack manifest rules we know,
 * and the committed file is what the registry generates now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commandName } from '../src/core/command.js';
import { committedManifestText, manifestCommands, MANIFEST_PATH, runManifest } from '../src/adapters/slack/manifest-main.js';

/** The commands the declared backend serves: what the manifest names. */
const COMMANDS = manifestCommands();
import { BOT_SCOPES, InvalidPublicUrlError, manifestProblems, slackManifest, type Manifest } from '../src/adapters/slack/manifest.js';

describe('the Slack app manifest', () => {
  it('is committed as the registry generates it (else run `npm run manifest`)', () => {
    const committed = readFileSync(MANIFEST_PATH, 'utf8');
    expect(committed, 'manifest.yml is out of date: run `npm run manifest` and commit it').toBe(committedManifestText());
  });

  it('is valid in Socket Mode: /coc without URLs, interactivity on, the scopes the adapter uses', () => {
    const manifest = parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
    expect(manifestProblems(manifest)).toEqual([]);
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    const [coc] = manifest.features?.slash_commands ?? [];
    expect(coc).toMatchObject({ command: '/coc', should_escape: true });
    expect(coc).not.toHaveProperty('url');
    // The default incident mode (threads) creates no channel: no scope to create one.
    // files:read: a file argument (a script's content) names a file shared in Slack.
    expect(manifest.oauth_config?.scopes?.bot).toEqual(['commands', 'chat:write', 'chat:write.public', 'im:write', 'files:read']);
    // No message event is handled, so nobody may write to the bot in its Messages tab.
    expect(manifest.features?.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: true });
  });

  it('names every command of the registry', () => {
    const manifest = slackManifest(COMMANDS, { mode: 'socket' });
    // Within Slack's 4,000 characters, every command named (summaries shortened to their first clause when needed).
    expect(manifest.display_information.long_description).not.toContain('and more');
    const hint = manifest.features?.slash_commands?.[0]?.usage_hint ?? '';
    for (const command of COMMANDS) {
      expect(hint).toContain(command.words[0]);
      expect(manifest.display_information.long_description).toContain(`/coc ${commandName(command)}:`);
    }
  });

  it('is valid in HTTP mode, every request going to <url>/slack/events', () => {
    const manifest = slackManifest(COMMANDS, { mode: 'http', publicUrl: 'https://coc.example.com/' });
    expect(manifestProblems(manifest)).toEqual([]);
    expect(manifest.features?.slash_commands?.[0]?.url).toBe('https://coc.example.com/slack/events');
    expect(manifest.settings?.interactivity).toEqual({
      is_enabled: true,
      request_url: 'https://coc.example.com/slack/events',
      message_menu_options_url: 'https://coc.example.com/slack/events',
    });
    expect(manifest.settings?.socket_mode_enabled).toBe(false);
  });

  it('finds what Slack would refuse or what would leave the bot unable to work', () => {
    const good = slackManifest(COMMANDS, { mode: 'socket' });
    const broken: Manifest = {
      ...good,
      display_information: { name: 'x'.repeat(36), long_description: 'short' },
      features: {
        bot_user: { display_name: 'Has Spaces' },
        slash_commands: [{ command: 'coc', description: '', should_escape: false, url: 'https://x/slack/events' }],
      },
      oauth_config: { scopes: { bot: ['chat:write.public'] } },
      settings: { interactivity: { is_enabled: false, request_url: 'https://x' }, socket_mode_enabled: true },
    };
    expect(manifestProblems(broken)).toEqual([
      'display_information.name: 1-35 characters',
      'display_information.long_description: 175-4000 characters',
      'features.bot_user.display_name: 1-80 of a-z 0-9 - _ .',
      'features.slash_commands[0].command: "/" and 1-31 of a-z 0-9 - _',
      'features.slash_commands[0].description: 1-2000 characters',
      'features.slash_commands[0].url: leave it out in Socket Mode',
      'oauth_config.scopes.bot: slash commands need "commands"',
      'oauth_config.scopes.bot: "chat:write" is needed to answer and post cards',
      'oauth_config.scopes.bot: "chat:write.public" needs "chat:write"',
      'settings.interactivity.is_enabled: true (buttons, menus and forms)',
      'settings.interactivity: no URLs in Socket Mode',
    ]);
    // A plain http base URL never becomes a manifest; one written by hand is found.
    expect(() => slackManifest(COMMANDS, { mode: 'http', publicUrl: 'http://insecure' })).toThrow('Slack only calls https URLs');
    const http = slackManifest(COMMANDS, { mode: 'http', publicUrl: 'https://secure' });
    const insecure: Manifest = { ...http, settings: { ...http.settings, interactivity: { is_enabled: true, request_url: 'http://insecure/slack/events', message_menu_options_url: 'https://secure/slack/events' } } };
    expect(manifestProblems(insecure)).toContain('settings.interactivity.request_url: the https Request URL (HTTP mode)');
  });

  it.each([
    ['thread', [], ['channels:manage', 'groups:write']],
    ['channel', ['channels:manage'], ['groups:write']],
    ['private-channel', ['groups:write'], ['channels:manage']],
  ] as const)('asks, for incidents.slack.mode = %s, for the scopes to create channels only when it creates them', (mode, present, absent) => {
    const manifest = slackManifest(COMMANDS, { mode: 'socket', incidentMode: mode });
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect(manifestProblems(manifest)).toEqual([]);
    for (const scope of present) expect(scopes).toContain(scope);
    for (const scope of absent) expect(scopes).not.toContain(scope);
    for (const scope of scopes) expect(Object.keys(BOT_SCOPES)).toContain(scope);
  });

  it.each([
    ['https://host?x=1', 'a query (?x=1)'],
    ['https://host/path?', 'a query (?)'],
    ['https://host#top', 'a fragment (#top)'],
    ['http://host', 'Slack only calls https URLs, not http'],
    ['https://user:secret@host', 'a user name or password'],
    ['host.example.com', 'it is not a URL'],
    ['https://host/slack/events', 'it already ends in /slack/events'],
    ['https:///x', 'it is not written as https://host/'],
    ['https://host\\@evil', 'it is not written as https://host/'],
  ])('refuses %s as the public base URL, saying what is wrong and what is allowed', (url, problem) => {
    expect(() => slackManifest(COMMANDS, { mode: 'http', publicUrl: url })).toThrow(InvalidPublicUrlError);
    expect(() => slackManifest(COMMANDS, { mode: 'http', publicUrl: url })).toThrow(problem);
    const run = runManifest(['--http', url, '--incident-mode', 'thread']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain('https://host[:port][/path]');
    expect(run.stderr).not.toContain('/slack/events\n');
  });

  it('keeps a base URL with a path, and finds a Request URL with a query in a hand-made manifest', () => {
    const manifest = slackManifest(COMMANDS, { mode: 'http', publicUrl: 'https://coc.example.com:8443/bots/coc//' });
    expect(manifest.settings?.interactivity?.request_url).toBe('https://coc.example.com:8443/bots/coc/slack/events');
    const handMade: Manifest = { ...manifest, settings: { ...manifest.settings, interactivity: { is_enabled: true, request_url: 'https://host?x=1/slack/events', message_menu_options_url: 'https://host/slack/events' } } };
    expect(manifestProblems(handMade)).toEqual(['settings.interactivity.request_url: the https Request URL (HTTP mode)']);
  });

  it('answers a wrong option with a usage error, not a stack trace', () => {
    const bogus = runManifest(['--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toBe('Unknown option --bogus. Try --help.\n');
    expect(bogus.stderr).not.toMatch(/\n\s+at /);
    const mode = runManifest(['--incident-mode', 'everywhere']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--incident-mode "everywhere": must be one of channel, private-channel, thread');
    expect(runManifest(['--check', '--http', 'https://coc.example.com', '--incident-mode', 'thread']).code).toBe(2);
  });

  it('takes the incident mode from the configuration unless --incident-mode says otherwise', () => {
    const fromConfig = runManifest(['--http', 'https://coc.example.com'], { SLACK_INCIDENT_MODE: 'private-channel' });
    expect(fromConfig.code).toBe(0);
    expect((parse(fromConfig.stdout) as Manifest).oauth_config?.scopes?.bot).toContain('groups:write');
    const overridden = runManifest(['--http', 'https://coc.example.com', '--incident-mode', 'thread'], { SLACK_INCIDENT_MODE: 'private-channel' });
    expect((parse(overridden.stdout) as Manifest).oauth_config?.scopes?.bot).not.toContain('groups:write');
    expect(runManifest(['--check', '--incident-mode', 'thread']).code).toBe(0);
    const unreadable = runManifest(['--check'], { SLACK_INCIDENT_MODE: 'everywhere' });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('pass --incident-mode');
  });
});
