/**
 * One side under test of bench/discord-answer.ts, in a process of its own so that its CPU and
 * memory are its own and not shared with the sender and the fake Discord (which stay in the
 * parent): BENCH_DISCORD_SIDE=bot (the bot with its store), =bare (the bare discord.js-style
 * app, which reads an order it is asked about from COC as the bot must, bench/answer-bare-coc.ts) or =coc (the COC simulator with one running order, which the bot reads as it would a
 * remote COC: BENCH_DISCORD_COC_URL). Told over IPC: it answers 'ready' with its endpoint, 'stats' with its
 * peak RSS (the kernel's VmHWM, for this process only) and CPU so far, 'reset-peak'
 * likewise after resetting the peak to the current RSS, and ends on 'exit'.
 *
 * Environment: BENCH_DISCORD_API (the fake Discord's REST root), BENCH_DISCORD_PUBLIC_KEY (hex),
 * BENCH_DISCORD_MAX_IN_FLIGHT (the bot's bound on work taken in, else the default).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPublicKey, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { REST, Routes } from 'discord.js';
import { startDiscordAdapter } from '../src/adapters/discord/adapter.js';
import { loadConfig, Secret, type Config } from '../src/config.js';
import { assembleBenchCore, countStatements, resetPeakRss, sideFigures, startCocSimulator } from './answer-coc-side.js';
import { bareOrderReader } from './answer-bare-coc.js';
import { startAllocationProfile } from './alloc-profile.js';

export const BENCH_APP = '1200000000000000000';
export const BENCH_GUILD = '900000000000000001';
export const BENCH_USERS = Array.from({ length: 200 }, (_, i) => String(910_000_000_000_000_100n + BigInt(i)));

export type SideMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly orderUuid: string }
  | { readonly kind: 'stats'; readonly maxRssMb: number; readonly cpuMs: number; readonly unexpected: number };

/** The order an interaction asks about: `/coc order view <execute-uuid>`, else undefined. */
function orderAskedFor(interaction: { data?: { options?: readonly Option[] } }): string | undefined {
  const group = interaction.data?.options?.[0];
  const view = group?.name === 'order' ? group.options?.[0] : undefined;
  const uuid = view?.name === 'view' ? view.options?.find((option) => option.name === 'execute-uuid')?.value : undefined;
  return typeof uuid === 'string' ? uuid : undefined;
}

interface Option {
  readonly name: string;
  readonly value?: unknown;
  readonly options?: readonly Option[];
}

async function startBare(api: string, publicKeyHex: string, cocUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const orders = bareOrderReader(cocUrl);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyHex, 'hex').toString('base64url') }, format: 'jwk' });
  // Without discord.js's 50/s global cap, which Discord does not apply to interaction tokens (the bot's own REST for them does the same).
  const rest = new REST({ api, globalRequestsPerSecond: Number.POSITIVE_INFINITY });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const signature = String(request.headers['x-signature-ed25519'] ?? '');
      const timestamp = String(request.headers['x-signature-timestamp'] ?? '');
      if (!verify(null, Buffer.concat([Buffer.from(timestamp), body]), publicKey, Buffer.from(signature, 'hex'))) {
        response.writeHead(401).end();
        return;
      }
      const interaction = JSON.parse(body.toString('utf8')) as { token: string; data?: { options?: readonly Option[] } };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"type":5}');
      const uuid = orderAskedFor(interaction);
      // A failed read leaves the interaction unanswered, which the bench counts as never answered.
      void (uuid ? orders.answer(uuid) : Promise.resolve('done'))
        .then((content) => rest.patch(Routes.webhookMessage(BENCH_APP, interaction.token, '@original'), { body: { content }, auth: false }))
        .catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await orders.close();
    },
  };
}

async function startBot(api: string, publicKeyHex: string, cocUrl: string, maxInFlight: number | undefined, onUnexpected: () => void) {
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('the default configuration does not load');
  const config = {
    ...loaded.config,
    discord: {
      ...loaded.config.discord,
      botToken: new Secret('MTIz.bench.token'),
      applicationId: BENCH_APP,
      publicKey: publicKeyHex,
      mode: 'http',
      guildId: BENCH_GUILD,
      apiUrl: api,
      ...(maxInFlight ? { maxInFlight } : {}),
    },
  } as Config;
  const { core, store, close } = await assembleBenchCore(config, cocUrl, 'bench_discord');
  if (process.env['BENCH_DISCORD_SQL_COUNT'] || process.env['BENCH_SQL_COUNT']) countStatements(store.db);
  await core.services.identities.syncFromConfig(BENCH_USERS.map((user) => ({ platform: 'discord' as const, workspace: BENCH_GUILD, user, iamUser: 'alice', role: 'operator' as const })));
  const adapter = await startDiscordAdapter({ config, dispatcher: core.dispatcher, registry: core.registry, db: store.db, port: 0, host: '127.0.0.1', onUnexpected });
  core.chat.register(adapter.surface);
  return {
    url: adapter.endpoint!.url,
    orderUuid: '',
    close: async () => {
      await adapter.close();
      await close();
    },
  };
}

if (process.env['BENCH_DISCORD_SIDE']) {
  const side = process.env['BENCH_DISCORD_SIDE'];
  const api = process.env['BENCH_DISCORD_API'] ?? '';
  const publicKeyHex = process.env['BENCH_DISCORD_PUBLIC_KEY'] ?? '';
  const maxInFlight = Number(process.env['BENCH_DISCORD_MAX_IN_FLIGHT'] ?? 0) || undefined;
  const endAllocationProfile = side === 'coc' ? undefined : await startAllocationProfile(process.env['BENCH_ALLOC_PROFILE']);
  let unexpected = 0;
  const started =
    side === 'coc'
      ? await startCocSimulator(Boolean(process.env['BENCH_DISCORD_SQL_COUNT']))
      : side === 'bare'
        ? { ...(await startBare(api, publicKeyHex, process.env['BENCH_DISCORD_COC_URL'] ?? '')), orderUuid: '' }
        : await startBot(api, publicKeyHex, process.env['BENCH_DISCORD_COC_URL'] ?? '', maxInFlight, () => void (unexpected += 1));
  process.on('message', (message: 'stats' | 'reset-peak' | 'exit') => {
    if (message === 'reset-peak') {
      resetPeakRss();
      message = 'stats';
    }
    if (message === 'stats') {
      process.send?.({ kind: 'stats', ...sideFigures(), unexpected } satisfies SideMessage);
      return;
    }
    void Promise.all([started.close(), endAllocationProfile?.()]).finally(() => process.exit(0));
  });
  process.send?.({ kind: 'ready', url: started.url, orderUuid: started.orderUuid } satisfies SideMessage);
}
