/**
 * `run` as forms, through the real dispatcher and a fresh simulator: `run` alone opens the
 * first form; a wrong value comes back under its own field with nothing sent to COC but reads;
 * a script with parameters asks them in a second form built from the script's own definitions;
 * the preview is the one the flags give, and its plan runs on Run. Scripts and hosts are
 * searched as you type. A sensitive value never shows in a reply, a form, or the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { SHELL_PLACE, ShellSession } from '../src/adapters/shell/session.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Form, Message } from '../src/core/message.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { RUN_FORM_IDS } from '../commands/run-form.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { isHealthyHost } from './sim-helpers.js';

const SECRET = 'Form_S3cret_Value';
const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const LIST_RESOURCES = 'GET /v1/resources';
const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot();
});
afterAll(async () => {
  await bot.close();
});

function submit(formId: string, values: Record<string, string>, context?: string): Promise<Message> {
  const invocation: Invocation = { kind: 'submission', actor: alice, place: SHELL_PLACE, formId, values, ...(context !== undefined ? { context } : {}) };
  return bot.handle(invocation);
}

function healthy(count: number): string[] {
  return bot.sim.world.hosts.filter(isHealthyHost).slice(0, count).map((host) => host.name);
}

function writes(): string[] {
  return bot.sim.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`);
}

function fieldsOf(form: Form | undefined) {
  return Object.fromEntries((form?.fields ?? []).map((field) => [field.id, field]));
}

describe('the run form', () => {
  it('opens when nothing follows run: script and hosts searched as you type, or a tag instead', async () => {
    const reply = await bot.handle({ kind: 'command', actor: alice, place: SHELL_PLACE, text: 'run' });
    expect(reply.private).toBe(true);
    expect(reply.form?.id).toBe(RUN_FORM_IDS.request);
    const fields = fieldsOf(reply.form);
    expect(Object.keys(fields)).toEqual(['script', 'hosts', 'tag', 'batch-size', 'rotation', 'timeout', 'success-rate', 'canary', 'user']);
    expect(fields['script']).toMatchObject({ kind: 'select', required: true, searchId: 'scripts' });
    expect(fields['hosts']).toMatchObject({ kind: 'multiselect', required: false, searchId: 'hosts' });
    expect(fields['tag']).toMatchObject({ kind: 'text', required: false });
    expect(fields['rotation']?.options?.map((option) => option.value)).toEqual(['continue', 'pause']);
    expect(fields['canary']?.options?.map((option) => option.value)).toEqual(['no', 'yes']);
    expect(fields['batch-size']).toMatchObject({ initial: '10' });
    // The typed command is unchanged: a script without a host selector is told what is missing.
    expect(await bot.run('alice', 'run disk_usage')).toMatch(/--hosts h1,h2, or --tag key=value/);
  });

  it('shows each problem under its own field, saying what is allowed, and sends nothing to COC', async () => {
    const hosts = healthy(3).join(',');
    bot.sim.resetRequests();
    const cases: [Record<string, string>, Record<string, RegExp>][] = [
      [{ script: 'disk_usage', hosts, 'batch-size': '50', timeout: '2', rotation: 'sometimes' }, { 'batch-size': /from 1 to 10/, timeout: /from 5 to 1800/, rotation: /continue, pause/ }],
      [{ script: 'disk_usage' }, { hosts: /pick hosts, or give a tag/, tag: /pick hosts, or give a tag/ }],
      [{ script: 'disk_usage', hosts, tag: 'role=web' }, { hosts: /not both/, tag: /not both/ }],
      [{ script: 'disk_usage', tag: 'role' }, { tag: /key=value/ }],
      [{ script: '', hosts }, { script: /needed/ }],
      [{ script: 'no_such_script', hosts }, { script: /no_such_script/ }],
      [{ script: 'disk_usage', hosts: 'nosuchhost' }, { hosts: /no host called "nosuchhost"/ }],
      [{ script: 'disk_usage', tag: 'role=nosuchrole' }, { tag: /no host matches role=nosuchrole/ }],
      // 23 runnable web hosts in batches of one: more batches than COC takes.
      [{ script: 'disk_usage', tag: 'role=web', 'batch-size': '1' }, { 'batch-size': /at most 20/ }],
      [{ script: 'disk_usage', hosts, canary: 'maybe', user: 'two words' }, { canary: /no, yes/, user: /no spaces/ }],
    ];
    for (const [values, expected] of cases) {
      const reply = await submit(RUN_FORM_IDS.request, values);
      const label = JSON.stringify(values);
      expect(reply.form, label).toBeUndefined();
      expect(Object.keys(reply.fieldErrors ?? {}).sort(), label).toEqual(Object.keys(expected).sort());
      for (const [field, pattern] of Object.entries(expected)) expect(reply.fieldErrors?.[field], `${label} ${field}`).toMatch(pattern);
    }
    expect(writes()).toEqual([]);
  });

  it('asks the parameters from the script, then previews, and the plan runs on Run', async () => {
    const hosts = healthy(3);
    bot.sim.resetRequests();
    const step = await submit(RUN_FORM_IDS.request, { script: 'disk_usage', hosts: hosts.join(', '), 'batch-size': '2', rotation: 'continue', canary: 'no' });
    expect(step.fieldErrors).toBeUndefined();
    expect(step.form?.id).toBe(RUN_FORM_IDS.params);
    expect(step.text).toContain('disk_usage');
    const params = fieldsOf(step.form);
    expect(Object.keys(params)).toEqual(['param:mount_point', 'param:threshold_percent']);
    // Each parameter's name is its label, its description the hint, its default filled in.
    expect(params['param:mount_point']).toMatchObject({ label: 'mount_point', hint: 'Mount point to inspect', initial: '/', required: false });
    expect(params['param:threshold_percent']).toMatchObject({ label: 'threshold_percent', hint: 'Warn when usage is at or above this percentage', initial: '90', required: false });
    expect(params['param:mount_point']?.secret).toBeFalsy();
    // Form 1's values ride along, compactly (defaults left out), and come back with the submission.
    const context = step.form?.context ?? '';
    expect(JSON.parse(context)).toEqual({ script: 'disk_usage', hosts: hosts.join(', '), 'batch-size': '2' });
    expect(`${RUN_FORM_IDS.params}${context}`.length).toBeLessThanOrEqual(100);

    const tooLong = await submit(RUN_FORM_IDS.params, { 'param:mount_point': 'x'.repeat(5000) }, context);
    expect(tooLong.fieldErrors).toEqual({ 'param:mount_point': '"mount_point" may be at most 4096 characters.' });
    const broken = await submit(RUN_FORM_IDS.params, { 'param:mount_point': '/var' }, '{"script":"disk_usage","hosts":"web-01","batch-size":"99"}');
    expect(broken).toMatchObject({ title: 'This form can no longer be used', tone: 'danger' });
    expect(writes()).toEqual([]);

    // An emptied field with a default keeps the script's default.
    const preview = await submit(RUN_FORM_IDS.params, { 'param:mount_point': '/var' }, context);
    expect(preview.fieldErrors).toBeUndefined();
    expect(preview.title).toBe('Run disk_usage on 3 hosts?');
    const go = preview.buttons?.find((button) => button.actionId === 'run:go');
    expect(preview.buttons?.map((button) => button.actionId)).toEqual(['run:go', 'run:cancel']);
    expect(writes()).toEqual([]);

    const started = await bot.click('alice', 'run:go', go!.value);
    expect(started).toMatch(/Started: order /);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
    const execute = bot.sim.requests.find((request) => request.routeKey === EXECUTE)!;
    expect(execute.path).toMatch(/^\/v1\/job\/scripts\//);
  });

  it('asks the parameters for a tag too, and a missing one is refused under its own field', async () => {
    const missing = await submit(RUN_FORM_IDS.request, { script: 'rotate_db_password', tag: 'role=db', 'batch-size': '5' });
    expect(missing.form?.id).toBe(RUN_FORM_IDS.params);
    bot.sim.resetRequests();
    // The shell omits an emptied optional field; a required one left out is refused under its own field.
    const refused = await submit(RUN_FORM_IDS.params, { 'param:db_user': 'app', 'param:new_password': '' }, missing.form?.context);
    expect(refused.fieldErrors).toEqual({ 'param:new_password': 'needed: a sensitive value is always typed in, never taken from the script' });
    const omitted = await submit(RUN_FORM_IDS.params, {}, missing.form?.context);
    expect(omitted.fieldErrors).toEqual({ 'param:new_password': 'needed: a sensitive value is always typed in, never taken from the script' });
    expect(writes()).toEqual([]);
  });

  it('checks every parameter against the script before anything is sent, each problem under its field, no value echoed', async () => {
    const step = await submit(RUN_FORM_IDS.request, { script: 'deploy_hotfix', hosts: healthy(2).join(',') });
    expect(Object.keys(fieldsOf(step.form))).toEqual(['param:package_url', 'param:release', 'param:api_token']);
    bot.sim.resetRequests();
    const refused = await submit(RUN_FORM_IDS.params, { 'param:package_url': 'https://repo.example.com/../etc', 'param:release': 'hotfix;reboot' }, step.form?.context);
    expect(refused.form).toBeUndefined();
    expect(refused.fieldErrors).toEqual({
      'param:package_url': expect.stringMatching(/^"package_url" may contain only letters, digits, spaces/),
      'param:release': expect.stringMatching(/^"release" may contain only/),
      'param:api_token': expect.stringMatching(/^needed/),
    });
    expect(JSON.stringify(refused)).not.toMatch(/reboot|\/etc/);
    // A parameter the script does not have is refused too.
    const unknown = await submit(RUN_FORM_IDS.params, { 'param:api_token': SECRET, 'param:force': 'yes' }, step.form?.context);
    expect(unknown.fieldErrors).toEqual({ 'param:force': expect.stringMatching(/no parameter "force"; it takes: package_url, release, api_token/) });
    // Typed as flags, the same check names the parameter.
    expect(await bot.run('alice', `run deploy_hotfix --hosts ${healthy(1).join(',')} --param api_token=${SECRET} --param release=a;b`)).toMatch(/"release" may contain only/);
    expect(writes()).toEqual([]);
  });

  it('asks a parameter without a default as needed, and leaves a default too long for a chat input empty, used in full', async () => {
    const world = bot.sim.world;
    const model = [...world.scripts.values()].find((script) => script.name === 'disk_usage')!;
    const long = 'y'.repeat(3500);
    const params = [
      { param_name: 'target', param_value: '', param_description: 'Where to write', sensitive: false },
      { param_name: 'payload', param_value: long, param_description: 'What to write', sensitive: false },
    ];
    const script = { ...model, id: world.ids.scriptId(), scriptUuid: world.ids.scriptUuid(world.now()), name: 'write_payload', params };
    world.scripts.set(script.scriptUuid, script);
    const step = await submit(RUN_FORM_IDS.request, { script: 'write_payload', hosts: healthy(2).join(',') });
    const fields = fieldsOf(step.form);
    expect(fields['param:target']).toMatchObject({ label: 'target', required: true, hint: 'Where to write — Needed: the script has no default.' });
    expect(fields['param:target']).not.toHaveProperty('initial');
    expect(fields['param:payload']).toMatchObject({ label: 'payload', required: false, hint: expect.stringMatching(/^What to write — Left empty, the script's default is used \(3500 characters/) });
    expect(fields['param:payload']).not.toHaveProperty('initial');
    bot.sim.resetRequests();
    const refused = await submit(RUN_FORM_IDS.params, {}, step.form?.context);
    expect(refused.fieldErrors).toEqual({ 'param:target': 'needed: the script has no default for it' });
    const preview = await submit(RUN_FORM_IDS.params, { 'param:target': '/tmp/out' }, step.form?.context);
    expect(preview.title).toBe('Run write_payload on 2 hosts?');
    const plan = preview.buttons?.find((button) => button.actionId === 'run:go')?.value;
    await bot.click('alice', 'run:go', plan!);
    const execute = bot.sim.requests.find((request) => request.routeKey === EXECUTE);
    expect(JSON.stringify(execute?.body)).toContain(long);
  });

  it('goes straight to the preview for a script without parameters', async () => {
    const world = bot.sim.world;
    const model = [...world.scripts.values()].find((script) => script.name === 'disk_usage')!;
    const bare = { ...model, id: world.ids.scriptId(), scriptUuid: world.ids.scriptUuid(world.now()), name: 'uptime_report', params: [] };
    world.scripts.set(bare.scriptUuid, bare);
    bot.sim.resetRequests();
    const preview = await submit(RUN_FORM_IDS.request, { script: 'uptime_report', hosts: healthy(2).join(',') });
    expect(preview.fieldErrors).toBeUndefined();
    expect(preview.form).toBeUndefined();
    expect(preview.title).toBe('Run uptime_report on 2 hosts?');
    expect(preview.buttons?.map((button) => button.actionId)).toEqual(['run:go', 'run:cancel']);
    expect(writes()).toEqual([]);
  });

  it('never lets a sensitive value reach a reply, a form, a posted card or the audit trail', async () => {
    const hosts = healthy(2);
    bot.sim.resetRequests();
    const step = await submit(RUN_FORM_IDS.request, { script: 'rotate_db_password', hosts: hosts.join(',') });
    const fields = fieldsOf(step.form);
    expect(fields['param:new_password']).toMatchObject({ label: 'new_password', hint: 'New password', secret: true, required: true });
    expect(fields['param:new_password']).not.toHaveProperty('initial');
    expect(fields['param:db_user']).toMatchObject({ initial: 'app' });
    // The script's stored default secret is never offered either.
    expect(JSON.stringify(step)).not.toContain('ChangeMe_2024');

    const preview = await submit(RUN_FORM_IDS.params, { 'param:db_user': 'app', 'param:new_password': SECRET }, step.form?.context);
    expect(preview.title).toBe('Run rotate_db_password on 2 hosts?');
    const go = preview.buttons?.find((button) => button.actionId === 'run:go');
    const requested = await bot.click('alice', 'run:go', go!.value);
    expect(requested).toMatch(/approval/i);

    const audit = await listAuditEvents(bot.store.db, { iamUserName: 'alice' });
    expect(audit.some((row) => row.command === `form ${RUN_FORM_IDS.params}`)).toBe(true);
    const everything = JSON.stringify([step, preview, requested, audit, bot.surface.posts, bot.surface.updates]);
    expect(everything).not.toContain(SECRET);
    // HIGH risk: an approval is requested, nothing runs yet.
    expect(writes().filter((write) => write.startsWith('POST /v1/job/scripts'))).toEqual([]);
  });

  it('is asked field by field in the terminal, hosts typed as a comma list', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    const hosts = healthy(2);
    await session.handleLine('run');
    const answers = ['disk_usage', hosts.join(','), '', '1', '', '', '', '', ''];
    let out = '';
    for (const line of answers) out = await session.handleLine(line);
    expect(out).toContain('Script parameters');
    out = await session.handleLine('/data');
    out = await session.handleLine('');
    expect(out).toContain('Run disk_usage on 2 hosts?');
    expect(out).toMatch(/\[1\] Run/);
  });

  it('asks a sensitive parameter in the terminal without keeping it, and refuses it left empty', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine('run');
    const answers = ['rotate_db_password', healthy(2).join(','), '', '', '', '', '', '', ''];
    let out = '';
    for (const line of answers) out = await session.handleLine(line);
    expect(out).toContain('Script parameters');
    expect(out).toContain('Database account to rotate');
    expect(session.prompt()).toContain('db_user');
    out = await session.handleLine('');
    expect(out).toContain('New password');
    expect(out).toMatch(/Sensitive: never shown/);
    expect(session.prompt()).toContain('new_password');
    expect(session.recordable).toBe(false);
    // Required: an empty line is asked again.
    expect(await session.handleLine('')).toContain('"new_password" needs a value.');
    out = await session.handleLine(SECRET);
    expect(out).toContain('Run rotate_db_password on 2 hosts?');
    expect(out).not.toContain(SECRET);
    expect(session.recordable).toBe(true);
  });
});

describe('type-ahead for the run form', () => {
  it('offers scripts by name with their risk, those starting with the text first', async () => {
    const scripts = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'scripts', 'ro');
    expect(scripts[0]).toEqual({ label: 'rotate_db_password · High', value: 'rotate_db_password' });
    const all = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'scripts', '');
    expect(all.length).toBeGreaterThan(5);
    expect(all.length).toBeLessThanOrEqual(100);
  });

  it('offers the public scripts run takes (said so), and only custom ones where scripts show, edit or delete asks', async () => {
    const runnable = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'scripts', 'COC_Check');
    expect(runnable).toContainEqual({ label: 'COC_Check_System_Load · Low · public', value: 'COC_Check_System_Load' });
    expect(await bot.dispatcher.suggest(alice, SHELL_PLACE, 'custom-scripts', 'COC_Check')).toEqual([]);
    const custom = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'custom-scripts', 'ro');
    expect(custom[0]).toEqual({ label: 'rotate_db_password · High', value: 'rotate_db_password' });
  });

  it('offers hosts with their agent state and region, says which cannot run, and reads COC once per text for a while', async () => {
    bot.sim.resetRequests();
    const web = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', 'web');
    expect(web.length).toBeGreaterThan(10);
    expect(web.length).toBeLessThanOrEqual(100);
    expect(web.every((option) => option.value.includes('web'))).toBe(true);
    const host = bot.sim.world.hosts.find((h) => h.name === web[0]!.value)!;
    expect(web[0]!.label).toContain(host.regionId);
    const offline = bot.sim.world.hosts.find((h) => h.agentState !== 'ONLINE')!;
    const [found] = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', offline.name);
    expect(found?.value).toBe(offline.name);
    expect(found?.label).toContain('cannot run scripts now');
    const healthyHost = bot.sim.world.hosts.find(isHealthyHost)!;
    const [online] = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', healthyHost.name);
    expect(online?.label).toContain('Online');
    expect(online?.label).not.toContain('cannot run');

    const reads = bot.sim.countRequests(LIST_RESOURCES);
    await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', 'web');
    await bot.dispatcher.suggest({ ...alice, userId: 'bob' }, SHELL_PLACE, 'hosts', 'web');
    expect(bot.sim.countRequests(LIST_RESOURCES)).toBe(reads);
    expect(await bot.dispatcher.suggest({ ...alice, userId: 'nobody' }, SHELL_PLACE, 'hosts', '')).toEqual([]);
  });

  it('finds a host by part of its IP', async () => {
    const host = bot.sim.world.hosts.find(isHealthyHost)!;
    const fragment = host.fixedIp.split('.').slice(0, 3).join('.');
    const options = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', fragment);
    // Found by IP, nothing says its name is the only one: the option carries its resource id.
    expect(options.map((option) => option.value)).toContain(host.resourceId);
  });
});
