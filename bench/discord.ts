/**
 * Discord's 3-second deadline, measured (`npm run bench` runs it in its own process):
 *
 * - Ed25519 verification of one signed interaction vs one bare `crypto.verify` of the same bytes.
 * - A signed PING through the interactions endpoint vs a bare node:http round trip.
 * - The time to the initial response of 50 concurrent commands (whoami, hosts) through the
 *   endpoint, with the real dispatcher and simulator: all must be under 3 s.
 * - The same while every COC request hangs: each must still be deferred under 3 s.
 */
import { createServer } from 'node:http';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startDiscordAdapter } from '../src/adapters/discord/adapter.js';
import { publicKeyFromHex, verifyRequest } from '../src/adapters/discord/verify.js';
import { assembleCore } from '../src/app/assemble.js';
import { CocSessions } from '../src/backends/coc/sessions.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { CocClient } from '../src/coc/client.js';
import { cocHooks } from '../src/backends/coc/hooks.js';
import { loadConfig, Secret, type Config } from '../src/config.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator } from '../src/sim/server.js';
import { openStore } from '../src/store/index.js';
import { ratioLine, time, timePair } from './measure.js';
import { endBench } from './end.js';

const APP = '1200000000000000000';
const GUILD = '900000000000000001';
const USERS = Array.from({ length: 50 }, (_, i) => String(910_000_000_000_000_100n + BigInt(i)));

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');

// Answers every REST call Discord's way closely enough for follow-ups and edits.
const rest = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: '1300000000000000001', channel_id: '1' }));
  });
});
await new Promise<void>((resolve) => rest.listen(0, '127.0.0.1', () => resolve()));
const restPort = (rest.address() as AddressInfo).port;

const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
if (!loaded.ok) throw new Error('the default configuration does not load');
const config = {
  ...loaded.config,
  discord: { ...loaded.config.discord, botToken: new Secret('MTIz.bench.token'), applicationId: APP, publicKey: publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: `http://127.0.0.1:${restPort}/api` },
} as Config;
const sim = await startSimulator({ tickMs: 0 });
const store = await openStore({ dataDir: 'memory://' });
const audit = new AuditLog(store.db);
const coc = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK }, ...cocHooks({ onCall: audit.observeCall }), timeoutMs: 5_000, retry: { retries: 0 } });
const core = assembleCore({ config, db: store.db, sessions: new CocSessions(coc), audit });
await core.services.identities.syncFromConfig(USERS.map((user) => ({ platform: 'discord' as const, workspace: GUILD, user, iamUser: 'alice', role: 'operator' as const })));
const adapter = await startDiscordAdapter({ config, dispatcher: core.dispatcher, registry: core.registry, db: store.db, port: 0, host: '127.0.0.1' });
const url = adapter.endpoint!.url;
const lines: string[] = [];

let counter = 0;
function interaction(type: number, data: unknown, user: string) {
  counter += 1;
  return {
    id: String(1_400_000_000_000_000_000n + BigInt(counter)),
    application_id: APP,
    type,
    token: `bench-${counter}`,
    version: 1,
    guild_id: GUILD,
    channel: { id: '920000000000000001', type: 0 },
    member: { user: { id: user, username: 'bench' }, nick: null },
    locale: 'en-US',
    data,
  };
}
const slash = (name: string) => ({ id: '1', name: 'coc', type: 1, options: [{ type: 1, name, options: [] }] });

async function post(body: unknown): Promise<{ ms: number; type: number }> {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + raw), privateKey).toString('hex');
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body: raw });
  const answer = (await response.json()) as { type: number };
  return { ms: performance.now() - started, type: answer.type };
}

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
}

try {
  const key = publicKeyFromHex(publicKeyHex);
  const body = Buffer.from(JSON.stringify(interaction(2, slash('whoami'), USERS[0]!)));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey);
  const signatureHex = signature.toString('hex');
  const checked = await time(500, 5, () => void verifyRequest(key, signatureHex, timestamp, body, Date.now()));
  const bare = await time(500, 5, () => void verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, signature));
  lines.push(ratioLine('Ed25519 check of an interaction vs bare verify', checked, bare, 1.5));

  const echo = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('{"type":1}'));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
  const [ping, bareHttp] = await timePair(
    50,
    7,
    50,
    async () => void (await post(interaction(1, undefined, USERS[0]!))),
    async () => void (await (await fetch(echoUrl, { method: 'POST', body: '{"type":1}' })).text()),
  ).finally(() => new Promise<void>((resolve) => echo.close(() => resolve())));
  lines.push(ratioLine('signed PING through the endpoint vs bare HTTP', ping, bareHttp));

  const one: number[] = [];
  for (let i = 0; i < 20; i++) one.push((await post(interaction(2, slash(i % 2 ? 'hosts' : 'whoami'), USERS[i]!))).ms);
  lines.push(`one command at a time (whoami, hosts), time to the answer: ${percentiles(one)}`);

  const concurrent = await Promise.all(USERS.map((user, i) => post(interaction(2, slash(i % 2 ? 'hosts' : 'whoami'), user))));
  const late = concurrent.filter((r) => r.ms >= 3000).length;
  lines.push(`50 concurrent commands, time to initial response: ${percentiles(concurrent.map((r) => r.ms))}; over 3 s: ${late} (goal 0: ${late === 0 ? 'met' : 'MISSED'})`);

  sim.faults.set('*', { kind: 'hang' });
  const hung = await Promise.all(USERS.slice(0, 20).map((user) => post(interaction(2, slash('hosts'), user))));
  const deferred = hung.filter((r) => r.type === 5).length;
  const slow = hung.filter((r) => r.ms >= 3000).length;
  lines.push(`20 commands while COC hangs: ${deferred} deferred, ${percentiles(hung.map((r) => r.ms))}; over 3 s: ${slow} (goal 0: ${slow === 0 ? 'met' : 'MISSED'})`);
  sim.faults.clear();
} finally {
  await sim.close();
  await adapter.close();
  await coc.close();
  await store.close();
  await new Promise<void>((resolve) => rest.close(() => resolve()));
}
process.stdout.write(`${lines.join('\n')}\n`);
endBench();
