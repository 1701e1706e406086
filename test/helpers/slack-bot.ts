/**
 * A whole bot behind the Slack adapter in HTTP mode, for tests that talk to it as Slack does:
 * signed requests over real HTTP to its Request URL, its Web API client pointed at a local
 * fake Slack that records every call. The dispatcher is wrapped to count what reached it.
 */
import { LogLevel } from '@slack/bolt';
import { expect } from 'vitest';
import { localClaims, type RequestClaims } from '../../src/adapters/request-claimer.js';
import { SlackAdapter, type SlackAdapterOptions, type SlackTimings } from '../../src/adapters/slack/app.js';
import { encodeElementId } from '../../src/adapters/slack/ids.js';
import type { ActionDefinition, CommandDefinition, FormDefinition, SuggestionDefinition } from '../../src/core/command.js';
import { Dispatcher } from '../../src/core/dispatcher.js';
import type { Actor, Invocation, Place } from '../../src/core/invocation.js';
import type { SelectOption } from '../../src/core/message.js';
import { Registry } from '../../src/core/registry.js';
import type { IdentityMappingConfig } from '../../src/config.js';
import { INCIDENT_ACTION_IDS } from '../../src/incidents/workflow.js';
import { Metrics } from '../../src/ops/metrics.js';
import { makeTestBot, type TestBot, type TestBotOptions } from './bot.js';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';
import { parsePrometheusText, sampleValue } from './prometheus-text.js';
import { blockActionsPayload, commandBody, interactionBody, signedPost, suggestionPayload, viewSubmissionPayload, type ClickedMessage, type SignedPostOptions, type SlackHttpResponse, type SlackUser } from './slack-requests.js';
import { waitFor } from './safety-net.js';

export const TEAM = 'T0TEST';
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export const SLACK_PEOPLE = {
  alice: { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' },
  bob: { teamId: TEAM, userId: 'U0BOB', userName: 'bob' },
  carol: { teamId: TEAM, userId: 'U0CAROL', userName: 'carol' },
  dave: { teamId: TEAM, userId: 'U0DAVE', userName: 'dave' },
  stranger: { teamId: TEAM, userId: 'U0NOBODY', userName: 'stranger' },
} as const satisfies Record<string, SlackUser>;

export const SLACK_MAPPINGS: readonly IdentityMappingConfig[] = [
  { platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' },
  { platform: 'slack', workspace: TEAM, user: 'U0BOB', iamUser: 'bob', role: 'approver' },
  { platform: 'slack', workspace: TEAM, user: 'U0CAROL', iamUser: 'carol', role: 'viewer' },
  { platform: 'slack', workspace: TEAM, user: 'U0DAVE', iamUser: 'dave', role: 'admin' },
];

export interface SlackTestBotOptions extends TestBotOptions {
  readonly timings?: Partial<SlackTimings>;
  /** Extra definitions next to the real ones (test forms, slow type-ahead sources). */
  readonly extra?: {
    readonly commands?: readonly CommandDefinition[];
    readonly actions?: readonly ActionDefinition[];
    readonly forms?: readonly FormDefinition[];
    readonly suggestions?: readonly SuggestionDefinition[];
  };
  readonly incidentPlace?: SlackAdapterOptions['incidentPlace'];
  /** The fake's clock (trigger ids, response_url limits), and the stamps of its recorded calls. */
  readonly fakeClock?: () => number;
  /** Where requests are claimed before they run (default: the adapter's own). */
  readonly claims?: RequestClaims;
}

export interface SlackTestBot {
  readonly bot: TestBot;
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  /** http://127.0.0.1:port/slack/events */
  readonly url: string;
  /** Everything that reached the dispatcher. */
  readonly handled: Invocation[];
  /** Every invocation the dispatcher has answered, in the order the answers came. */
  readonly answered: Invocation[];
  /** Each acknowledgement as the adapter sent it: its kind and the time since the request arrived. */
  readonly acks: { kind: string; elapsedMs: number }[];
  readonly suggested: { actor: Actor; place: Place; sourceId: string; query: string }[];
  readonly logged: string[];
  /** `/coc <text>`; the response_url id is returned to find the answers. */
  command(user: SlackUser, text: string, options?: { channelId?: string; channelName?: string; triggerId?: string; sign?: SignedPostOptions }): Promise<{ response: SlackHttpResponse; responseId: string }>;
  click(
    user: SlackUser,
    action: { actionId: string; value?: string; selectedValue?: string; label?: string; blockId?: string },
    where?: Omit<ClickedMessage, 'responseUrl'>,
  ): Promise<{ response: SlackHttpResponse; responseId: string }>;
  suggest(user: SlackUser, actionId: string, value: string, where?: { channelId?: string; view?: Record<string, unknown> }): Promise<SlackHttpResponse>;
  submit(user: SlackUser, view: Record<string, unknown>, state: Record<string, Record<string, Record<string, unknown>>>): Promise<SlackHttpResponse>;
  close(): Promise<void>;
}

export { waitFor } from './safety-net.js';

export async function makeSlackTestBot(options: SlackTestBotOptions = {}): Promise<SlackTestBot> {
  const bot = await makeTestBot({ mappings: SLACK_MAPPINGS, ...options });
  const fake = await startFakeSlack({ teamId: TEAM, ...(options.fakeClock ? { clock: options.fakeClock } : {}) });
  const extra = options.extra ?? {};
  const real = bot.dispatcher;
  const dispatcher = extra.commands || extra.actions || extra.forms || extra.suggestions
    ? new Dispatcher(
        real.registry.extended(extra),
        bot.services,
        (error) => {
          throw error instanceof Error ? error : new Error(String(error));
        },
        bot.config.locale,
      )
    : real;
  const handled: Invocation[] = [];
  const answered: Invocation[] = [];
  const acks: { kind: string; elapsedMs: number }[] = [];
  const suggested: SlackTestBot['suggested'] = [];
  const logged: string[] = [];
  const adapter = new SlackAdapter(
    {
      ...slackHttpSettings(fake),
      fileOrigins: [fake.url],
      incidentPlace: options.incidentPlace ?? { mode: 'thread' },
      timings: options.timings ?? {},
    },
    {
      dispatcher: {
        async handle(invocation) {
          handled.push(invocation);
          const reply = await dispatcher.handle(invocation);
          answered.push(invocation);
          return reply;
        },
        suggest(actor, place, sourceId, query): Promise<readonly SelectOption[]> {
          suggested.push({ actor, place, sourceId, query });
          return dispatcher.suggest(actor, place, sourceId, query);
        },
        maskLine: (line) => dispatcher.maskLine(line),
        registry: dispatcher.registry,
      },
      identities: bot.services.identities,
      now: bot.services.now,
      log: (line) => logged.push(line),
      onAck: (kind, elapsedMs) => acks.push({ kind, elapsedMs }),
      ...(options.claims ? { claims: options.claims } : {}),
    },
  );
  bot.core.chat.register(adapter.surface);
  const started = await adapter.start();
  const url = started.url!;
  return {
    bot,
    fake,
    adapter,
    url,
    handled,
    answered,
    acks,
    suggested,
    logged,
    async command(user, text, opts = {}) {
      const responseId = `cmd-${handled.length}-${Math.random().toString(36).slice(2)}`;
      const triggerId = opts.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`;
      const body = commandBody(user, text, { responseUrl: fake.responseUrl(responseId), ...opts, triggerId });
      // Slack's 3 s for the trigger start as the request leaves.
      fake.issueTrigger(triggerId);
      return { response: await signedPost(url, SIGNING_SECRET, body, opts.sign), responseId };
    },
    async click(user, action, where = {}) {
      const responseId = `click-${Math.random().toString(36).slice(2)}`;
      const triggerId = where.triggerId ?? `trigger.${Math.random().toString(36).slice(2)}`;
      const body = interactionBody(blockActionsPayload(user, action, { responseUrl: fake.responseUrl(responseId), ...where, triggerId }));
      fake.issueTrigger(triggerId);
      return { response: await signedPost(url, SIGNING_SECRET, body), responseId };
    },
    suggest(user, actionId, value, where = {}) {
      return signedPost(url, SIGNING_SECRET, interactionBody(suggestionPayload(user, actionId, value, where)));
    },
    async submit(user, view, state) {
      // The submitted view is open in Slack: the one the fake opened with this form, else the view as given.
      const opened = typeof view['id'] === 'string' ? undefined : [...fake.views.values()].reverse().find((held) => !held.closed && held.view['callback_id'] === view['callback_id'] && held.view['private_metadata'] === view['private_metadata']);
      const held = fake.knownView({ ...view, id: typeof view['id'] === 'string' ? view['id'] : (opened?.id ?? 'V1') });
      const payload = viewSubmissionPayload(user, { ...view, id: held.id, hash: held.hash }, state);
      fake.issueTrigger(String(payload['trigger_id']));
      const response = await signedPost(url, SIGNING_SECRET, interactionBody(payload));
      fake.applySubmissionAnswer(held.id, response.json);
      return response;
    },
    async close() {
      await adapter.stop();
      await bot.close();
      await fake.close();
    },
  };
}

/** The adapter's HTTP-mode settings every Slack test bot shares: signed requests on a free local port, the Web API at the fake. */
export function slackHttpSettings(fake: FakeSlack): SlackAdapterOptions {
  return {
    mode: 'http',
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    port: 0,
    host: '127.0.0.1',
    slackApiUrl: fake.apiUrl,
    botId: fake.botId,
    botUserId: fake.botUserId,
    incidentPlace: { mode: 'thread' },
    logLevel: LogLevel.ERROR,
  };
}

/** A Chinese-speaking viewer, to see that what is shed is told in the person's language. */
export const CHEN: SlackUser = { teamId: TEAM, userId: 'U0CHEN', userName: 'chen' };

export interface SheddingSlackBot {
  readonly bot: TestBot;
  readonly fake: FakeSlack;
  readonly adapter: SlackAdapter;
  readonly url: string;
  readonly metrics: Metrics;
  /** Every invocation that reached the dispatcher. */
  readonly dispatched: Invocation[];
  /** Every request key claimed. */
  readonly claimed: string[];
  /** Sends a signed slash command; returns its response_url's id and the acknowledgement's body. */
  command(user: SlackUser, text: string): Promise<{ responseId: string; ack: { response_type?: string; text?: string } | null }>;
  /**
   * Sends a signed click on an incident card's Refresh (its acknowledgement shows nothing) and
   * returns the answer posted to the click's response_url.
   */
  clickRefresh(user: SlackUser): Promise<Record<string, unknown>>;
  /** Requests shed on Slack so far, as the metrics tell. */
  shed(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A bot behind the Slack adapter for the overload tests: people of SLACK_MAPPINGS and CHEN, its
 * own metrics, and the dispatcher and request claims wrapped to record what reached them (what
 * is shed must reach neither). `settings` add to the adapter's HTTP settings (the bound, "behind").
 */
export async function makeSheddingSlackBot(settings: Partial<SlackAdapterOptions>): Promise<SheddingSlackBot> {
  const bot = await makeTestBot({ mappings: [...SLACK_MAPPINGS, { platform: 'slack', workspace: TEAM, user: CHEN.userId, iamUser: 'chen', role: 'viewer', locale: 'zh-CN' }] });
  const fake = await startFakeSlack({ teamId: TEAM });
  const metrics = new Metrics();
  const dispatched: Invocation[] = [];
  const claimed: string[] = [];
  const local = localClaims();
  const claims: RequestClaims = {
    claim: (key) => {
      claimed.push(key);
      return local.claim(key);
    },
  };
  const adapter = new SlackAdapter(
    { ...slackHttpSettings(fake), ...settings },
    {
      dispatcher: {
        handle: (invocation) => {
          dispatched.push(invocation);
          return bot.dispatcher.handle(invocation);
        },
        suggest: (...args) => bot.dispatcher.suggest(...args),
        maskLine: (line) => bot.dispatcher.maskLine(line),
        registry: bot.dispatcher.registry,
      },
      identities: bot.services.identities,
      now: bot.services.now,
      metrics,
      claims,
      log: () => {},
    },
  );
  bot.core.chat.register(adapter.surface);
  const url = (await adapter.start()).url!;
  let sent = 0;
  return {
    bot,
    fake,
    adapter,
    url,
    metrics,
    dispatched,
    claimed,
    async command(user, text) {
      const responseId = `c${++sent}`;
      const response = await signedPost(url, SIGNING_SECRET, commandBody(user, text, { responseUrl: fake.responseUrl(responseId), triggerId: `trigger.c${sent}` }));
      expect(response.status).toBe(200);
      return { responseId, ack: response.json as { response_type?: string; text?: string } | null };
    },
    async clickRefresh(user) {
      const responseId = `a${++sent}`;
      const clicked = { actionId: encodeElementId('b', 0, INCIDENT_ACTION_IDS.refresh)!, value: 'IM202612060000000000000001' };
      const response = await signedPost(url, SIGNING_SECRET, interactionBody(blockActionsPayload(user, clicked, { responseUrl: fake.responseUrl(responseId), triggerId: `trigger.a${sent}` })));
      expect(response.status).toBe(200);
      const [answer] = await waitFor(() => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId), 'the answer to the click');
      return answer!.body;
    },
    async shed() {
      const { body } = await metrics.exposition();
      return sampleValue(parsePrometheusText(body), 'coc_chatops_shed_requests_total', { platform: 'slack' }) ?? 0;
    },
    async close() {
      await adapter.stop();
      await bot.close();
      await fake.close();
    },
  };
}
