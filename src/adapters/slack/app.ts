/**
 * The Slack adapter: a Bolt app in Socket Mode (an outbound WebSocket with the app-level
 * token; the default for one internal install) or HTTP (requests signed with the signing
 * secret, for replicas behind a load balancer), answering `/coc`, clicks, type-ahead and
 * modal submissions through the dispatcher.
 *
 * Slack gives every request 3 s; the bot's own goal is 2 s (limits.ts), measured from the
 * request's arrival at the server (not from when its handler got to run: during a burst that
 * can be much later). Everything is acknowledged first and worked on after:
 * - `/coc …` and clicks: an empty ack at once; the answer follows through the response_url
 *   (a command still running after 2 s gets a private "working on it" line, its secret values
 *   hidden). One that may answer with a form and has no answer 1 s after arriving opens a
 *   placeholder view with its trigger id, filled in by `views.update` (waiting-view.ts);
 * - type-ahead: answered from a short-lived cache; when the source is slow, from what is known
 *   (an earlier, shorter text) with a note to keep typing (suggestions.ts);
 * - modal submissions, the one case where the ack carries the result: the answer is awaited
 *   until 1 s after arrival, so a refusal can be shown under its fields (`response_action:
 *   errors`); a slower answer closes the modal (or, for a form whose answer may be another
 *   form, shows "working" in it) and follows when it comes. The ack never waits longer,
 *   whatever the store or COC are doing;
 * - a click on a button that decides its card takes the card's buttons off (settled-cards.ts).
 */
import type { Server } from 'node:http';
import { AfterAckQueue } from './after-ack.js';
import { WorkAdmission, type Admitted, type TurnedAway } from '../overload/admission.js';
import { EventLoopLag } from '../overload/loop-lag.js';
import { CORE_TEXTS } from '../../i18n/catalogues/core.js';
import {
  App,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  type AllMiddlewareArgs,
  type AnyMiddlewareArgs,
  type Context,
  type RespondArguments,
  type SlackCommandMiddlewareArgs,
  type types,
  type ViewResponseAction,
  type webApi,
} from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InFlightWork, STOP_DRAIN_MS } from '../in-flight.js';
import { localClaims, type RequestClaims } from '../request-claimer.js';
import { CardEditLog } from './card-edit-log.js';
import { actionClaimKey, commandClaimKey, submissionClaimKey } from './claim-keys.js';
import { slackClientOptions, slackWebClient, type SlackClientOptions } from './client.js';
import { mayAnswerWithForm } from '../../core/command.js';
import type { Dispatcher } from '../../core/dispatcher.js';
import { replyFailed } from '../../core/message.js';
import type { Actor, Invocation } from '../../core/invocation.js';
import type { Message } from '../../core/message.js';
import type { IdentityService } from '../../identity/identity-service.js';
import type { Metrics } from '../../ops/metrics.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { deliveryError } from './api-errors.js';
import { fieldBlockId } from './ids.js';
import { startSlackHttpServer, type HttpAck } from './http-server.js';
import type { HttpLimits } from '../http-guard.js';
import {
  actionInvocation,
  blockActionsPayloadSchema,
  clickedCard,
  commandInvocation,
  parseCommandPayload,
  submissionInvocation,
  suggestionPayloadSchema,
  suggestionRequest,
  viewSubmissionPayloadSchema,
  type ActionClick,
  type BlockActionsPayload,
  type CommandPayload,
  type ViewSubmissionPayload,
} from './invocations.js';
import { ACK_DEADLINE_MS, ACK_GOAL_MS, DRAIN_WITHIN_MS, LATE_START_MS, LIMITS, MAX_IN_FLIGHT, MIN_IN_FLIGHT, OPTIONS_ANSWER_MS, QUEUED_AT, PLACEHOLDER_AFTER_MS, SUBMISSION_ANSWER_MS, WORKING_NOTICE_MS } from './limits.js';
import { boltLogger } from './logger.js';
import { answerView, renderForm, slackFieldErrors, waitingView } from './modal.js';
import { clip, escapeText, oneLine } from './mrkdwn.js';
import { ReplyDelivery, type ReplyRoute } from './replies.js';
import { ResponseUrlPoster } from './response-url.js';
import { settledLine } from './settled-cards.js';
import { KEEP_TYPING_VALUE, SuggestionCache, type SuggestionAnswer } from './suggestions.js';
import { Placeholder, replaceView, type HeldView } from './waiting-view.js';
import { SlackSurface, type IncidentPlaceSettings } from './surface.js';
import { SLACK_TEXTS as T } from './texts.js';

/** The one slash command; everything else is the words after it. */
export const SLASH_COMMAND = '/coc';
import { EVENTS_PATH } from './http-server.js';
import { within } from '../../core/within.js';
import { slackFileReader } from './file-reader.js';

/** Whether a delivery may run: yes, no (it was claimed already), or unknown (the claim failed). */
type ClaimOutcome = 'run' | 'taken' | 'unavailable';

/** How long a busy answer waits for the person's own language before using their workspace's. */
const BUSY_LOCALE_WAIT_MS = 50;

export { EVENTS_PATH, HEALTH_PATH } from './http-server.js';

/** Each measured from the request's arrival. */
export interface SlackTimings {
  /** How long a modal submission waits for its answer before the modal is closed (or shows "working"). */
  readonly submissionAnswerMs: number;
  /** How long type-ahead waits for fresh options before answering from what is known. */
  readonly optionsAnswerMs: number;
  /** After how long a running command gets a "working on it" line. */
  readonly workingNoticeMs: number;
  /** After how long without an answer a command or click that may answer with a form opens a placeholder view. */
  readonly placeholderAfterMs: number;
  /** How long type-ahead answers are kept. */
  readonly suggestionTtlMs: number;
  /** Web API call timeout. */
  readonly apiTimeoutMs: number;
  /** A command or click whose work has not begun this long after arrival is answered "busy" instead of run. */
  readonly lateStartMs: number;
}

const DEFAULT_TIMINGS: SlackTimings = {
  submissionAnswerMs: SUBMISSION_ANSWER_MS,
  optionsAnswerMs: OPTIONS_ANSWER_MS,
  workingNoticeMs: WORKING_NOTICE_MS,
  placeholderAfterMs: PLACEHOLDER_AFTER_MS,
  suggestionTtlMs: 5_000,
  apiTimeoutMs: 10_000,
  lateStartMs: LATE_START_MS,
};

export interface SlackAdapterOptions {
  readonly mode: 'socket' | 'http';
  /** xoxb-… */
  readonly botToken: string;
  /** xapp-… with connections:write (socket mode). */
  readonly appToken?: string;
  /** Verifies requests (http mode). */
  readonly signingSecret?: string;
  /** http mode; 0 picks a free port. */
  readonly port?: number;
  /** http mode: body cap, connection cap, pending-body budget and timeouts (defaults: SLACK_HTTP_LIMITS). */
  readonly httpLimits?: Partial<HttpLimits>;
  readonly host?: string;
  /** Web API base, `https://slack.com/api/` unless a test points it at a fake. */
  readonly slackApiUrl?: string;
  /** Where shared files are downloaded from (default SLACK_FILE_ORIGINS); a test's fake Slack serves its own. */
  readonly fileOrigins?: readonly string[];
  /** Known bot ids skip the `auth.test` call at start. */
  readonly botId?: string;
  readonly botUserId?: string;
  readonly incidentPlace: IncidentPlaceSettings;
  readonly timings?: Partial<SlackTimings>;
  readonly logLevel?: LogLevel;
  /** Wall-clock seconds for request signatures (Slack signs with real time, never the bot's test clock). */
  readonly wallClockMs?: () => number;
  /** How long `stop()` waits for acknowledged work to finish. Default STOP_DRAIN_MS. */
  readonly stopDrainMs?: number;
  /**
   * Commands and clicks taken in and not yet answered past which new ones are answered "busy,
   * try again in n s" at once and nothing is done for them. Default MAX_IN_FLIGHT.
   */
  readonly maxInFlight?: number;
  /**
   * Override for tests: whether the process is running behind (default: its event loop held up a
   * second or more, ../overload/loop-lag.ts); then new commands and clicks are answered "busy".
   */
  readonly behind?: () => boolean;
}

export interface SlackAdapterDeps {
  /**
   * `registry` tells which commands and clicks may answer with a form (placeholders open only
   * for those); `maskLine` hides secret values in echoed command lines.
   */
  readonly dispatcher: Pick<Dispatcher, 'handle' | 'suggest' | 'maskLine' | 'registry'>;
  readonly identities: Pick<IdentityService, 'resolve' | 'localeFor'>;
  readonly now: () => Date;
  /** One line per problem (delivery failures, refused requests); never tokens or form values. */
  readonly log?: (line: string) => void;
  /** Acknowledgement latency, missed deadlines, card edits. */
  readonly metrics?: Pick<Metrics, 'ackLatency' | 'missedDeadline' | 'cardEdit' | 'shedRequest'>;
  /** Each acknowledgement, by kind, with its time from the request's arrival (benchmarks, tests). */
  readonly onAck?: (kind: SlackRequestKind, elapsedMs: number) => void;
  /**
   * Where each request is claimed before it runs, so that it runs once across redeliveries and
   * replicas (the store, in production). Default: this process only.
   */
  readonly claims?: RequestClaims;
  /** Records, when a stop's deadline passed, the invocations still running (the audit trail, in production). */
  readonly recordCutShort?: (invocations: readonly Invocation[]) => Promise<void>;
}

export type SlackRequestKind = 'command' | 'block_action' | 'view_submission' | 'block_suggestion';

/** When a request reached the server (`performance.now()`), as the receiver put it in Bolt's context. */
const ARRIVED = 'cocArrivedAt';

function arrivalOf(context: Context): number {
  const at = context[ARRIVED];
  return typeof at === 'number' ? at : performance.now();
}

/** A `/coc` command, as Bolt's own command listener would match it (`onlyCommands`, then the command's name). */
function isSlashCommand(args: AnyMiddlewareArgs & AllMiddlewareArgs): args is SlackCommandMiddlewareArgs & AllMiddlewareArgs {
  return 'command' in args && Boolean(args.command) && args.command.command === SLASH_COMMAND;
}

/** Who sent a command (`team_id`, `user_id`) or an interaction (`team.id`, `user.id`), before its payload is parsed. */
function actorOf(body: unknown): Pick<Actor, 'platform' | 'workspaceId' | 'userId'> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const idOf = (flat: string, nested: string): string => {
    const direct = fields[flat];
    if (typeof direct === 'string') return direct;
    const holder = fields[nested];
    const id = typeof holder === 'object' && holder !== null ? (holder as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : '';
  };
  return { platform: 'slack', workspaceId: idOf('team_id', 'team'), userId: idOf('user_id', 'user') };
}

/** A submission's acknowledgement, given once: by the answer in time, or at the deadline. */
interface SubmissionAck {
  /** Acknowledges with `response`; false when it was acknowledged already. */
  answer(response?: ViewResponseAction): Promise<boolean>;
  /** The view left showing "working" when the deadline acknowledged it. */
  readonly held: HeldView | undefined;
}

/** What a piece of acknowledged work is, once its payload has been read (a stop reports it if it is cut short). */
interface WorkSlot {
  invocation?: Invocation;
}

/** An acknowledged command or click as it arrived: its body, how to answer it, when it arrived, and the placeholder view started for it. */
interface Arrival {
  readonly body: unknown;
  readonly respond: Respond | undefined;
  readonly arrived: number;
  readonly placeholder: Placeholder | undefined;
}

export interface SlackStarted {
  readonly mode: 'socket' | 'http';
  /** http mode: where Slack's requests are received. */
  readonly url?: string;
  readonly botUserId: string;
}

type Respond = (message: RespondArguments) => Promise<unknown>;

export class SlackAdapter {
  readonly #afterAck: AfterAckQueue;
  /**
   * The bound on commands and clicks acknowledged and not yet answered (overload is shed, never
   * hoarded). Form submissions and type-ahead are not counted: they answer in their own
   * acknowledgement, within a second of arriving, so they cannot pile up behind it.
   */
  readonly #admission: WorkAdmission;
  /**
   * On a loaded machine requests wait for the event loop before the server reads them, where the
   * bound above does not see them: while the loop is held up, new work is turned away as well.
   */
  readonly #loopLag: { behind(): boolean; close(): void };
  readonly client: webApi.WebClient;
  /** views.open / views.update only: never queued behind the answers being posted while a trigger id runs out. */
  readonly #views: webApi.WebClient;
  /** When each HTTP request reached the server. */
  readonly #arrivals = new WeakMap<IncomingMessage, number>();
  readonly #cardEdits = new CardEditLog();
  readonly surface: SlackSurface;
  readonly #options: SlackAdapterOptions;
  readonly #deps: SlackAdapterDeps;
  readonly #timings: SlackTimings;
  readonly #log: (line: string) => void;
  readonly #replies: ReplyDelivery;
  /** Answers through response_urls, over kept-alive connections (Bolt's `respond()` is the fallback). */
  readonly #responses: ResponseUrlPoster;
  readonly #suggestions: SuggestionCache;
  #app: App | undefined;
  #server: Server | undefined;
  #connected = false;
  /**
   * Requests taken: Socket Mode may deliver an envelope again when its ack was lost, Slack
   * retries, and a signed request may be replayed to any replica; a command, a click or a
   * submission must not run twice because of it.
   */
  readonly #claims: RequestClaims;
  /** Acknowledged requests still being worked on, for a stop to wait for. */
  readonly #inFlight = new InFlightWork<WorkSlot>();

  constructor(options: SlackAdapterOptions, deps: SlackAdapterDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#log = deps.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#claims = deps.claims ?? localClaims();
    // HTTP mode also counts the requests waiting for their acknowledgement at the server itself.
    this.#admission = new WorkAdmission({ maxInFlight: options.maxInFlight ?? MAX_IN_FLIGHT, drainWithinMs: DRAIN_WITHIN_MS, minInFlight: MIN_IN_FLIGHT, queuedAt: QUEUED_AT });
    const loopLag = options.behind ? undefined : new EventLoopLag();
    this.#loopLag = loopLag ?? { behind: options.behind!, close: () => undefined };
    // Answers run wider while the loop keeps up (with `behind` overridden, at the fixed width).
    this.#afterAck = new AfterAckQueue({}, loopLag && (() => loopLag.recentMaxMs()));
    this.client = slackWebClient(options.botToken, this.#clientOptions());
    this.#views = slackWebClient(options.botToken, this.#clientOptions());
    this.#cardEdits.watch(this.client);
    this.surface = new SlackSurface({
      client: this.client,
      incidentPlace: options.incidentPlace,
      localeOf: (workspaceId) => deps.identities.localeFor({ platform: 'slack', workspaceId }),
      now: deps.now,
      onEdit: () => deps.metrics?.cardEdit('slack'),
    });
    this.#replies = new ReplyDelivery({
      client: this.client,
      views: this.#views.views,
      surface: this.surface,
      log: this.#log,
      onFormExpired: () => deps.metrics?.missedDeadline('slack', 'modal'),
    });
    this.#responses = new ResponseUrlPoster({ timeoutMs: this.#timings.apiTimeoutMs });
    this.#suggestions = new SuggestionCache({ dispatcher: deps.dispatcher, ttlMs: this.#timings.suggestionTtlMs });
  }

  #clientOptions(): SlackClientOptions {
    return {
      ...(this.#options.slackApiUrl ? { slackApiUrl: this.#options.slackApiUrl } : {}),
      timeoutMs: this.#timings.apiTimeoutMs,
      log: this.#log,
      ...(this.#options.logLevel ? { logLevel: this.#options.logLevel } : {}),
    };
  }

  /** Checks the bot token, then connects (socket) or listens (http). */
  async start(): Promise<SlackStarted> {
    if (this.#app) throw new Error('the Slack adapter is already running');
    const options = this.#options;
    let { botId, botUserId } = options;
    if (!botId || !botUserId) {
      try {
        const who = await this.client.auth.test();
        botId = who.bot_id;
        botUserId = who.user_id;
      } catch (error) {
        throw new Error(`Slack refused the bot token at start: ${deliveryError('auth.test', error).message}`);
      }
      if (!botId || !botUserId) throw new Error('Slack did not say which bot the token belongs to (auth.test): is it a bot token (xoxb-…)?');
    }
    const logger = boltLogger(this.#log, options.logLevel);
    const clientOptions = slackClientOptions(this.#clientOptions());
    let receiver: HTTPReceiver | SocketModeReceiver;
    if (options.mode === 'http') {
      if (!options.signingSecret) throw new Error('HTTP mode needs the signing secret (slack.signingSecret)');
      receiver = new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: EVENTS_PATH,
        logger,
        unhandledRequestTimeoutMillis: ACK_DEADLINE_MS + 1,
        // The server in front of Bolt has verified every request it hands on (http-server.ts);
        // Bolt's own check would take three more HMACs and a random key per request.
        signatureVerification: false,
        // The request object is the one the server saw arrive (Bolt adds the body to it).
        customPropertiesExtractor: (request) => this.#arrivedProperties(this.#arrivals.get(request) ?? performance.now()),
      });
    } else {
      if (!options.appToken) throw new Error('Socket Mode needs the app-level token (slack.appToken)');
      const socket = new SocketModeReceiver({ appToken: options.appToken, logger, installerOptions: { clientOptions }, customPropertiesExtractor: () => this.#arrivedProperties(performance.now()) });
      socket.client.on('connected', () => {
        this.#connected = true;
      });
      for (const state of ['reconnecting', 'disconnected'] as const) {
        socket.client.on(state, () => {
          this.#connected = false;
        });
      }
      receiver = socket;
    }
    // No conversation store: nothing here reads `context.conversation`, and it is a middleware on
    // every request. Nor Bolt's filter of the bot's own events: it listens to no events, and the
    // filter is a middleware on every request too.
    const app = new App({ token: options.botToken, botId, botUserId, receiver, logger, tokenVerificationEnabled: false, clientOptions, convoStore: false, ignoreSelf: false });
    this.#listen(app);
    this.#app = app;
    try {
      if (receiver instanceof HTTPReceiver) {
        const { server, url } = await startSlackHttpServer({
          receiver,
          signingSecret: options.signingSecret ?? '',
          ...(options.httpLimits ? { limits: options.httpLimits } : {}),
          port: options.port ?? 3000,
          ...(options.host ? { host: options.host } : {}),
          wallClockMs: options.wallClockMs ?? Date.now,
          log: this.#log,
          takeCommand: (form, ack, request, response) => this.#takeCommand(form, ack, request, response),
        });
        this.#server = server;
        // Before any other listener: a deadline counts from here, however long the body and the
        // signature take and however late the handler runs during a burst.
        server.prependListener('request', (request: IncomingMessage) => {
          this.#arrivals.set(request, performance.now());
        });
        this.#connected = true;
        return { mode: 'http', url, botUserId };
      }
      await app.start();
      this.#connected = true;
      return { mode: 'socket', botUserId };
    } catch (error) {
      this.#app = undefined;
      throw error;
    }
  }

  /** Receiving requests: the HTTP server listens, or the socket is connected (false while it reconnects). */
  get connected(): boolean {
    return this.#connected;
  }

  /** Requests acknowledged and not finished yet. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops taking requests, then lets the acknowledged ones finish (their answers and COC writes
   * included) for up to `stopDrainMs`; those still running then are recorded as cut short.
   */
  async stop(): Promise<void> {
    this.#connected = false;
    const app = this.#app;
    const server = this.#server;
    this.#app = undefined;
    this.#server = undefined;
    if (server) {
      // Requests under way still get their acknowledgement (Bolt answers within the 3 s
      // deadline); idle keep-alive connections go now, and whatever is left after the deadline.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), ACK_DEADLINE_MS + 1_000);
      await closed;
      clearTimeout(timer);
    } else if (app) await app.stop();
    const left = await this.#inFlight.drain(this.#options.stopDrainMs ?? STOP_DRAIN_MS);
    await this.#responses.close().catch(() => undefined);
    this.#loopLag.close();
    const cutShort = left.flatMap((slot) => (slot.invocation ? [slot.invocation] : []));
    if (left.length > 0) this.#log(`stopped with ${left.length} request(s) still running; ${cutShort.length} recorded as cut short`);
    if (cutShort.length > 0 && this.#deps.recordCutShort) {
      try {
        await this.#deps.recordCutShort(cutShort);
      } catch (error) {
        this.#log(`could not record the requests a stop cut short: ${error instanceof Error ? error.message : 'unknown error'}`);
      }
    }
  }

  /** Let in, or turned away: past the bound on work taken in, or while the process is running behind. */
  #admit(): Admitted | TurnedAway {
    if (this.#loopLag.behind()) return { admitted: false, retryAfterSeconds: this.#admission.retryAfterSeconds() };
    return this.#admission.admit();
  }

  /**
   * What the receiver adds to Bolt's context for each request Slack sends (in either mode, of any
   * kind), before any listener: when it arrived. Each one also holds back the answers already
   * acknowledged a little longer (after-ack.ts) — here rather than in a middleware of its own,
   * one less step for Bolt to take on every request.
   */
  #arrivedProperties(arrived: number): Record<typeof ARRIVED, number> {
    this.#afterAck.arrived();
    return { [ARRIVED]: arrived };
  }

  #listen(app: App): void {
    // `/coc` is taken by a middleware rather than a listener: Bolt runs every listener's chain of
    // matchers for every request (four here, each its own promises and closures), and a command —
    // most of what arrives — then skips them all. Anything else goes on to the listeners below.
    app.use(async (args) => {
      if (!isSlashCommand(args)) return args.next();
      await this.#onSlashCommand({ ack: args.ack, body: args.body, respond: args.respond, arrived: arrivalOf(args.context) });
    });
    this.#listenToClicksAndForms(app);
  }

  /**
   * HTTP mode: a signed `/coc` taken before Bolt (http-server.ts), so that Bolt's per-request
   * machinery is not built for the requests that come most; anything else goes on to Bolt. The
   * same handling as through Bolt: its form is the body Bolt would give, the acknowledgement the
   * HTTP response Bolt's would write, and a failure is logged as Bolt's error handler logs it (a
   * command that failed before its acknowledgement gets 500, as Bolt answers).
   */
  #takeCommand(form: Readonly<Record<string, unknown>>, ack: HttpAck, request: IncomingMessage, response: ServerResponse): boolean {
    if (form['command'] !== SLASH_COMMAND) return false;
    this.#afterAck.arrived();
    const arrived = this.#arrivals.get(request) ?? performance.now();
    this.#onSlashCommand({ ack, body: form, respond: undefined, arrived }).catch((error: unknown) => {
      this.#log(`Slack request failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
    return true;
  }

  async #onSlashCommand({ ack, body, respond: boltRespond, arrived }: { ack: HttpAck | SlackCommandMiddlewareArgs['ack']; body: unknown; respond: Respond | undefined; arrived: number }): Promise<void> {
    const respond = this.#respondTo(body) ?? boltRespond;
    // Turned away at the door, before any claim or work: a retry of it by Slack, or by the
    // person, is a new chance. The busy answer is the acknowledgement's own (no Web API call).
    const admission = this.#admit();
    if (!admission.admitted) {
      await ack({ response_type: 'ephemeral', text: await this.#busyText(body, admission.retryAfterSeconds) });
      this.#acked('command', arrived);
      this.#deps.metrics?.shedRequest('slack');
      return;
    }
    await ack();
    this.#acked('command', arrived);
    // Read once: the placeholder and the work both need it.
    const parsed = parseCommandPayload(body);
    const command = parsed.success ? { payload: parsed.data, invocation: commandInvocation(parsed.data) } : undefined;
    // Started before the work waits its turn: a placeholder's time counts from arrival.
    const placeholder = this.#placeholderFor(command?.invocation, command?.payload.trigger_id, arrived);
    // Not awaited: the command's handling ends here, and with it Bolt's hold on the request (its arguments,
    // context, middleware chains and the HTTP request and response), which a burst would
    // otherwise keep alive until every answer is posted, each garbage collection copying them
    // again. The work is tracked in flight for a stop, and #guard never throws.
    void this.#guard('a command', (slot) => this.#onCommand(command, { body, respond, arrived, placeholder }, slot), admission);
  }

  #listenToClicksAndForms(app: App): void {
    app.action(/^coc\|[bs]\|/, async ({ ack, body, respond: boltRespond, context }) => {
      const arrived = arrivalOf(context);
      const respond = this.#respondTo(body) ?? boltRespond;
      const admission = this.#admit();
      await ack();
      this.#acked('block_action', arrived);
      if (!admission.admitted) {
        // A click's acknowledgement shows nothing: the busy line goes through its response_url.
        this.#deps.metrics?.shedRequest('slack');
        await respond({ response_type: 'ephemeral', replace_original: false, text: await this.#busyText(body, admission.retryAfterSeconds) }).catch(() => {
          // The person sees no answer and may click again; nothing was done or claimed.
        });
        return;
      }
      const parsed = blockActionsPayloadSchema.safeParse(body);
      const click = parsed.success ? actionInvocation(parsed.data) : undefined;
      const read = parsed.success && click ? { payload: parsed.data, click } : undefined;
      const placeholder = this.#placeholderFor(click?.invocation, parsed.success ? parsed.data.trigger_id : undefined, arrived);
      // Not awaited, as a command's work (above).
      void this.#guard('a click', (slot) => this.#onAction(read, { body, respond, arrived, placeholder }, slot), admission);
    });
    app.options(/^coc\|/, async ({ ack, body, context }) => {
      const arrived = arrivalOf(context);
      let answer: SuggestionAnswer = { options: [], partial: false };
      let locale: Locale = this.#deps.identities.localeFor({ platform: 'slack', workspaceId: '' });
      await this.#guard('a type-ahead', async () => {
        const parsed = suggestionPayloadSchema.safeParse(body);
        const request = parsed.success ? suggestionRequest(parsed.data) : undefined;
        if (!request) return;
        locale = this.#deps.identities.localeFor(request.actor);
        answer = await this.#suggestions.answer(request, arrived + this.#timings.optionsAnswerMs);
      });
      await ack(optionsAck(answer, locale));
      this.#acked('block_suggestion', arrived);
    });
    app.view(/.*/, async ({ ack, body, context }) => {
      const arrived = arrivalOf(context);
      const parsed = viewSubmissionPayloadSchema.safeParse(body);
      const invocation = parsed.success ? submissionInvocation(parsed.data) : undefined;
      const registry = this.#deps.dispatcher.registry;
      // A form whose answer may be another form keeps its modal, showing "working", when the answer is late.
      const keepsView = invocation && parsed.success && parsed.data.view.id ? mayAnswerWithForm(registry, invocation) : false;
      let acked = false;
      let held: HeldView | undefined;
      const submissionAck: SubmissionAck = {
        answer: async (response) => {
          if (acked) return false;
          acked = true;
          await ack(response);
          this.#acked('view_submission', arrived);
          return true;
        },
        get held() {
          return held;
        },
      };
      const work = this.#guard('a form submission', (slot) => this.#onSubmission(parsed.success ? parsed.data : undefined, submissionAck, slot));
      // The acknowledgement never waits past the deadline, whatever the work waits on (the store, COC).
      await within(work, arrived + this.#timings.submissionAnswerMs - performance.now());
      if (!acked) {
        const viewId = parsed.success ? parsed.data.view.id : undefined;
        if (keepsView && viewId) {
          const locale = invocation ? this.#deps.identities.localeFor(invocation.actor) : 'en-US';
          held = { id: viewId };
          await submissionAck.answer({ response_action: 'update', view: waitingView('working', locale) });
        } else await submissionAck.answer();
      }
      await work;
    });
    app.error(async (error) => {
      this.#log(`Slack request failed: ${error.name}: ${error.message}`);
    });
  }

  /** Records how long an acknowledgement took from the request's arrival, and a missed 3 s deadline. */
  #acked(kind: SlackRequestKind, arrived: number): void {
    const elapsedMs = performance.now() - arrived;
    this.#deps.metrics?.ackLatency('slack', elapsedMs / 1000);
    if (elapsedMs > ACK_DEADLINE_MS) this.#deps.metrics?.missedDeadline('slack', 'ack');
    else if (elapsedMs > ACK_GOAL_MS) this.#log(`a Slack ${kind} was acknowledged ${Math.round(elapsedMs)} ms after it arrived (goal ${ACK_GOAL_MS} ms)`);
    this.#deps.onAck?.(kind, elapsedMs);
  }

  /**
   * A placeholder view for a command or click that may answer with a form (its definition says
   * so) and carries a trigger id: it opens if the answer has not come `placeholderAfterMs` after
   * arrival. Undefined for everything else.
   */
  #placeholderFor(invocation: Invocation | undefined, triggerId: string | undefined, arrived: number): Placeholder | undefined {
    const registry = this.#deps.dispatcher.registry;
    if (!invocation || !triggerId || !mayAnswerWithForm(registry, invocation)) return undefined;
    return new Placeholder({
      views: this.#views.views,
      triggerId,
      locale: this.#deps.identities.localeFor(invocation.actor),
      openAt: arrived + this.#timings.placeholderAfterMs,
      log: this.#log,
    });
  }

  /**
   * "Busy, try again in n s", in the language of the person who sent `body`: their own when the
   * identity cache knows it at once (the door does not wait on the store), else their workspace's.
   */
  async #busyText(body: unknown, retryAfterSeconds: number): Promise<string> {
    const actor = actorOf(body);
    const known = await within(this.#localeOf(actor), BUSY_LOCALE_WAIT_MS);
    const t = translator(known.done ? known.value : this.#deps.identities.localeFor(actor));
    return `${t(CORE_TEXTS.busy, { seconds: retryAfterSeconds })} ${t(CORE_TEXTS.busyText)}`;
  }

  /** Posting to the request's response_url over kept-alive connections; undefined when it carries none. */
  #respondTo(body: unknown): Respond | undefined {
    const url = typeof body === 'object' && body !== null ? (body as { response_url?: unknown }).response_url : undefined;
    return typeof url === 'string' && url !== '' ? this.#responses.to(url) : undefined;
  }

  /** A command line as it may be shown again: secret values hidden. */
  #maskLine(line: string): string {
    return this.#deps.dispatcher.maskLine(line);
  }

  /**
   * Runs a request's work, reporting a failure instead of throwing. `admitted`: the request was
   * acknowledged already and let in by the bound on queued work, so its work may wait its turn
   * and gives its place back when it ends (type-ahead and forms answer in their ack: never
   * queued). Work that has a slot is tracked until it ends, for a stop to wait for.
   */
  async #guard(what: string, work: (slot: WorkSlot) => Promise<void>, admitted?: Admitted): Promise<void> {
    const slot: WorkSlot = {};
    // Its place is given back as the work ends, before a stop or a test sees it finished.
    const running = admitted ? this.#afterAck.run(() => work(slot)).finally(() => admitted.done()) : work(slot);
    await this.#inFlight.track(running, slot);
    try {
      await running;
    } catch (error) {
      this.#log(`handling ${what} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
    }
  }

  /**
   * Whether this delivery may run: false when the request was taken already (a redelivery or a
   * replay, here or on another replica), and when the claim could not be made (then it is not
   * run either, and the person is told). A request without an id of its own runs.
   */
  async #claim(key: string | undefined): Promise<ClaimOutcome> {
    if (!key) return 'run';
    try {
      if (await this.#claims.claim(key)) return 'run';
      // Claimed already, here or by another replica.
      this.#log('dropped an interaction Slack delivered twice');
      return 'taken';
    } catch (error) {
      this.#log(`could not claim a request, so it was not run: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
      return 'unavailable';
    }
  }

  /**
   * A command or click that will not run: the placeholder that opened while its claim was made
   * says why (it would otherwise say "one moment" forever); without one, a failed claim is said
   * privately through response_url and a repeat is dropped (the first delivery answers).
   */
  async #refused(outcome: Exclude<ClaimOutcome, 'run'>, actor: Actor, respond: Respond | undefined, placeholder: Placeholder | undefined): Promise<void> {
    const held = await placeholder?.take();
    const locale = this.#deps.identities.localeFor(actor);
    const text = translator(locale)(outcome === 'taken' ? T.alreadyHandled : T.notRecorded);
    if (held && (await replaceView(this.#views.views, held, answerView({ text, tone: outcome === 'taken' ? 'warning' : 'danger', private: true }, locale, false), this.#log))) return;
    if (outcome !== 'unavailable' || !respond) return;
    await respond({ response_type: 'ephemeral', replace_original: false, text }).catch(() => {
      // The person sees no answer; the log line from the claim says why.
    });
  }

  async #localeOf(actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<Locale> {
    try {
      return (await this.#deps.identities.resolve(actor))?.locale ?? this.#deps.identities.localeFor(actor);
    } catch {
      return this.#deps.identities.localeFor(actor);
    }
  }

  /** A command's invocation, with the way to read the Slack files its file arguments name. */
  #withFiles(invocation: Extract<Invocation, { kind: 'command' }>): Extract<Invocation, { kind: 'command' }> {
    const origins = this.#options.fileOrigins;
    return { ...invocation, files: slackFileReader({ client: this.client, botToken: this.#options.botToken, actor: invocation.actor, place: invocation.place, ...(origins ? { origins } : {}) }) };
  }

  /**
   * A command or click whose work could not begin in time (the bot is behind): it is answered
   * "busy, try again" like one turned away at the door — through its response_url, or in the
   * placeholder view opened for it — and nothing is claimed or run. What was let in is thus
   * answered within Slack's patience even when the machine drains slower than measured.
   */
  async #startedLate({ body, respond, arrived, placeholder }: Arrival): Promise<boolean> {
    if (performance.now() - arrived < this.#timings.lateStartMs) return false;
    this.#deps.metrics?.shedRequest('slack');
    const text = await this.#busyText(body, this.#admission.retryAfterSeconds());
    const held = await placeholder?.take();
    if (held && (await replaceView(this.#views.views, held, answerView({ text, tone: 'warning', private: true }, this.#deps.identities.localeFor(actorOf(body)), false), this.#log))) return true;
    await respond?.({ response_type: 'ephemeral', replace_original: false, text }).catch(() => {
      // The person sees no answer and may try again; nothing was done or claimed.
    });
    return true;
  }

  /** What a command's or click's work goes on with: nothing when it started too late (answered busy) or is none of the bot's (logged). */
  async #workOf<R>(read: R | undefined, arrival: Arrival, ignored: string): Promise<R | undefined> {
    if (await this.#startedLate(arrival)) return undefined;
    if (!read) this.#log(ignored);
    return read;
  }

  async #onCommand(
    read: { payload: CommandPayload; invocation: Extract<Invocation, { kind: 'command' }> } | undefined,
    arrival: Arrival,
    slot: WorkSlot,
  ): Promise<void> {
    const command = await this.#workOf(read, arrival, 'ignored a /coc request without team, user or channel');
    if (!command) return;
    const { respond, arrived, placeholder } = arrival;
    const parsed = { data: command.payload };
    const invocation = this.#withFiles(command.invocation);
    const claim = await this.#claim(commandClaimKey(parsed.data));
    if (claim !== 'run') return this.#refused(claim, invocation.actor, respond, placeholder);
    slot.invocation = invocation;
    const locale = await this.#localeOf(invocation.actor);
    const t = translator(locale);
    const working = respond
      ? setTimeout(() => {
          const command = clip(escapeText(oneLine(this.#maskLine(invocation.text))).replace(/`/g, "'"), 100);
          respond({ response_type: 'ephemeral', replace_original: false, text: t(T.working, { command }) }).catch(() => {
            // Only a courtesy; the answer still comes.
          });
        }, Math.max(0, arrived + this.#timings.workingNoticeMs - performance.now()))
      : undefined;
    let reply: Message;
    try {
      reply = await this.#deps.dispatcher.handle(invocation);
    } finally {
      clearTimeout(working);
    }
    await this.#replies.deliver(reply, {
      actor: invocation.actor,
      place: invocation.place,
      locale,
      ...(respond ? { respond } : {}),
      ...(parsed.data.trigger_id ? { triggerId: parsed.data.trigger_id } : {}),
      ...(placeholder ? { waiting: () => placeholder.take() } : {}),
    });
  }

  async #onAction(read: { payload: BlockActionsPayload; click: ActionClick } | undefined, arrival: Arrival, slot: WorkSlot): Promise<void> {
    const action = await this.#workOf(read, arrival, 'ignored a click that is not one of the bot’s buttons or menus');
    if (!action) return;
    const { respond, placeholder } = arrival;
    const parsed = { data: action.payload };
    const { invocation } = action.click;
    const claim = await this.#claim(actionClaimKey(parsed.data));
    if (claim !== 'run') return this.#refused(claim, invocation.actor, respond, placeholder);
    slot.invocation = invocation;
    const locale = await this.#localeOf(invocation.actor);
    const card = clickedCard(parsed.data);
    const editsBefore = card?.ts ? this.#cardEdits.edits(card.channelId, card.ts) : 0;
    const reply = await this.#deps.dispatcher.handle(invocation);
    // A click that went through decides its card (when its button says so); a refused one leaves
    // it as it was. A card the core edited meanwhile shows the decision already.
    const editedMeanwhile = card?.ts !== undefined && !card.ephemeral && this.#cardEdits.edits(card.channelId, card.ts) !== editsBefore;
    const decided = card && !editedMeanwhile && !replyFailed(reply) && !reply.form && !reply.fieldErrors;
    await this.#replies.deliver(reply, {
      actor: invocation.actor,
      place: invocation.place,
      locale,
      ...(respond ? { respond } : {}),
      ...(parsed.data.trigger_id ? { triggerId: parsed.data.trigger_id } : {}),
      ...(placeholder ? { waiting: () => placeholder.take() } : {}),
      ...(decided ? { settles: { card, line: settledLine(card, locale, this.#deps.now()) } } : {}),
    });
  }

  async #onSubmission(payload: ViewSubmissionPayload | undefined, ack: SubmissionAck, slot: WorkSlot): Promise<void> {
    const invocation = payload ? submissionInvocation(payload) : undefined;
    if (!payload || !invocation) {
      await ack.answer();
      return;
    }
    const view = payload.view;
    const inputs = view.blocks.filter((block) => block.type === 'input' && block.block_id);
    const locale = await this.#localeOf(invocation.actor);
    const route: ReplyRoute = { actor: invocation.actor, place: invocation.place, locale };
    const claim = await this.#claim(submissionClaimKey(payload));
    if (claim !== 'run') {
      // Runs nothing. A failed claim is said in the view left on "working" (or privately); a
      // repeat closes the modal like the first delivery's answer will, and replaces "working"
      // when this delivery put the view on it.
      await ack.answer();
      const waiting = this.#waitingIn(ack);
      const text = translator(locale)(claim === 'taken' ? T.alreadyHandled : T.notRecorded);
      if (claim === 'unavailable' || waiting.waiting) await this.#replies.deliver({ text, tone: claim === 'taken' ? 'warning' : 'danger', private: true }, { ...route, ...waiting });
      return;
    }
    slot.invocation = invocation;
    const reply = await this.#deps.dispatcher.handle(invocation);
    // In time: the answer goes in the acknowledgement.
    if (reply.fieldErrors && Object.keys(reply.fieldErrors).length > 0) {
      if (await ack.answer({ response_action: 'errors', errors: slackFieldErrors(reply.fieldErrors, inputs.map((block) => block.block_id ?? '')) })) return;
    } else if (reply.form) {
      const next = renderForm(reply.form, invocation.place, locale, reply);
      if (next.ok && (await ack.answer({ response_action: 'update', view: next.view }))) return;
    }
    await ack.answer();
    // Late (or not for the modal): the outcome is said where the form was opened, or in the view left waiting for it.
    if (reply.fieldErrors && Object.keys(reply.fieldErrors).length > 0) {
      const labelOf = new Map(inputs.map((block) => [block.block_id ?? '', block.label?.text ?? '']));
      const fields = Object.entries(reply.fieldErrors).map(([fieldId, problem]) => ({ label: labelOf.get(fieldBlockId(fieldId) ?? '') || fieldId, value: problem }));
      await this.#replies.deliver({ title: translator(locale)(T.formRefused), fields, tone: 'danger', private: true }, { ...route, ...this.#waitingIn(ack) });
      return;
    }
    await this.#replies.deliver(reply, { ...route, ...this.#waitingIn(ack) });
  }

  #waitingIn(ack: SubmissionAck): Pick<ReplyRoute, 'waiting'> {
    const held = ack.held;
    return held ? { waiting: async () => held } : {};
  }
}

/**
 * Type-ahead's acknowledgement: the options; when the source was too slow, what is known under
 * a heading that says to keep typing, or one "keep typing" line (never a value anybody submits).
 */
function optionsAck(answer: SuggestionAnswer, locale: Locale): { options: types.PlainTextOption[] } | { option_groups: { label: types.PlainTextElement; options: types.PlainTextOption[] }[] } {
  if (!answer.partial) return { options: answer.options };
  const t = translator(locale);
  const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text: clip(text, LIMITS.optionText), emoji: true });
  if (answer.options.length === 0) return { options: [{ text: plain(t(T.keepTypingOption)), value: KEEP_TYPING_VALUE }] };
  return { option_groups: [{ label: plain(t(T.keepTypingGroup)), options: answer.options }] };
}
