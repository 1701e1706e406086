/**
 * The fault matrix of COC writes other than script execution: order operations, incident
 * create and its workflow actions (v2 actions, taken through the task COC offers), WarRoom
 * create and alarm push, each under every way an answer can fail
 * (5xx before and after COC acted, 400 with COC's error body, 429, hang, hang-body, reset
 * before and after, malformed JSON, a 200 carrying an error envelope).
 *
 * For each case, what the user is told must match what the simulator actually did — read
 * from its world afterwards — and the write is sent exactly once: an unknown outcome is
 * reconciled by reading back, never by sending again. One simulator and one bot serve the
 * whole file; each case arms its fault for one request and clears it. Nothing sleeps: the
 * incident read-back's settle period is set to 0, and the bot's attempts end exactly when the
 * simulator holds them in a hang (never by a real timer, so a busy machine never fakes one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../src/sim/faults.js';
import type { Message } from '../src/core/message.js';
import { CREATE_READ_BACK } from '../src/incidents/create-readback.js';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/server.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { writeFaultCases, type FaultCase, type Told } from './helpers/write-faults.js';
import { command } from './incident-helpers.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { WRITE_ROUTES } from './helpers/write-routes.js';
import { freshOrderVia, incidentVia } from './helpers/behind-chat.js';

const ROUTES = WRITE_ROUTES;

const FAULTS = writeFaultCases('COC.00040001');

interface Write {
  readonly name: string;
  readonly route: string;
  /** What reading back can prove when COC did not act: that it did not (not-done), or nothing (unknown). */
  readonly whenNotActed: 'not-done' | 'unknown';
  /** What reading back can prove when COC acted. */
  readonly whenActed: 'done' | 'unknown';
  /** Prepares what the write acts on; returns the user's line and how to see whether COC acted. */
  prepare(bot: TestBot, n: number): Promise<{ user: string; line: string; acted: () => boolean; check?: (reply: Message) => Promise<void> }>;
}

let bot: TestBot;
let settleBefore = CREATE_READ_BACK.settleMs;

/**
 * What a case acts on is made behind the bot's back, by a client of its own: setting the scene is
 * not what is under test.
 */
const setupClients = new Map<string, CocClient>();
function setupClient(b: TestBot): CocClient {
  let client = setupClients.get(b.sim.url);
  if (!client) {
    client = new CocClient({ endpoint: b.sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
    setupClients.set(b.sim.url, client);
  }
  return client;
}

/** A fresh order: two batches of two hosts, nothing running yet (the simulator ticks only when told). */
const freshOrder = (b: TestBot, n: number): Promise<string> => freshOrderVia(setupClient(b), b.sim, n);

function orderStatus(b: TestBot, uuid: string): string | undefined {
  return b.sim.world.orders.get(uuid)?.status;
}

/** An incident in COC created behind chat's back, then moved to the status the write needs. */
const incidentAt = (b: TestBot, title: string, status: 'TRIGGERED' | 'ACKNOWLEDGED' | 'RESOLVED'): Promise<string> => incidentVia(setupClient(b), title, status, 'fault matrix');

const incidentStatus = (b: TestBot, num: string) => b.sim.world.incidents.get(num)?.status;

const ORDER_WRITES: readonly Write[] = [
  {
    name: 'order pause',
    route: ROUTES.operate,
    // Nothing runs yet, so a pause COC received shows at once (a running batch: see below).
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const uuid = await freshOrder(b, n);
      return { user: 'alice', line: `order pause ${uuid}`, acted: () => orderStatus(b, uuid) === 'PAUSED' };
    },
  },
  {
    name: 'order continue',
    route: ROUTES.operate,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const uuid = await freshOrder(b, n);
      await setupClient(b).operateScriptOrder(uuid, { operation_type: 'PAUSE_ORDER' });
      expect(orderStatus(b, uuid)).toBe('PAUSED');
      return { user: 'alice', line: `order continue ${uuid}`, acted: () => orderStatus(b, uuid) !== 'PAUSED' };
    },
  },
  {
    name: 'order cancel',
    route: ROUTES.operate,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const uuid = await freshOrder(b, n);
      return { user: 'alice', line: `order cancel ${uuid} --yes`, acted: () => orderStatus(b, uuid) === 'CANCELED' };
    },
  },
  {
    name: 'order skip-batch',
    route: ROUTES.operate,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const uuid = await freshOrder(b, n);
      const batch = () => b.sim.world.orders.get(uuid)!.batches[1]!.instances;
      return { user: 'alice', line: `order skip-batch ${uuid} --batch 2`, acted: () => batch().every((i) => i.status === 'CANCELED') };
    },
  },
  {
    name: 'order cancel-instance',
    route: ROUTES.operate,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const uuid = await freshOrder(b, n);
      const instance = b.sim.world.orders.get(uuid)!.batches[0]!.instances[0]!;
      return {
        user: 'alice',
        line: `order cancel-instance ${uuid} --instance ${instance.id}`,
        acted: () => b.sim.world.orders.get(uuid)!.batches[0]!.instances[0]!.status === 'CANCELED',
      };
    },
  },
];

const INCIDENT_WRITES: readonly Write[] = [
  {
    name: 'incident create',
    route: ROUTES.create,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const title = `Fault matrix create ${n}`;
      const created = () => b.sim.world.incidents.all().filter((i) => i.title === title);
      return {
        user: 'alice',
        line: `incident create --title "${title}" --description "d" --level p3 --type function --application storefront --interrupted no`,
        acted: () => created().length === 1,
        // Adopted exactly as if the answer had arrived: the number, the card, the audit target.
        async check(reply) {
          if (created().length === 0) return;
          const num = created()[0]!.incidentNum;
          expect(reply.title).toBe(`Incident ${num} created: ${title}`);
          expect(b.surface.incidentPlaces.some((p) => p.request.incidentNum === num)).toBe(true);
          const audited = await listAuditEvents(b.store.db, { limit: 50 });
          expect(audited.some((row) => row.target === num)).toBe(true);
        },
      };
    },
  },
  {
    name: 'incident accept',
    route: ROUTES.handle,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const num = await incidentAt(b, `Fault matrix accept ${n}`, 'TRIGGERED');
      return { user: 'alice', line: `incident accept ${num}`, acted: () => incidentStatus(b, num) === 'INCIDENT_STATUS_ACKNOWLEDGED' };
    },
  },
  {
    name: 'incident solve',
    route: ROUTES.handle,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const num = await incidentAt(b, `Fault matrix solve ${n}`, 'ACKNOWLEDGED');
      return {
        user: 'alice',
        line: `incident solve ${num} --cause "disk full" --solution "rotated logs" --type function --interrupted no`,
        acted: () => incidentStatus(b, num) === 'INCIDENT_STATUS_RESOLVED',
      };
    },
  },
  {
    name: 'incident verify',
    route: ROUTES.handle,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const num = await incidentAt(b, `Fault matrix verify ${n}`, 'RESOLVED');
      return { user: 'bob', line: `incident verify ${num} --comment "fine"`, acted: () => incidentStatus(b, num) === 'INCIDENT_STATUS_COMPLETED' };
    },
  },
  {
    name: 'incident reject',
    route: ROUTES.handle,
    whenNotActed: 'not-done',
    whenActed: 'done',
    async prepare(b, n) {
      const num = await incidentAt(b, `Fault matrix reject ${n}`, 'RESOLVED');
      return { user: 'bob', line: `incident reject ${num} --comment "errors remain"`, acted: () => incidentStatus(b, num) === 'INCIDENT_STATUS_REJECTED' };
    },
  },
  {
    name: 'warroom create',
    route: ROUTES.warRoom,
    // No WarRoom found proves nothing: COC may list it later.
    whenNotActed: 'unknown',
    whenActed: 'done',
    async prepare(b, n) {
      const num = await incidentAt(b, `Fault matrix warroom ${n}`, 'TRIGGERED');
      return { user: 'alice', line: `warroom create ${num}`, acted: () => Boolean(b.sim.world.incidents.get(num)?.warroomId) };
    },
  },
  {
    name: 'alarm push',
    route: ROUTES.alarm,
    // COC offers no read-back for alarms.
    whenNotActed: 'unknown',
    whenActed: 'unknown',
    async prepare(b, n) {
      const name = `Fault matrix alarm ${n}`;
      return { user: 'alice', line: `alarm --name "${name}" --level major --desc "p99 high" --app storefront`, acted: () => b.sim.world.alarms.all().some((a) => a.alarmName === name) };
    },
  },
];

/** Sorts the reply into what it told the user; a reply that fits none fails the test. */
function told(reply: Message): Told {
  const words = `${reply.title ?? ''}\n${reply.text ?? ''}`;
  if (/^Outcome unknown/.test(reply.title ?? '')) return 'unknown';
  if (/refused/i.test(reply.title ?? '')) return 'refused';
  if (/did not take effect|did not create|^Not done/.test(reply.title ?? '')) return 'not-done';
  if (reply.tone === 'success') return 'done';
  throw new Error(`a reply that says nothing clear: ${words}`);
}

function expectedOf(write: Write, fault: FaultCase): Told {
  if (fault.refused) return 'refused';
  return fault.acts ? write.whenActed : write.whenNotActed;
}

beforeAll(async () => {
  settleBefore = CREATE_READ_BACK.settleMs;
  CREATE_READ_BACK.settleMs = 0;
  bot = await makeTestBot({ expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
});

afterAll(async () => {
  CREATE_READ_BACK.settleMs = settleBefore;
  await Promise.allSettled([...setupClients.values()].map((client) => client.close()));
  await bot?.close();
});

let counter = 0;

describe.each([...ORDER_WRITES, ...INCIDENT_WRITES])('$name', (write) => {
  it.each(FAULTS)('$name: told what COC did, sent once', async (fault) => {
    const n = ++counter;
    const { user, line, acted, check } = await write.prepare(bot, n);
    const before = bot.sim.countRequests(write.route);
    bot.sim.faults.set(write.route, { ...fault.fault, times: 1 });
    let reply: Message;
    try {
      reply = await command(bot, user, line);
    } finally {
      bot.sim.faults.clear(write.route);
    }
    const text = [reply.title, reply.text, reply.footer].filter(Boolean).join('\n');
    expect(bot.sim.countRequests(write.route) - before, text).toBe(1);
    expect(acted(), text).toBe(fault.acts);
    expect(told(reply), text).toBe(expectedOf(write, fault));
    // Whatever is unknown or not done is never dressed up as "nothing was sent".
    if (!fault.refused) expect(text).not.toMatch(/Nothing was sent|nothing was sent|did not answer/);
    if (told(reply) === 'done' && !fault.refused) expect(text).toMatch(/Confirmed by/);
    await check?.(reply);
  });
});

describe('incident create whose outcome stays unknown', () => {
  it('advises a check that lists the incident COC did create', async () => {
    const title = 'Fault matrix unknown create';
    bot.sim.faults.set(ROUTES.create, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    // The list cannot be read either: nobody can say from here whether it exists.
    bot.sim.faults.set('POST /v2/incidents/list', { kind: 'status', status: 503, times: 2 });
    const reply = await command(bot, 'alice', `incident create --title "${title}" --description d --level p3 --type function --application storefront --interrupted no`);
    bot.sim.faults.clear();
    expect(reply.title).toBe('Outcome unknown: the incident may have been created');
    const check = /"(incidents [^"]+)"/.exec(reply.text ?? '')?.[1];
    expect(check).toBe('incidents --since 10m --mine');
    const num = bot.sim.world.incidents.all().find((i) => i.title === title)!.incidentNum;
    const listed = await bot.run('alice', check!);
    expect(listed).toContain(num);
  });

  it('names the candidates when several incidents with the title were created by you just now', async () => {
    const title = 'Fault matrix twice';
    await incidentAt(bot, title, 'TRIGGERED');
    bot.sim.faults.set(ROUTES.create, { kind: 'reset', afterHandling: true, times: 1 });
    const reply = await command(bot, 'alice', `incident create --title "${title}" --description d --level p3 --type function --application storefront --interrupted no`);
    expect(reply.title).toBe('Outcome unknown: the incident may have been created');
    for (const incident of bot.sim.world.incidents.all().filter((i) => i.title === title)) expect(reply.text).toContain(incident.incidentNum);
  });
});

describe('incident action whose status cannot be read back', () => {
  /** Arms `reads` the moment the action arrives, so the reads before it (tasks, timeline) still work. */
  function onAction(b: TestBot, reads: Record<string, Fault>): () => void {
    const faults = b.sim.faults;
    const take = faults.take.bind(faults);
    faults.take = (key) => {
      const fault = take(key);
      if (key === ROUTES.handle && fault) for (const [route, armed] of Object.entries(reads)) faults.set(route, armed);
      return fault;
    };
    return () => {
      faults.take = take;
      faults.clear();
    };
  }

  /** Alice accepts incident `num` with `fault` on the action and `reads` armed once it arrives; returns the reply and how many actions were sent. */
  async function acceptUnder(num: string, fault: Fault, reads: Record<string, Fault>): Promise<{ reply: Message; sent: number }> {
    bot.sim.faults.set(ROUTES.handle, fault);
    const restore = onAction(bot, reads);
    const before = bot.sim.countRequests(ROUTES.handle);
    try {
      const reply = await command(bot, 'alice', `incident accept ${num}`);
      return { reply, sent: bot.sim.countRequests(ROUTES.handle) - before };
    } finally {
      restore();
    }
  }

  it('is proved done by the timeline: one more entry of that action by that person, never sent again', async () => {
    const num = await incidentAt(bot, 'Fault matrix timeline proof', 'TRIGGERED');
    const { reply, sent } = await acceptUnder(num, { kind: 'status', status: 503, afterHandling: true, times: 1 }, {
      'GET /v1/external/incident/{incident_num}': { kind: 'status', status: 503, times: 2 },
    });
    expect(sent).toBe(1);
    expect(incidentStatus(bot, num)).toBe('INCIDENT_STATUS_ACKNOWLEDGED');
    expect(reply.tone).toBe('success');
    expect(reply.title).toBe(`Accepted: ${num}`);
    expect(reply.text).toMatch(/^Confirmed by reading the incident after COC’s answer was lost/);
    // The write's intent was recorded before it was sent (and left unknown); the timeline reads are plain reads, no intents.
    const audited = await listAuditEvents(bot.store.db, { limit: 200 });
    const intents = audited.filter((row) => row.command === `coc ${ROUTES.handle}`);
    expect(intents.length).toBeGreaterThan(0);
    expect(intents[0]!.outcome).toBe('unknown');
    const timelineReads = audited.filter((row) => row.command === 'coc POST /v2/incidents/{incident_id}/histories');
    expect(timelineReads.length).toBeGreaterThan(0);
    expect(timelineReads.every((row) => row.outcome === 'succeeded')).toBe(true);
  });

  it('stays unknown when neither the status nor the timeline can tell, with the check to run', async () => {
    const num = await incidentAt(bot, 'Fault matrix nothing readable', 'TRIGGERED');
    const { reply, sent } = await acceptUnder(num, { kind: 'reset', afterHandling: true, times: 1 }, {
      'GET /v1/external/incident/{incident_num}': { kind: 'status', status: 503, times: 2 },
      'POST /v2/incidents/{incident_id}/histories': { kind: 'status', status: 503, times: 1 },
    });
    expect(sent).toBe(1);
    expect(reply.title).toBe(`Outcome unknown: accept incident ${num}`);
    expect(reply.text).toContain(`"incident show ${num}"`);
    // It did happen: the advised check shows it.
    expect(await bot.run('alice', `incident show ${num}`)).toContain('Acknowledged');
  });
});

describe('order pause whose outcome stays unknown', () => {
  it('cannot tell while a batch runs (COC pauses after it), and advises "order show", which shows the order', async () => {
    const uuid = await freshOrder(bot, 42);
    bot.sim.tick(1); // batch 1 starts running
    expect(bot.sim.world.orders.get(uuid)!.batches[0]!.instances.some((i) => i.status === 'PROCESSING')).toBe(true);
    bot.sim.faults.set(ROUTES.operate, { kind: 'status', status: 503, afterHandling: true, times: 1 });
    const before = bot.sim.countRequests(ROUTES.operate);
    const reply = await command(bot, 'alice', `order pause ${uuid}`);
    bot.sim.faults.clear();
    expect(reply.title).toBe(`Outcome unknown: the pause of order ${uuid}`);
    expect(bot.sim.countRequests(ROUTES.operate) - before).toBe(1);
    const check = /"(order show [^"]+)"/.exec(reply.text ?? '')?.[1];
    expect(check).toBe(`order show ${uuid}`);
    expect(await bot.run('alice', check!)).toContain(`Order ${uuid}`);
    // The pause did land: the order pauses once its running batch is done.
    bot.sim.tick(1);
    expect(orderStatus(bot, uuid)).toBe('PAUSED');
  });
});

describe('WarRoom create whose outcome stays unknown', () => {
  it('advises "warroom show <incident>", which shows the WarRoom COC did start', async () => {
    const num = await incidentAt(bot, 'Fault matrix unknown warroom', 'TRIGGERED');
    bot.sim.faults.set(ROUTES.warRoom, { kind: 'status', status: 502, afterHandling: true, times: 1 });
    // Neither the incident nor the WarRoom list can be read back just then: armed the moment
    // the create arrives, so the reads before it (the incident must be open) still work.
    const faults = bot.sim.faults;
    const take = faults.take.bind(faults);
    faults.take = (key) => {
      const fault = take(key);
      if (key === ROUTES.warRoom && fault) {
        faults.set('GET /v1/external/incident/{incident_num}', { kind: 'status', status: 503, times: 2 });
        faults.set('POST /v1/external/warrooms/list', { kind: 'status', status: 503, times: 1 });
      }
      return fault;
    };
    const before = bot.sim.countRequests(ROUTES.warRoom);
    let reply: Message;
    try {
      reply = await command(bot, 'alice', `warroom create ${num}`);
    } finally {
      faults.take = take;
      faults.clear();
    }
    expect(reply.title).toBe(`Outcome unknown: start a WarRoom for incident ${num}`);
    expect(bot.sim.countRequests(ROUTES.warRoom) - before).toBe(1);
    const check = /"(warroom show [^"]+)"/.exec(reply.text ?? '')?.[1];
    expect(check).toBe(`warroom show ${num}`);
    const room = bot.sim.world.incidents.get(num)!.warroomId!;
    expect(await bot.run('alice', check!)).toContain(room);
  });
});

describe('zh-CN', () => {
  it('tells a change confirmed by reading back, and an unknown one, in Chinese', async () => {
    const zh = await makeTestBot({ simulator: bot.sim, locale: 'zh-CN', expireOnlyHangs: true, cocClient: { retry: { retries: 0 } } });
    try {
      const uuid = await freshOrder(zh, 7);
      zh.sim.faults.set(ROUTES.operate, { kind: 'status', status: 503, afterHandling: true, times: 1 });
      const done = await command(zh, 'alice', `order cancel ${uuid} --yes`);
      expect(orderStatus(zh, uuid)).toBe('CANCELED');
      expect(done.title).toBe(`工单 ${uuid} 已取消`);
      expect(done.text).toContain('COC 的响应丢失（COC 返回 HTTP 503');
      zh.sim.faults.set(ROUTES.alarm, { kind: 'malformed-json', afterHandling: true, times: 1 });
      const alarm = await command(zh, 'alice', 'alarm --name "zh alarm" --level minor --desc d --app storefront');
      expect(alarm.title).toBe('结果未知：告警可能已在 COC 中发出：zh alarm');
      expect(alarm.text).toContain('COC 的响应无法解析');
    } finally {
      zh.sim.faults.clear();
      await zh.close();
    }
  });
});
