/**
 * Every write chat makes is the invoking person's in the audit trail: for each write of the fault
 * matrices (order operations, incident create and workflow actions, WarRoom create, alarm push,
 * the alarm centre's writes) and a script run (Run, and Approve by an approver), the write's
 * intent row — committed before the request is sent — names the chat user and IAM user who
 * asked, never the bot itself ('system'), and carries the invocation's name. Through the real
 * dispatcher against the simulator, as people use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { CocClient } from '../src/coc/client.js';
import { raiseManagedAlarm } from '../src/sim/routes/alarms.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/server.js';
import { listAuditEvents, type AuditEventRow } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { click, command } from './incident-helpers.js';
import { WRITE_ROUTES } from './helpers/write-routes.js';
import { freshOrderVia, incidentVia } from './helpers/behind-chat.js';

const ROUTES = WRITE_ROUTES;

interface Write {
  readonly name: string;
  readonly route: string;
  /** Who sends it (their chat user and IAM user are the same in the demo mappings). */
  readonly user: string;
  /** Sets the scene behind the bot's back and sends the write from chat; returns the last reply. */
  send(bot: TestBot, n: number): Promise<Message>;
}

let bot: TestBot;
let setup: CocClient;

const freshOrder = (b: TestBot, n: number): Promise<string> => freshOrderVia(setup, b.sim, n);
const incidentAt = (title: string, status: 'TRIGGERED' | 'ACKNOWLEDGED' | 'RESOLVED'): Promise<string> => incidentVia(setup, title, status, 'audit');

function button(message: Message, actionId: string): string {
  const found = message.buttons?.find((b) => b.actionId === actionId);
  if (!found) throw new Error(`no ${actionId} button on "${message.title}": ${message.text}`);
  return found.value;
}

function alarmFor(b: TestBot, n: number, task?: { type: 'SCRIPT'; name: string }) {
  return raiseManagedAlarm(b.sim.world, {
    name: `Audit alarm ${n}`,
    importance: 'major',
    appName: 'storefront',
    region: 'cn-north-4',
    minutesAgo: 1,
    status: 'alarming',
    ...(task ? { task } : {}),
  });
}

const WRITES: readonly Write[] = [
  ...(['pause', 'cancel', 'skip-batch', 'cancel-instance'] as const).map((operation) => ({
    name: `order ${operation}`,
    route: ROUTES.operate,
    user: 'alice',
    async send(b: TestBot, n: number) {
      const uuid = await freshOrder(b, n);
      const instance = b.sim.world.orders.get(uuid)!.batches[0]!.instances[0]!.id;
      const extra = { pause: '', cancel: ' --yes', 'skip-batch': ' --batch 2', 'cancel-instance': ` --instance ${instance}` }[operation];
      return command(b, 'alice', `order ${operation} ${uuid}${extra}`);
    },
  })),
  {
    name: 'order continue',
    route: ROUTES.operate,
    user: 'alice',
    async send(b, n) {
      const uuid = await freshOrder(b, n);
      await setup.operateScriptOrder(uuid, { operation_type: 'PAUSE_ORDER' });
      return command(b, 'alice', `order continue ${uuid}`);
    },
  },
  {
    name: 'incident create',
    route: ROUTES.create,
    user: 'alice',
    send: (b, n) => command(b, 'alice', `incident create --title "Audit create ${n}" --description d --level p3 --type function --application storefront --interrupted no`),
  },
  {
    name: 'incident accept',
    route: ROUTES.handle,
    user: 'alice',
    send: async (b, n) => command(b, 'alice', `incident accept ${await incidentAt(`Audit accept ${n}`, 'TRIGGERED')}`),
  },
  {
    name: 'incident solve',
    route: ROUTES.handle,
    user: 'alice',
    async send(b, n) {
      const num = await incidentAt(`Audit solve ${n}`, 'ACKNOWLEDGED');
      return command(b, 'alice', `incident solve ${num} --cause "disk full" --solution "rotated logs" --type function --interrupted no`);
    },
  },
  {
    name: 'incident verify',
    route: ROUTES.handle,
    user: 'bob',
    send: async (b, n) => command(b, 'bob', `incident verify ${await incidentAt(`Audit verify ${n}`, 'RESOLVED')} --comment "fine"`),
  },
  {
    name: 'incident reject',
    route: ROUTES.handle,
    user: 'bob',
    send: async (b, n) => command(b, 'bob', `incident reject ${await incidentAt(`Audit reject ${n}`, 'RESOLVED')} --comment "errors remain"`),
  },
  {
    name: 'warroom create',
    route: ROUTES.warRoom,
    user: 'alice',
    send: async (b, n) => command(b, 'alice', `warroom create ${await incidentAt(`Audit warroom ${n}`, 'TRIGGERED')}`),
  },
  {
    name: 'alarm push',
    route: ROUTES.alarm,
    user: 'alice',
    send: (b, n) => command(b, 'alice', `alarm --name "Audit push ${n}" --level major --desc "p99 high" --app storefront`),
  },
  {
    name: 'alarms incident',
    route: ROUTES.link,
    user: 'alice',
    send: (b, n) => command(b, 'alice', `alarms incident ${alarmFor(b, n).id} --level p3 --type function --interrupted no`),
  },
  {
    name: 'alarms clear',
    route: ROUTES.clear,
    user: 'alice',
    send: (b, n) => command(b, 'alice', `alarms clear ${alarmFor(b, n).id} --reason "audit"`),
  },
  {
    name: 'alarms run (the preview’s Run button)',
    route: ROUTES.autoProcess,
    user: 'alice',
    async send(b, n) {
      const preview = await command(b, 'alice', `alarms run ${alarmFor(b, n, { type: 'SCRIPT', name: 'disk_usage' }).id}`);
      return click(b, 'alice', 'alarm:run', button(preview, 'alarm:run'));
    },
  },
  {
    name: 'run (Run on the preview)',
    route: ROUTES.execute,
    user: 'alice',
    async send(b) {
      const preview = await command(b, 'alice', 'run disk_usage --hosts web-01');
      return click(b, 'alice', 'run:go', button(preview, 'run:go'));
    },
  },
];

/** The intent rows of `route` written since the trail held `before`. */
async function intentsSince(before: ReadonlySet<string>, route: string): Promise<AuditEventRow[]> {
  const rows = await listAuditEvents(bot.store.db, { limit: 1_000 });
  return rows.filter((row) => !before.has(row.id) && row.command === `coc ${route}`);
}

/** The rows in the trail now. */
async function trailNow(): Promise<ReadonlySet<string>> {
  return new Set((await listAuditEvents(bot.store.db, { limit: 1_000 })).map((row) => row.id));
}

function expectNames(rows: readonly AuditEventRow[], user: string, invocation: RegExp): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.platform, JSON.stringify(row)).toBe('shell');
    expect(row.chatUserId, JSON.stringify(row)).toBe(user);
    expect(row.iamUserName, JSON.stringify(row)).toBe(user);
    expect(String(row.maskedParameters['invocation'] ?? ''), JSON.stringify(row)).toMatch(invocation);
  }
}

beforeAll(async () => {
  bot = await makeTestBot();
  setup = new CocClient({ endpoint: bot.sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
});

afterAll(async () => {
  await setup?.close();
  await bot?.close();
});

let counter = 0;

describe('a write sent from chat', () => {
  it.each(WRITES)('$name: its intent names who asked', async (write) => {
    const since = await trailNow();
    const reply = await write.send(bot, ++counter);
    expect(reply.tone, `${reply.title}\n${reply.text}`).not.toBe('danger');
    expectNames(await intentsSince(since, write.route), write.user, /./);
  });

  it('a run approved by an approver: its start names the approver’s Approve', async () => {
    const preview = await command(bot, 'alice', 'run rotate_db_password --tag role=db --param db_user=app --param new_password=Audit_S3cret --batch-size 3');
    await click(bot, 'alice', 'run:go', button(preview, 'run:go'));
    const request = bot.surface.posts.findLast((p) => p.message.buttons?.some((b) => b.actionId === 'approval:approve'));
    expect(request).toBeDefined();
    const since = await trailNow();
    const reply = await click(bot, 'bob', 'approval:approve', button(request!.message, 'approval:approve'));
    expect(reply.tone, `${reply.title}\n${reply.text}`).toBe('success');
    expectNames(await intentsSince(since, ROUTES.execute), 'bob', /^action approval:approve$/);
  });
});
