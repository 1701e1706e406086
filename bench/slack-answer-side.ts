/**
 * One side under test of bench/slack-answer.ts, in a process of its own so that its CPU and
 * memory are its own, not shared with the sender and the fake Slack (slack-answer-client.ts) or
 * the other side: BENCH_SLACK_SIDE=bot (the bot with its embedded store, behind the Slack
 * adapter's HTTP server, reading COC at BENCH_SLACK_COC_URL), =bare (a bare Bolt app on Bolt's
 * HTTP receiver that acks and `respond()`s: at once, or for `order <uuid>` after reading the
 * order from COC as the bot's answer must, bench/answer-bare-coc.ts) or =coc (the COC
 * simulator, remote as in production, answer-coc-side.ts). Told over IPC: it answers 'ready' with its endpoint (and, for
 * COC, an order in the simulator to look at), 'stats' with its peak RSS (the kernel's VmHWM, this process
 * only) and CPU so far, 'reset-peak' likewise after resetting the peak to the current RSS, and
 * ends on 'exit'.
 *
 * Environment: BENCH_SLACK_SECRET (the signing secret), BENCH_SLACK_TEAM (the workspace), BENCH_SLACK_API (the fake Slack's Web API root), BENCH_SLACK_BOT_ID,
 * BENCH_SLACK_BOT_USER_ID, BENCH_SLACK_MAX_IN_FLIGHT (the bot's bound on work taken in, else the
 * default), BENCH_SLACK_LOG (the bot's lines on stderr).
 */
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { loadConfig } from '../src/config.js';
import { assembleBenchCore, countStatements, resetPeakRss, sideFigures, startCocSimulator } from './answer-coc-side.js';
import { bareOrderReader } from './answer-bare-coc.js';
import { startAllocationProfile } from './alloc-profile.js';

const BENCH_SLACK_SECRET = process.env['BENCH_SLACK_SECRET'] ?? '';
const BENCH_SLACK_TEAM = process.env['BENCH_SLACK_TEAM'] ?? '';

export type SlackSideMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly orderUuid: string }
  | {
      readonly kind: 'stats';
      readonly maxRssMb: number;
      readonly cpuMs: number;
      readonly shed: number;
      /** Where the memory is now (process.memoryUsage, MB): the JS heap, and buffers and WebAssembly memory outside it. */
      readonly heapUsedMb: number;
      readonly heapTotalMb: number;
      readonly externalMb: number;
    };

interface Started {
  readonly url: string;
  readonly orderUuid: string;
  readonly shed: () => number;
  close(): Promise<void>;
}

async function startBare(api: string, botId: string, botUserId: string, cocUrl: string): Promise<Started> {
  const orders = bareOrderReader(cocUrl);
  const receiver = new HTTPReceiver({ signingSecret: BENCH_SLACK_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bare = new App({ token: 'xoxb-bench', botId, botUserId, receiver, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: api } });
  bare.command('/coc', async ({ ack, respond, command }) => {
    await ack();
    const order = /^order\s+(\S+)$/.exec(command.text.trim());
    // A failed read leaves the command unanswered, which the bench counts as never answered.
    const text = order ? await orders.answer(order[1]!) : 'ok';
    await respond({ response_type: 'ephemeral', text });
  });
  await bare.start(0);
  const address = (receiver as unknown as { server?: { address(): { port: number } } }).server?.address();
  if (!address) throw new Error('the bare Bolt app did not start');
  return {
    url: `http://127.0.0.1:${address.port}/slack/events`,
    orderUuid: '',
    shed: () => 0,
    close: async () => {
      await bare.stop();
      await orders.close();
    },
  };
}

async function startBot(api: string, botId: string, botUserId: string, cocUrl: string, maxInFlight: number | undefined): Promise<Started> {
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('the default configuration does not load');
  const { core, store, close } = await assembleBenchCore(loaded.config, cocUrl, 'bench_slack');
  if (process.env['BENCH_SQL_COUNT']) countStatements(store.db);
  await core.services.identities.syncFromConfig([{ platform: 'slack', workspace: BENCH_SLACK_TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }]);
  let shed = 0;
  const adapter = new SlackAdapter(
    {
      mode: 'http',
      botToken: 'xoxb-bench',
      signingSecret: BENCH_SLACK_SECRET,
      port: 0,
      host: '127.0.0.1',
      slackApiUrl: api,
      botId,
      botUserId,
      incidentPlace: { mode: 'thread' },
      logLevel: LogLevel.ERROR,
      ...(maxInFlight ? { maxInFlight } : {}),
    },
    {
      dispatcher: core.dispatcher,
      identities: core.services.identities,
      now: core.services.now,
      metrics: { ackLatency: () => {}, missedDeadline: () => {}, cardEdit: () => {}, shedRequest: () => void (shed += 1) },
      log: process.env['BENCH_SLACK_LOG'] ? (line: string) => process.stderr.write(`bot: ${line}\n`) : () => {},
    },
  );
  core.chat.register(adapter.surface);
  const url = (await adapter.start()).url!;
  return {
    url,
    orderUuid: '',
    shed: () => shed,
    close: async () => {
      await adapter.stop();
      await close();
    },
  };
}

function memoryNow() {
  const memory = process.memoryUsage();
  const mb = (bytes: number) => bytes / 1024 / 1024;
  return { heapUsedMb: mb(memory.heapUsed), heapTotalMb: mb(memory.heapTotal), externalMb: mb(memory.external) };
}

if (process.env['BENCH_SLACK_SIDE']) {
  const side = process.env['BENCH_SLACK_SIDE'];
  const endAllocationProfile = side === 'coc' ? undefined : await startAllocationProfile(process.env['BENCH_ALLOC_PROFILE']);
  const api = process.env['BENCH_SLACK_API'] ?? '';
  const botId = process.env['BENCH_SLACK_BOT_ID'] ?? '';
  const botUserId = process.env['BENCH_SLACK_BOT_USER_ID'] ?? '';
  const maxInFlight = Number(process.env['BENCH_SLACK_MAX_IN_FLIGHT'] ?? 0) || undefined;
  const started: Started =
    side === 'coc'
      ? { ...(await startCocSimulator()), shed: () => 0 }
      : side === 'bare'
        ? await startBare(api, botId, botUserId, process.env['BENCH_SLACK_COC_URL'] ?? '')
        : await startBot(api, botId, botUserId, process.env['BENCH_SLACK_COC_URL'] ?? '', maxInFlight);
  process.on('message', (message: 'stats' | 'reset-peak' | 'exit') => {
    if (message === 'reset-peak') {
      resetPeakRss();
      message = 'stats';
    }
    if (message === 'stats') {
      process.send?.({ kind: 'stats', ...sideFigures(), shed: started.shed(), ...memoryNow() } satisfies SlackSideMessage);
      return;
    }
    const step = (what: string) => process.env['BENCH_SLACK_LOG'] && process.stderr.write(`${new Date().toISOString()} ${side}: ${what}\n`);
    step('closing');
    void Promise.all([started.close(), endAllocationProfile?.()]).finally(() => {
      step(`closed; still open: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(0);
    });
  });
  process.send?.({ kind: 'ready', url: started.url, orderUuid: started.orderUuid } satisfies SlackSideMessage);
}
