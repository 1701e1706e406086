/**
 * Slack's 3-second deadline and its edit limits, measured (`npm run bench` runs it in its own
 * process):
 *
 * - A signed /coc through the HTTP receiver to its (empty) ack vs a bare node:http round trip.
 * - The time to the ack of 50 concurrent commands (whoami, hosts) with the real dispatcher and
 *   simulator: all must be under 3 s.
 * - The same while every COC request hangs: each must still be acknowledged under 3 s.
 * - 100 edits of one card requested at once while chat.update is slow (200 ms): how many
 *   chat.update calls reach Slack (coalescing: only the newest waiting state is sent).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { assembleCore } from '../src/app/assemble.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { CocClient } from '../src/coc/client.js';
import { cocHooks } from '../src/backends/coc/hooks.js';
import { loadConfig } from '../src/config.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/index.js';
import { startFakeSlack } from '../test/helpers/fake-slack.js';
import { commandBody, signedPost } from '../test/helpers/slack-requests.js';
import { ratioLine, timePair } from './measure.js';
import { endBench } from './end.js';

const TEAM = 'T0BENCH';
const SECRET = 'bench-signing-secret';
const USERS = Array.from({ length: 50 }, (_, i) => `U0BENCH${String(i).padStart(2, '0')}`);

const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration does not load');
const config = loaded.config;
const fake = await startFakeSlack({ teamId: TEAM });
const sim = await startSimulator({ tickMs: 0 });
const store = await openStore({ dataDir: 'memory://' });
const audit = new AuditLog(store.db);
const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...cocHooks({ onCall: audit.observeCall }), timeoutMs: 5_000, retry: { retries: 0 } });
const core = assembleCore({ config, db: store.db, sessions: new CocSessions(coc), audit });
await core.services.identities.syncFromConfig(USERS.map((user) => ({ platform: 'slack' as const, workspace: TEAM, user, iamUser: 'alice', role: 'operator' as const })));
const adapter = new SlackAdapter(
  { mode: 'http', botToken: 'xoxb-bench', signingSecret: SECRET, port: 0, host: '127.0.0.1', slackApiUrl: fake.apiUrl, botId: fake.botId, botUserId: fake.botUserId, incidentPlace: { mode: 'thread' }, logLevel: LogLevel.ERROR },
  { dispatcher: core.dispatcher, identities: core.services.identities, now: core.services.now, log: () => {} },
);
const { url } = await adapter.start();
const lines: string[] = [];

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
}

const command = (user: string, text: string) => signedPost(url!, SECRET, commandBody({ teamId: TEAM, userId: user }, text, { responseUrl: fake.responseUrl() }));

try {
  const echo = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end());
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
  const [acked, bareHttp] = await timePair(
    20,
    7,
    20,
    async () => void (await command(USERS[0]!, 'help')),
    async () => void (await (await fetch(echoUrl, { method: 'POST', body: 'x' })).text()),
  ).finally(() => new Promise<void>((resolve) => echo.close(() => resolve())));
  lines.push(ratioLine('signed /coc to its ack vs bare HTTP', acked, bareHttp));

  const concurrent = await Promise.all(USERS.map((user, i) => command(user, i % 2 ? 'hosts' : 'whoami')));
  const late = concurrent.filter((r) => r.elapsedMs >= 3000 || r.status !== 200).length;
  lines.push(`Slack: 50 concurrent commands, time to the ack: ${percentiles(concurrent.map((r) => r.elapsedMs))}; over 3 s: ${late} (goal 0: ${late === 0 ? 'met' : 'MISSED'})`);

  sim.faults.set('*', { kind: 'hang' });
  const hung = await Promise.all(USERS.slice(0, 20).map((user) => command(user, 'hosts')));
  const slow = hung.filter((r) => r.elapsedMs >= 3000 || r.status !== 200).length;
  lines.push(`Slack: 20 commands while COC hangs, time to the ack: ${percentiles(hung.map((r) => r.elapsedMs))}; over 3 s: ${slow} (goal 0: ${slow === 0 ? 'met' : 'MISSED'})`);
  sim.faults.clear();

  const card = await adapter.surface.post({ platform: 'slack', workspaceId: TEAM, channelId: 'C0BENCH' }, { text: 'state 0' });
  fake.reset();
  fake.faults.set('chat.update', { kind: 'slow', delayMs: 200 });
  const started = performance.now();
  await Promise.all(Array.from({ length: 100 }, (_, i) => adapter.surface.update(card, { text: `state ${i + 1}` })));
  const edits = fake.callsOf('chat.update').length;
  const shown = fake.messages.get(card.messageRef)?.text;
  lines.push(`Slack: 100 edits of one card at once, chat.update slow (200 ms): ${edits} calls in ${(performance.now() - started).toFixed(0)} ms, card shows "${shown}" (goal ≤ 2 calls, the newest state: ${edits <= 2 && shown === 'state 100' ? 'met' : 'MISSED'})`);
} finally {
  await adapter.stop();
  await sim.close();
  await coc.close();
  await store.close();
  await fake.close();
}
process.stdout.write(`${lines.join('\n')}\n`);
endBench();
