/**
 * Change tickets (COC's generic ticket APIs with ticket type `change`, and the v2 change update)
 * against the simulator: every operation's request as recorded (method, path with the ticket
 * type, body, content type, AK/SK accepted) and its answer; the transcript of today's changes
 * listed and one acted on from the terminal, by command and by its card's button; the action's
 * fault matrix (told what COC did, sent once, settled by reading the ticket back); BlueKing has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGE_OPERATIONS, updateChange } from '../src/coc/api/changes.js';
import { isCocWrite } from '../src/coc/write-intent.js';
import { capabilitiesOf, makeId, need, type ChangesCapability } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { declaredBackend } from '../src/app/backends.js';
import { SIM_DEFAULT_AK, type RequestRecord } from '../src/sim/server.js';
import { changesOf } from '../src/sim/state/changes.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import type { Fault } from '../src/sim/faults.js';
import type { Message } from '../src/core/message.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';
import { simClient } from './sim-helpers.js';

const STOREFRONT = APPLICATIONS.find((application) => application.name === 'storefront')!.id;
const ACT_ROUTE = 'POST /v1/{ticket_type}/actions';

let bot: TestBot;
let changes: ChangesCapability;

beforeAll(async () => {
  bot = await makeTestBot({ config: { incidents: { alarmApplication: STOREFRONT } }, expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
  changes = need(createCocBackend(bot.coc), 'changes');
});
afterAll(async () => {
  await bot?.close();
});

const board = () => changesOf(bot.sim.world);
const byTitle = (title: string) => board().all().find((ticket) => ticket.title === title)!;

function onlyRequest(expected: { method: string; path: string; route: string; body?: unknown }): RequestRecord {
  const requests = bot.sim.requests;
  expect(requests, 'exactly one request, never retried').toHaveLength(1);
  const request = requests[0]!;
  expect({ method: request.method, path: request.path, routeKey: request.routeKey }).toEqual({ method: expected.method, path: expected.path, routeKey: `${expected.method} ${expected.route}` });
  expect(request.body).toStrictEqual(expected.body);
  expect(request.headers['content-type']).toBe(expected.body === undefined ? undefined : 'application/json;charset=UTF-8');
  expect(request.auth).toEqual({ kind: 'aksk', access: SIM_DEFAULT_AK });
  expect(request.status).toBeLessThan(400);
  return request;
}

describe('the change ticket operations on the wire', () => {
  it('POST /v1/change/list-tickets: filters by application and status, paged; a read, never an audited write', async () => {
    bot.sim.resetRequests();
    const page = await changes.list({ application: STOREFRONT, statusCodes: ['CHANGE_SCHEDULED', 'CHANGE_RUNNING'], limit: 50 });
    onlyRequest({
      method: 'POST',
      path: '/v1/change/list-tickets',
      route: CHANGE_OPERATIONS.list.route,
      body: {
        page: 1,
        per_page: 50,
        contain_total: true,
        ticket_types: ['change'],
        string_filters: [
          { operator: 'in', field: 'current_cloud_service_id', values: [STOREFRONT] },
          { operator: 'in', field: 'work_flow_status', values: ['CHANGE_SCHEDULED', 'CHANGE_RUNNING'] },
        ],
      },
    });
    const expected = board().all().filter((ticket) => ticket.application === STOREFRONT && ['CHANGE_SCHEDULED', 'CHANGE_RUNNING'].includes(ticket.status));
    expect(page.items.map((ticket) => ticket.title).sort()).toEqual(expected.map((ticket) => ticket.title).sort());
    expect(page.total).toBe(expected.length);
    expect(isCocWrite(CHANGE_OPERATIONS.list)).toBe(false);
    expect(isCocWrite(CHANGE_OPERATIONS.act)).toBe(true);
    expect(isCocWrite(CHANGE_OPERATIONS.update)).toBe(true);
  });

  it('GET /v1/change/tickets/{ticket_id}: the ticket with the actions it offers now; undefined for none', async () => {
    const running = byTitle('Upgrade checkout service to 2.14');
    bot.sim.resetRequests();
    const got = await changes.get(makeId('coc', 'ticket', running.ticketId));
    onlyRequest({ method: 'GET', path: `/v1/change/tickets/${running.ticketId}`, route: CHANGE_OPERATIONS.get.route });
    expect(got).toMatchObject({ title: running.title, statusCode: 'CHANGE_RUNNING', application: STOREFRONT, plannedStart: running.plannedStart, offers: { task: running.taskId, actions: ['finish', 'rollback'] } });
    expect(await changes.get(makeId('coc', 'ticket', 'CH0000'))).toBeUndefined();
  });

  it('POST /v1/change/actions and PUT /v2/changes/{change_id}: the ticket moves, its history records who', async () => {
    const resize = byTitle('Resize orders database');
    const task = resize.taskId;
    bot.sim.resetRequests();
    await changes.act!({ id: makeId('coc', 'ticket', resize.ticketId), task, action: 'start' });
    onlyRequest({ method: 'POST', path: '/v1/change/actions', route: CHANGE_OPERATIONS.act.route, body: { ticket_id: resize.ticketId, task_id: task, action: 'start' } });
    expect(resize.status).toBe('CHANGE_RUNNING');
    expect(resize.history.at(-1)).toMatchObject({ action: 'start', operator: 'chatops-bot', from: 'CHANGE_SCHEDULED', to: 'CHANGE_RUNNING' });

    const client = simClient(bot.sim, { retry: { retries: 0 } });
    try {
      bot.sim.resetRequests();
      await updateChange(client.http, resize.ticketId, { ticket_info: { phase: 'closed', work_flow_status: 'CHANGE_COMPLETED' }, history_info: { action: 'finish' } });
      onlyRequest({
        method: 'PUT',
        path: `/v2/changes/${resize.ticketId}`,
        route: CHANGE_OPERATIONS.update.route,
        body: { ticket_info: { phase: 'closed', work_flow_status: 'CHANGE_COMPLETED' }, history_info: { action: 'finish' } },
      });
    } finally {
      await client.close();
    }
    expect(resize).toMatchObject({ status: 'CHANGE_COMPLETED', phase: 'closed' });
  });

  it('BlueKing declares no change tickets: none of these commands exist there', () => {
    expect(capabilitiesOf(declaredBackend()).has('changes.act')).toBe(true);
    expect(capabilitiesOf(declaredBackend({ backend: 'blueking' })).has('changes')).toBe(false);
  });
});

describe('today’s change tickets listed and one acted on, from the terminal', () => {
  it('lists today’s scheduled and running changes of this application, shows one, and starts it from its card', async () => {
    const tls = byTitle('Rotate storefront TLS certificates');
    const listed = await bot.run('carol', 'changes');
    expect(listed).toContain(`Changes today in ${STOREFRONT}`);
    expect(listed).toContain(byTitle('Upgrade checkout service to 2.14').ticketId);
    expect(listed).toContain(tls.ticketId);
    // Not today's, not this application's, or already over.
    for (const title of ['Storefront CDN migration', 'Resize orders database', 'Patch storefront hosts (yesterday)']) expect(listed).not.toContain(byTitle(title).ticketId);

    const card = await command(bot, 'alice', `change show ${tls.ticketId}`);
    expect(card.title).toBe(`${tls.ticketId}: Rotate storefront TLS certificates`);
    expect(card.buttons?.map((button) => button.label)).toEqual(['start', 'cancel']);
    const start = card.buttons!.find((button) => button.label === 'start')!;
    const done = await click(bot, 'alice', start.actionId, start.value);
    expect(done.title).toBe(`Change ${tls.ticketId}: start taken, now CHANGE_RUNNING`);
    expect(tls.status).toBe('CHANGE_RUNNING');
    // The old card's button is stale now: nothing is sent twice.
    const before = bot.sim.countRequests(ACT_ROUTE);
    expect((await click(bot, 'alice', start.actionId, start.value)).title).toBe(`Change ${tls.ticketId} moved on since this card`);
    expect(bot.sim.countRequests(ACT_ROUTE)).toBe(before);

    const typed = await bot.run('alice', `change act ${tls.ticketId} start`);
    expect(typed).toContain(`Change ${tls.ticketId} does not offer "start" now`);
    expect(typed).toContain('It offers: finish, rollback.');
    expect(await bot.run('alice', `change act ${tls.ticketId} finish`)).toContain('finish taken, now CHANGE_COMPLETED');
    expect(await bot.run('carol', `change act ${tls.ticketId} finish`)).toMatch(/operator/i);
  });
});

describe('the action’s fault matrix', () => {
  const FAULTS: readonly { name: string; fault: Fault; acts: boolean; refused?: boolean }[] = [
    { name: '503 before handling', fault: { kind: 'status', status: 503 }, acts: false },
    { name: '503 after handling', fault: { kind: 'status', status: 503, afterHandling: true }, acts: true },
    { name: '400 with a COC error body', fault: { kind: 'status', status: 400, errorCode: 'GOM.00007256', errorMsg: 'Bad request' }, acts: false, refused: true },
    { name: '429', fault: { kind: 'rate-limit', retryAfterSeconds: 1 }, acts: false, refused: true },
    { name: 'hang', fault: { kind: 'hang' }, acts: false },
    { name: 'reset after handling', fault: { kind: 'reset', afterHandling: true }, acts: true },
    { name: 'malformed JSON after handling', fault: { kind: 'malformed-json', afterHandling: true }, acts: true },
    { name: 'error envelope after handling', fault: { kind: 'error-envelope', afterHandling: true }, acts: true },
  ];
  let n = 0;

  it.each(FAULTS)('$name: told what COC did, sent once', async (fault) => {
    const start = Date.now();
    const ticket = {
      ticketId: board().nextId(start),
      title: `Fault matrix change ${++n}`,
      description: 'fault matrix',
      application: STOREFRONT,
      level: 'change_level_minor',
      region: 'cn-north-4',
      creator: 'alice',
      assignee: 'bob',
      status: 'CHANGE_SCHEDULED',
      phase: 'wait_implement',
      taskId: board().nextTask(),
      plannedStart: start,
      plannedEnd: start + 3_600_000,
      createTime: start,
      updateTime: start,
      history: [],
    };
    board().add(ticket);
    const before = bot.sim.countRequests(ACT_ROUTE);
    bot.sim.faults.set(ACT_ROUTE, { ...fault.fault, times: 1 });
    let reply: Message;
    try {
      reply = await command(bot, 'alice', `change act ${ticket.ticketId} start`);
    } finally {
      bot.sim.faults.clear(ACT_ROUTE);
    }
    const text = [reply.title, reply.text].filter(Boolean).join('\n');
    expect(bot.sim.countRequests(ACT_ROUTE) - before, text).toBe(1);
    expect(ticket.status === 'CHANGE_RUNNING', text).toBe(fault.acts);
    if (fault.refused) expect(reply.title, text).toMatch(/refused/i);
    else if (fault.acts) expect(text).toMatch(/start taken[\s\S]*Confirmed by reading the ticket back/);
    else expect(reply.title, text).toBe(`Not done: start on change ${ticket.ticketId}`);
  });
});
