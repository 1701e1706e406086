/**
 * The simulator's world kept in a file (`npm start`'s embedded simulator): orders, incidents,
 * WarRooms, alarms and added hosts come back with the same ids and statuses in a new simulator,
 * a running order goes on there, sensitive values are not written (a seeded script gets its
 * seeded default back, a created one keeps `******`), and a file that cannot be used (not JSON,
 * another seed) is moved aside, kept, and gives a fresh world that says why. Request ids differ
 * from one start to the next.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../src/sim/server.js';
import { pausingOrder, SECRET, simpleOrder } from './tracker-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'coc-sim-world-'));
const worldFile = join(dir, 'simulator-world.json');
const SEEDED_SECRETS = ['ChangeMe_2024', 'token-placeholder'];
const CREATED_SECRET = 'Created_Default_S3cret';
const CREATED_UUID = 'created-script-with-a-secret';

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
      const seededScript = [...world.scripts.values()].find((script) => script.name === 'rotate_db_password')!;
      world.scripts.set(CREATED_UUID, {
        ...seededScript,
        scriptUuid: CREATED_UUID,
        name: 'rotate_created',
        params: seededScript.params.map((param) => (param.sensitive ? { ...param, param_value: CREATED_SECRET } : param)),
      });
      first.saveWorld();
    } finally {
      await first.close();
    }

    const saved = readFileSync(worldFile, 'utf8');
    for (const secret of [SECRET, CREATED_SECRET, ...SEEDED_SECRETS]) expect(saved, 'sensitive values are not written').not.toContain(secret);

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
      const paramOf = (name: string, param: string) => [...world.scripts.values()].find((script) => script.name === name)!.params.find((p) => p.param_name === param)!.param_value;
      expect(paramOf('rotate_db_password', 'new_password'), 'a seeded script gets its seeded default back').toBe('ChangeMe_2024');
      expect(paramOf('deploy_hotfix', 'api_token')).toBe('token-placeholder');
      expect(paramOf('rotate_created', 'new_password'), 'a created script keeps a placeholder').toBe('******');
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

    const corruptText = '{"format": "coc-simulator-wor';
    writeFileSync(worldFile, corruptText);
    const corrupt = await startSimulator({ tickMs: 0, worldFile });
    try {
      expect(corrupt.origin).toMatchObject({ kind: 'fresh', path: worldFile, reason: `${worldFile} was not used: the file is not JSON` });
      expect(corrupt.world.orders.all()).toHaveLength(0);
      corrupt.saveWorld();
    } finally {
      await corrupt.close();
    }
    const corruptAside = corrupt.origin?.kind === 'fresh' ? corrupt.origin.keptAside : undefined;
    expect(corruptAside).toMatch(/simulator-world\.json\.bad-/);
    expect(readFileSync(corruptAside!, 'utf8'), 'the unusable file is kept, not overwritten').toBe(corruptText);
    expect(JSON.parse(readFileSync(worldFile, 'utf8'))).toMatchObject({ format: 'coc-simulator-world', seed: 42 });

    const foreignFile = join(dir, 'foreign-world.json');
    writeFileSync(foreignFile, saved);
    const foreign = await startSimulator({ tickMs: 0, seed: 7, worldFile: foreignFile });
    try {
      expect(foreign.origin).toMatchObject({ kind: 'fresh', reason: `${foreignFile} was not used: the file holds a world of seed 42, not 7` });
      expect(foreign.world.orders.get(running)).toBeUndefined();
      await simpleOrder(foreign, 1, 1);
      foreign.saveWorld();
    } finally {
      await foreign.close();
    }
    const foreignAside = foreign.origin?.kind === 'fresh' ? foreign.origin.keptAside : undefined;
    expect(foreignAside && readFileSync(foreignAside, 'utf8'), "another seed's world is kept aside whole").toBe(saved);
    expect(existsSync(foreignFile) && JSON.parse(readFileSync(foreignFile, 'utf8')).seed).toBe(7);
  });
});
