/**
 * The extra capabilities' commands against the BlueKing backend over its simulator (real HTTP,
 * a fake clock: tasks move only on tick()): alarms listed and shown from Monitor, and a SOPS task
 * started from a template, its live card following it, paused and resumed with the card's
 * buttons, until it ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { assembleCore, type Core } from '../src/app/assemble.js';
import { connectBlueking } from '../src/backends/blueking/connect.js';
import type { BluekingSessions } from '../src/backends/blueking/sessions.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { loadConfig, Secret } from '../src/config.js';
import type { Message } from '../src/core/message.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { createManualClock } from '../src/sim/clock.js';
import { BK_SIM_APP_CODE, BK_SIM_APP_SECRET, startBluekingSimulator, type BluekingSimulator } from '../src/sim/blueking/server.js';
import type { Store } from '../src/store/index.js';
import { TaskTracker, useTaskTracker } from '../src/tasks/task-tracker.js';
import { freshMemoryStore } from './helpers/memory-store.js';
import { RecordingSurface } from './helpers/recording-surface.js';

// The simulator's world is seeded around its start; Monitor is read back a week from the real
// clock, so the simulated one starts now (whole minutes) and only moves when the test says.
const clock = createManualClock(Math.floor(Date.now() / 60_000) * 60_000);
let sim: BluekingSimulator;
let sessions: BluekingSessions;
let store: Store;
let core: Core;
let surface: RecordingSurface;
let tracker: TaskTracker;

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: user });
const command = (user: string, text: string): Promise<Message> => core.dispatcher.handle({ kind: 'command', actor: actor(user), place: SHELL_PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => core.dispatcher.handle({ kind: 'action', actor: actor(user), place: SHELL_PLACE, actionId, value });
const plain = (message: Message): string => renderMessage(message, PLAIN);

beforeAll(async () => {
  sim = await startBluekingSimulator({ now: clock.now });
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('test configuration is invalid');
  store = await freshMemoryStore();
  const audit = new AuditLog(store.db);
  sessions = connectBlueking({
    endpoint: sim.url,
    appCode: BK_SIM_APP_CODE,
    appSecret: new Secret(BK_SIM_APP_SECRET),
    serviceUser: 'chatops-bot',
    settings: { defaultBiz: 3, riskRules: [], defaultAccount: 'root', paasHost: sim.url },
    hooks: { onCall: audit.observeCall, beforeWrite: audit.beforeWrite },
  });
  core = assembleCore({
    config: loaded.config,
    db: store.db,
    audit,
    sessions,
    onUnexpected: (error) => {
      throw error instanceof Error ? error : new Error(String(error));
    },
  });
  await core.services.identities.syncFromConfig(DEMO_MAPPINGS);
  surface = new RecordingSurface('shell');
  core.chat.register(surface);
  tracker = new TaskTracker({ backend: sessions.botBackend, chat: core.chat, schedule: () => () => {} });
  useTaskTracker(core.services, tracker);
});

afterAll(async () => {
  tracker?.stop();
  await sessions?.close();
  await store?.close();
  await sim?.close();
});

describe('BlueKing: alarms and a SOPS task from chat', () => {
  it('lists Monitor’s alarms newest first through its vocabulary and shows one', async () => {
    const list = await command('carol', 'alarms --limit 5');
    expect(list.title).toMatch(/^Alarms in BlueKing \(5 of \d+\)$/);
    expect(list.table?.columns).toEqual(['ID', 'LEVEL', 'STATUS', 'BEGAN', 'TARGET', 'TITLE']);
    const rows = list.table!.rows;
    const began = rows.map((row) => row[3]!);
    expect([...began].sort().reverse()).toEqual(began);
    for (const row of rows) expect(row[1]).toMatch(/^(🔴|🟠|🟡|🔵) \S/);
    expect(list.footer).toContain('More: alarms --limit 5 --after ');

    const id = rows[0]![0]!;
    const shown = await command('carol', `alarms show ${id}`);
    expect(shown.fields?.find((field) => field.label === 'Alarm id')?.value).toBe(id);
    expect(shown.fields?.find((field) => field.label === 'Level')?.value).toBe(rows[0]![1]);
    expect((await command('carol', 'alarms show 99999999')).title).toBe('No alarm 99999999 in BlueKing');
  });

  it('starts a SOPS task with its constants, pauses and resumes it from its live card, and the card ends with the task', async () => {
    const refused = await command('alice', 'tasks start restart_service');
    expect(refused.title).toBe('Template "restart_service" needs ${ip_list}');
    expect(sim.countRequests('sops/create_task')).toBe(0);

    const started = await command('alice', 'tasks start restart_service --const ip_list=10.0.1.11 --const service=nginx');
    expect(started.title).toMatch(/^Task 3:\d+ started from template "restart_service"$/);
    expect(sim.countRequests('sops/create_task')).toBe(1);
    expect(sim.countRequests('sops/start_task')).toBe(1);
    const card = surface.posts.at(-1)!;
    expect(card.message.fields?.[0]).toEqual({ label: 'Status', value: 'Running (RUNNING)' });
    const pause = card.message.buttons!.find((button) => button.actionId === 'task:pause')!;

    const paused = await click('bob', pause.actionId, pause.value);
    expect(paused.title).toMatch(/^Task 3:\d+ paused$/);
    expect(surface.latest(card.posted.messageRef)!.fields?.[0]?.value).toMatch(/^Paused \(/);
    // A paused task does not move.
    sim.tick(5);
    await tracker.pollOnce();
    const whilePaused = surface.latest(card.posted.messageRef)!;
    expect(whilePaused.fields?.[0]?.value).toMatch(/^Paused \(/);
    const resume = whilePaused.buttons!.find((button) => button.actionId === 'task:resume')!;

    const resumed = await click('alice', resume.actionId, resume.value);
    expect(resumed.title).toMatch(/^Task 3:\d+ resumed$/);
    expect(sim.countRequests('sops/operate_task')).toBe(2);

    sim.tick(10);
    await tracker.pollOnce();
    const final = surface.latest(card.posted.messageRef)!;
    expect(final.fields?.[0]?.value).toBe('Succeeded (FINISHED)');
    expect(final.buttons).toBeUndefined();
    expect(tracker.following).toBe(0);

    const text = plain(await command('carol', `tasks show ${pause.value.split(':').slice(2).join(':')}`));
    expect(text).toContain('Succeeded (FINISHED)');
  });

  it('sends a notice through CMSI and lists hosts of a set', async () => {
    const sent = await command('alice', 'notify mail --to bob,carol --title "Checkout degraded" "p99 above 2 s"');
    expect(sent.title).toMatch(/^Notice sent through BlueKing \(.+\)$/);
    expect(sim.countRequests('cmsi/send_msg')).toBe(1);
    const hosts = await command('carol', 'hosts --set web --limit 3');
    expect(hosts.table?.rows.map((row) => row[0])).toEqual(['web-01', 'web-02', 'web-03']);
  });
});
