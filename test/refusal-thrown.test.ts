/**
 * Handlers throw `Refusal` from anywhere (a small checking helper deep in a button's value
 * parser, a form's id reader) and no longer wrap themselves to turn it into a reply: the
 * dispatcher does. Pinned here for all three ways in: a typed command, a button and a form
 * each answer a thrown refusal with the same reply, and the same audit row, as a returned one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionDefinition, FormDefinition } from '../src/core/command.js';
import { defineCommand } from '../src/core/arguments/index.js';
import { Dispatcher } from '../src/core/dispatcher.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { Refusal } from '../src/core/refusal.js';
import { Registry } from '../src/core/registry.js';
import { SHELL_PLACE } from '../src/adapters/shell/session.js';
import { SHELL_WORKSPACE } from '../src/identity/demo.js';
import { listAuditEvents, type AuditEventRow } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

/** How the probes below answer: by throwing their refusal or by returning its reply. */
let mode: 'throw' | 'return' = 'return';

function refused(what: string): Promise<Message> {
  const refusal = new Refusal(`No ${what} today`, `The ${what} was refused on purpose.`);
  if (mode === 'throw') throw refusal;
  return Promise.resolve(refusal.reply);
}

const probeCommand = defineCommand({
  family: 'orders',
  words: ['refusal-probe'],
  discord: { name: 'refusal-probe' },
  permission: 'viewer',
  mutates: false,
  summary: { 'en-US': 'Refuses', 'zh-CN': '拒绝' },
  examples: ['refusal-probe'],
  positionals: {},
  flags: {},
  async run(context) {
    context.audit.target = 'probe-target';
    return refused('command');
  },
});

const probeAction: ActionDefinition = {
  id: 'refusal-probe:click',
  family: 'orders',
  permission: 'viewer',
  mutates: false,
  async run(context, value) {
    context.audit.target = value;
    return refused('button');
  },
};

const probeForm: FormDefinition = {
  id: 'refusal-probe:form',
  family: 'orders',
  permission: 'viewer',
  mutates: false,
  async run(context, _values, formContext) {
    context.audit.target = formContext;
    return refused('form');
  },
};

let bot: TestBot;
let dispatcher: Dispatcher;
/** What the dispatcher reported as a crash: a refusal is expected, so never one. */
const unexpected: unknown[] = [];
beforeAll(async () => {
  bot = await makeTestBot();
  dispatcher = new Dispatcher(new Registry([probeCommand], [probeAction], { forms: [probeForm] }), bot.services, (error) => unexpected.push(error));
});
afterAll(() => bot.close());

const actor = { platform: 'shell' as const, workspaceId: SHELL_WORKSPACE, userId: 'carol' };

/** The row an invocation left, without what differs between any two rows (id, time). */
async function lastRowOf(command: string): Promise<Omit<AuditEventRow, 'id' | 'occurredAt'>> {
  const rows = (await listAuditEvents(bot.store.db, { limit: 50 })).filter((row) => row.command === command);
  const [latest] = rows.sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
  expect(latest, command).toBeDefined();
  const { id: _id, occurredAt: _at, ...rest } = latest!;
  return rest;
}

async function both(invocation: Invocation, command: string) {
  mode = 'return';
  const returnedReply = await dispatcher.handle(invocation);
  const returnedRow = await lastRowOf(command);
  mode = 'throw';
  const thrownReply = await dispatcher.handle(invocation);
  const thrownRow = await lastRowOf(command);
  expect(unexpected).toEqual([]);
  return { returnedReply, returnedRow, thrownReply, thrownRow };
}

describe('a thrown Refusal is answered and audited as a returned one', () => {
  it('for a command', async () => {
    const { returnedReply, returnedRow, thrownReply, thrownRow } = await both({ kind: 'command', actor, place: SHELL_PLACE, text: 'refusal-probe' }, 'refusal-probe');
    expect(returnedReply).toEqual({ title: 'No command today', text: 'The command was refused on purpose.', tone: 'danger' });
    expect(thrownReply).toEqual(returnedReply);
    expect(returnedRow).toMatchObject({ outcome: 'failed', error: 'No command today', target: 'probe-target', chatUserId: 'carol', iamUserName: 'carol' });
    expect(thrownRow).toEqual(returnedRow);
  });

  it('for a button', async () => {
    const invocation: Invocation = { kind: 'action', actor, place: SHELL_PLACE, actionId: probeAction.id, value: 'button-value' };
    const { returnedReply, returnedRow, thrownReply, thrownRow } = await both(invocation, `action ${probeAction.id}`);
    expect(returnedReply).toEqual({ title: 'No button today', text: 'The button was refused on purpose.', tone: 'danger' });
    expect(thrownReply).toEqual(returnedReply);
    expect(returnedRow).toMatchObject({ outcome: 'failed', error: 'No button today', target: 'button-value' });
    expect(thrownRow).toEqual(returnedRow);
  });

  it('for a form', async () => {
    const invocation: Invocation = { kind: 'submission', actor, place: SHELL_PLACE, formId: probeForm.id, values: { reason: 'x' }, context: 'form-context' };
    const { returnedReply, returnedRow, thrownReply, thrownRow } = await both(invocation, `form ${probeForm.id}`);
    expect(returnedReply).toEqual({ title: 'No form today', text: 'The form was refused on purpose.', tone: 'danger' });
    expect(thrownReply).toEqual(returnedReply);
    expect(returnedRow).toMatchObject({ outcome: 'failed', error: 'No form today', target: 'form-context' });
    expect(thrownRow).toEqual(returnedRow);
  });
});
