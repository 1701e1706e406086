/**
 * The simulator's world kept in a file (`npm start`'s embedded simulator): orders, incidents,
 * WarRooms, alarms and added hosts come back with the same ids and statuses in a new simulator,
 * a running order goes on there, sensitive values are not written, and a file that cannot be
 * used (not JSON, another seed) gives a fresh world that says why. Request ids differ from one
 * start to the next.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/sim/server.js';
import { pausingOrder, SECRET, simpleOrder } from './tracker-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'coc-sim-world-'));
const worldFile = join(dir, 'simulator-world.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function requestIdOf(url: string): Promise<string | null> {
  const response = await fetch(`${url}/v1/job/scripts`);
  await response.arrayBuffer();
  return response.headers.get('x-request-id');
}

describe('a simulator world kept in a file', () => {
  it('comes back in a new simulator, a running order goes on, and a file it cannot use gives a fresh world', async () => {
    const first = await startSimulator({ tickMs: 0, worldFile });
    let running: string;
    let paused: string;
    let incidentNum: string;
    let roomId: string;
    let firstRequestId: string | null;
    try {
      expect(first.origin).toEqual({ kind: 'fresh', path: worldFile, reason: 'no saved world yet' });
      firstRequestId = await requestIdOf(first.url);
      running = await simpleOrder(first, 3, 1);
      paused = await pausingOrder(first);
      first.tick(1);
      expect(first.world.orders.get(running)!.status).toBe('PROCESSING');
      first.settle(paused);
      expect(first.world.orders.get(paused)!.status).toBe('PAUSED');

      const { world } = first;
      const seeded = world.incidents.all()[0]!;
      const { incidentNum: _n, status: _s, createTime: _c, updateTime: _u, warroomId: _w, handleTime: _h, lastOperator: _l, faultRecoveryTime: _f, cause: _ca, solution: _so, history: _hi, ...input } = seeded;
      const incident = world.incidents.create({ ...input, title: 'Disk full on web-01' });
      world.incidents.accept(incident, 'alice');
      incidentNum = incident.incidentNum;
      const seededRoom = world.warRooms.all()[0]!;
      const { id: _id, createTime: _ct, status: _st, recoverTime: _rt, ...roomInput } = seededRoom;
      roomId = world.warRooms.create({ ...roomInput, incidentNum, title: 'web-01 disk' }).id;
      world.addHost({ name: 'added-01', ip: '10.9.9.9' });
      first.saveWorld();
    } finally {
      await first.close();
    }

    const saved = readFileSync(worldFile, 'utf8');
    expect(saved, 'sensitive values are not written').not.toContain(SECRET);

    const second = await startSimulator({ tickMs: 0, worldFile });
    try {
      expect(second.origin).toMatchObject({ kind: 'restored', path: worldFile, orders: 2 });
      expect(await requestIdOf(second.url), 'request ids differ between starts').not.toBe(firstRequestId);
      const { world } = second;
      expect(world.orders.get(running)).toMatchObject({ status: 'PROCESSING' });
      expect(world.orders.get(paused)).toMatchObject({ status: 'PAUSED' });
      expect(world.incidents.get(incidentNum)).toMatchObject({ status: 'INCIDENT_STATUS_ACKNOWLEDGED', title: 'Disk full on web-01' });
      expect(world.warRooms.get(roomId)).toMatchObject({ status: 'RUNNING', incidentNum });
      expect(world.hostByName('added-01')).toMatchObject({ fixedIp: '10.9.9.9' });
      // The running order finishes on the simulated clock, its log as it would have been.
      expect(second.settle(running)).toBe('FINISHED');
      const instance = world.orders.get(running)!.batches[0]!.instances[0]!;
      expect(world.orders.instanceMessage(instance)).toContain(`job ${running}: disk_usage`);
      // New ids do not repeat the saved ones.
      const another = await simpleOrder(second, 1, 1);
      expect(another).not.toBe(running);
      expect(world.orders.get(another)!.orderId).toBeGreaterThan(world.orders.get(paused)!.orderId);
    } finally {
      await second.close();
    }

    writeFileSync(worldFile, '{"format": "coc-simulator-wor');
    const corrupt = await startSimulator({ tickMs: 0, worldFile });
    try {
      expect(corrupt.origin).toEqual({ kind: 'fresh', path: worldFile, reason: `${worldFile} was not used: the file is not JSON` });
      expect(corrupt.world.orders.all()).toHaveLength(0);
    } finally {
      await corrupt.close();
    }

    writeFileSync(worldFile, saved);
    const foreign = await startSimulator({ tickMs: 0, seed: 7, worldFile });
    try {
      expect(foreign.origin).toMatchObject({ kind: 'fresh', reason: `${worldFile} was not used: the file holds a world of seed 42, not 7` });
      expect(foreign.world.orders.get(running)).toBeUndefined();
    } finally {
      await foreign.close();
    }
  });
});
