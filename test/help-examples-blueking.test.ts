/**
 * Every example `help` shows on BlueKing works as written against the built-in BlueKing
 * simulator, typed by dave (admin), with the pass criteria of help-examples.test.ts: a preview, a
 * form or a question counts as working; a refusal or an error does not. An example that names an
 * order, a task, an alarm or an approval request gets one that exists, in the state the example
 * is for (a paused order to continue, a paused task to resume); the rest of the line is typed
 * unchanged. `help` offers nothing BlueKing cannot do: typed anyway, such a command says it is
 * not available here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import type { Bot } from '../src/app/bot.js';
import { need, type RunId } from '../src/backends/index.js';
import { arg } from '../src/core/arguments/index.js';
import { compile, problemOf } from '../src/core/arguments/schema.js';
import { commandName } from '../src/core/command.js';
import { replyFailed, type Message } from '../src/core/message.js';
import { SHELL_WORKSPACE } from '../src/identity/demo.js';
import { sayInEnglish } from '../src/i18n/phrase.js';
import { EXAMPLE_ORDER_ID } from '../src/orders/example-id.js';
import type { OrderTracker } from '../src/orders/tracker.js';
import type { BluekingSimulator } from '../src/sim/blueking/server.js';
import { bluekingSimulatorOf, startBluekingBot } from './helpers/blueking-bot.js';
import { freshMemoryStore } from './helpers/memory-store.js';
import { RecordingSurface } from './helpers/recording-surface.js';

const ORDER = EXAMPLE_ORDER_ID.blueking;
const TASK = /\b10042\b/;
const ALARM = /(?<=alarms show )\d+/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;
/** What a reply that did not do what was asked says, whatever its tone. */
const NOT_DONE = /Unknown|Not done|refused|No such|No \w+ .* in BlueKing|cannot|not available/i;

let bot: Bot;
let sim: BluekingSimulator;
/** The terminal's chat, where approval requests and order cards are posted. */
const surface = new RecordingSurface('shell');

function say(user: string, text: string): Promise<Message> {
  return bot.dispatcher.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: user }, place: SHELL_PLACE, text });
}

function click(user: string, actionId: string, value: string): Promise<Message> {
  return bot.dispatcher.handle({ kind: 'action', actor: { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: user }, place: SHELL_PLACE, actionId, value });
}

function buttonValue(message: Message, actionId: string): string {
  const found = message.buttons?.find((button) => button.actionId === actionId) ?? surface.posts.flatMap((post) => post.message.buttons ?? []).find((button) => button.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}": ${renderMessage(message, PLAIN)}`);
  return found.value;
}

async function expectDone(user: string, line: string): Promise<Message> {
  const reply = await say(user, line);
  expect(replyFailed(reply) || NOT_DONE.test(reply.title ?? ''), `${line}\n${renderMessage(reply, PLAIN)}`).toBe(false);
  return reply;
}

/** The examples `help <command>` shows here. */
function examplesOf(words: string): readonly string[] {
  const command = bot.dispatcher.registry.find(words.split(' '))!.command;
  return command.examplesOn?.blueking ?? command.examples;
}

/** A LOW run of four one-host batches started by dave: its order id (the plan's uuid). */
async function startedOrder(rotation: 'pause' | 'continue'): Promise<string> {
  const plan = buttonValue(await expectDone('dave', `run check_disk --hosts web-02,web-03,web-04,web-05 --batch-size 1 --rotation ${rotation}`), 'run:go');
  await click('dave', 'run:go', plan);
  return plan;
}

/** An order stopped after its first batch (PAUSE rotation): what Continue and Skip are for. */
async function pausedOrder(): Promise<string> {
  const plan = await startedOrder('pause');
  const runs = need(bot.services.backend, 'runs');
  for (let round = 0; round < 20 && (await runs.read(`blueking:run:${plan}` as RunId))?.status.state !== 'paused'; round++) {
    sim.tick(1);
    await (bot.services.tracker as OrderTracker).tick();
  }
  expect((await runs.read(`blueking:run:${plan}` as RunId))?.status.state).toBe('paused');
  return plan;
}

/** A standard-operations task in the state the command acts on: running, or paused to resume. */
async function taskFor(words: string): Promise<string> {
  await expectDone('dave', examplesOf('tasks start')[0]!);
  const task = String(sim.world.sops.tasks.at(-1)!.task_id);
  if (words === 'tasks resume') await expectDone('dave', `tasks pause ${task}`);
  return task;
}

/** The example with each id of a known shape replaced by one that exists in a fitting state. */
async function asTyped(words: string, example: string): Promise<string> {
  let line = example;
  if (line.includes(ORDER)) line = line.replace(ORDER, /order (continue|skip-batch)/.test(words) ? await pausedOrder() : await startedOrder('continue'));
  if (words.startsWith('tasks ') && TASK.test(line)) line = line.replace(TASK, await taskFor(words));
  if (words === 'alarms show') line = line.replace(ALARM, String(sim.world.alarms[0]!.id));
  if (words === 'approval show' && UUID.test(line)) {
    const plan = buttonValue(await say('alice', 'run rotate_password --hosts db-02 --param args="app Ex4mple_s3cret"'), 'run:go');
    line = line.replace(UUID, buttonValue(await click('alice', 'run:go', plan), 'approval:approve'));
  }
  return line;
}

beforeAll(async () => {
  bot = await startBluekingBot({ bot: { store: await freshMemoryStore() } });
  sim = bluekingSimulatorOf(bot);
  bot.chat.register(surface);
});

afterAll(async () => {
  await bot?.close();
});

describe('help examples, BlueKing', () => {
  it('help offers only what BlueKing can do; the rest, typed, is said to be not available here', async () => {
    const help = renderMessage(await say('dave', 'help'), PLAIN);
    for (const words of ['scripts create', 'scripts edit', 'scripts delete', 'hosts sync']) {
      expect(help).not.toContain(`/coc ${words} `);
      const typed = renderMessage(await say('dave', `${words} clear_tmp`), PLAIN);
      expect(typed, words).toContain(`"${words}" is not available here: BlueKing does not offer it.`);
    }
  });

  it('says the order states it filters on, and an order id in its own shape', async () => {
    const wrong = renderMessage(await say('dave', 'orders --status halted'), PLAIN);
    expect(wrong).toMatch(/Allowed: waiting, running, unknown, paused, succeeded, failed, canceled, error\./);
    const missing = renderMessage(await say('dave', 'order show 00000000-0000-4000-8000-000000000000'), PLAIN);
    expect(missing).toContain(`it looks like ${ORDER}`);
    expect(missing).not.toContain('SCT');
    // A platform that offers nothing to choose: said so, never "Allowed: ." (an empty list).
    const { schema, fallback } = compile(arg.enum({ choices: () => [], description: { 'en-US': 'Status', 'zh-CN': '状态' } }), { place: 'flag', name: 'status' }, { limits: {}, now: 0 });
    const refused = schema.safeParse('paused');
    expect(refused.success).toBe(false);
    expect(sayInEnglish(problemOf(refused.error!, fallback('paused')).text)).toBe('--status "paused" cannot be used here: this platform offers nothing to choose for --status. Leave it out.');
  });

  it('every command has examples, and each one works as written', async () => {
    for (const command of bot.dispatcher.registry.commands) {
      const words = commandName(command);
      expect(examplesOf(words).length, words).toBeGreaterThan(0);
      for (const example of examplesOf(words)) {
        expect(example, `${words}: a COC id in a BlueKing example`).not.toMatch(/\bSCT\w+|\bIM\d{10,}|\bWR\d{10,}/);
        await expectDone('dave', await asTyped(words, example));
      }
    }
  });
});
