/**
 * The terminal adapter as a separate process, typed at line by line: an incident COC already
 * has (opened from its console) is handled through the actions COC offers (v2 tasks and
 * actions) — alice accepts from the card's numbered buttons and submits the solution, bob
 * verifies — and `incident timeline` lists what was done, with the console's own creation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, type Simulator } from '../src/sim/server.js';
import { userIdFor } from '../src/sim/defaults.js';
import { APPLICATIONS } from '../src/sim/state/seed-tenant.js';
import { runBotProcess, type BotRun } from './helpers/bot-process.js';
import { useLiveShellBotDir } from './helpers/live-shell-bot-dir.js';

const WIDE = '200';
const TITLE = 'Search latency over 2 s';
const live = useLiveShellBotDir({
  prefix: 'coc-incident-v2-transcript-',
  projectId: 'transcript-project',
  people: { alice: 'operator', bob: 'approver', carol: 'viewer' },
});
const { workDir } = live;
let sim: Simulator;
let run: BotRun;
let num: string;

beforeAll(async () => {
  sim = live.sim;
  // Opened in COC's console, not from chat: the timeline shows its creation all the same.
  const console = new CocClient({ endpoint: sim.url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
  try {
    num = await console.createIncident({
      incident_title: TITLE,
      incident_description: 'p99 of /search above 2 s since 10:05',
      incident_level: 'level_20',
      incident_type: 'inc_type_p_reliability_issues',
      is_service_interrupt: false,
      incident_source: 'incident_source_manual',
      creator: userIdFor('carol'),
      incident_assignee: [userIdFor('alice')],
      current_cloud_service: [APPLICATIONS[0]!.id],
    });
  } finally {
    await console.close();
  }
  run = await runBotProcess({
    cwd: workDir,
    env: { HOME: workDir, COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1', COLUMNS: WIDE },
    lines: [
      `incident show ${num}`,
      '1', // Accept, the action COC offers now
      `incident solve ${num} --cause "an index rebuild ran at peak" --solution "moved the rebuild to 03:00" --type reliability --interrupted no`,
      '/as bob',
      `incident verify ${num} --comment "p99 under 300 ms for an hour"`,
      `incident timeline ${num}`,
      'exit',
    ],
  });
});

describe('an incident handled through the actions COC offers, with its timeline', () => {
  it('starts, answers every line and exits cleanly', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('offers the card’s actions from COC’s tasks and takes each through a v2 action, never the v1 handle call', () => {
    expect(run.stdout).toMatch(/\[1\] Accept {3}\[2\] Start WarRoom {3}\[3\] Refresh/);
    expect(run.stdout).toContain(`Accepted: Incident ${num}: ${TITLE}`);
    expect(run.stdout).toContain(`Solution submitted: Incident ${num}: ${TITLE}`);
    expect(run.stdout).toContain('Now acting as bob.');
    expect(run.stdout).toContain(`Verified: Incident ${num}: ${TITLE}`);
    expect(sim.countRequests('GET /v2/incidents/{incident_id}/tasks')).toBeGreaterThanOrEqual(4);
    expect(sim.countRequests('POST /v2/incidents/{incident_id}/actions')).toBe(3);
    expect(sim.countRequests('POST /v1/external/incident/handle')).toBe(0);
    const incident = sim.world.incidents.get(num)!;
    expect(incident.status).toBe('INCIDENT_STATUS_COMPLETED');
    expect(incident.history.map((h) => [h.action, h.operator])).toEqual([
      ['acceptedIncident1', userIdFor('alice')],
      ['commitSolution1', userIdFor('alice')],
      ['confirm', userIdFor('bob')],
    ]);
  });

  it('shows the timeline on the card after each step, and in full on request', () => {
    expect(run.stdout).toContain('Timeline');
    expect(run.stdout).toMatch(/UTC · Accept · alice → Acknowledged/);
    const timeline = run.replies.at(-2)!;
    expect(timeline).toContain(`Timeline of incident ${num}: ${TITLE}`);
    expect(timeline).toMatch(/TIME \(UTC\)\s+OPERATOR\s+ACTION\s+STATUS AFTER\s+COMMENT/);
    expect(timeline).toMatch(/UTC\s+carol\s+Create incident\s+Triggered \(not accepted yet\)/);
    expect(timeline).toMatch(/UTC\s+alice\s+Accept\s+Acknowledged/);
    expect(timeline).toMatch(/UTC\s+alice\s+Submit solution\s+Resolved \(awaiting verification\)\s+moved the rebuild to 03:00/);
    expect(timeline).toMatch(/UTC\s+bob\s+Verify\s+Completed\s+p99 under 300 ms for an hour/);
    expect(timeline).toContain('4 entries, oldest first.');
  });
});
