/**
 * A signed request replayed to every replica runs once. Three replicas of the bot run as
 * separate OS processes (`npm start`, Slack in HTTP mode and Discord HTTP interactions, all on
 * one PostgreSQL schema, one COC simulator, one fake Slack and one fake Discord). One signed
 * Slack `/coc incident create …` and one signed Discord `/coc alarm …` are each sent, byte for
 * byte the same, to replicas 1, 1, 2 and 3 at once:
 *
 * - Slack: every delivery is acknowledged (200, as the first one was), one runs, the three
 *   others are dropped as already claimed; COC gets one incident create.
 * - Discord: one delivery gets the answer, the three others 409; COC gets one alarm.
 *
 * Then a replica is stopped with SIGTERM while a request it acknowledged waits on COC: the
 * request is recorded in the audit trail as cut short (outcome unknown) before the process exits.
 *
 * PostgreSQL only (PGlite is one process's database); skipped with the reason when
 * TEST_DATABASE_URL is unset.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUT_SHORT_ERROR } from '../../src/audit/cut-short.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_INTEGRATION_KEY, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../../src/sim/server.js';
import { APPLICATIONS } from '../../src/sim/state/seed-tenant.js';
import { ALICE, DISCORD_MAPPINGS, GUILD, interactionOf, postInteraction, slash, testKeys } from '../helpers/discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { freePort, ReplicaProcess, until } from '../helpers/replica-process.js';
import { commandBody, sign, signedPost } from '../helpers/slack-requests.js';
import { announceSkip, postgresLeg } from '../helpers/store-legs.js';

const TEAM = 'T0REPLAY';
const SECRET = 'replay-test-signing-secret';
const INCIDENT_CREATE = 'POST /v1/external/incident/create';
const ALARM = 'POST /v1/event/huawei/custom/{integration_key}';
const DROPPED = 'dropped an interaction Slack delivered twice';
const ALICE_SLACK = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };
const STOREFRONT = APPLICATIONS.find((application) => application.name === 'storefront')!.id;
const figures = { slackDeliveries: 0, slackRuns: 0, incidentCreates: 0, discordDeliveries: 0, discord409: 0, alarms: 0, cutShort: 0 };

announceSkip(postgresLeg, 'reliability/replay-replicas');

describe.skipIf(postgresLeg.skipReason !== undefined)('a signed request replayed to three replicas on PostgreSQL', () => {
  let sim: Simulator;
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let workDir: string;
  let schema: string;
  let databaseUrl: string;
  const keys = testKeys();
  const replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ tickMs: 0 });
    slack = await startFakeSlack({ teamId: TEAM });
    discord = await startFakeDiscord();
    workDir = mkdtempSync(join(tmpdir(), 'coc-replay-'));
    const store = postgresLeg.freshOptions();
    databaseUrl = store.databaseUrl!;
    schema = store.schema!;
    const configFile = join(workDir, 'coc-chatops.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'replay-project' }, integrationKey: SIM_DEFAULT_INTEGRATION_KEY },
        identity: {
          mappings: [
            { platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' },
            { platform: 'slack', workspace: TEAM, user: 'U0BOB', iamUser: 'bob', role: 'approver' },
            ...DISCORD_MAPPINGS,
          ],
        },
      }),
      { mode: 0o600 },
    );
    const env: NodeJS.ProcessEnv = {
      COC_CHATOPS_CONFIG: configFile,
      DATABASE_URL: databaseUrl,
      COC_CHATOPS_DB_SCHEMA: schema,
      COC_CHATOPS_SECRET_KEY: 'replicas-share-this-secret-key-0123456789',
      COC_OPS_PORT: '0',
      COC_LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: 'xoxb-replay-test',
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_BOT_TOKEN: 'MTIz.replay.token',
      DISCORD_APPLICATION_ID: '1200000000000000000',
      DISCORD_GUILD_ID: GUILD,
      DISCORD_API_URL: discord.api,
      DISCORD_MODE: 'http',
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    };
    for (const name of ['replica-1', 'replica-2', 'replica-3']) {
      replicas.push(new ReplicaProcess(name, workDir, env, { slack: await freePort(), discord: await freePort() }));
    }
    await Promise.all(replicas.map((replica) => replica.running()));
  }, 240_000);

  afterAll(async () => {
    console.log(
      `reliability replay-replicas: Slack deliveries ${figures.slackDeliveries} over 3 replicas → runs ${figures.slackRuns}, incident creates ${figures.incidentCreates}; Discord deliveries ${figures.discordDeliveries} → 409s ${figures.discord409}, alarms ${figures.alarms}; cut short by SIGTERM and audited ${figures.cutShort}`,
    );
    await Promise.allSettled(replicas.map((replica) => replica.stop('SIGKILL')));
    await slack?.close();
    await discord?.close();
    await sim?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Replicas 1, 1, 2, 3: the order the replay went in. */
  const targets = () => [replicas[0]!, replicas[0]!, replicas[1]!, replicas[2]!];

  it('runs a signed Slack /coc incident create once when it reaches replicas 1, 1, 2 and 3', async () => {
    const before = sim.countRequests(INCIDENT_CREATE);
    const dropsBefore = replicas.reduce((sum, replica) => sum + replica.logged(DROPPED), 0);
    const body = commandBody(
      ALICE_SLACK,
      'incident create --title "Replayed checkout errors" --description "5xx on /pay since 09:40" --level p2 --type function --application storefront --interrupted yes --assignee bob',
      { responseUrl: slack.responseUrl('replayed-incident'), triggerId: 'trigger.replayed.incident.1' },
    );
    // One request, signed once: every delivery carries the same timestamp and signature.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = sign(SECRET, timestamp, body);
    const responses = await Promise.all(targets().map((replica) => signedPost(replica.slackUrl, SECRET, body, { timestamp, signature })));
    figures.slackDeliveries += responses.length;
    // Every delivery gets the answer the first one got: an acknowledgement.
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);

    // Three deliveries are dropped as claimed, one answers through the response_url.
    await until(() => replicas.reduce((sum, replica) => sum + replica.logged(DROPPED), 0) - dropsBefore >= 3, 'three deliveries to be dropped');
    const answers = await until(() => {
      const found = slack.responsesTo('replayed-incident').filter((response) => /IM\d|incident/i.test(JSON.stringify(response.body)) && !/Working on/.test(JSON.stringify(response.body)));
      return found.length > 0 && found;
    }, 'the incident answer');
    figures.slackRuns += answers.length;
    const creates = sim.countRequests(INCIDENT_CREATE) - before;
    figures.incidentCreates += creates;
    expect(replicas.reduce((sum, replica) => sum + replica.logged(DROPPED), 0) - dropsBefore).toBe(3);
    expect(creates).toBe(1);
    expect(answers).toHaveLength(1);
  });

  it('runs a signed Discord /coc alarm once when it reaches replicas 1, 1, 2 and 3: one answer, three 409s', async () => {
    const before = sim.countRequests(ALARM);
    const interaction = interactionOf(
      2,
      slash('alarm', [
        { name: 'name', type: 3, value: 'Replayed checkout latency' },
        { name: 'level', type: 3, value: 'major' },
        { name: 'desc', type: 3, value: 'p99 above 2 s for 10 minutes' },
        { name: 'resource', type: 3, value: 'web-01' },
        // COC files an alarm under one of its applications (a 24-hex id is taken as given).
        { name: 'app', type: 3, value: STOREFRONT },
      ], 1, 'coc-incident'),
      ALICE,
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const posted = await Promise.all(targets().map((replica) => postInteraction<{ type: number }>(replica.discordUrl, keys.privateKey, interaction, { timestamp })));
    figures.discordDeliveries += posted.length;
    const statuses = posted.map((response) => response.status).sort();
    figures.discord409 += statuses.filter((status) => status === 409).length;
    expect(statuses).toEqual([200, 409, 409, 409]);
    // Quick answers come in the response; a deferred one (type 5) is edited in later: either way the alarm is sent once.
    await until(() => sim.countRequests(ALARM) > before, 'the alarm to reach COC');
    const winner = posted.find((response) => response.status === 200)!;
    if (winner.reply.type === 5) await until(() => discord.callsTo('PATCH', /\/webhooks\/.+\/messages\/@original$/).length > 0, 'the deferred answer');
    const alarms = sim.countRequests(ALARM) - before;
    figures.alarms += alarms;
    expect(alarms).toBe(1);
  });

  it('records a request acknowledged and still waiting on COC as cut short when SIGTERM stops the replica', async () => {
    const replica = replicas[2]!;
    const before = sim.countRequests(INCIDENT_CREATE);
    // COC takes the incident create and never answers: the request cannot finish before the stop's deadline.
    sim.faults.set(INCIDENT_CREATE, { kind: 'hang' });
    try {
      const body = commandBody(
        ALICE_SLACK,
        'incident create --title "Cut short by a stop" --description "5xx on /pay" --level p3 --type function --application storefront --interrupted no',
        { responseUrl: slack.responseUrl('cut-short'), triggerId: 'trigger.cut.short.1' },
      );
      const response = await signedPost(replica.slackUrl, SECRET, body);
      expect(response.status).toBe(200);
      await until(() => sim.countRequests(INCIDENT_CREATE) > before, 'the incident create to reach COC');
      expect(await replica.stop('SIGTERM')).toBe(0);
    } finally {
      sim.faults.clear();
    }
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ platform: string; chat_user_id: string; iam_user_name: string; command: string; outcome: string; error: string; masked_parameters: Record<string, unknown> }>(
        `SELECT platform, chat_user_id, iam_user_name, command, outcome, error, masked_parameters FROM ${schema}.audit_events WHERE error = $1`,
        [CUT_SHORT_ERROR],
      );
      figures.cutShort += rows.length;
      expect(rows).toEqual([
        { platform: 'slack', chat_user_id: 'U0ALICE', iam_user_name: 'alice', command: 'incident create', outcome: 'pending', error: CUT_SHORT_ERROR, masked_parameters: { interactionId: 'trigger.cut.short.1' } },
      ]);
    } finally {
      await client.end();
    }
  });
});
