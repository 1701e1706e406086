/**
 * Every example `help` shows works as written against the simulator, typed by dave (admin, so
 * every command is his to run). An example names an order, an incident, a WarRoom or an approval
 * request by an id of the right shape; the test puts in one that exists, in the state the
 * example is for (a paused order to continue, an accepted incident to solve), and types the
 * rest of the line unchanged. A reply that is a preview, a form or a question counts as
 * working; a refusal or an error does not.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathFileReader } from '../src/adapters/shell/file-reader.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { replyFailed, type Message } from '../src/core/message.js';
import { SHELL_WORKSPACE } from '../src/identity/demo.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { createIncident } from './incident-helpers.js';
import { pausingOrder, simpleOrder } from './tracker-helpers.js';

const ORDER = /\bSCT[0-9a-z]{16,}\b/;
const INCIDENT = /\bIM\d{16,}\b/;
const WARROOM = /\bWR\d{16,}\b/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;
/** What a reply that did not do what was asked says, whatever its tone. */
const NOT_DONE = /Unknown|Not done|refused|No such|cannot/i;

let bot: TestBot;
const files = mkdtempSync(join(tmpdir(), 'help-examples-'));

function say(user: string, text: string): Promise<Message> {
  return bot.handle({ kind: 'command', actor: { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: user }, place: SHELL_PLACE, text, files: pathFileReader(files) });
}

function click(user: string, actionId: string, value: string): Promise<Message> {
  return bot.handle({ kind: 'action', actor: { platform: 'shell', workspaceId: SHELL_WORKSPACE, userId: user }, place: SHELL_PLACE, actionId, value });
}

function buttonValue(message: Message, actionId: string): string {
  const found = message.buttons?.find((button) => button.actionId === actionId) ?? bot.surface.posts.flatMap((post) => post.message.buttons ?? []).find((button) => button.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}"`);
  return found.value;
}

async function expectDone(user: string, line: string): Promise<Message> {
  const reply = await say(user, line);
  expect(replyFailed(reply) || NOT_DONE.test(reply.title ?? ''), `${line}\n${renderMessage(reply, PLAIN)}`).toBe(false);
  return reply;
}

/** A PAUSE-rotation order stopped after its first batch: what Continue and Skip are for. */
async function pausedOrder(): Promise<string> {
  const uuid = await pausingOrder(bot.sim);
  for (let i = 0; i < 50 && bot.sim.world.orders.get(uuid)?.status !== 'PAUSED'; i++) bot.sim.tick();
  expect(bot.sim.world.orders.get(uuid)?.status).toBe('PAUSED');
  return uuid;
}

/** An incident in the status the command acts on: triggered, then accepted, then solved. */
async function incidentFor(words: string): Promise<string> {
  const num = await createIncident(bot, 'alice', '--assignee dave');
  if (/incident (solve|verify|reject)/.test(words)) await expectDone('dave', `incident accept ${num}`);
  if (/incident (verify|reject)/.test(words)) await expectDone('dave', `incident solve ${num} --cause "disk full" --solution "rotated logs" --type config --interrupted no`);
  if (/warroom (show|summary)|incident show/.test(words)) await expectDone('dave', `warroom create ${num}`);
  return num;
}

/** The example with each id of a known shape replaced by one that exists in a fitting state. */
async function asTyped(words: string, example: string): Promise<string> {
  let line = example;
  if (ORDER.test(line)) {
    const order = /order (continue|skip-batch)/.test(words) ? await pausedOrder() : await simpleOrder(bot.sim, 3, 2);
    line = line.replace(ORDER, order);
  }
  if (INCIDENT.test(line)) line = line.replace(INCIDENT, await incidentFor(words));
  if (WARROOM.test(line)) {
    const num = await incidentFor('warroom show');
    line = line.replace(WARROOM, bot.sim.world.warRooms.all().find((room) => room.incidentNum === num)!.id);
  }
  if (UUID.test(line) && words === 'approval show') {
    const plan = buttonValue(await say('alice', 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=Ex4mple_s3cret'), 'run:go');
    line = line.replace(UUID, buttonValue(await click('alice', 'run:go', plan), 'approval:approve'));
  }
  return line;
}

beforeAll(async () => {
  bot = await makeTestBot();
  writeFileSync(join(files, 'rotate_logs.sh'), '#!/bin/bash\nlogrotate -f /etc/logrotate.conf\n');
  writeFileSync(join(files, 'clear_tmp_files.sh'), '#!/bin/bash\nfind "${path}" -type f -mtime +"${older_than_days}" -delete\n');
  writeFileSync(join(files, 'set_pw.sh'), '#!/bin/bash\necho "${db_user}:${new_password}" | chpasswd\n');
});

afterAll(async () => {
  await bot?.close();
});

describe('help examples, COC', () => {
  it('every command has examples, and each one works as written', async () => {
    for (const command of bot.core.registry.commands) {
      const words = command.words.join(' ');
      expect(command.examples.length, words).toBeGreaterThan(0);
      for (const example of command.examples) await expectDone('dave', await asTyped(words, example));
    }
  });
});
