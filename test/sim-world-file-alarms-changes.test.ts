/**
 * The alarm centre's alarms and the change tickets are kept in the simulator's world file like
 * the rest of the simulated world: after a restart of `npm start` the same alarms (ids, status,
 * handlings, who cleared them, the incident they became) and the same change tickets (status,
 * history) come back, and new ids never repeat saved ones. A file written before they were kept
 * still restores; they are seeded then, as in a new world.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/sim/server.js';
import { raiseManagedAlarm, seededAlarmIds } from '../src/sim/routes/alarms.js';
import { changesOf } from '../src/sim/state/changes.js';

const dir = mkdtempSync(join(tmpdir(), 'coc-sim-world-alarms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const boardOf = (world: Parameters<typeof seededAlarmIds>[0]) => world.alarms.managed(() => undefined);

describe('alarms and change tickets in the world file', () => {
  it('come back after a restart as they were left', async () => {
    const worldFile = join(dir, 'world.json');
    const first = await startSimulator({ tickMs: 0, worldFile });
    let ids: string[];
    let raisedId: string;
    let running: string;
    let tickets: number;
    let history: unknown;
    try {
      ids = seededAlarmIds(first.world);
      const raised = raiseManagedAlarm(first.world, { name: 'nginx 502s', importance: 'major', appName: 'storefront', region: 'cn-north-4', minutesAgo: 5, status: 'alarming', task: { type: 'SCRIPT', name: 'restart_nginx' } });
      raisedId = raised.id;
      raised.handlings.push({ workOrderId: 'WO-kept', createName: 'alice', taskType: 'SCRIPT', startTime: 1, endTime: 2, status: 'FINISHED', associatedTaskId: 'x', associatedTaskName: 'restart_nginx' });
      const disk = boardOf(first.world).get(ids[0]!)!;
      disk.status = 'resolved';
      disk.resolved = { time: 3, by: 'chatops-bot', remarks: 'Cleaned /var/log' };
      disk.associateEventId = 'IM123';
      const board = changesOf(first.world);
      const scheduled = board.all().find((ticket) => ticket.status === 'CHANGE_SCHEDULED')!;
      expect(board.act(scheduled, board.actionsOf(scheduled)[0]!, 'alice')).toBe(true);
      running = scheduled.ticketId;
      history = JSON.parse(JSON.stringify(scheduled.history));
      tickets = board.all().length;
      first.saveWorld();
    } finally {
      await first.close();
    }
    expect(readFileSync(worldFile, 'utf8')).toContain('WO-kept');

    const second = await startSimulator({ tickMs: 0, worldFile });
    try {
      expect(second.origin?.kind).toBe('restored');
      const board = boardOf(second.world);
      expect(board.all().map((alarm) => alarm.id)).toEqual([...ids, raisedId]);
      expect(board.get(ids[0]!)).toMatchObject({ status: 'resolved', resolved: { by: 'chatops-bot', remarks: 'Cleaned /var/log' }, associateEventId: 'IM123' });
      expect(board.get(raisedId)!.handlings.map((handling) => handling.workOrderId)).toEqual(['WO-kept']);
      const changes = changesOf(second.world);
      expect(changes.all()).toHaveLength(tickets);
      const ticket = changes.get(running)!;
      expect(ticket.status).not.toBe('CHANGE_SCHEDULED');
      expect(ticket.history).toEqual(history);
      // New ids never repeat saved ones.
      const fresh = changes.nextId(second.world.now());
      expect(changes.all().map((t) => t.ticketId)).not.toContain(fresh);
      const another = raiseManagedAlarm(second.world, { name: 'another', importance: 'minor', appName: 'storefront', region: 'cn-north-4', minutesAgo: 1, status: 'alarming' });
      expect([...ids, raisedId]).not.toContain(another.id);
    } finally {
      await second.close();
    }
  });

  it('a file written before they were kept still restores, and seeds them', async () => {
    const worldFile = join(dir, 'older.json');
    const first = await startSimulator({ tickMs: 0, worldFile });
    try {
      first.saveWorld();
    } finally {
      await first.close();
    }
    const saved = JSON.parse(readFileSync(worldFile, 'utf8')) as Record<string, unknown>;
    expect(saved['managedAlarms']).toBeUndefined();
    expect(saved['changeTickets']).toBeUndefined();
    writeFileSync(worldFile, JSON.stringify(saved));
    const second = await startSimulator({ tickMs: 0, worldFile });
    try {
      expect(second.origin?.kind).toBe('restored');
      expect(seededAlarmIds(second.world)).toHaveLength(4);
      expect(changesOf(second.world).all().length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });
});
