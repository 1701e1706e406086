/**
 * COC chaos on every command: every example line of every registered command, and every
 * button those replies offer, run while COC fails in each way it can (5xx, 429, a hanging
 * answer, a reset connection, malformed JSON, and a write that ran but whose answer was lost).
 *
 * Holds when: every invocation is answered with a message that says what happened (never the
 * "unexpected error" reply, never an exception — the test bot turns any unexpected error into a
 * failure), and no non-idempotent COC call (POST/PUT/DELETE with the same body) reaches COC
 * twice for one click or line.
 *
 * A hanging COC is answered by the client's timeout; here the bot's attempts end exactly when the
 * simulator holds them in the hang (and never otherwise), so that case waits for nothing and a
 * busy machine never makes a healthy answer look like a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/app/commands.js';
import { CocClient } from '../../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../../src/sim/server.js';
import type { Invocation } from '../../src/core/invocation.js';
import type { Button, Message } from '../../src/core/message.js';
import { CORE_TEXTS } from '../../src/i18n/catalogues/core.js';
import type { Fault } from '../../src/sim/faults.js';
import { makeTestBot, type TestBot, type TestBotOptions } from '../helpers/bot.js';
import { executeBody, isHealthyHost, scriptUuid } from '../sim-helpers.js';
import { VOLUME_TEST_MS } from '../helpers/safety-net.js';

const FAULTS: readonly { readonly name: string; readonly fault: Fault; readonly shares: number }[] = [
  { name: '500', fault: { kind: 'status', status: 500 }, shares: 1 },
  { name: '503 after handling', fault: { kind: 'status', status: 503, afterHandling: true }, shares: 1 },
  { name: '429', fault: { kind: 'rate-limit', retryAfterSeconds: 0 }, shares: 1 },
  { name: 'hang', fault: { kind: 'hang' }, shares: 1 },
  { name: 'reset', fault: { kind: 'reset' }, shares: 1 },
  { name: 'reset after handling', fault: { kind: 'reset', afterHandling: true }, shares: 1 },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' }, shares: 1 },
];

const BOT_OPTIONS: TestBotOptions = { expireOnlyHangs: true, cocClient: { retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50, budgetMs: 1500 } } };

const UNEXPECTED_TITLE = CORE_TEXTS.unexpected['en-US'];
const ADMIN = 'dave';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: TestBot;
const figures = { faults: 0, lines: 0, clicks: 0, answered: 0, cocErrors: 0, writes: 0, duplicates: 0 };

beforeAll(async () => {
  bot = await makeTestBot(BOT_OPTIONS);
});
afterAll(async () => {
  // One line for the run's figures (the reliability suite prints what it did).
  console.log(
    `reliability chaos: faults injected ${figures.faults}, lines ${figures.lines}, clicks ${figures.clicks}, answered ${figures.answered}/${figures.lines + figures.clicks}, answered with a COC error ${figures.cocErrors}, COC writes ${figures.writes}, duplicates: ${figures.duplicates}`,
  );
  await bot.close();
});

/** A live, paused order and a real incident, so that order and incident lines act on something real. */
async function realTargets(bot: TestBot): Promise<{ order: string; incident: string }> {
  const healthy = bot.sim.world.hosts.filter(isHealthyHost);
  // Made behind the bot's back, with COC's usual timeout: setting the scene is not under test.
  const setup = new CocClient({ endpoint: bot.sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  let order: string;
  try {
    order = await setup.executeScript(
      scriptUuid(bot.sim, 'disk_usage'),
      executeBody([{ hosts: [healthy[0]!, healthy[1]!], rotation: 'PAUSE' }, { hosts: [healthy[2]!] }, { hosts: [healthy[3]!] }]),
    );
  } finally {
    await setup.close();
  }
  bot.sim.tick(2);
  const incident = bot.sim.world.incidents.all()[0]?.incidentNum;
  if (!incident) throw new Error('the simulator has no incident');
  return { order, incident: String(incident) };
}

function withTargets(line: string, targets: { order: string; incident: string }): string {
  return line.replace(/\bSCT[0-9a-z]{10,}\b/gi, targets.order).replace(/\bIM\d{10,}\b/g, targets.incident);
}

function exampleLines(): string[] {
  return COMMANDS.flatMap((command) => command.examples);
}

/** Non-idempotent requests that reached COC more than once with the same body. */
function duplicateWrites(bot: TestBot): string[] {
  const seen = new Map<string, number>();
  for (const request of bot.sim.requests) {
    if (request.method === 'GET' || request.routeKey === 'POST /v3/auth/tokens') continue;
    figures.writes++;
    const key = `${request.method} ${request.path} ${JSON.stringify(request.body)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count}× ${key.slice(0, 160)}`);
}

async function answer(bot: TestBot, invocation: Invocation, what: string): Promise<Message> {
  bot.sim.resetRequests();
  const reply = await bot.handle(invocation);
  const duplicates = duplicateWrites(bot);
  figures.duplicates += duplicates.length;
  expect(duplicates, `${what}: a write reached COC twice`).toEqual([]);
  expect(reply.title ?? reply.text, `${what}: answered with nothing`).toBeTruthy();
  expect(reply.title, `${what}: answered with the unexpected-error reply`).not.toBe(UNEXPECTED_TITLE);
  figures.answered++;
  if (reply.tone === 'danger' && bot.sim.requests.length > 0) figures.cocErrors++;
  return reply;
}

function command(text: string): Invocation {
  return { kind: 'command', actor: { platform: 'shell', workspaceId: 'local', userId: ADMIN }, place: PLACE, text };
}

const COC_TIMEOUT_TITLE = CORE_TEXTS.cocTimeout['en-US'];

interface Scene {
  readonly targets: { order: string; incident: string };
  /** The buttons the lines offered while COC was well, to be clicked while it is not. */
  readonly buttons: readonly Button[];
}

/** The real targets, and the buttons each of `lines` offers while COC is well (no attempt of the bot's times out then). */
async function scene(bot: TestBot, lines: readonly string[]): Promise<Scene> {
  bot.sim.faults.clear();
  const targets = await realTargets(bot);
  const buttons: Button[] = [];
  for (const example of lines) {
    const reply = await bot.handle(command(withTargets(example, targets)));
    expect(reply.title, `"${example}" timed out while COC was well`).not.toBe(COC_TIMEOUT_TITLE);
    buttons.push(...(reply.buttons ?? []));
    if (reply.select) buttons.push(...reply.select.options.map((o) => ({ actionId: reply.select!.actionId, label: o.label, value: o.value })));
  }
  return { targets, buttons };
}

/** Every line of `lines` and every button of the scene, run on `bot` while COC fails with `fault`. */
async function faultRound(bot: TestBot, name: string, fault: Fault, lines: readonly string[], { targets, buttons }: Scene): Promise<void> {
  bot.sim.faults.set('*', fault);
  for (const example of lines) {
    const line = withTargets(example, targets);
    figures.lines++;
    await answer(bot, command(line), `"${line}" under ${name}`);
  }
  for (const button of buttons) {
    figures.clicks++;
    await answer(
      bot,
      { kind: 'action', actor: { platform: 'shell', workspaceId: 'local', userId: ADMIN }, place: PLACE, actionId: button.actionId, value: button.value, interactionId: `chaos-${figures.clicks}` },
      `button ${button.actionId} under ${name}`,
    );
  }
  bot.sim.faults.clear();
}

/** Every `shares`-th line, starting at `index`. */
function share(lines: readonly string[], index: number, shares: number): string[] {
  return lines.filter((_, i) => i % shares === index);
}

describe('COC chaos on every command', () => {
  for (const { name, fault, shares } of FAULTS) {
    it(`answers every line and every button clearly while COC fails with ${name}, and never repeats a write`, { timeout: VOLUME_TEST_MS }, async () => {
      figures.faults++;
      const lines = exampleLines();
      if (shares === 1) {
        await faultRound(bot, name, fault, lines, await scene(bot, lines));
        return;
      }
      const bots: TestBot[] = [];
      try {
        // The scenes one after the other (they keep the machine busy), then the rounds side by
        // side: they mostly wait for the client's timeouts.
        const rounds: { own: TestBot; lines: string[]; scene: Scene }[] = [];
        for (let index = 0; index < shares; index++) {
          const own = await makeTestBot(BOT_OPTIONS);
          bots.push(own);
          const ownLines = share(lines, index, shares);
          rounds.push({ own, lines: ownLines, scene: await scene(own, ownLines) });
        }
        const outcomes = await Promise.allSettled(rounds.map((round) => faultRound(round.own, name, fault, round.lines, round.scene)));
        for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
      } finally {
        await Promise.allSettled(bots.map((own) => own.close()));
      }
      // Every line went to exactly one share.
      expect(Array.from({ length: shares }, (_, index) => share(lines, index, shares)).flat().sort()).toEqual([...lines].sort());
    });
  }
});
