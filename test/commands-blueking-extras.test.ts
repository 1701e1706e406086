/**
 * The commands of a platform's extra capabilities — alarms read, standard-operations tasks,
 * notices, hosts by topology — through the real dispatcher and registry over a small in-memory
 * backend: what they show, what they send (once), how a refused or lost write is said, what the
 * audit trail keeps, and that a backend without these groups (COC) has none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { assembleCore, type Core } from '../src/app/assemble.js';
import { commandRegistry } from '../src/app/commands.js';
import { declaredBackend } from '../src/app/backends.js';
import { missingTexts, planCommands } from '../src/adapters/discord/command-map.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { loadConfig, type Config } from '../src/config.js';
import { commandName } from '../src/core/command.js';
import type { Message } from '../src/core/message.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import type { Store } from '../src/store/index.js';
import { TaskTracker } from '../src/tasks/task-tracker.js';
import { selectorOf } from '../commands/run-arguments.js';
import { resolveHosts } from '../src/run/hosts.js';
import { Refusal } from '../src/core/refusal.js';
import { translator } from '../src/i18n/translate.js';
import { useTaskTracker } from '../src/tasks/task-tracker.js';
import { alarm, extrasBackend, type ExtrasBackend } from './helpers/extras-backend.js';
import { freshMemoryStore } from './helpers/memory-store.js';
import { RecordingSurface } from './helpers/recording-surface.js';

const EXTRA_COMMANDS = ['alarms', 'alarms show', 'tasks templates', 'tasks start', 'tasks show', 'tasks pause', 'tasks resume', 'tasks revoke', 'notify'];

let store: Store;
let core: Core;
let fake: ExtrasBackend;
let surface: RecordingSurface;
let tracker: TaskTracker;

const actor = (user: string) => ({ platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: user });
const command = (user: string, text: string): Promise<Message> => core.dispatcher.handle({ kind: 'command', actor: actor(user), place: SHELL_PLACE, text });
const click = (user: string, actionId: string, value: string): Promise<Message> => core.dispatcher.handle({ kind: 'action', actor: actor(user), place: SHELL_PLACE, actionId, value });
const plain = (message: Message): string => renderMessage(message, PLAIN);

beforeAll(async () => {
  const loaded = loadConfig({ env: {}, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error('test configuration is invalid');
  const config: Config = loaded.config;
  store = await freshMemoryStore();
  // Newest first, as the platform answers.
  fake = extrasBackend([alarm(5, 'critical', 'ABNORMAL'), alarm(4, 'major', 'ABNORMAL'), alarm(3, 'minor', 'RECOVERED'), alarm(2, 'major', 'CLOSED'), alarm(1, 'major', 'ABNORMAL')]);
  core = assembleCore({
    config,
    db: store.db,
    // The fixtures' alarms began on 2026-12-06 09:0x: "--since 1d" is read on the day they did, whenever the test runs.
    now: () => new Date(Date.UTC(2026, 11, 6, 12, 0)),
    audit: new AuditLog(store.db),
    sessions: { botBackend: fake.backend, backendFor: () => fake.backend },
    onUnexpected: (error) => {
      throw error instanceof Error ? error : new Error(String(error));
    },
  });
  await core.services.identities.syncFromConfig(DEMO_MAPPINGS);
  surface = new RecordingSurface('shell');
  core.chat.register(surface);
  // Rounds are driven by the test: the schedule never fires on its own.
  tracker = new TaskTracker({ backend: fake.backend, chat: core.chat, schedule: () => () => {} });
  useTaskTracker(core.services, tracker);
});

afterAll(async () => {
  tracker.stop();
  await store.close();
});

describe('which deployments have these commands', () => {
  it('a backend with the groups has every one, with its Discord texts; COC has none and no topology flags', () => {
    const names = core.registry.commands.map(commandName);
    for (const name of EXTRA_COMMANDS) expect(names).toContain(name);
    expect(missingTexts(planCommands(core.registry))).toEqual([]);
    const coc = commandRegistry(declaredBackend());
    const cocNames = coc.commands.map(commandName);
    // COC reads one alarm of its alarm centre (`alarms show`), but has no alarm list.
    for (const name of EXTRA_COMMANDS.filter((extra) => extra !== 'alarms show')) expect(cocNames).not.toContain(name);
    expect(cocNames).toContain('alarms show');
    const cocHosts = planCommands(coc).subcommands.find((sub) => sub.name === 'hosts' && !sub.group)!;
    expect(cocHosts.options.map((option) => option.name)).not.toContain('biz');
  });
});

describe('alarms', () => {
  it('lists newest first through the vocabulary, filters by the platform’s codes, and pages', async () => {
    const reply = await command('carol', 'alarms --status abnormal --since 1d --limit 2');
    expect(fake.alarmQueries.at(-1)).toMatchObject({ statusCode: 'ABNORMAL', limit: 2 });
    expect(fake.alarmQueries.at(-1)!.from).toBeTypeOf('number');
    expect(reply.title).toBe('Alarms in BlueKing (2 of 3)');
    expect(reply.table?.columns).toEqual(['ID', 'LEVEL', 'STATUS', 'BEGAN', 'TARGET', 'TITLE']);
    expect(reply.table?.rows).toEqual([
      ['1005', '🔴 Fatal', 'Abnormal', '2026-12-06 09:05 UTC', '10.0.0.5', 'CPU usage high 5'],
      ['1004', '🟠 Warning', 'Abnormal', '2026-12-06 09:04 UTC', '10.0.0.4', 'CPU usage high 4'],
    ]);
    expect(reply.footer).toContain('More: alarms --status abnormal --since 1d --limit 2 --after 2');
    const next = await command('carol', 'alarms --status abnormal --since 1d --limit 2 --after 2');
    expect(next.table?.rows.map((row) => row[0])).toEqual(['1001']);
  });

  it('refuses a level the platform does not have, offering its own', async () => {
    const reply = plain(await command('carol', 'alarms --level sev9'));
    console.log(reply);
    console.log(plain(await command('carol', 'help alarms')));
    console.log(plain(await command('alice', 'tasks start "Restart service"')));
    console.log(plain(await command('carol', 'tasks show 3:10042')));
    expect(fake.alarmQueries.every((query) => query.levelCode !== 'sev9')).toBe(true);
  });

  it('shows one alarm in full, in the reader’s language, and refuses an unknown id', async () => {
    const reply = await command('carol', 'alarms show 1005');
    expect(reply.title).toBe('🔴 CPU usage high 5');
    expect(reply.fields).toEqual(
      expect.arrayContaining([
        { label: 'Level', value: '🔴 Fatal' },
        { label: 'Status', value: 'Abnormal' },
        { label: 'Rule', value: 'CPU > 90%' },
      ]),
    );
    const missing = await command('carol', 'alarms show 999');
    expect(missing.title).toBe('No alarm 999 in BlueKing');
    expect(missing.tone).toBe('danger');
  });
});

describe('tasks', () => {
  it('lists templates', async () => {
    const reply = await command('carol', 'tasks templates --name restart');
    expect(reply.table?.rows).toEqual([['3:1001', 'Restart service', 'OpsTools', 'admin', '2026-11-01 00:00 UTC']]);
  });

  it('refuses unknown and missing constants with the template’s own list, sending nothing', async () => {
    const before = fake.writes.length;
    const unknown = await command('alice', 'tasks start "Restart service" --const colour=blue --const service=nginx');
    expect(unknown.title).toBe('Template "Restart service" has no constant colour');
    expect(unknown.text).toContain('${service} — Service (required)');
    expect(unknown.text).toContain('${mode} — Mode (default: graceful)');
    const missing = await command('alice', 'tasks start "Restart service"');
    expect(missing.title).toBe('Template "Restart service" needs ${service}');
    const none = await command('alice', 'tasks start "Restart servce" --const service=x');
    expect(none.title).toBe('No task template "Restart servce" in BlueKing');
    expect(none.text).toContain('Did you mean "Restart service"?');
    expect(fake.writes.length).toBe(before);
  });

  it('is for operators: a viewer cannot start a task', async () => {
    const reply = await command('carol', 'tasks start 1001 --const service=nginx');
    expect(reply.tone).toBe('danger');
    expect(fake.writes.filter((write) => write.kind === 'create')).toEqual([]);
  });

  it('starts a task, posts its live card, and pauses and resumes it from the card’s buttons until it ends', async () => {
    const reply = await command('alice', 'tasks start "Restart service" --const service=s3cr3t-nginx --name "Restart nginx"');
    expect(reply.title).toBe('Task 3:10042 started from template "Restart service"');
    expect(reply.fields).toEqual([{ label: 'Constants', value: '${service}' }]);
    expect(fake.writes.map((write) => write.kind)).toEqual(['create', 'start']);
    expect(fake.tasks.get('blueking:task:3:10042')!.constants).toEqual({ '${service}': 's3cr3t-nginx' });

    // The audit trail keeps the constant's key, never its value.
    const row = (await listAuditEvents(store.db, { limit: 20 })).find((event) => event.command === 'tasks start' && event.outcome !== 'denied');
    expect(JSON.stringify(row!.maskedParameters)).not.toContain('s3cr3t');
    expect(JSON.stringify(row!.maskedParameters)).toContain('service=***');

    const card = surface.posts.at(-1)!;
    expect(card.message.title).toBe('🔵 Task 3:10042: Restart nginx');
    expect(card.message.footer).toBe('This card updates itself until the task ends.');
    expect(card.message.buttons?.map((button) => button.label)).toEqual(['Pause', 'Revoke']);
    expect(tracker.following).toBe(1);

    const pause = card.message.buttons!.find((button) => button.label === 'Pause')!;
    const paused = await click('alice', pause.actionId, pause.value);
    expect(paused.title).toBe('Task 3:10042 paused');
    expect(paused.text).toBe('Status now: Paused (SUSPENDED).');
    const afterPause = surface.latest(card.posted.messageRef)!;
    expect(afterPause.buttons?.map((button) => button.label)).toEqual(['Resume', 'Revoke']);

    // A second click on the stale Pause sends nothing.
    const again = await click('alice', pause.actionId, pause.value);
    expect(again.title).toBe('Task 3:10042 is already paused');
    expect(fake.writes.filter((write) => write.kind === 'operate')).toHaveLength(1);

    const resume = afterPause.buttons!.find((button) => button.label === 'Resume')!;
    const resumed = await click('alice', resume.actionId, resume.value);
    expect(resumed.title).toBe('Task 3:10042 resumed');
    expect(surface.latest(card.posted.messageRef)!.buttons?.map((button) => button.label)).toEqual(['Pause', 'Revoke']);

    fake.setState('blueking:task:3:10042', 'succeeded');
    await tracker.pollOnce();
    const final = surface.latest(card.posted.messageRef)!;
    expect(final.title).toBe('🟢 Task 3:10042: Restart nginx');
    expect(final.buttons).toBeUndefined();
    expect(final.footer).toBe('Final state: this card no longer changes.');
    expect(tracker.following).toBe(0);
    const edits = surface.updates.length;
    await tracker.pollOnce();
    expect(surface.updates.length).toBe(edits);

    const ended = await command('alice', 'tasks pause 10042');
    expect(ended.title).toBe('Task 3:10042 has ended (Succeeded (FINISHED)); nothing to pause');
  });

  it('shows a task as a card with its nodes', async () => {
    const reply = await command('carol', 'tasks show 3:10042');
    expect(reply.fields?.[0]).toEqual({ label: 'Status', value: 'Succeeded (FINISHED)' });
    expect(reply.table?.rows.map((row) => row[0])).toEqual(['Stop service', 'Start service']);
    expect((await command('carol', 'tasks show 77')).title).toBe('No task 77 in BlueKing');
  });

  it('says a refused operation is refused, and a lost answer unknown unless the task shows it took effect', async () => {
    await command('alice', 'tasks start "Clean logs"');
    const id = 'blueking:task:3:10043';
    expect(fake.tasks.get(id)!.status.status.state).toBe('running');

    fake.failNext('operate', 'refused');
    const refused = await command('alice', 'tasks pause 10043');
    expect(refused.title).toBe('BlueKing refused to pause task 3:10043');
    expect(refused.text).toBe('task state does not allow it (1306). Nothing was retried. Status now: Running (RUNNING).');

    fake.failNext('operate', 'lost');
    const lost = await command('alice', 'tasks pause 10043');
    expect(lost.title).toBe('Outcome unknown: the pause of task 3:10043');
    expect(lost.tone).toBe('warning');

    fake.failNext('operate', 'lost-acted');
    const confirmed = await command('alice', 'tasks pause 10043');
    expect(confirmed.title).toBe('Task 3:10043 paused');
    expect(confirmed.text).toContain('Confirmed by reading the task');
    // Each was sent once: three operations, never a retry.
    expect(fake.writes.filter((write) => write.kind === 'operate' && (write.detail as { id: string }).id === id)).toHaveLength(3);

    const forged = await click('alice', 'task:revoke', 'coc:run:whatever');
    expect(forged.title).toBe('This button is not valid');
  });

  it('says a lost answer to creating a task is unknown, and starts nothing', async () => {
    fake.failNext('create', 'lost');
    const starts = fake.writes.filter((write) => write.kind === 'start').length;
    const reply = await command('alice', 'tasks start "Clean logs"');
    expect(reply.title).toBe('Outcome unknown: a task from "Clean logs" may have been created');
    expect(fake.writes.filter((write) => write.kind === 'start')).toHaveLength(starts);
  });
});

describe('notify', () => {
  it('sends through an active channel once, keeping the text out of the audit trail', async () => {
    const reply = await command('alice', 'notify mail --to bob,dave --title "Checkout degraded" "p99 above 2 s; rollback under way"');
    expect(reply.title).toBe('Notice sent through BlueKing (Mail)');
    expect(fake.writes.at(-1)).toEqual({ kind: 'send', detail: { channel: 'mail', receivers: ['bob', 'dave'], title: 'Checkout degraded', text: 'p99 above 2 s; rollback under way' } });
    const row = (await listAuditEvents(store.db, { limit: 20 })).find((event) => event.command === 'notify');
    expect(JSON.stringify(row!.maskedParameters)).not.toContain('rollback');
  });

  it('refuses a channel that is not active, naming those that are, and says a lost answer is unknown', async () => {
    const sends = fake.writes.filter((write) => write.kind === 'send').length;
    const refused = await command('alice', 'notify sms --to bob --title T "x"');
    expect(refused.title).toBe('BlueKing has no active notice channel "sms"');
    expect(refused.text).toBe('Nothing was sent. Active channels: mail (Mail), weixin (WeChat).');
    expect(fake.writes.filter((write) => write.kind === 'send')).toHaveLength(sends);
    fake.failNext('send', 'lost');
    const lost = await command('alice', 'notify weixin --to bob --title T "x"');
    expect(lost.title).toBe('Outcome unknown: the notice may have been sent');
    expect(fake.writes.filter((write) => write.kind === 'send')).toHaveLength(sends + 1);
  });
});

describe('hosts by topology', () => {
  it('passes business, set and module to the platform', async () => {
    const reply = await command('carol', 'hosts --biz "Game Ops" --set prod --module web');
    expect(fake.hostQueries.at(-1)).toMatchObject({ topology: { biz: 'Game Ops', set: 'prod', module: 'web' } });
    expect(reply.table?.rows.map((row) => row[0])).toEqual(['web-1', 'web-2']);
  });
});

describe('a run’s hosts by topology', () => {
  const t = translator('en-US');
  it('is one way of choosing hosts: business, set and module together, never beside --hosts, --tag or --query', async () => {
    expect(selectorOf(t, { biz: 'demo-shop', set: 'web', module: undefined, hosts: undefined, tag: undefined, query: undefined })).toEqual({ kind: 'topology', topology: { biz: 'demo-shop', set: 'web' } });
    expect(() => selectorOf(t, { biz: undefined, set: 'web', module: undefined, hosts: ['web-01'], tag: undefined, query: undefined })).toThrow(Refusal);
    const resolved = await resolveHosts(fake.backend, { kind: 'topology', topology: { set: 'web', module: 'nginx' } });
    expect(fake.hostQueries.at(-1)).toMatchObject({ topology: { set: 'web', module: 'nginx' } });
    expect(resolved.runnable.length + resolved.excluded.length).toBe(2);
  });
});

describe('the task tracker keeps to its bounds', () => {
  it('says when the platform cannot be read, stops following after its time, and drops a task the platform forgot', async () => {
    const own = extrasBackend([]);
    const created = await own.backend.tasks!.create({ template: 'blueking:template:3:1002', name: 'bounded', constants: {} });
    await own.backend.tasks!.start(created.id);
    let now = Date.UTC(2026, 11, 6, 10, 0);
    const chat = new RecordingSurface('shell');
    const bounded = new TaskTracker({ backend: own.backend, chat, now: () => new Date(now), maxFollowMs: 60 * 60_000, schedule: () => () => {} });
    const target = { platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, channelId: 'C1' };
    const posted = (await bounded.follow({ task: created.id, target, locale: 'en-US' }))!;
    // Asking again for the same task and place keeps the one card.
    expect(await bounded.follow({ task: created.id, target, locale: 'en-US' })).toEqual(posted);
    expect(chat.posts).toHaveLength(1);

    const status = own.backend.tasks!.status;
    (own.backend.tasks as { status: typeof status }).status = async () => {
      throw new Error('unreachable');
    };
    for (let round = 0; round < 3; round++) await bounded.pollOnce();
    expect(chat.latest(posted.messageRef)!.footer).toContain('BlueKing could not be read since 2026-12-06 10:00 UTC');
    (own.backend.tasks as { status: typeof status }).status = status;

    now += 61 * 60_000;
    await bounded.pollOnce();
    const stale = chat.latest(posted.messageRef)!;
    expect(stale.footer).toBe('Stopped following the task after 60 minutes; "tasks show 3:10042" shows how it is doing.');
    expect(stale.buttons?.map((button) => button.label)).toEqual(['Pause', 'Revoke']);
    expect(bounded.following).toBe(0);

    const again = (await bounded.follow({ task: created.id, target: { ...target, channelId: 'C2' }, locale: 'zh-CN' }))!;
    expect(chat.latest(again.messageRef)!.fields?.[0]).toEqual({ label: '状态', value: '执行中 (RUNNING)' });
    own.tasks.delete(created.id);
    await bounded.pollOnce();
    expect(chat.latest(again.messageRef)!.footer).toBe('蓝鲸 中已没有该任务；卡片到此停止更新。');
    expect(bounded.following).toBe(0);
  });
});
