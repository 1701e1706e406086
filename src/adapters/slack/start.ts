/**
 * Starting Slack from the configuration, for `npm start`: the adapter in the configured mode,
 * its readiness check, and a one-line description of where it listens.
 */
import type { Config } from '../../config.js';
import type { Services } from '../../core/command.js';
import type { Dispatcher } from '../../core/dispatcher.js';
import { failed, passed, type Readiness } from '../../ops/readiness.js';
import { recordCutShort } from '../../audit/cut-short.js';
import { RequestClaimer } from '../request-claimer.js';
import { SlackAdapter, type SlackAdapterOptions, type SlackStarted } from './app.js';
import type { SlackSurface } from './surface.js';

export interface RunningSlack {
  readonly surface: SlackSurface;
  readonly started: SlackStarted;
  /** For the start-up line: `Slack (Socket Mode)`, `Slack (HTTP, http://0.0.0.0:3000/slack/events)`. */
  readonly description: string;
  close(): Promise<void>;
}

/** The adapter's options from `slack.*` and `incidents.slack.*`; undefined when Slack is not configured. */
export function slackOptionsFrom(config: Config): SlackAdapterOptions | undefined {
  const { slack, incidents } = config;
  if (!slack.botToken) return undefined;
  return {
    mode: slack.mode,
    botToken: slack.botToken.reveal(),
    ...(slack.appToken ? { appToken: slack.appToken.reveal() } : {}),
    ...(slack.signingSecret ? { signingSecret: slack.signingSecret.reveal() } : {}),
    port: slack.port,
    httpLimits: { maxBodyBytes: slack.maxBodyBytes, maxConnections: slack.maxConnections, maxConnectionsPerAddress: slack.maxConnectionsPerAddress, pendingBodyBytes: slack.pendingBodyBytes },
    maxInFlight: slack.maxInFlight,
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/` } : {}),
    incidentPlace: { mode: incidents.slack.mode, ...(incidents.slack.channel ? { channel: incidents.slack.channel } : {}) },
  };
}

export interface StartSlackOptions {
  readonly config: Config;
  readonly dispatcher: Pick<Dispatcher, 'handle' | 'suggest' | 'maskLine' | 'registry'>;
  readonly services: Pick<Services, 'identities' | 'now' | 'metrics' | 'log' | 'db'>;
  readonly readiness?: Readiness;
}

export async function startSlackAdapter(options: StartSlackOptions): Promise<RunningSlack> {
  const adapterOptions = slackOptionsFrom(options.config);
  if (!adapterOptions) throw new Error('Slack is not configured: set slack.botToken (SLACK_BOT_TOKEN)');
  const { services } = options;
  const adapter = new SlackAdapter(adapterOptions, {
    dispatcher: options.dispatcher,
    identities: services.identities,
    now: services.now,
    metrics: services.metrics,
    log: (line) => services.log.warn({ platform: 'slack' }, line),
    // Claimed in the store: a request redelivered or replayed to any replica runs once.
    claims: new RequestClaimer({ db: services.db, onSweepError: (error) => services.log.warn({ err: error, platform: 'slack' }, 'sweeping expired request claims failed') }),
    recordCutShort: (invocations) => recordCutShort(services.db, invocations),
  });
  const started = await adapter.start();
  const removeCheck = options.readiness?.add({
    name: 'slack',
    check: () =>
      adapter.connected ? passed(started.mode === 'http' ? 'receiving requests' : 'Socket Mode connected') : failed(started.mode === 'http' ? 'stopped' : 'Socket Mode reconnecting'),
  });
  return {
    surface: adapter.surface,
    started,
    description: started.mode === 'http' ? `Slack (HTTP, Request URL ${started.url ?? ''})` : 'Slack (Socket Mode)',
    /** Stops taking requests and lets acknowledged ones finish, up to the stop deadline. */
    async close() {
      removeCheck?.();
      await adapter.stop();
    },
  };
}
