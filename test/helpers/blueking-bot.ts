/**
 * The assembled bot with backend blueking, in-process, as `npm start -- --backend blueking` runs
 * it: the built-in BlueKing simulator, which moves jobs only when a test ticks it, and the ops
 * endpoint on a free port, where Job's callbacks land.
 */
import { startBot, type Bot, type BotOptions } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config.js';
import type { BluekingSimulator } from '../../src/sim/blueking/server.js';
import { freePort } from './replica-process.js';

export interface BluekingBotOptions {
  /** Settings on top of the BlueKing ones (e.g. a shorter BLUEKING_TIMEOUT_MS). */
  readonly env?: Readonly<Record<string, string>>;
  /** Passed to startBot as they are (a test's store, where logs go). */
  readonly bot?: BotOptions;
}

export async function startBluekingBot(options: BluekingBotOptions = {}): Promise<Bot> {
  const port = String(await freePort());
  const env = {
    COC_CHATOPS_BACKEND: 'blueking',
    COC_CHATOPS_DATA_DIR: 'memory://',
    // No ticking of its own: jobs move when the test ticks.
    COC_SIM_TICK_MS: '60000',
    COC_OPS_PORT: port,
    COC_OPS_HOST: '127.0.0.1',
    BLUEKING_CALLBACK_BASE_URL: `http://127.0.0.1:${port}`,
    ...options.env,
  };
  const loaded = loadConfig({ env, cwd: '/nonexistent' });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return startBot(loaded.config, options.bot ?? {});
}

/** The built-in simulator `bot` answers from; throws when it is a real BlueKing. */
export function bluekingSimulatorOf(bot: Bot): BluekingSimulator {
  if (bot.connected.kind !== 'blueking' || !bot.connected.simulator) throw new Error('the BlueKing simulator is expected');
  return bot.connected.simulator;
}
