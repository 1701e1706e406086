/**
 * BlueKing as a person uses it from chat, each invocation through its own scoped view: a
 * bot-driven run read from chat is read in the reader's invocation (the executions `order show`
 * reads are its own calls in the audit trail, bounded by its deadline like its other reads, not
 * the bot's background work), and what a person's capabilities keep (a task's detail) is kept
 * across invocations, not remade with each one's view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/app/bot.js';
import type { Message } from '../src/core/message.js';
import type { BluekingSimulator } from '../src/sim/blueking/server.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { bluekingSimulatorOf, startBluekingBot } from './helpers/blueking-bot.js';
import { RecordingSurface } from './helpers/recording-surface.js';
import { freshMemoryStore } from './helpers/memory-store.js';

const STATUS = 'job/get_job_instance_status';
const EXECUTE = 'job/fast_execute_script';
const PLACE = { channelId: 'terminal', isDirect: false } as const;
let bot: Bot;
let sim: BluekingSimulator;

beforeAll(async () => {
  bot = await startBluekingBot({ bot: { store: await freshMemoryStore(), logDestination: { write: () => true } as unknown as NodeJS.WritableStream } });
  sim = bluekingSimulatorOf(bot);
  bot.chat.register(new RecordingSurface('shell'));
});
afterAll(async () => {
  await bot?.close();
});

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: 'local', userId: user });
const say = (user: string, text: string): Promise<Message> => bot.dispatcher.handle({ kind: 'command', actor: actor(user), place: PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => bot.dispatcher.handle({ kind: 'action', actor: actor(user), place: PLACE, actionId, value });

describe('a bot-driven run read from chat', () => {
  it('order show: each Job instance it reads is a call of its own invocation', async () => {
    const preview = await say('alice', 'run check_disk --hosts web-02,web-03 --batch-size 1');
    const planId = preview.buttons!.find((b) => b.actionId === 'run:go')!.value;
    const started = new Set((await listAuditEvents(bot.services.db, { limit: 1_000 })).map((row) => row.id));
    expect((await click('alice', 'run:go', planId)).tone).toBe('success');
    const before = new Set((await listAuditEvents(bot.services.db, { limit: 1_000 })).map((row) => row.id));
    // Batch 1's start is alice's Run click's write.
    const intents = (await listAuditEvents(bot.services.db, { limit: 1_000 })).filter((row) => !started.has(row.id) && row.command === `blueking POST ${EXECUTE}`);
    expect(intents.map((row) => [row.chatUserId, row.iamUserName, row.maskedParameters['invocation']])).toEqual([['alice', 'alice', 'action run:go']]);
    const sent = sim.countRequests(STATUS);
    await say('carol', `order show ${planId}`);
    const read = sim.countRequests(STATUS) - sent;
    expect(read).toBeGreaterThan(0);
    const rows = (await listAuditEvents(bot.services.db, { limit: 1_000 })).filter((row) => !before.has(row.id));
    const statusRows = rows.filter((row) => row.command === `blueking GET ${STATUS}`);
    expect(statusRows.map((row) => row.chatUserId)).toEqual(Array.from({ length: read }, () => 'carol'));
  });
});

describe('what a person’s BlueKing capabilities keep between invocations', () => {
  it('a task’s detail (name, link, node names) is read once, not once per command', async () => {
    const started = await say('alice', 'tasks start rotate_logs');
    const task = /tasks (?:show|pause|resume|revoke) (\S+)/.exec(started.text ?? '')?.[1] ?? /Task (\S+)/.exec(started.title ?? '')?.[1];
    expect(task, `${started.title}\n${started.text}`).toBeDefined();
    await say('alice', `tasks show ${task}`);
    const read = sim.countRequests('sops/get_task_detail');
    await say('alice', `tasks show ${task}`);
    await say('alice', `tasks show ${task}`);
    expect(sim.countRequests('sops/get_task_detail')).toBe(read);
  });
});
