/**
 * Stopping the Slack adapter (SIGTERM, a rolling upgrade) lets acknowledged work finish: a
 * `/coc alarm` acknowledged and in flight while `stop()` is called makes its COC write, is
 * audited and answered before `stop()` resolves. Work still running when the stop's deadline
 * passes is recorded in the audit trail as cut short, outcome unknown. The in-flight request is
 * held at a gate the test opens (or never opens): no timing is assumed.
 */
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { CUT_SHORT_ERROR, recordCutShort } from '../src/audit/cut-short.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { until } from './helpers/replica-process.js';
import { commandBody, signedPost } from './helpers/slack-requests.js';

const TEAM = 'T0STOP';
const SECRET = 'stop-test-signing-secret';
const ALARM = 'POST /v1/event/huawei/custom/{integration_key}';
const ALICE = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };

let bot: TestBot;
let fake: FakeSlack;

beforeAll(async () => {
  bot = await makeTestBot({ mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] });
  fake = await startFakeSlack({ teamId: TEAM });
});
afterAll(async () => {
  await bot?.close();
  await fake?.close();
});

/** An adapter whose dispatcher waits at a gate: `entered` resolves when a request reaches it. */
async function gatedAdapter(stopDrainMs?: number) {
  let enter!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const adapter = new SlackAdapter(
    {
      mode: 'http',
      botToken: 'xoxb-stop-test',
      signingSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      slackApiUrl: fake.apiUrl,
      botId: fake.botId,
      botUserId: fake.botUserId,
      incidentPlace: { mode: 'thread' },
      logLevel: LogLevel.ERROR,
      ...(stopDrainMs !== undefined ? { stopDrainMs } : {}),
    },
    {
      dispatcher: {
        async handle(invocation: Invocation): Promise<Message> {
          enter();
          await gate;
          return bot.dispatcher.handle(invocation);
        },
        suggest: (...args) => bot.dispatcher.suggest(...args),
      },
      identities: bot.services.identities,
      now: bot.services.now,
      log: () => {},
      recordCutShort: (invocations) => recordCutShort(bot.store.db, invocations),
    },
  );
  const { url } = await adapter.start();
  const send = async (name: string, responseId: string) => {
    const body = commandBody(ALICE, `alarm --name "${name}" --level major --desc "p99 above 2 s" --resource web-01`, { responseUrl: fake.responseUrl(responseId) });
    const response = await signedPost(url!, SECRET, body);
    expect(response.status).toBe(200);
  };
  return { adapter, entered, open, send };
}

async function auditRows(command: string) {
  return (await listAuditEvents(bot.store.db, { chatUser: { platform: 'slack', workspaceId: TEAM, chatUserId: 'U0ALICE' }, limit: 500 })).filter((row) => row.command === command);
}

describe('stopping the Slack adapter', () => {
  it('waits for an acknowledged request in flight: its COC write is made, audited and answered before stop() resolves', async () => {
    const { adapter, entered, open, send } = await gatedAdapter();
    const before = bot.sim.countRequests(ALARM);
    const auditedBefore = (await auditRows('alarm')).length;
    await send('Drained on stop', 'drained');
    await entered;
    expect(adapter.inFlight).toBe(1);

    const events: string[] = [];
    const stopped = adapter.stop().then(() => events.push('stopped'));
    // The stop has begun (the adapter takes no more requests) and is waiting; now the work may go on.
    await until(() => !adapter.connected, 'the adapter to stop taking requests');
    events.push('gate opened');
    open();
    await stopped;

    expect(events).toEqual(['gate opened', 'stopped']);
    expect(adapter.inFlight).toBe(0);
    expect(bot.sim.countRequests(ALARM) - before).toBe(1);
    const audited = await auditRows('alarm');
    expect(audited.length - auditedBefore).toBe(1);
    expect(audited[0]!.outcome).toBe('succeeded');
    expect(fake.responsesTo('drained').map((response) => JSON.stringify(response.body)).join('\n')).toContain('Drained on stop');
    expect(audited.filter((row) => row.error === CUT_SHORT_ERROR)).toEqual([]);
  });

  it('records a request still running when the deadline passes as cut short (outcome pending, unknown), and returns', async () => {
    const { adapter, entered, send } = await gatedAdapter(20);
    const before = bot.sim.countRequests(ALARM);
    await send('Cut short on stop', 'cut-short');
    await entered;
    // The gate stays shut until stop() has returned: the deadline passes with the request running.
    await adapter.stop();
    const rows = (await listAuditEvents(bot.store.db, { limit: 500 })).filter((row) => row.error === CUT_SHORT_ERROR);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'slack', workspaceId: TEAM, chatUserId: 'U0ALICE', channelId: 'C0OPS', command: 'alarm', outcome: 'pending' });
    expect(bot.sim.countRequests(ALARM) - before).toBe(0);
    // The gate is never opened: nothing of this request runs after the test.
  });
});
