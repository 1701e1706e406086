/**
 * The worst acknowledgement time of each kind of Slack request — slash command, block action,
 * view submission, block suggestion — with COC hanging on every route, during a burst of 200
 * signed slash commands sent at once to the bot's Request URL (HTTP mode, the whole adapter,
 * its Web API pointed at a local fake Slack). Clicks, submissions of the run form and
 * type-ahead keystrokes are sent in the middle of the burst, by a client in a process of its
 * own (bench/slack-ack-client.ts), as Slack is. Printed twice per kind: at the adapter (from the
 * request's arrival at the server to its acknowledgement) and as the client saw it (sending to
 * the full HTTP answer), next to the same client's round trip to a bare Bolt app on the same
 * HTTP receiver that only acknowledges (what the machine and the client cost by themselves).
 * Goal: every kind ≤ 2.0 s at the adapter. The worst of several bursts is reported.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackAdapter, type SlackRequestKind } from '../src/adapters/slack/app.js';
import { ACK_GOAL_MS } from '../src/adapters/slack/limits.js';
import { makeTestBot } from '../test/helpers/bot.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { slackHttpSettings } from '../test/helpers/slack-bot.js';
import { commandBody, signedPost } from '../test/helpers/slack-requests.js';
import type { ClientOrders, ClientTimes } from './slack-ack-client.js';
import { endBench } from './end.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const TEAM = 'T0BENCH';
const ALICE = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };
const COMMANDS = 200;
/** Of each other kind, sent during the burst. */
const OTHERS = 20;
const BURSTS = 3;
const KINDS: readonly SlackRequestKind[] = ['command', 'block_action', 'view_submission', 'block_suggestion'];

type View = ClientOrders['form'];

const fake = await startFakeSlack({ teamId: TEAM });
const bot = await makeTestBot({
  mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }],
  cocClient: { timeoutMs: 60_000, retry: { retries: 0 } },
});
const atAdapter = new Map<SlackRequestKind, number[]>(KINDS.map((kind) => [kind, []]));
let recording = false;
const adapter = new SlackAdapter(
  { ...slackHttpSettings(fake), botToken: 'xoxb-bench', signingSecret: SECRET, stopDrainMs: 500 },
  {
    dispatcher: bot.dispatcher,
    identities: bot.services.identities,
    now: bot.services.now,
    log: () => {},
    onAck: (kind, elapsedMs) => {
      if (recording) atAdapter.get(kind)!.push(elapsedMs);
    },
  },
);
bot.core.chat.register(adapter.surface);
const started = await adapter.start();
if (!started.url) throw new Error('the adapter did not start in HTTP mode');
const url = started.url;
// The baseline: Bolt's HTTP receiver and an app that acknowledges every kind and does nothing else.
const bareReceiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const bare = new App({ token: 'xoxb-bench', botId: fake.botId, botUserId: fake.botUserId, receiver: bareReceiver, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.apiUrl } });
bare.command('/coc', async ({ ack }) => ack());
bare.action(/.*/, async ({ ack }) => ack());
bare.view(/.*/, async ({ ack }) => ack());
bare.options(/.*/, async ({ ack }) => ack({ options: [] }));
await bare.start(0);
const bareAddress = (bareReceiver as unknown as { server?: { address(): { port: number } } }).server?.address();
if (!bareAddress) throw new Error('the bare Bolt app did not start');
const bareUrl = `http://127.0.0.1:${bareAddress.port}/slack/events`;
const client = fork(join(import.meta.dirname, 'slack-ack-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

function send(orders: ClientOrders): Promise<ClientTimes> {
  return new Promise((resolve, reject) => {
    client.once('message', (answer: { ok: true; times: ClientTimes } | { ok: false; error: string }) => (answer.ok ? resolve(answer.times) : reject(new Error(answer.error))));
    client.send(orders);
  });
}

try {
  // The run form, opened while COC still answers (it needs nothing from COC).
  await signedPost(url, SECRET, commandBody(ALICE, 'run', { responseUrl: fake.responseUrl('form'), triggerId: 'trigger.form' }));
  for (let waited = 0; fake.callsOf('views.open').length === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  const opened = fake.callsOf('views.open').at(-1);
  if (!opened) throw new Error('the run form did not open');
  const orders = { url, secret: SECRET, responseBase: fake.responseUrl(''), teamId: TEAM, form: opened.args['view'] as View, commands: COMMANDS, others: OTHERS };
  // Warm up (JIT, connections) while COC answers.
  await send({ ...orders, commands: 20, others: 2, phase: 'warm-up' });
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  bot.sim.faults.set('*', { kind: 'hang' });
  const seen = new Map<SlackRequestKind, number[]>(KINDS.map((kind) => [kind, []]));
  const baseline = new Map<SlackRequestKind, number[]>(KINDS.map((kind) => [kind, []]));
  await send({ ...orders, url: bareUrl, commands: 20, others: 2, phase: 'warm-up' });
  for (let burst = 0; burst < BURSTS; burst++) {
    recording = true;
    const times = await send({ ...orders, phase: 'burst' });
    recording = false;
    for (const kind of KINDS) seen.get(kind)!.push(...times[kind]);
    // Let the acknowledged work start and settle into waiting on COC before the baseline's burst.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const bareTimes = await send({ ...orders, url: bareUrl, phase: 'burst' });
    for (const kind of KINDS) baseline.get(kind)!.push(...bareTimes[kind]);
  }

  const worst = (values: readonly number[]) => Math.max(...values);
  const lines = [`Slack acknowledgements with COC hanging, ${BURSTS} bursts of ${COMMANDS} /coc commands (${OTHERS} of each other kind among them), worst case:`];
  for (const kind of KINDS) {
    const adapterWorst = worst(atAdapter.get(kind)!);
    const clientWorst = worst(seen.get(kind)!);
    const bareWorst = worst(baseline.get(kind)!);
    const s = (ms: number) => `${(ms / 1000).toFixed(2).padStart(5)} s`;
    lines.push(
      `  ${kind.padEnd(18)} at the adapter ${s(adapterWorst)} (goal ≤ ${(ACK_GOAL_MS / 1000).toFixed(1)} s: ${adapterWorst <= ACK_GOAL_MS ? 'met' : 'MISSED'}) · client round trip ${s(clientWorst)} vs ${s(bareWorst)} to a bare Bolt app  (${seen.get(kind)!.length} requests)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  client.kill();
  await bare.stop();
  bot.sim.faults.clear();
  await adapter.stop();
  await bot.close();
  await fake.close();
}
endBench();
