/**
 * The first card of an order an invocation asks for (order watch, Run) is read in that
 * invocation: every read it makes, counted at the simulator, is in its audit row (and so within
 * its deadline); the rounds after it are the tracker's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/server.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

let bot: TestBot;
let setup: CocClient;
beforeAll(async () => {
  bot = await makeTestBot();
  setup = new CocClient({ endpoint: bot.sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
});
afterAll(async () => {
  await setup.close();
  await bot.close();
});

async function readsOf(act: () => Promise<unknown>): Promise<{ sent: number; recorded: number }> {
  const before = new Set((await listAuditEvents(bot.store.db, { limit: 1_000 })).map((r) => r.id));
  bot.sim.resetRequests();
  await act();
  const sent = bot.sim.requests.filter((r) => (r.routeKey ?? '').startsWith('GET ')).length;
  const rows = (await listAuditEvents(bot.store.db, { limit: 1_000 })).filter((r) => !before.has(r.id) && r.command.startsWith('coc GET '));
  return { sent, recorded: rows.length };
}

describe('the first card of an order', () => {
  it('order watch: every read is the command’s', async () => {
    const hosts = bot.sim.world.hosts.filter(isHealthyHost);
    const uuid = await setup.executeScript(scriptUuid(bot.sim, 'disk_usage'), executeBody([{ hosts: [hosts[0]!, hosts[1]!] }]));
    const { sent, recorded } = await readsOf(() => command(bot, 'alice', `order watch ${uuid}`));
    expect(recorded).toBe(sent);
  });

  it('Run: every read is the click’s', async () => {
    const preview = await command(bot, 'alice', 'run disk_usage --hosts web-01');
    const plan = preview.buttons!.find((b) => b.actionId === 'run:go')!.value;
    const { sent, recorded } = await readsOf(() => click(bot, 'alice', 'run:go', plan));
    expect(recorded).toBe(sent);
  });
});
