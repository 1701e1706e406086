/**
 * The terminal adapter as a separate process, typed at line by line: alice opens an incident
 * with flags; bob clicks through its card (numbered choices): accept, submit the solution in
 * the form, verify it in the form. The simulator's incident moves through the same statuses,
 * and every status change is posted in the incident's thread of the terminal exactly once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../src/sim/server.js';
import { userIdFor } from '../src/sim/defaults.js';
import type { Incident } from '../src/sim/state/model.js';
import { openStore } from '../src/store/index.js';
import { runBotProcess, type BotRun } from './helpers/bot-process.js';
import { useLiveShellBotDir } from './helpers/live-shell-bot-dir.js';

/** Piped output is laid out for 80 columns; these checks are about what is said, not the width, so lines stay whole. */
const WIDE = '200';

const TITLE = 'Payment API errors';
const live = useLiveShellBotDir({
  prefix: 'coc-incident-transcript-',
  projectId: 'transcript-project',
  people: { alice: 'operator', bob: 'approver', carol: 'viewer', dave: 'admin' },
  // The poller runs during the transcript too: it must not post a change a click already posted.
  config: { incidents: { pollSeconds: 5 } },
});
const { workDir, dataDir } = live;
let sim: Simulator;
let run: BotRun;
let incident: Incident;

beforeAll(async () => {
  sim = live.sim;
  run = await runBotProcess({
    cwd: workDir,
    env: { HOME: workDir, COC_CHATOPS_SHELL_USER: 'alice', COC_CHATOPS_SHELL_SWITCH_PEOPLE: '1', COLUMNS: WIDE },
    lines: [
      `incident create --title "${TITLE}" --description "5xx on /pay since 09:40" --level p2 --type function --application storefront --interrupted yes --assignee bob`,
      '/as bob',
      '1', // Accept
      '1', // Submit solution: the form opens
      'A bad deploy of payments v42', // cause
      'Rolled back to v41', // solution
      'change', // type
      'no', // service interrupted
      '1', // Verify: the form opens
      'Error rate back to 0 for 30 min', // comment
      'incidents --status completed --limit 2',
      'exit',
    ],
  });
  incident = sim.world.incidents.all().find((i) => i.title === TITLE)!;
});

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('working an incident in the terminal', () => {
  it('starts, answers every line and exits cleanly', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(incident).toBeDefined();
  });

  it('moves the simulator’s incident through the same statuses, by the people who clicked', () => {
    const num = incident.incidentNum;
    expect(incident.status).toBe('INCIDENT_STATUS_COMPLETED');
    expect(incident.creator).toBe(userIdFor('alice'));
    expect(incident.assignee).toEqual([userIdFor('bob')]);
    expect(incident.history.map((h) => [h.action, h.fromStatus, h.toStatus, h.operator])).toEqual([
      ['acceptedIncident1', 'INCIDENT_STATUS_TRIGGERED', 'INCIDENT_STATUS_ACKNOWLEDGED', userIdFor('bob')],
      ['commitSolution1', 'INCIDENT_STATUS_ACKNOWLEDGED', 'INCIDENT_STATUS_RESOLVED', userIdFor('bob')],
      ['confirm', 'INCIDENT_STATUS_RESOLVED', 'INCIDENT_STATUS_COMPLETED', userIdFor('bob')],
    ]);
    expect(incident).toMatchObject({ type: 'inc_type_p_change_issues', isServiceInterrupt: false, cause: 'A bad deploy of payments v42', solution: 'Rolled back to v41' });
    expect(incident.history.at(-1)?.comment).toBe('Error rate back to 0 for 30 min');
    expect(sim.countRequests('POST /v1/external/incident/create')).toBe(1);
    // Taken through the tasks COC offered (v2 actions), never the v1 handle call.
    expect(sim.countRequests('POST /v2/incidents/{incident_id}/actions')).toBe(3);
    expect(sim.countRequests('POST /v1/external/incident/handle')).toBe(0);
    expect(run.stdout).toContain(`Incident ${num} created: ${TITLE}`);
  });

  it('shows the card with numbered buttons, then the forms field by field', () => {
    expect(run.stdout).toMatch(/\[1\] Accept {3}\[2\] Start WarRoom {3}\[3\] Refresh/);
    expect(run.stdout).toContain('Now acting as bob.');
    expect(run.stdout).toContain(`Accepted: Incident ${incident.incidentNum}: ${TITLE}`);
    expect(run.stdout).toMatch(/\[1\] Submit solution/);
    expect(run.stdout).toContain(`Solution of ${incident.incidentNum}`);
    expect(run.stdout).toContain(`Solution submitted: Incident ${incident.incidentNum}`);
    expect(run.stdout).toMatch(/\[1\] Verify {3}\[2\] Reject solution/);
    expect(run.stdout).toContain(`Verify the solution of ${incident.incidentNum}`);
    expect(run.stdout).toContain(`Verified: Incident ${incident.incidentNum}`);
    expect(run.stdout).toContain('This incident is completed.');
  });

  it('posts the card and every status change in the incident’s thread, each exactly once', () => {
    const num = incident.incidentNum;
    const headings = run.stdout.match(new RegExp(`── posted \\(#terminal › incident-${num}[,)]`, 'g')) ?? [];
    // The card when the place opened, and three changes.
    expect(headings).toHaveLength(4);
    expect(run.stdout).toContain(`Status changes and summaries go to #terminal › incident-${num}.`);
    for (const change of [
      `${num}: Triggered (not accepted yet) → Acknowledged`,
      `${num}: Acknowledged → Resolved (awaiting verification)`,
      `${num}: Resolved (awaiting verification) → Completed`,
    ]) {
      expect(occurrences(run.stdout, change), change).toBe(1);
    }
    expect(occurrences(run.stdout, 'By bob.')).toBe(3);
  });

  it('lists the completed incident and keeps the place and the audit trail in the store', async () => {
    expect(run.replies.at(-2)).toContain(incident.incidentNum);
    expect(run.replies.at(-2)).toMatch(/Payment API errors\s+bob/);
    const store = await openStore({ dataDir });
    try {
      const places = await store.db.query<{ last_seen_status: string; closed_at: Date | null }>('SELECT last_seen_status, closed_at FROM incident_channels WHERE incident_num = $1', [incident.incidentNum]);
      expect(places.rows).toEqual([{ last_seen_status: 'INCIDENT_STATUS_COMPLETED', closed_at: expect.any(Date) }]);
      const audited = await store.db.query<{ command: string; outcome: string }>(
        `SELECT command, outcome FROM audit_events WHERE target = $1 AND command NOT LIKE 'coc %' ORDER BY occurred_at`,
        [incident.incidentNum],
      );
      expect(audited.rows).toEqual([
        { command: 'incident create', outcome: 'succeeded' },
        { command: 'action incident:accept', outcome: 'succeeded' },
        { command: 'action incident:solve', outcome: 'succeeded' },
        { command: 'form incident:solution', outcome: 'succeeded' },
        { command: 'action incident:verify', outcome: 'succeeded' },
        // The bot stops watching the completed incident by itself (platform 'system').
        { command: 'incident watching ended', outcome: 'succeeded' },
        { command: 'form incident:verify', outcome: 'succeeded' },
      ]);
    } finally {
      await store.close();
    }
  });
});
