/**
 * `orders`, `order show` and the order operations, driven through the real Dispatcher against
 * a fresh simulator (manual ticks) and an in-memory store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../src/core/message.js';
import { MASK } from '../src/orders/redact-log.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/server.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const OPERATE = 'PUT /v1/job/script/orders/{execute_uuid}/operation';
const SECRET = 'Rotated_S3cret_Value';
const TOKEN = 'repoToken_9f8e7d6c';

type Hosts = { resourceId: string; regionId: string; name: string }[];

function hosts(bot: TestBot): { healthy: Hosts; flaky: Hosts[number] } {
  const healthy = bot.sim.world.hosts.filter(isHealthyHost);
  const flaky = bot.sim.world.hosts.find((host) => host.name === 'batch-05');
  if (!flaky) throw new Error('batch-05 is missing from the simulated fleet');
  return { healthy, flaky };
}

/** rotate_db_password (HIGH, `new_password` sensitive) on 3 batches; batch 1 has a failing host and PAUSE rotation. */
async function pausedOrder(bot: TestBot): Promise<string> {
  const { healthy, flaky } = hosts(bot);
  const uuid = await bot.coc.executeScript(
    scriptUuid(bot.sim, 'rotate_db_password'),
    executeBody(
      [
        { hosts: [healthy[0]!, flaky, healthy[1]!], rotation: 'PAUSE' },
        { hosts: [healthy[2]!, healthy[3]!], rotation: 'CONTINUE' },
        { hosts: [healthy[4]!] },
      ],
      { successRate: 50, params: [{ param_name: 'db_user', param_value: 'app' }, { param_name: 'new_password', param_value: SECRET }] },
    ),
  );
  bot.sim.tick(2); // batch 1 starts, then finishes: PAUSE rotation → PAUSED before batch 2
  expect(bot.sim.world.orders.get(uuid)?.status).toBe('PAUSED');
  return uuid;
}

async function finishedOrder(bot: TestBot): Promise<string> {
  const { healthy } = hosts(bot);
  const uuid = await bot.coc.executeScript(scriptUuid(bot.sim, 'disk_usage'), executeBody([{ hosts: [healthy[5]!] }]));
  expect(bot.sim.settle(uuid)).toBe('FINISHED');
  return uuid;
}

function actor(user: string) {
  return { platform: 'shell' as const, workspaceId: 'local', userId: user };
}

async function show(bot: TestBot, user: string, line: string): Promise<Message> {
  return bot.handle({ kind: 'command', actor: actor(user), place: { channelId: 'terminal', isDirect: false }, text: line });
}

describe('order show', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('shows a paused PAUSE-rotation order: status, batch n of m, rotation, counts, progress, hosts, failing output, buttons', async () => {
    const uuid = await pausedOrder(bot);
    const message = await show(bot, 'carol', `order show ${uuid}`);
    expect(message.title).toBe(`Order ${uuid}`);
    expect(message.progress).toEqual({ done: 3, total: 6, label: '3 of 6 hosts done' });
    const fields = Object.fromEntries((message.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields['Status']).toBe('Paused (PAUSED)');
    expect(fields['Batch']).toBe('2 of 3');
    expect(fields['After each batch']).toBe('batch 1: Pause after this batch · batch 2–3: Go on to the next batch');
    expect(fields['Hosts']).toBe('Succeeded 2 · Failed 1 · Waiting 3');
    expect(fields['Parameters']).toBe(`db_user=app, new_password=${MASK}`);
    // The table lists the current batch (2): two waiting hosts.
    expect(message.table?.rows.map((row) => row[2])).toEqual(['Waiting', 'Waiting']);
    // The failing host of batch 1 shows its output tail.
    expect(message.sections?.[0]?.title).toMatch(/^batch-05 \(.+\) · Failed · batch 1 · last \d+ of \d+ lines$/);
    expect(message.sections?.[0]?.text).toContain('exited with code');

    const buttons = message.buttons ?? [];
    expect(buttons.map((b) => b.actionId)).toEqual(['order:continue', 'order:skip-batch', 'order:cancel', 'order:refresh']);
    expect(buttons.find((b) => b.actionId === 'order:skip-batch')?.value).toBe(`${uuid}:2`);
    const cancel = buttons.find((b) => b.actionId === 'order:cancel');
    expect(cancel?.style).toBe('danger');
    expect(cancel?.confirm?.confirmLabel).toBe('Cancel the order');

    const text = await bot.run('carol', `order show ${uuid}`);
    expect(text).toContain('Paused before batch 2 of 3.');
    expect(text).toContain('[██████████░░░░░░░░░░] 3 of 6 hosts done');
    expect(text).toContain('Hosts of batch 2 of 3.');
  });

  it('lists another batch with --batch and one host with --log; refuses a batch or host the order lacks', async () => {
    const uuid = await pausedOrder(bot);
    const batch1 = await show(bot, 'carol', `order show ${uuid} --batch 1`);
    expect(batch1.table?.rows.map((row) => row[2]).sort()).toEqual(['Failed', 'Succeeded', 'Succeeded']);
    const log = await bot.run('carol', `order show ${uuid} --log batch-05 --lines 3`);
    expect(log).toMatch(/Output of batch-05 \(.+\) · Failed · batch 1 · last 3 of \d+ lines/);
    expect(await bot.run('carol', `order show ${uuid} --batch 4`)).toContain(`Order ${uuid} has no batch 4`);
    expect(await bot.run('carol', `order show ${uuid} --log nosuchhost`)).toContain(`No host "nosuchhost" in order ${uuid}`);
    expect(await bot.run('carol', `order show ${uuid} --lines 0`)).toContain('--lines must be a whole number from 1 to 200, got "0".');
  });

  it('refuses an id that is not an order id, and says when COC does not know the order', async () => {
    expect(await bot.run('carol', 'order show ../../x')).toContain('"../../x" is not an order id (execute uuid)');
    expect(await bot.run('carol', 'order show SCT000000')).toContain('No order SCT000000 in COC');
    expect(await bot.run('carol', 'order show')).toContain('Which order id (execute uuid)? Usage: order show <execute-uuid>');
  });

  it('answers in Chinese for a zh-CN reader', async () => {
    await bot.close();
    bot = await makeTestBot({ locale: 'zh-CN' });
    const uuid = await pausedOrder(bot);
    const text = await bot.run('carol', `order show ${uuid}`);
    expect(text).toContain(`工单 ${uuid}`);
    expect(text).toContain('已暂停 (PAUSED)');
    expect(text).toContain('第 2 批，共 3 批');
    expect(text).toContain('已完成 3/6 台主机');
    const message = await show(bot, 'carol', `order show ${uuid}`);
    expect(message.buttons?.map((b) => b.label)).toEqual(['继续', '跳过第 2 批', '取消工单', '刷新']);
  });
});

describe('sensitive values never reach a reply', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('hides the sensitive parameter of a HIGH script in every reply about its order', async () => {
    const uuid = await pausedOrder(bot);
    // Not vacuous: COC's own log of the failing host carries the value in clear text.
    const raw = await bot.coc.getScriptOrderBatch(uuid, 1, { limit: 50 });
    expect(raw.execute_instances.some((i) => (i.message ?? '').includes(SECRET))).toBe(true);

    const replies: string[] = [];
    const messages: Message[] = [];
    const lines = [
      `order show ${uuid}`,
      `order show ${uuid} --batch 1`,
      `order show ${uuid} --log batch-05 --lines 200`,
      ...raw.execute_instances.map((i) => `order show ${uuid} --log ${i.id} --lines 200`),
      'orders',
      `order cancel ${uuid}`,
    ];
    for (const line of lines) {
      replies.push(await bot.run('alice', line));
      messages.push(await show(bot, 'alice', line));
    }
    replies.push(await bot.click('alice', 'order:refresh', uuid));
    replies.push(await bot.click('alice', 'order:skip-batch', `${uuid}:2`));
    replies.push(await bot.click('alice', 'order:continue', uuid));
    bot.sim.tick(4);
    replies.push(await bot.run('alice', `order show ${uuid} --batch 2`));

    for (const reply of [...replies, ...messages.map((m) => JSON.stringify(m))]) expect(reply).not.toContain(SECRET);
    expect(replies.join('\n')).toContain(`new_password=${MASK}`);
    expect(replies.join('\n')).toContain(`IDENTIFIED BY '${MASK}'`);

    // Nor does the audit trail hold it.
    const rows = await listAuditEvents(bot.store.db, { limit: 500 });
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  it('hides a token in a Python script\'s Authorization header', async () => {
    const { flaky } = hosts(bot);
    const uuid = await bot.coc.executeScript(
      scriptUuid(bot.sim, 'deploy_hotfix'),
      executeBody([{ hosts: [flaky] }], { params: [{ param_name: 'api_token', param_value: TOKEN }, { param_name: 'release', param_value: 'hotfix-7' }] }),
    );
    bot.sim.settle(uuid);
    const text = await bot.run('alice', `order show ${uuid}`);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('release=hotfix-7');
    expect(text).toContain(`'Authorization': 'Bearer ${MASK}'`);
  });

  it('hides every parameter value when the script definition cannot be read', async () => {
    const uuid = await pausedOrder(bot);
    await bot.coc.deleteScript(scriptUuid(bot.sim, 'rotate_db_password'));
    const text = await bot.run('alice', `order show ${uuid}`);
    expect(text).not.toContain(SECRET);
    expect(text).toContain(`db_user=${MASK}, new_password=${MASK}`);
    expect(text).toContain('The script definition could not be read, so every parameter value is hidden.');
  });
});

describe('order cancel and the other operations', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('refuses a viewer with a clear reason, sends nothing, and records the refusal as denied', async () => {
    const uuid = await pausedOrder(bot);
    const reply = await bot.run('carol', `order cancel ${uuid} --yes`);
    expect(reply).toContain('You may not use "order cancel" here');
    expect(reply).toContain('This needs the operator role or higher; you are viewer.');
    const click = await bot.click('carol', 'order:cancel', uuid);
    expect(click).toContain('You may not do that here');
    expect(bot.sim.countRequests(OPERATE)).toBe(0);
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('PAUSED');

    const rows = await listAuditEvents(bot.store.db, { chatUser: { platform: 'shell', workspaceId: 'local', chatUserId: 'carol' } });
    const command = rows.find((row) => row.command === 'order cancel');
    expect(command?.outcome).toBe('denied');
    expect(command?.iamUserName).toBe('carol');
    expect(command?.error).toContain('needs the operator role');
    expect(rows.find((row) => row.command === 'action order:cancel')?.outcome).toBe('denied');
  });

  it('asks first: the command sends nothing, the click cancels once, a second click sends nothing more', async () => {
    const uuid = await pausedOrder(bot);
    const asked = await show(bot, 'alice', `order cancel ${uuid}`);
    expect(asked.title).toBe(`Cancel order ${uuid}?`);
    expect(asked.text).toContain('Nothing has been sent to COC yet.');
    expect(asked.text).toContain('3 hosts that have not finished would be canceled');
    expect(asked.buttons).toHaveLength(1);
    expect(asked.buttons?.[0]).toMatchObject({ actionId: 'order:cancel', value: uuid, style: 'danger' });
    expect(asked.buttons?.[0]?.confirm?.title).toBe('Cancel this order?');
    expect(bot.sim.countRequests(OPERATE)).toBe(0);
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('PAUSED');

    const first = await bot.click('alice', 'order:cancel', uuid);
    expect(first).toContain(`Order ${uuid} canceled`);
    expect(first).toContain('Status now: Canceled (CANCELED).');
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
    expect(bot.sim.world.orders.get(uuid)?.status).toBe('CANCELED');

    const second = await bot.click('bob', 'order:cancel', uuid);
    expect(second).toContain(`Order ${uuid} is already canceled`);
    expect(second).toContain('Nothing was sent to COC.');
    expect(bot.sim.countRequests(OPERATE)).toBe(1);

    const rows = await listAuditEvents(bot.store.db, { limit: 200 });
    const clicks = rows.filter((row) => row.command === 'action order:cancel');
    expect(clicks.map((row) => [row.chatUserId, row.target, row.outcome])).toEqual([
      ['bob', uuid, 'succeeded'],
      ['alice', uuid, 'succeeded'],
    ]);
    expect(rows.find((row) => row.command === 'order cancel')?.target).toBe(uuid);
  });

  it('sends one request for a double click that arrives at once', async () => {
    const uuid = await pausedOrder(bot);
    const replies = await Promise.all([bot.click('alice', 'order:cancel', uuid), bot.click('alice', 'order:cancel', uuid)]);
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
    expect(replies.filter((r) => r.startsWith(`Order ${uuid} canceled`))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('already canceled'))).toHaveLength(1);
  });

  it('cancels at once with --yes', async () => {
    const uuid = await pausedOrder(bot);
    expect(await bot.run('alice', `order cancel ${uuid} --yes`)).toContain(`Order ${uuid} canceled`);
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
  });

  it('refuses operations that do not fit the order status, sending nothing', async () => {
    const done = await finishedOrder(bot);
    expect(await bot.run('alice', `order cancel ${done}`)).toContain(`Order ${done} is Finished (FINISHED); nothing to cancel`);
    expect(await bot.run('alice', `order cancel ${done} --yes`)).toContain('nothing to cancel');
    expect(await bot.run('alice', `order pause ${done}`)).toContain(`Order ${done} is Finished (FINISHED); nothing to pause`);
    expect(await bot.click('alice', 'order:continue', done)).toContain('nothing to continue');
    expect(await bot.run('alice', `order skip-batch ${done}`)).toContain('nothing to skip');
    expect(await bot.click('alice', 'order:skip-batch', `${done}:1`)).toContain('nothing to skip');

    const paused = await pausedOrder(bot);
    expect(await bot.run('alice', `order pause ${paused}`)).toContain(`Order ${paused} is already paused`);
    expect(bot.sim.countRequests(OPERATE)).toBe(0);
    expect(await bot.run('alice', `order skip-batch ${paused} --batch 9`)).toContain(`Order ${paused} has no batch 9`);
    expect(await bot.run('alice', `order skip-batch ${paused} --batch 1`)).toContain(`Batch 1 of order ${paused} has no hosts left to skip`);
    expect(await bot.run('alice', `order cancel-instance ${paused} --instance batch-05`)).toContain('is Failed; nothing to cancel');
    expect(bot.sim.countRequests(OPERATE)).toBe(0);
  });

  it('says what Continue will run once the batch it is paused at was skipped', async () => {
    const uuid = await pausedOrder(bot);
    expect(await bot.run('alice', `order ${uuid}`)).toContain('Paused before batch 2 of 3.');
    expect(await bot.run('alice', `order skip-batch ${uuid} --batch 2`)).toContain(`Batch 2 of order ${uuid} skipped`);
    const card = await bot.run('alice', `order ${uuid}`);
    expect(card).toContain('Paused: batch 2 of 3 has nothing left to run (done or skipped). Continue to run batch 3');
    expect(card).not.toContain('Paused before batch 2');
  });

  it('continues, pauses, skips a batch and cancels one host, each re-read and reported', async () => {
    const uuid = await pausedOrder(bot);
    expect(await bot.run('alice', `order skip-batch ${uuid} --batch 3`)).toContain(`Batch 3 of order ${uuid} skipped`);
    expect(await bot.click('alice', 'order:skip-batch', `${uuid}:3`)).toContain(`Batch 3 of order ${uuid} is already skipped`);
    expect(await bot.run('alice', `order cancel-instance ${uuid} --instance ${bot.sim.world.orders.get(uuid)!.batches[1]!.instances[0]!.id}`)).toMatch(/Host .+ of order .+ canceled/);
    const continued = await show(bot, 'alice', `order continue ${uuid}`);
    expect(continued.title).toBe(`Order ${uuid} continues`);
    expect(continued.text).toBe('Status now: Running (PROCESSING).');
    expect(continued.buttons?.map((b) => b.actionId)).toEqual(['order:pause', 'order:skip-batch', 'order:cancel', 'order:refresh']);
    expect(await bot.run('alice', `order continue ${uuid}`)).toContain('not paused; nothing to continue');
    bot.sim.tick(1); // batch 2 starts
    expect(await bot.run('alice', `order pause ${uuid}`)).toContain('COC pauses it when the batch that is running now finishes.');
    expect(bot.sim.countRequests(OPERATE)).toBe(4);
  });

  it('explains a refusal by COC and does not retry it', async () => {
    const uuid = await pausedOrder(bot);
    bot.sim.faults.set(OPERATE, { kind: 'status', status: 400, errorCode: 'COC.00040604', errorMsg: 'The operation is not allowed now.', times: 1 });
    const reply = await bot.click('alice', 'order:continue', uuid);
    expect(reply).toContain(`COC refused to continue order ${uuid}`);
    expect(reply).toContain('HTTP 400 COC.00040604: The operation is not allowed now.. The order is now Paused (PAUSED). Nothing was retried.');
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
  });

  it('reads the order back when the answer is lost, and says it took effect, without retrying', async () => {
    const uuid = await pausedOrder(bot);
    bot.sim.faults.set(OPERATE, { kind: 'reset', afterHandling: true, times: 1 });
    const reply = await bot.click('alice', 'order:cancel', uuid);
    expect(reply).toContain(`Order ${uuid} canceled`);
    expect(reply).toContain('Confirmed by reading the order after COC’s answer was lost (the connection failed before an answer arrived); it was not sent again.');
    expect(reply).toContain('Status now: Canceled (CANCELED).');
    expect(bot.sim.countRequests(OPERATE)).toBe(1);
  });

  it('refuses a forged or malformed button value without calling COC', async () => {
    for (const value of ['', 'a/b', 'SCT1:2', `SCT1:`, 'SCT1:2:3']) {
      expect(await bot.click('alice', 'order:cancel', value)).toContain('This button is not valid');
    }
    for (const value of ['SCT1', 'SCT1:0', 'SCT1:21', 'SCT1:x']) {
      expect(await bot.click('alice', 'order:skip-batch', value)).toContain('This button is not valid');
    }
    expect(bot.sim.countRequests(OPERATE)).toBe(0);
    expect(bot.sim.countRequests('GET /v1/job/script/orders/{execute_uuid}')).toBe(0);
  });

  it('answers refusals in Chinese for a zh-CN reader', async () => {
    await bot.close();
    bot = await makeTestBot({ locale: 'zh-CN' });
    const done = await finishedOrder(bot);
    expect(await bot.run('alice', `order cancel ${done}`)).toContain(`工单 ${done} 为成功 (FINISHED)状态，无可取消`);
    const paused = await pausedOrder(bot);
    expect(await bot.run('alice', `order cancel ${paused}`)).toContain('尚未向 COC 发送任何操作。');
    expect(await bot.click('alice', 'order:cancel', paused)).toContain(`工单 ${paused} 已取消`);
    expect(await bot.click('alice', 'order:cancel', paused)).toContain('未向 COC 发送任何操作。');
  });
});

describe('orders', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await makeTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it('lists newest first with human statuses and pages with --after', async () => {
    const first = await finishedOrder(bot);
    const second = await pausedOrder(bot);
    const third = await finishedOrder(bot);
    const page1 = await show(bot, 'carol', 'orders --limit 2');
    expect(page1.title).toBe('Execution orders (2 of 3)');
    expect(page1.table?.rows.map((row) => [row[0], row[2]])).toEqual([
      [third, 'Finished'],
      [second, 'Paused'],
    ]);
    const next = /orders --after (\d+)/.exec(page1.footer ?? '');
    expect(next).not.toBeNull();
    const page2 = await show(bot, 'carol', `orders --limit 2 --after ${next![1]}`);
    expect(page2.table?.rows.map((row) => row[0])).toEqual([first]);
  });

  it('filters by status and age, and refuses what it cannot read', async () => {
    await finishedOrder(bot);
    const paused = await pausedOrder(bot);
    const byStatus = await show(bot, 'carol', 'orders --status PAUSED');
    expect(byStatus.table?.rows.map((row) => row[0])).toEqual([paused]);
    expect(byStatus.footer).toContain('Filters: status Paused.');
    expect((await show(bot, 'carol', 'orders --since 2030-01-01')).title).toContain('in the future');
    expect((await show(bot, 'carol', `orders --since ${new Date(bot.sim.now() - 3_600_000).toISOString().slice(0, 16)}Z`)).table?.rows).toHaveLength(2);
    expect(await bot.run('carol', 'orders --status sleeping')).toContain('Allowed: ready, processing, abnormal, paused, canceled, finished.');
    expect(await bot.run('carol', 'orders --since yesterday')).toContain('Give a duration back from now (30m, 2h, 1d, 2w)');
    expect(await bot.run('carol', 'orders --limit 500')).toContain('--limit must be a whole number from 1 to 100, got "500".');
    expect(await bot.run('carol', 'orders paused')).toContain('orders takes no plain words, got "paused"');
  });

  it('--mine lists the runs the bot made for me when I act with its shared identity (COC names the bot as creator)', async () => {
    await pausedOrder(bot); // started outside chat, by the bot's service identity: not alice's
    const none = await show(bot, 'alice', 'orders --mine');
    expect(none.title).toBe('Orders you started from chat (0)');
    expect(none.footer).toContain('COC names the bot as their creator');
    const preview = await show(bot, 'alice', 'run disk_usage --hosts web-01');
    const plan = preview.buttons?.find((b) => b.actionId === 'run:go')?.value;
    const started = await bot.handle({ kind: 'action', actor: { platform: 'shell', workspaceId: 'local', userId: 'alice' }, place: { channelId: 'terminal', isDirect: false }, actionId: 'run:go', value: plan! });
    const uuid = /order (SCT\w+)/.exec(started.title ?? '')![1]!;
    const mine = await show(bot, 'alice', 'orders --mine');
    expect(mine.title).toBe('Orders you started from chat (1)');
    expect(mine.table?.rows[0]?.[0]).toBe(uuid);
    expect((await show(bot, 'carol', 'orders --mine')).title).toBe('Orders you started from chat (0)');
  });

  it('--mine asks COC for orders created by my IAM user when I act with my own credential', async () => {
    await bot.close();
    bot = await makeTestBot({
      mappings: [{ platform: 'shell', workspace: 'local', user: 'ops', iamUser: 'chatops-bot', role: 'operator', credentialRef: 'ops' }],
      env: { COC_CREDENTIAL_OPS_AK: SIM_DEFAULT_AK, COC_CREDENTIAL_OPS_SK: SIM_DEFAULT_SK },
    });
    await pausedOrder(bot);
    const mine = await show(bot, 'ops', 'orders --mine');
    expect(mine.table?.rows).toHaveLength(1);
    expect(mine.footer).toContain('Filters: started by chatops-bot.');
  });
});
