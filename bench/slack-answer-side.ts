/**
 * One side under test of bench/slack-answer.ts, in a process of its own so that its CPU and
 * memory are its own, not shared with the sender and the fake Slack (slack-answer-client.ts) or
 * the other side: BENCH_SLACK_SIDE=bot (the bot with its embedded store and the simulator, behind
 * the Slack adapter's HTTP server) or =bare (a bare Bolt app on Bolt's HTTP receiver that acks and
 * `respond()`s at once). Told over IPC: it answers 'ready' with its endpoint (and, for the bot, an
 * order in the simulator to look at), 'stats' with its peak RSS (the kernel's VmHWM, this process
 * only) and CPU so far, 'reset-peak' likewise after resetting the peak to the current RSS, and
 * ends on 'exit'.
 *
 * Environment: BENCH_SLACK_SECRET (the signing secret), BENCH_SLACK_TEAM (the workspace), BENCH_SLACK_API (the fake Slack's Web API root), BENCH_SLACK_BOT_ID,
 * BENCH_SLACK_BOT_USER_ID, BENCH_SLACK_MAX_IN_FLIGHT (the bot's bound on work taken in, else the
 * default), BENCH_SLACK_LOG (the bot's lines on stderr).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { makeTestBot } from '../test/helpers/bot.js';

const BENCH_SLACK_SECRET = process.env['BENCH_SLACK_SECRET'] ?? '';
const BENCH_SLACK_TEAM = process.env['BENCH_SLACK_TEAM'] ?? '';

export type SlackSideMessage =
  | { readonly kind: 'ready'; readonly url: string; readonly orderUuid: string }
  | { readonly kind: 'stats'; readonly maxRssMb: number; readonly cpuMs: number; readonly shed: number };

interface Started {
  readonly url: string;
  readonly orderUuid: string;
  readonly shed: () => number;
  close(): Promise<void>;
}

async function startBare(api: string, botId: string, botUserId: string): Promise<Started> {
  const receiver = new HTTPReceiver({ signingSecret: BENCH_SLACK_SECRET, endpoints: '/slack/events', logLevel: LogLevel.ERROR });
  const bare = new App({ token: 'xoxb-bench', botId, botUserId, receiver, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: api } });
  bare.command('/coc', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'ok' });
  });
  await bare.start(0);
  const address = (receiver as unknown as { server?: { address(): { port: number } } }).server?.address();
  if (!address) throw new Error('the bare Bolt app did not start');
  return { url: `http://127.0.0.1:${address.port}/slack/events`, orderUuid: '', shed: () => 0, close: async () => void (await bare.stop()) };
}

async function startBot(api: string, botId: string, botUserId: string, maxInFlight: number | undefined): Promise<Started> {
  const bot = await makeTestBot({ mappings: [{ platform: 'slack', workspace: BENCH_SLACK_TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] });
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
      dispatcher: bot.dispatcher,
      identities: bot.services.identities,
      now: bot.services.now,
      metrics: { ackLatency: () => {}, missedDeadline: () => {}, cardEdit: () => {}, shedRequest: () => void (shed += 1) },
      log: process.env['BENCH_SLACK_LOG'] ? (line: string) => process.stderr.write(`bot: ${line}\n`) : () => {},
    },
  );
  bot.core.chat.register(adapter.surface);
  const url = (await adapter.start()).url!;
  // An order in the simulator, looked at once so that its snapshot is what later looks share.
  const hosts = bot.sim.world.hosts.filter((host) => host.agentState === 'ONLINE' && !host.tags.some((t) => t.key === 'flaky')).slice(0, 3);
  const script = [...bot.sim.world.scripts.values()].find((s) => s.name === 'disk_usage');
  if (!script || hosts.length < 3) throw new Error('the seeded world lacks disk_usage or 3 healthy hosts');
  const orderUuid = await bot.coc.executeScript(script.scriptUuid, {
    execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' },
    execute_batches: hosts.map((h, i) => ({ batch_index: i + 1, rotation_strategy: 'PAUSE' as const, target_instances: [{ resource_id: h.resourceId, region_id: h.regionId }] })),
  });
  bot.sim.tick(2);
  return {
    url,
    orderUuid,
    shed: () => shed,
    close: async () => {
      await adapter.stop();
      await bot.close();
    },
  };
}

/** This process's peak RSS since start or the last reset (Linux's VmHWM), MB. */
function peakRssMb(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

if (process.env['BENCH_SLACK_SIDE']) {
  const side = process.env['BENCH_SLACK_SIDE'];
  const api = process.env['BENCH_SLACK_API'] ?? '';
  const botId = process.env['BENCH_SLACK_BOT_ID'] ?? '';
  const botUserId = process.env['BENCH_SLACK_BOT_USER_ID'] ?? '';
  const maxInFlight = Number(process.env['BENCH_SLACK_MAX_IN_FLIGHT'] ?? 0) || undefined;
  const started = side === 'bare' ? await startBare(api, botId, botUserId) : await startBot(api, botId, botUserId, maxInFlight);
  process.on('message', (message: 'stats' | 'reset-peak' | 'exit') => {
    if (message === 'reset-peak') {
      global.gc?.();
      // Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS, so the next 'stats' is one phase's peak.
      try {
        writeFileSync('/proc/self/clear_refs', '5');
      } catch {
        // Elsewhere the peak stays the process's.
      }
      message = 'stats';
    }
    if (message === 'stats') {
      const usage = process.resourceUsage();
      process.send?.({ kind: 'stats', maxRssMb: peakRssMb() ?? usage.maxRSS / 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, shed: started.shed() } satisfies SlackSideMessage);
      return;
    }
    const step = (what: string) => process.env['BENCH_SLACK_LOG'] && process.stderr.write(`${new Date().toISOString()} ${side}: ${what}\n`);
    step('closing');
    void started.close().finally(() => {
      step(`closed; still open: ${process.getActiveResourcesInfo().join(', ')}`);
      process.exit(0);
    });
  });
  process.send?.({ kind: 'ready', url: started.url, orderUuid: started.orderUuid } satisfies SlackSideMessage);
}
