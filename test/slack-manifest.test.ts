/**
 * manifest.yml: generated from the command registry, valid by the Slack manifest rules we know,
 * and the committed file is what the registry generates now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../src/app/commands.js';
import { commandName } from '../src/core/command.js';
import { committedManifestText, MANIFEST_PATH } from '../src/adapters/slack/manifest-main.js';
import { BOT_SCOPES, manifestProblems, slackManifest, type Manifest } from '../src/adapters/slack/manifest.js';

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
    expect(manifest.oauth_config?.scopes?.bot).toEqual(Object.keys(BOT_SCOPES));
  });

  it('names every command of the registry', () => {
    const manifest = slackManifest(COMMANDS, { mode: 'socket' });
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
    expect(manifestProblems(slackManifest(COMMANDS, { mode: 'http', publicUrl: 'http://insecure' }))).toContain('settings.interactivity.request_url: the https Request URL (HTTP mode)');
  });
});
