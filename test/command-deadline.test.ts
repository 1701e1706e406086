/**
 * One deadline per command, against the simulator's hang faults over real HTTP. A command reads
 * through the client scoped to it (`CocClient.scoped({ deadline })`, as the dispatcher hands each
 * command backends in its call scope); the bot's own client carries no deadline. The client's
 * clock is fake: an attempt the simulator holds ends at once and moves the clock by the attempt's
 * time limit, and retry waits move it too, so a 30 s deadline costs no waiting. Checked: a command
 * doing two reads against a hanging COC answers once, at its deadline, with the clear text (the
 * second read sends nothing); a write in the same situation keeps its own time limit; work outside
 * the command (a tracker round, what a command left running after it replied) is not bounded; the
 * dispatcher sets the configured deadline around a command's handler.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CocClient, CocTimeoutError, ORDER_OPERATIONS } from '../src/coc/index.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { commandTimeLeft, withCommandDeadline, type CommandTimeLeft } from '../src/core/command-deadline.js';
import type { Backend, CallScope } from '../src/backends/index.js';
import type { Services } from '../src/core/command.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { Message } from '../src/core/message.js';
import { Registry } from '../src/core/registry.js';
import { errorToMessage } from '../src/core/errors-to-message.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import type { Host } from '../src/sim/state/model.js';
import { routeKeyOf } from './coc-helpers.js';
import { hangExpiry } from './helpers/hang-expiry.js';
import { diskUsageWithFinishedOrder, oneHostExecute } from './sim-helpers.js';

const DEADLINE_MS = 30_000;
const REQUEST_TIMEOUT_MS = 15_000;
const GET_ORDER_KEY = routeKeyOf(ORDER_OPERATIONS.get);
const EXECUTE_KEY = routeKeyOf(ORDER_OPERATIONS.execute);

let sim: Simulator;
let coc: CocClient;
let clock = 0;
let scriptUuid: string;
let hosts: Host[];
let finishedOrderUuid: string;

const executeInput = oneHostExecute;

/** What a command's handler (reading through the client scoped to it) returns: the value, or the error the person is shown. */
async function command<T>(handler: (scoped: CocClient) => Promise<T>): Promise<{ readonly value?: T; readonly error?: unknown }> {
  try {
    return { value: await withCommandDeadline(DEADLINE_MS, (deadline) => handler(coc.scoped({ deadline })), clock) };
  } catch (error) {
    return { error };
  }
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 42, tickMs: 0 });
  clock = Date.now();
  const hang = hangExpiry(sim, { atOnce: true });
  coc = new CocClient({
    endpoint: sim.url,
    auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
    timeoutMs: REQUEST_TIMEOUT_MS,
    retry: { retries: 10, baseDelayMs: 200 },
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    random: () => 0.5,
    // A held attempt ends at once, as if its whole time limit had passed.
    expiry: (timeoutMs, expire, sent) =>
      hang.expiry(
        timeoutMs,
        () => {
          clock += timeoutMs;
          expire();
        },
        sent,
      ),
  });
  ({ hosts, scriptUuid, finishedOrderUuid } = await diskUsageWithFinishedOrder(sim, coc));
});

afterAll(async () => {
  await coc?.close();
  await sim?.close();
});

beforeEach(() => {
  sim.faults.clear();
  sim.resetRequests();
});

describe('a command against a hanging COC', () => {
  it('answers once, at its deadline, with the clear text; its next read sends nothing', async () => {
    sim.faults.set(GET_ORDER_KEY, { kind: 'hang' });
    const started = clock;
    let secondRead: unknown;
    const result = await command(async (scoped) => {
      const first = await scoped.getScriptOrder(finishedOrderUuid).catch((error: unknown) => error);
      // A handler that goes on after a failed read (a fallback, a second lookup) gets no new 30 s.
      secondRead = await scoped.getScriptOrder(finishedOrderUuid).catch((error: unknown) => error);
      throw first;
    });
    expect(clock - started, 'the command answered at its deadline, not after 30 s per read').toBe(DEADLINE_MS);
    expect(result.error).toBeInstanceOf(CocTimeoutError);
    expect((result.error as CocTimeoutError).timeoutMs).toBe(DEADLINE_MS);
    expect(errorToMessage(result.error).text).toBe('COC did not answer within 30 s. Nothing was changed; try again in a moment.');
    expect(secondRead).toBeInstanceOf(CocTimeoutError);
    expect((secondRead as CocTimeoutError).timeoutMs).toBe(DEADLINE_MS);
    // Two tries of 15 s fit in 30 s (the second cut by the wait between them); the second read sent none.
    expect(sim.countRequests(GET_ORDER_KEY)).toBe(2);
  });

  it('a read after a slow first one gets only what the command has left', async () => {
    const started = clock;
    sim.faults.set(GET_ORDER_KEY, { kind: 'hang', times: 1 });
    const result = await command(async (scoped) => {
      // The first try hangs (15 s), the retry answers: 15 s and a little are gone.
      await scoped.getScriptOrder(finishedOrderUuid);
      sim.faults.set(GET_ORDER_KEY, { kind: 'hang' });
      return scoped.getScriptOrder(finishedOrderUuid);
    });
    expect(result.error).toBeInstanceOf(CocTimeoutError);
    expect((result.error as CocTimeoutError).timeoutMs).toBe(DEADLINE_MS);
    expect(clock - started).toBe(DEADLINE_MS);
  });

  it('a write is never cut short by the deadline: it is sent and keeps its own time limit', async () => {
    sim.faults.set(EXECUTE_KEY, { kind: 'hang' });
    let readAfterWrite: unknown;
    const result = await command(async (scoped) => {
      clock += DEADLINE_MS + 1; // the deadline has passed before the write starts
      try {
        return await scoped.executeScript(scriptUuid, executeInput(hosts[0] as Host));
      } finally {
        // What follows a write (reading what it did) is not cut to "nothing was changed" either.
        readAfterWrite = await scoped.getScriptOrder(finishedOrderUuid).catch((error: unknown) => error);
      }
    });
    expect(readAfterWrite).toMatchObject({ status: 'FINISHED' });
    expect(sim.countRequests(EXECUTE_KEY), 'the write was sent, once').toBe(1);
    expect(result.error).toBeInstanceOf(CocTimeoutError);
    expect((result.error as CocTimeoutError).timeoutMs, "the write's own time limit").toBe(REQUEST_TIMEOUT_MS);
    // An unanswered write is "unknown", never the read's "nothing was changed".
    expect(errorToMessage(result.error).text).not.toContain('Nothing was changed');
  });
});

describe('work outside the command', () => {
  it("the bot's own client (the trackers' rounds) reads normally after a command's deadline passed; the command's does not", async () => {
    let own: unknown;
    const result = await command(async (scoped) => {
      clock += DEADLINE_MS + 1;
      own = await coc.getScriptOrder(finishedOrderUuid);
      return scoped.getScriptOrder(finishedOrderUuid);
    });
    expect(own).toMatchObject({ status: 'FINISHED' });
    expect(result.error).toBeInstanceOf(CocTimeoutError);
    // The command's read past its deadline failed at once: only the bot's own read was sent.
    expect(sim.countRequests(GET_ORDER_KEY)).toBe(1);
  });

  it('what a command left running after it replied is background work, not bounded by its deadline', async () => {
    let release!: () => void;
    const replied = new Promise<void>((resolve) => (release = resolve));
    let leftRunning!: Promise<unknown>;
    await command(async (scoped) => {
      leftRunning = replied.then(() => scoped.getScriptOrder(finishedOrderUuid));
    });
    clock += DEADLINE_MS + 1;
    release();
    await expect(leftRunning).resolves.toMatchObject({ status: 'FINISHED' });
  });
});

describe('the dispatcher', () => {
  /** What the handler saw of its deadline while it ran, and what work it left running saw after the reply. */
  const seen: { during?: CommandTimeLeft; afterReply?: CommandTimeLeft | 'none' } = {};
  let leftRunning: Promise<void> = Promise.resolve();
  const probe = defineCommand({
    family: 'orders',
    words: ['deadline-probe'],
    discord: { name: 'deadline-probe' },
    permission: 'viewer',
    mutates: false,
    summary: { 'en-US': 'Probes', 'zh-CN': '探测' },
    examples: ['deadline-probe'],
    positionals: {},
    flags: {},
    async run(context) {
      // The command's backend carries its call scope (the probe backend below keeps it to be read).
      const scope = (context.backend as ProbeBackend).scope;
      seen.during = commandTimeLeft(scope, Date.now());
      leftRunning = Promise.resolve().then(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        seen.afterReply = commandTimeLeft(scope, Date.now()) ?? 'none';
      });
      return { title: 'probed', text: '' };
    },
  });
  type ProbeBackend = Pick<Backend, 'name' | 'displayName' | 'within'> & { readonly scope?: CallScope };
  const backend: ProbeBackend = { name: 'coc', displayName: { 'en-US': 'COC', 'zh-CN': 'COC' }, within: (scope) => ({ ...backend, scope }) as unknown as Backend };
  const services = {
    backend,
    backendFor: () => backend,
    identities: { localeFor: () => 'en-US', resolve: async () => ({ iamUserName: 'alice', locale: 'en-US', role: 'viewer' }) },
    audit: { within: (scope: object, work: (scope: object) => Promise<Message>) => work({ ...scope }), write: async () => {} },
    policy: { check: () => ({ allowed: true }) },
    now: () => new Date(),
  } as unknown as Services;

  it("sets the configured deadline around a command's handler and ends it with the reply", async () => {
    const unexpected: unknown[] = [];
    const dispatcher = new Dispatcher(new Registry([probe]), services, (error) => unexpected.push(error), 'en-US', 123_456);
    const reply = await dispatcher.handle({ kind: 'command', text: 'deadline-probe', actor: { platform: 'shell', workspaceId: 'w', userId: 'alice' }, place: SHELL_PLACE });
    expect(unexpected).toEqual([]);
    expect(reply.title).toBe('probed');
    expect(seen.during?.budgetMs).toBe(123_456);
    expect(seen.during?.leftMs).toBeGreaterThan(0);
    await leftRunning;
    expect(seen.afterReply, 'what the command left running is background work').toBe('none');
  });
});
