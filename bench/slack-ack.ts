/**
 * Acknowledgement latency of `/coc` over Slack's HTTP mode under load: 200 signed slash
 * commands sent at once to the bot's Request URL (the whole adapter: signature check, the
 * dispatcher's work started after the ack, answers through the Web API of a local fake
 * Slack), against a bare Bolt app on the same HTTP receiver that only acks. p50 and p99 of the
 * time until each HTTP answer, as ratios (goal ≤ 1.2×). Several rounds, alternating which
 * side goes first; the medians are reported. This is the platform's deadline, not the person's
 * wait: the bot's answers are worked on after the acks (and held back while acks are being
 * written), which the bare app here never sends. bench/slack-answer.ts times the answers.
 */
import { createHmac } from 'node:crypto';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { makeTestBot } from '../test/helpers/bot.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { slackHttpSettings } from '../test/helpers/slack-bot.js';
import { endBench } from './end.js';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const TEAM = 'T0BENCH';
const CONCURRENT = 200;
/** Every request is a new interaction (the adapter drops redeliveries of one it has seen). */
let sent = 0;
const ROUNDS = 11;

function signedCommand(url: string, text: string, n: number): Promise<number> {
  const body = new URLSearchParams({
    team_id: TEAM,
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'ops',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/coc',
    text,
    // A response_url of its own per command, as Slack gives (the fake answers an unknown or used-up one 404).
    response_url: fake.responseUrl(`ack-${sent + 1}-${n}`),
    trigger_id: `trigger-${++sent}-${n}`,
    api_app_id: 'A0BENCH',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const started = performance.now();
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  }).then(async (response) => {
    await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return performance.now() - started;
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function burst(url: string, text: string): Promise<{ p50: number; p99: number }> {
  const times = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => signedCommand(url, text, i)));
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const fake = await startFakeSlack({ teamId: TEAM });
const bot = await makeTestBot({ mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] });
const adapter = new SlackAdapter(
  { ...slackHttpSettings(fake), botToken: 'xoxb-bench', signingSecret: SECRET },
  { dispatcher: bot.dispatcher, identities: bot.services.identities, now: bot.services.now },
);
bot.core.chat.register(adapter.surface);
const started = await adapter.start();

// The baseline: Bolt's HTTP receiver and an app that acknowledges and does nothing else.
const bareReceiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
const bare = new App({ token: 'xoxb-bench', botId: fake.botId, botUserId: fake.botUserId, receiver: bareReceiver, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.apiUrl } });
bare.command('/coc', async ({ ack }) => {
  await ack();
});
await bare.start(0);
const bareAddress = (bareReceiver as unknown as { server?: { address(): { port: number } } }).server?.address();
if (!bareAddress) throw new Error('the bare Bolt app did not start');
const bareUrl = `http://127.0.0.1:${bareAddress.port}/slack/events`;

try {
  // Warm both up (JIT, connection handling) before timing.
  await burst(started.url!, 'whoami');
  await burst(bareUrl, 'whoami');
  const subject: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
  const baseline: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['subject', 'baseline'] as const) : (['baseline', 'subject'] as const);
    for (const side of order) {
      const result = side === 'subject' ? await burst(started.url!, 'whoami') : await burst(bareUrl, 'whoami');
      const into = side === 'subject' ? subject : baseline;
      into.p50.push(result.p50);
      into.p99.push(result.p99);
      // Let the work started after the acks finish before the next burst.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  const line = (label: string, a: number, b: number) =>
    `${label.padEnd(52)} ${a.toFixed(1).padStart(7)} ms vs ${b.toFixed(1).padStart(7)} ms = ${(a / b).toFixed(2)}×  (goal ≤ 1.2×: ${a / b <= 1.2 ? 'met' : 'MISSED'})`;
  process.stdout.write(
    [
      `Slack /coc acknowledgement under ${CONCURRENT} concurrent requests (median of ${ROUNDS} rounds), vs a bare Bolt app that only acks:`,
      line('  p50', median(subject.p50), median(baseline.p50)),
      line('  p99', median(subject.p99), median(baseline.p99)),
    ].join('\n') + '\n',
  );
} finally {
  await bare.stop();
  await adapter.stop();
  await bot.close();
  await fake.close();
}
endBench();
