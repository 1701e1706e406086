/**
 * Stopping a chat adapter (SIGTERM, a rolling upgrade) lets acknowledged work finish, on Slack
 * as on Discord: a `/coc alarm` acknowledged and in flight while the stop is called makes its
 * COC write, is audited and answered before the stop resolves. Work still running when the
 * stop's deadline passes is recorded in the audit trail as cut short, outcome unknown. The
 * in-flight request is held at a gate the test opens (or never opens): no timing is assumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordAdapter } from '../src/adapters/discord/adapter.js';
import { SlackAdapter } from '../src/adapters/slack/app.js';
import { CUT_SHORT_ERROR, recordCutShort } from '../src/audit/cut-short.js';
import { Secret, type Config } from '../src/config.js';
import type { Dispatcher } from '../src/core/dispatcher.js';
import type { Invocation } from '../src/core/invocation.js';
import type { Message } from '../src/core/message.js';
import { listAuditEvents } from '../src/store/audit-events.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { ALICE as DISCORD_ALICE, APP, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from './helpers/discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { until } from './helpers/replica-process.js';
import { slackHttpSettings } from './helpers/slack-bot.js';
import { commandBody, signedPost } from './helpers/slack-requests.js';

const TEAM = 'T0STOP';
const SECRET = 'stop-test-signing-secret';
const ALARM = 'POST /v1/event/huawei/custom/{integration_key}';
const ALICE = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };

let bot: TestBot;
let fake: FakeSlack;
let fakeDiscord: FakeDiscord;

beforeAll(async () => {
  bot = await makeTestBot({ mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }, ...DISCORD_MAPPINGS] });
  fake = await startFakeSlack({ teamId: TEAM });
  fakeDiscord = await startFakeDiscord();
});
afterAll(async () => {
  await bot?.close();
  await fake?.close();
  await fakeDiscord?.close();
});

/** A dispatcher that waits at a gate: `entered` resolves when a request reaches it, `open` lets it go on. */
function gatedDispatcher(): { dispatcher: Pick<Dispatcher, 'handle' | 'suggest' | 'maskLine' | 'registry'>; entered: Promise<void>; open: () => void } {
  let enter!: () => void;
  const entered = new Promise<void>((resolve) => (enter = resolve));
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    entered,
    open,
    dispatcher: {
      async handle(invocation: Invocation): Promise<Message> {
        enter();
        await gate;
        return bot.dispatcher.handle(invocation);
      },
      suggest: (...args) => bot.dispatcher.suggest(...args),
      maskLine: (line) => bot.dispatcher.maskLine(line),
      registry: bot.dispatcher.registry,
    },
  };
}

/** A Slack adapter whose dispatcher waits at a gate. */
async function gatedAdapter(stopDrainMs?: number) {
  const { dispatcher, entered, open } = gatedDispatcher();
  const adapter = new SlackAdapter(
    {
      ...slackHttpSettings(fake),
      botToken: 'xoxb-stop-test',
      signingSecret: SECRET,
      ...(stopDrainMs !== undefined ? { stopDrainMs } : {}),
    },
    {
      dispatcher,
      identities: bot.services.identities,
      now: bot.services.now,
      log: () => {},
      recordCutShort: (invocations) => recordCutShort(bot.store.db, invocations),
    },
  );
  const { url } = await adapter.start();
  const send = async (name: string, responseId: string) => {
    const body = commandBody(ALICE, `alarm --name "${name}" --level major --desc "p99 above 2 s" --resource web-01 --app storefront`, { responseUrl: fake.responseUrl(responseId) });
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
    expect(rows[0]).toMatchObject({ platform: 'slack', workspaceId: TEAM, chatUserId: 'U0ALICE', iamUserName: 'alice', channelId: 'C0OPS', command: 'alarm', outcome: 'pending' });
    expect(bot.sim.countRequests(ALARM) - before).toBe(0);
    // The gate is never opened: nothing of this request runs after the test.
  });
});

describe('stopping the Discord adapter (HTTP interactions)', () => {
  const keys = testKeys();

  /** A Discord adapter whose dispatcher waits at a gate; a command is deferred at once (it waits). */
  async function gatedDiscord(stopDrainMs?: number) {
    const gated = gatedDispatcher();
    const config = {
      ...bot.config,
      discord: { ...bot.config.discord, botToken: new Secret('MTIz.stop.token'), applicationId: APP, publicKey: keys.publicKeyHex, mode: 'http', guildId: GUILD, apiUrl: fakeDiscord.api },
    } as Config;
    const adapter = await startDiscordAdapter({
      config,
      dispatcher: gated.dispatcher,
      registry: bot.core.registry,
      db: bot.store.db,
      port: 0,
      host: '127.0.0.1',
      ackBudgetMs: 10,
      ...(stopDrainMs !== undefined ? { stopDrainMs } : {}),
    });
    const send = async (name: string) => {
      const interaction = interactionOf(
        2,
        slash('alarm', [
          { name: 'name', type: 3, value: name },
          { name: 'level', type: 3, value: 'major' },
          { name: 'desc', type: 3, value: 'p99 above 2 s' },
          { name: 'app', type: 3, value: 'storefront' },
        ], 1, 'coc-incident'),
        DISCORD_ALICE,
      );
      const posted = await postInteraction<{ type: number }>(adapter.endpoint!.url, keys.privateKey, interaction);
      // Acknowledged: deferred, the answer is to follow.
      expect(posted.status).toBe(200);
      expect(posted.reply.type).toBe(5);
      return interaction.token;
    };
    return { adapter, send, ...gated };
  }

  const discordRows = async () => (await listAuditEvents(bot.store.db, { chatUser: { platform: 'discord', workspaceId: GUILD, chatUserId: DISCORD_ALICE }, limit: 500 })).filter((row) => row.command === 'alarm');

  it('waits for an acknowledged interaction in flight: its COC write is made, audited and its answer edited in before close() resolves', async () => {
    const { adapter, send, entered, open } = await gatedDiscord();
    const before = bot.sim.countRequests(ALARM);
    const token = await send('Drained on Discord stop');
    await entered;
    expect(adapter.interactions.inFlight).toBe(1);
    const events: string[] = [];
    const closed = adapter.close().then(() => events.push('closed'));
    events.push('gate opened');
    open();
    await closed;
    expect(events).toEqual(['gate opened', 'closed']);
    expect(bot.sim.countRequests(ALARM) - before).toBe(1);
    const rows = await discordRows();
    expect(rows.filter((row) => row.outcome === 'succeeded')).toHaveLength(1);
    expect(rows.filter((row) => row.error === CUT_SHORT_ERROR)).toEqual([]);
    expect(fakeDiscord.callsTo('PATCH', new RegExp(`/webhooks/${APP}/${token}/messages/@original$`))).toHaveLength(1);
  });

  it('records an interaction still running when the deadline passes as cut short (outcome pending, unknown)', async () => {
    const { adapter, send, entered } = await gatedDiscord(20);
    const before = bot.sim.countRequests(ALARM);
    await send('Cut short on Discord stop');
    await entered;
    await adapter.close();
    const rows = (await discordRows()).filter((row) => row.error === CUT_SHORT_ERROR);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'discord', workspaceId: GUILD, chatUserId: DISCORD_ALICE, iamUserName: 'alice', outcome: 'pending' });
    expect(bot.sim.countRequests(ALARM) - before).toBe(0);
    // The gate is never opened: nothing of this interaction runs after the test.
  });
});
