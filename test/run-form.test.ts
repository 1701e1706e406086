/**
 * `run` as a form, on every platform the same: `run` alone opens it; the script and hosts are
 * searched as you type; a submission is checked field by field (what is wrong comes back under
 * its field, nothing is planned, no secret is echoed), and a good one gives the same preview as
 * the flags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { RUN_FORM_ID } from '../commands/run-form.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { isHealthyHost } from './sim-helpers.js';

const SECRET = 'Form_S3cret_Value';
const alice = { platform: 'shell' as const, workspaceId: 'local', userId: 'alice' };

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot();
});
afterAll(async () => {
  await bot.close();
});

function submit(values: Record<string, string>): Promise<Message> {
  const invocation: Invocation = { kind: 'submission', actor: alice, place: SHELL_PLACE, formId: RUN_FORM_ID, values };
  return bot.handle(invocation);
}

describe('the run form', () => {
  it('opens when nothing follows run, with the script and hosts searched as you type', async () => {
    const reply = await bot.handle({ kind: 'command', actor: alice, place: SHELL_PLACE, text: 'run' });
    expect(reply.private).toBe(true);
    expect(reply.form?.id).toBe(RUN_FORM_ID);
    const fields = Object.fromEntries((reply.form?.fields ?? []).map((field) => [field.id, field]));
    expect(fields['script']).toMatchObject({ kind: 'select', required: true, searchId: 'scripts' });
    expect(fields['hosts']).toMatchObject({ kind: 'multiselect', required: true, searchId: 'hosts' });
    expect(fields['params']).toMatchObject({ secret: true });
    expect(fields['params']).not.toHaveProperty('initial');
  });

  it('offers scripts by name (those starting with the text first) and hosts with their agent state', async () => {
    const scripts = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'scripts', 'ro');
    expect(scripts[0]).toEqual({ label: 'rotate_db_password · High', value: 'rotate_db_password' });
    const all = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'scripts', '');
    expect(all.length).toBeGreaterThan(5);
    const healthy = bot.sim.world.hosts.find(isHealthyHost)!;
    const hosts = await bot.dispatcher.suggest(alice, SHELL_PLACE, 'hosts', healthy.name);
    expect(hosts[0]?.value).toBe(healthy.name);
    expect(hosts[0]?.label).toContain('Online');
    expect(await bot.dispatcher.suggest({ ...alice, userId: 'nobody' }, SHELL_PLACE, 'hosts', '')).toEqual([]);
  });

  it('shows each problem under its field and plans nothing', async () => {
    const hosts = bot.sim.world.hosts.filter(isHealthyHost).slice(0, 3).map((host) => host.name);
    bot.sim.resetRequests();
    const bad = await submit({ script: 'rotate_db_password', hosts: hosts.join(','), 'batch-size': '50', timeout: '2', params: `db_user=app\nnew_password ${SECRET}` });
    expect(bad.fieldErrors).toEqual({ 'batch-size': 'a whole number from 1 to 10', timeout: 'a whole number from 5 to 1800', params: 'line 2 is not name=value' });
    expect(JSON.stringify(bad)).not.toContain(SECRET);

    const unknownScript = await submit({ script: 'no_such_script', hosts: hosts.join(',') });
    expect(Object.keys(unknownScript.fieldErrors ?? {})).toEqual(['script']);
    const unknownHost = await submit({ script: 'disk_usage', hosts: 'nosuchhost' });
    expect(unknownHost.fieldErrors?.['hosts']).toMatch(/no host called "nosuchhost"/);
    const missingSecret = await submit({ script: 'rotate_db_password', hosts: hosts.join(','), params: 'db_user=app' });
    expect(missingSecret.fieldErrors?.['params']).toMatch(/"new_password" is sensitive/);
    expect(bot.sim.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('previews a good submission like the flags do, with the secret hidden', async () => {
    const hosts = bot.sim.world.hosts.filter(isHealthyHost).slice(0, 3).map((host) => host.name);
    const preview = await submit({ script: 'rotate_db_password', hosts: hosts.join(','), 'batch-size': '2', rotation: 'pause', params: `db_user=app\nnew_password=${SECRET}`, canary: 'no', user: 'root' });
    expect(preview.fieldErrors).toBeUndefined();
    expect(preview.title).toBe('Run rotate_db_password on 3 hosts?');
    expect(preview.buttons?.map((button) => button.actionId)).toEqual(['run:go', 'run:cancel']);
    expect(JSON.stringify(preview)).not.toContain(SECRET);
  });
});
