/**
 * Kill -9 and SIGTERM at every step of a run, with three replicas of the bot on PostgreSQL (each a
 * separate OS process, `npm start`, Slack in HTTP mode), one COC simulator and one fake Slack.
 * Runs are driven as Slack drives them: a signed `/coc run disk_usage --hosts …` (LOW: the
 * preview's Run starts it) and a signed click on the preview's Run button.
 *
 * One replica is brought to hold four runs at once, each stopped at another step of its start,
 * and is stopped with SIGTERM (a rolling upgrade); another replica the same, killed with SIGKILL:
 *
 *   1. script-read   COC holds the script read made right before the execute (nothing sent yet);
 *   2. execute-held  COC holds the execute request before acting on it (no order);
 *   3. answer-lost   COC created the order but its answer never comes;
 *   4. card-posting  the answer arrived, the plan is started, the live card is being posted.
 *
 * Each step is known to be reached from the simulator's request log, the fake Slack's calls and
 * the store's rows (polled, never a fixed wait). SIGTERM is followed, once the replica has
 * drained (up to 8 s) and recorded what it cut short, by SIGKILL, as Docker and Kubernetes do
 * after their grace period: a replica whose COC request hangs does not exit at the drain's end
 * but when that request ends (closing the COC connection pool waits for it, up to the COC
 * timeout). Then a replacement replica starts on the same schema with every fault cleared,
 * while the third replica keeps running. Asserted per case:
 * every execute request COC received has exactly one audit row, final (never left pending); no
 * execute is sent again; an order COC created is adopted by its plan ('started' with that
 * order, live card posted); a plan whose order COC never created is 'unknown' (or 'failed' only
 * after proven absence) — never 'started' without an order.
 *
 * A row is "left" by a dead replica only once it is older than any COC request can take (the
 * store cannot tell a dead replica from a slow one): 5 minutes for a plan, 2 × the COC timeout
 * + 1 minute for a write, on the database's clock. Instead of waiting that long, the test ages
 * the dead replicas' rows by ten minutes before the replacement starts, as if it started later.
 *
 * PostgreSQL only (PGlite is one process's database); skipped with the reason when
 * TEST_DATABASE_URL is unset.
 */
import { nativeOf } from '../../src/backends/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeElementId } from '../../src/adapters/slack/ids.js';
import { CUT_SHORT_ERROR } from '../../src/audit/cut-short.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../../src/sim/server.js';
import type { Host } from '../../src/sim/state/model.js';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.js';
import { freePort, ReplicaProcess, until } from '../helpers/replica-process.js';
import { blockActionsPayload, commandBody, interactionBody, signedPost } from '../helpers/slack-requests.js';
import { announceSkip, postgresLeg } from '../helpers/store-legs.js';
import { isHealthyHost } from '../sim-helpers.js';

const TEAM = 'T0KILL';
const SECRET = 'kill-matrix-signing-secret';
const CHANNEL = 'C0OPS';
const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';
const SCRIPT_READ = 'GET /v1/job/scripts/{script_uuid}';
/** The command of an execute's audit row, as the transport's hook writes it (audit-log.ts). */
const WRITE_COMMAND = `coc ${EXECUTE}`;
const ALICE = { teamId: TEAM, userId: 'U0ALICE', userName: 'alice' };
/** Generous: replicas start slowly on a loaded machine. */
const WAIT_MS = 90_000;

const STEPS = ['script-read', 'execute-held', 'answer-lost', 'card-posting'] as const;
type Step = (typeof STEPS)[number];
type Signal = 'SIGKILL' | 'SIGTERM';

interface Case {
  readonly step: Step;
  readonly signal: Signal;
  readonly host: Host;
  planId: string;
  runButton: { actionId: string; value: string };
}

interface PlanRow {
  id: string;
  state: string;
  run_id: string | null;
  error: string | null;
  absent_since: Date | null;
}

interface AuditRow {
  id: string;
  command: string;
  outcome: string;
  error: string | null;
  masked_parameters: Record<string, unknown>;
}

const figures = { cases: 0, kills: 0, cutShort: 0, writes: 0, auditRows: 0, outcomes: [] as string[], pendingLeft: 0, resends: 0, adopted: 0, cards: 0 };

announceSkip(postgresLeg, 'reliability/kill-matrix');

describe.skipIf(postgresLeg.skipReason !== undefined)('kill -9 and SIGTERM at each step of a run, three replicas on PostgreSQL', { timeout: 240_000 }, () => {
  let sim: Simulator;
  let slack: FakeSlack;
  let workDir: string;
  let schema: string;
  let db: pg.Client;
  let env: NodeJS.ProcessEnv;
  const replicas: ReplicaProcess[] = [];

  async function startReplica(name: string): Promise<ReplicaProcess> {
    const replica = new ReplicaProcess(name, workDir, env, { slack: await freePort(), discord: await freePort() });
    replicas.push(replica);
    return replica;
  }

  beforeAll(async () => {
    sim = await startSimulator({ tickMs: 0 });
    slack = await startFakeSlack({ teamId: TEAM });
    workDir = mkdtempSync(join(tmpdir(), 'coc-kill-matrix-'));
    const store = postgresLeg.freshOptions();
    schema = store.schema!;
    const configFile = join(workDir, 'coc-chatops.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        // A held request must still be held when the replica is stopped, however loaded the machine.
        coc: { endpoint: sim.url, auth: { ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK, projectId: 'kill-project' }, timeoutMs: 60_000 },
        // A dead replica's live cards are taken over once its lease runs out.
        tracker: { leaseSeconds: 5 },
        identity: { mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] },
      }),
      { mode: 0o600 },
    );
    env = {
      COC_CHATOPS_CONFIG: configFile,
      DATABASE_URL: store.databaseUrl,
      COC_CHATOPS_DB_SCHEMA: schema,
      COC_CHATOPS_SECRET_KEY: 'replicas-share-this-secret-key-0123456789',
      COC_OPS_PORT: '0',
      COC_LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: 'xoxb-kill-matrix',
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    const started = await Promise.all(['replica-1', 'replica-2', 'replica-3'].map((name) => startReplica(name)));
    await Promise.all(started.map((replica) => replica.running()));
    db = new pg.Client({ connectionString: store.databaseUrl });
    await db.connect();
  }, 240_000);

  afterAll(async () => {
    console.log(
      `reliability kill-matrix: cases ${figures.cases} (${STEPS.length} steps × SIGKILL, SIGTERM) over 3 replicas + 1 replacement; kills ${figures.kills} (SIGTERM then SIGKILL after the drain, SIGKILL), cut short by the SIGTERM drain and audited ${figures.cutShort}; COC writes ${figures.writes} → audit rows ${figures.auditRows} (${['succeeded', 'unknown', 'failed'].map((o) => `${o} ${figures.outcomes.filter((x) => x === o).length}`).join(', ')}, left pending ${figures.pendingLeft}); resends ${figures.resends}; orders adopted after the restart ${figures.adopted}, live cards posted ${figures.cards}`,
    );
    await Promise.allSettled(replicas.map((replica) => replica.stop('SIGKILL')));
    await db?.end();
    await slack?.close();
    await sim?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const table = (name: string) => `${schema}.${name}`;

  async function planOf(id: string): Promise<PlanRow> {
    const { rows } = await db.query<PlanRow>(`SELECT id, state, run_id, error, absent_since FROM ${table('run_plans')} WHERE id = $1`, [id]);
    return rows[0]!;
  }

  async function writeRows(): Promise<AuditRow[]> {
    const { rows } = await db.query<AuditRow>(`SELECT id, command, outcome, error, masked_parameters FROM ${table('audit_events')} WHERE command = $1 ORDER BY occurred_at`, [WRITE_COMMAND]);
    return rows;
  }

  /** The execute's audit rows of one plan (the click's parameters name the plan). */
  const writeRowsOf = (rows: readonly AuditRow[], planId: string) => rows.filter((row) => (row.masked_parameters['parameters'] as { plan?: string } | undefined)?.plan === planId);

  /** The order COC created on this host, if any. */
  const orderOn = (host: Host) => sim.world.orders.all().find((order) => order.batches.some((batch) => batch.instances.some((instance) => instance.host.resourceId === host.resourceId)));
  /** Execute requests COC received for this host. */
  const executesFor = (host: Host) => sim.requests.filter((request) => request.routeKey === EXECUTE && JSON.stringify(request.body).includes(host.resourceId)).length;

  /** A signed `/coc run` (sent to `replica`); resolves with the preview's Run button and plan. */
  async function preview(replica: ReplicaProcess, testCase: Case, index: number): Promise<void> {
    const responseId = `preview-${index}`;
    const body = commandBody(ALICE, `run disk_usage --hosts ${testCase.host.name}`, { channelId: CHANNEL, responseUrl: slack.responseUrl(responseId), triggerId: `trigger.kill.preview.${index}` });
    expect((await signedPost(replica.slackUrl, SECRET, body)).status).toBe(200);
    const button = await until(
      () => {
        for (const response of slack.responsesTo(responseId)) {
          const blocks = (response.body['blocks'] ?? []) as { type: string; elements?: { type: string; action_id: string; value?: string }[] }[];
          const found = blocks.flatMap((block) => block.elements ?? []).find((element) => element.type === 'button' && decodeElementId(element.action_id)?.id === 'run:go');
          if (found?.value) return { actionId: found.action_id, value: found.value };
        }
        return undefined;
      },
      `the preview of case ${index}`,
      WAIT_MS,
    );
    testCase.runButton = button;
    testCase.planId = button.value;
  }

  /** A signed click on the preview's Run, sent to `replica`. */
  async function clickRun(replica: ReplicaProcess, testCase: Case, index: number): Promise<void> {
    const payload = blockActionsPayload(ALICE, testCase.runButton, {
      channelId: CHANNEL,
      messageTs: `1700000100.${String(index).padStart(6, '0')}`,
      responseUrl: slack.responseUrl(`run-${index}`),
      triggerId: `trigger.kill.run.${index}`,
    });
    expect((await signedPost(replica.slackUrl, SECRET, interactionBody(payload))).status).toBe(200);
  }

  /** Arms the fault of a step, clicks Run on `replica`, and waits until the run is held at that step. */
  async function bringToStep(replica: ReplicaProcess, testCase: Case, index: number): Promise<void> {
    const reads = sim.countRequests(SCRIPT_READ);
    const writes = sim.countRequests(EXECUTE);
    const posts = slack.callsOf('chat.postMessage').length;
    // A click reads the script twice: when it checks the plan (before claiming it) and right
    // before the execute (after). The first is slowed; the hang is armed as soon as it arrives,
    // from a timer that runs before the slowed answer's (one event loop), so it takes the second.
    if (testCase.step === 'script-read') sim.faults.set(SCRIPT_READ, { kind: 'slow', delayMs: 500, times: 1 });
    if (testCase.step === 'execute-held') sim.faults.set(EXECUTE, { kind: 'hang', times: 1 });
    if (testCase.step === 'answer-lost') sim.faults.set(EXECUTE, { kind: 'hang', afterHandling: true, times: 1 });
    // The live card is the first chat.postMessage of a run: held, the run stays right after COC's answer.
    if (testCase.step === 'card-posting') slack.faults.set('chat.postMessage', { kind: 'hang' });
    await clickRun(replica, testCase, index);
    const what = `${replica.name} to hold case ${index} at ${testCase.step}`;
    try {
      await heldAt(replica, testCase, index, { reads, writes, posts }, what);
    } catch (error) {
      const plan = await planOf(testCase.planId);
      throw new Error(
        `${String(error)}\nplan: ${JSON.stringify(plan)}\nanswers: ${JSON.stringify(slack.responsesTo(`run-${index}`).map((r) => r.body['text']))}\nrequests: ${JSON.stringify(sim.requests.slice(-8).map((r) => `${r.routeKey} ${r.fault ?? ''} ${r.status ?? ''}`))}\n${replica.name} stderr:\n${replica.stderr.slice(-3000)}`,
      );
    }
    // Nothing here answered: the run is still held at the step.
    expect(replica.child.exitCode).toBeNull();
  }

  async function heldAt(replica: ReplicaProcess, testCase: Case, index: number, before: { reads: number; writes: number; posts: number }, what: string): Promise<void> {
    const { reads, writes, posts } = before;
    switch (testCase.step) {
      case 'script-read':
        await until(
          () => {
            if (sim.countRequests(SCRIPT_READ) === reads) return false;
            sim.faults.set(SCRIPT_READ, { kind: 'hang', times: 1 });
            return true;
          },
          `the check's script read of case ${index}`,
          WAIT_MS,
        );
        await until(async () => sim.countRequests(SCRIPT_READ) === reads + 2 && (await planOf(testCase.planId)).state === 'starting', what, WAIT_MS);
        break;
      case 'execute-held':
        await until(() => sim.countRequests(EXECUTE) > writes && executesFor(testCase.host) === 1, what, WAIT_MS);
        expect(orderOn(testCase.host)).toBeUndefined();
        break;
      case 'answer-lost':
        await until(() => sim.countRequests(EXECUTE) > writes && orderOn(testCase.host) !== undefined, what, WAIT_MS);
        break;
      case 'card-posting': {
        const order = await until(() => orderOn(testCase.host), `the order of case ${index}`, WAIT_MS);
        await until(
          async () =>
            (await planOf(testCase.planId)).state === 'started' &&
            slack.callsOf('chat.postMessage').slice(posts).some((call) => call.outcome === 'hung' && String(call.args['text']).includes(order.executeUuid)),
          what,
          WAIT_MS,
        );
        break;
      }
    }
  }

  it('leaves every COC write audited and final, never resends, adopts what COC created, after kills at each step', async () => {
    const [replica1, replica2, replica3] = replicas as [ReplicaProcess, ReplicaProcess, ReplicaProcess];
    const names = new Map<string, number>();
    for (const host of sim.world.hosts) names.set(host.name, (names.get(host.name) ?? 0) + 1);
    const hosts = sim.world.hosts.filter((host) => isHealthyHost(host) && names.get(host.name) === 1);
    const signals: Signal[] = ['SIGTERM', 'SIGKILL'];
    const cases: Case[] = signals.flatMap((signal, s) =>
      STEPS.map((step, i) => ({ step, signal, host: hosts[s * STEPS.length + i]!, planId: '', runButton: { actionId: '', value: '' } })),
    );
    expect(new Set(cases.map((c) => c.host.resourceId)).size).toBe(cases.length);
    figures.cases = cases.length;

    // Every preview on the replica that survives: a plan is the store's, whichever replica runs it.
    await Promise.all(cases.map((testCase, index) => preview(replica3, testCase, index)));
    expect(sim.countRequests(EXECUTE)).toBe(0);

    // SIGTERM as an orchestrator sends it (a rolling upgrade): the replica drains what it
    // acknowledged for up to 8 s and records what is still running as cut short; then, as
    // Docker or Kubernetes do after their grace period, SIGKILL.
    const cutShortRows = async () =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table('audit_events')} WHERE error = $1`, [CUT_SHORT_ERROR])).rows[0]!.n);
    for (const [index, testCase] of cases.entries()) if (testCase.signal === 'SIGTERM') await bringToStep(replica2, testCase, index);
    replica2.child.kill('SIGTERM');
    figures.kills++;
    const drained = await until(() => /(\d+) recorded as cut short/.exec(replica2.stderr)?.[1] ?? (replica2.child.exitCode !== null && '0'), 'replica-2 to drain after SIGTERM', WAIT_MS);
    await until(async () => (await cutShortRows()) >= Number(drained) || replica2.child.exitCode !== null, 'the cut-short rows of replica-2', WAIT_MS);
    figures.cutShort = await cutShortRows();
    // What the stop said it cut short is in the audit trail: at least the three clicks held on
    // COC (its 60 s timeout is far off); the one held on Slack's post ends at Slack's own 10 s
    // timeout, which may come before the drain's end.
    expect(figures.cutShort).toBe(Number(drained));
    expect(figures.cutShort).toBeGreaterThanOrEqual(STEPS.length - 1);
    if (replica2.child.exitCode === null) replica2.child.kill('SIGKILL');
    await replica2.exited;
    slack.faults.clear();

    for (const [index, testCase] of cases.entries()) if (testCase.signal === 'SIGKILL') await bringToStep(replica1, testCase, index);
    replica1.child.kill('SIGKILL');
    figures.kills++;
    await replica1.exited;

    sim.faults.clear();
    slack.faults.clear();
    const writesBeforeRestart = sim.countRequests(EXECUTE);
    // Steps 2, 3 and 4 each sent one execute; step 1 none.
    expect(writesBeforeRestart).toBe(3 * signals.length);
    for (const testCase of cases) expect(executesFor(testCase.host), `${testCase.signal} ${testCase.step}: execute requests`).toBe(testCase.step === 'script-read' ? 0 : 1);

    // The dead replicas' rows, as a replacement started ten minutes later would find them.
    await db.query(`UPDATE ${table('run_plans')} SET updated_at = updated_at - interval '10 minutes' WHERE state = 'starting'`);
    // The audit trail refuses to be rewritten (a trigger): set aside for this one test-only move in time.
    await db.query('BEGIN');
    await db.query(`ALTER TABLE ${table('audit_events')} DISABLE TRIGGER audit_events_append_only`);
    await db.query(`UPDATE ${table('audit_events')} SET occurred_at = occurred_at - interval '10 minutes' WHERE write_intent AND outcome = 'pending'`);
    await db.query(`ALTER TABLE ${table('audit_events')} ENABLE TRIGGER audit_events_append_only`);
    await db.query('COMMIT');

    const replacement = await startReplica('replica-4');
    await replacement.running();

    const withOrder = (testCase: Case) => orderOn(testCase.host);
    const situation = async () => {
      const lines: string[] = [];
      for (const testCase of cases) {
        const plan = await planOf(testCase.planId);
        const order = withOrder(testCase);
        const { rows: cards } = order ? await db.query(`SELECT message_ref, final_state FROM ${table('tracked_order_cards')} WHERE run_id = $1`, [`coc:run:${order.executeUuid}`]) : { rows: [] };
        lines.push(`${testCase.signal} ${testCase.step}: plan ${plan.state} ${plan.run_id ?? '-'} (${plan.error ?? ''}); order ${order?.executeUuid ?? '-'}; cards ${JSON.stringify(cards)}`);
      }
      lines.push(`writes: ${JSON.stringify((await writeRows()).map((row) => row.outcome))}`);
      return lines.join('\n');
    };
    await until(
      async () => {
        for (const testCase of cases) {
          const plan = await planOf(testCase.planId);
          const order = withOrder(testCase);
          if (order) {
            if (plan.state !== 'started' || plan.run_id !== `coc:run:${order.executeUuid}`) return false;
            const { rows } = await db.query(`SELECT 1 FROM ${table('tracked_order_cards')} WHERE run_id = $1 AND message_ref IS NOT NULL`, [`coc:run:${order.executeUuid}`]);
            if (rows.length === 0) return false;
          } else if (plan.state !== 'unknown' && plan.state !== 'failed') return false;
        }
        const rows = await writeRows();
        // Reconciliation completes the execute's own row once it finds the order.
        if (cases.some((testCase) => withOrder(testCase) && writeRowsOf(rows, testCase.planId).some((row) => row.outcome !== 'succeeded'))) return false;
        return rows.every((row) => row.outcome !== 'pending');
      },
      'recovery to settle every run and every write',
      WAIT_MS,
    ).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${await situation()}\nreplica-4 stderr:\n${replacement.stderr.slice(-4000)}\nreplica-3 stderr:\n${replica3.stderr.slice(-2000)}`);
    });

    // 0 resends: the execute count did not grow after the restart.
    figures.resends = sim.countRequests(EXECUTE) - writesBeforeRestart;
    expect(figures.resends).toBe(0);

    // Every execute COC received has exactly one audit row, and it is final.
    const rows = await writeRows();
    figures.writes = sim.countRequests(EXECUTE);
    figures.auditRows = rows.length;
    figures.pendingLeft = rows.filter((row) => row.outcome === 'pending').length;
    expect(rows).toHaveLength(figures.writes);
    expect(rows.map((row) => row.outcome).every((outcome) => ['succeeded', 'failed', 'unknown'].includes(outcome))).toBe(true);
    figures.outcomes = rows.map((row) => row.outcome);

    const plans = new Map<string, PlanRow>();
    for (const testCase of cases) plans.set(testCase.planId, await planOf(testCase.planId));
    for (const testCase of cases) {
      const label = `${testCase.signal} at ${testCase.step}`;
      const plan = plans.get(testCase.planId)!;
      const order = withOrder(testCase);
      // Each execute COC received is this plan's one audit row.
      const own = writeRowsOf(rows, plan.id);
      expect(own, `${label}: audit rows of its execute`).toHaveLength(executesFor(testCase.host));
      if (testCase.step === 'answer-lost' || testCase.step === 'card-posting') {
        // COC created the order: the plan holds it, its card is posted once.
        expect(order, `${label}: COC's order`).toBeDefined();
        expect(plan, label).toMatchObject({ state: 'started', run_id: `coc:run:${order!.executeUuid}` });
        const { rows: cards } = await db.query<{ message_ref: string | null }>(`SELECT message_ref FROM ${table('tracked_order_cards')} WHERE run_id = $1`, [`coc:run:${order!.executeUuid}`]);
        expect(cards.filter((card) => card.message_ref !== null), `${label}: live cards`).toHaveLength(1);
        figures.cards++;
        expect(own.map((row) => row.outcome), `${label}: the execute's row`).toEqual(['succeeded']);
        const posted = [...slack.messages.values()].filter((message) => message.channel === CHANNEL && message.text.includes(order!.executeUuid));
        expect(posted, `${label}: card messages in Slack`).toHaveLength(1);
        if (testCase.step === 'answer-lost') {
          figures.adopted++;
          const { rows: confirmed } = await db.query(`SELECT 1 FROM ${table('audit_events')} WHERE command = 'run started (confirmed after a lost answer)' AND masked_parameters->>'plan' = $1`, [plan.id]);
          expect(confirmed, `${label}: audit row of the adoption`).toHaveLength(1);
        }
      } else if (testCase.step === 'script-read') {
        // Killed before the execute was recorded, hence before it was sent: known not to have run.
        expect(order, `${label}: no order in COC`).toBeUndefined();
        expect(own, `${label}: no execute recorded`).toHaveLength(0);
        expect(plan.state, label).toBe('failed');
        expect(plan.error, label).toMatch(/^the bot stopped before the execute request was sent/);
      } else {
        // COC never created an order: never 'started'; 'failed' only once proven absent.
        expect(order, `${label}: no order in COC`).toBeUndefined();
        expect(['unknown', 'failed'], `${label}: plan state ${plan.state}`).toContain(plan.state);
        if (plan.state === 'failed') expect(plan.absent_since, `${label}: failed only after proven absence`).not.toBeNull();
        expect(plan.run_id).toBeNull();
        // A write that may have reached COC stays 'unknown' until proven absent ('failed').
        for (const row of own) expect(row.outcome, `${label}: the execute's row`).toBe(plan.state === 'failed' ? 'failed' : 'unknown');
      }
    }

    // Never 'started' without an order; every order COC holds belongs to exactly one plan.
    const { rows: started } = await db.query<{ run_id: string }>(`SELECT run_id FROM ${table('run_plans')} WHERE state = 'started'`);
    for (const { run_id } of started) expect(sim.world.orders.get(nativeOf(run_id)), `order ${run_id}`).toBeDefined();
    expect(started.map((row) => row.run_id).sort()).toEqual(sim.world.orders.all().map((order) => `coc:run:${order.executeUuid}`).sort());
  });
});
