/**
 * The signed side of bench/hostile.ts, in its own process as Slack and Discord are: a signed
 * Slack `/coc whoami` and a signed Discord PING every `everyMs` for `durationMs`, each timed
 * until its HTTP answer. Timed here rather than in the bot's process, so that the bot's own
 * work does not delay the clock that measures it.
 *
 * Messages: in {run: Run}; out {result: {slack: ms[], discord: ms[], failures: string[]}}.
 */
import { createHmac, createPrivateKey, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';

interface Run {
  readonly slackUrl: string;
  readonly discordUrl: string;
  readonly slackSecret: string;
  readonly team: string;
  /** fake Slack's response URL with `__ID__` where each request's id goes. */
  readonly responseUrl: string;
  readonly discordKeyPem: string;
  /** A PING interaction; each request gets its own id. */
  readonly ping: Record<string, unknown>;
  readonly durationMs: number;
  readonly everyMs: number;
  readonly label: string;
}

let sent = 0;

async function signedSlack(run: Run): Promise<number> {
  sent += 1;
  const body = new URLSearchParams({
    team_id: run.team,
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'ops',
    user_id: 'U0ALICE',
    user_name: 'alice',
    command: '/coc',
    text: 'whoami',
    response_url: run.responseUrl.replace('__ID__', `${run.label}-${sent}`),
    trigger_id: `trigger-${run.label}-${sent}`,
    api_app_id: 'A0BENCH',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', run.slackSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const started = performance.now();
  const response = await fetch(run.slackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`signed Slack command: HTTP ${response.status}`);
  return performance.now() - started;
}

async function signedDiscord(run: Run, key: ReturnType<typeof createPrivateKey>): Promise<number> {
  sent += 1;
  const raw = JSON.stringify({ ...run.ping, id: String(1_500_000_000_000_000_000n + BigInt(process.pid) * 1_000_000n + BigInt(sent)) });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  const response = await fetch(run.discordUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': sign(null, Buffer.from(timestamp + raw), key).toString('hex'), 'x-signature-timestamp': timestamp },
    body: raw,
  });
  await response.text();
  if (response.status !== 200) throw new Error(`signed Discord PING: HTTP ${response.status}`);
  return performance.now() - started;
}

process.on('message', async (message: { run?: Run }) => {
  const run = message.run;
  if (!run) return;
  const key = createPrivateKey(run.discordKeyPem);
  const result = { slack: [] as number[], discord: [] as number[], failures: [] as string[] };
  const pending: Promise<void>[] = [];
  const until = performance.now() + run.durationMs;
  while (performance.now() < until) {
    pending.push(signedSlack(run).then((ms) => void result.slack.push(ms), (error: Error) => void result.failures.push(error.message)));
    pending.push(signedDiscord(run, key).then((ms) => void result.discord.push(ms), (error: Error) => void result.failures.push(error.message)));
    await new Promise((resolve) => setTimeout(resolve, run.everyMs));
  }
  await Promise.all(pending);
  process.send?.({ result }, () => process.exit(0));
});
