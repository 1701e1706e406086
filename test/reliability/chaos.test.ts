/**
 * COC chaos on every command: every example line of every registered command, and every
 * button those replies offer, run while COC fails in each way it can (5xx, 429, a hanging
 * answer, a reset connection, malformed JSON, and a write that ran but whose answer was lost).
 *
 * Holds when: every invocation is answered with a message that says what happened (never the
 * "unexpected error" reply, never an exception — the test bot turns any unexpected error into a
 * failure), and no non-idempotent COC call (POST/PUT/DELETE with the same body) reaches COC
 * twice for one click or line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/app/commands.js';
import type { Invocation } from '../../src/core/invocation.js';
import type { Button, Message } from '../../src/core/message.js';
import { CORE_TEXTS } from '../../src/i18n/catalogues/core.js';
import type { Fault } from '../../src/sim/faults.js';
import { makeTestBot, type TestBot } from '../helpers/bot.js';
import { executeBody, isHealthyHost, scriptUuid } from '../sim-helpers.js';

const FAULTS: readonly { readonly name: string; readonly fault: Fault }[] = [
  { name: '500', fault: { kind: 'status', status: 500 } },
  { name: '503 after handling', fault: { kind: 'status', status: 503, afterHandling: true } },
  { name: '429', fault: { kind: 'rate-limit', retryAfterSeconds: 0 } },
  { name: 'hang', fault: { kind: 'hang' } },
  { name: 'reset', fault: { kind: 'reset' } },
  { name: 'reset after handling', fault: { kind: 'reset', afterHandling: true } },
  { name: 'malformed JSON', fault: { kind: 'malformed-json' } },
];

const UNEXPECTED_TITLE = CORE_TEXTS.unexpected['en-US'];
const ADMIN = 'dave';
const PLACE = { channelId: 'terminal', isDirect: false } as const;

let bot: TestBot;
const figures = { faults: 0, lines: 0, clicks: 0, answered: 0, cocErrors: 0, writes: 0, duplicates: 0 };

beforeAll(async () => {
  bot = await makeTestBot({ cocClient: { timeoutMs: 250, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50, budgetMs: 1500 } } });
});
afterAll(async () => {
  // One line for the run's figures (the reliability suite prints what it did).
  console.log(
    `reliability chaos: faults injected ${figures.faults}, lines ${figures.lines}, clicks ${figures.clicks}, answered ${figures.answered}/${figures.lines + figures.clicks}, answered with a COC error ${figures.cocErrors}, COC writes ${figures.writes}, duplicates: ${figures.duplicates}`,
  );
  await bot.close();
});

/** A live, paused order and a real incident, so that order and incident lines act on something real. */
async function realTargets(): Promise<{ order: string; incident: string }> {
  const healthy = bot.sim.world.hosts.filter(isHealthyHost);
  const order = await bot.coc.executeScript(
    scriptUuid(bot.sim, 'disk_usage'),
    executeBody([{ hosts: [healthy[0]!, healthy[1]!], rotation: 'PAUSE' }, { hosts: [healthy[2]!] }, { hosts: [healthy[3]!] }]),
  );
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
function duplicateWrites(): string[] {
  const seen = new Map<string, number>();
  for (const request of bot.sim.requests) {
    if (request.method === 'GET' || request.routeKey === 'POST /v3/auth/tokens') continue;
    figures.writes++;
    const key = `${request.method} ${request.path} ${JSON.stringify(request.body)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count}× ${key.slice(0, 160)}`);
}

async function answer(invocation: Invocation, what: string): Promise<Message> {
  bot.sim.resetRequests();
  const reply = await bot.handle(invocation);
  const duplicates = duplicateWrites();
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

describe('COC chaos on every command', () => {
  for (const { name, fault } of FAULTS) {
    it(`answers every line and every button clearly while COC fails with ${name}, and never repeats a write`, async () => {
      bot.sim.faults.clear();
      const targets = await realTargets();
      // The buttons each line offers when COC is well, to be clicked while it is not.
      const buttons: Button[] = [];
      for (const example of exampleLines()) {
        const reply = await bot.handle(command(withTargets(example, targets)));
        buttons.push(...(reply.buttons ?? []));
        if (reply.select) buttons.push(...reply.select.options.map((o) => ({ actionId: reply.select!.actionId, label: o.label, value: o.value })));
      }

      bot.sim.faults.set('*', fault);
      figures.faults++;
      for (const example of exampleLines()) {
        const line = withTargets(example, targets);
        figures.lines++;
        await answer(command(line), `"${line}" under ${name}`);
      }
      for (const button of buttons) {
        figures.clicks++;
        await answer(
          { kind: 'action', actor: { platform: 'shell', workspaceId: 'local', userId: ADMIN }, place: PLACE, actionId: button.actionId, value: button.value, interactionId: `chaos-${figures.clicks}` },
          `button ${button.actionId} under ${name}`,
        );
      }
      bot.sim.faults.clear();
    }, 120_000);
  }
});
