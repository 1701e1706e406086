/**
 * Starts the live orders of the tracker bench (bench/tracker.ts) on the simulator, in a process
 * of its own: starting orders is not the tracker's work, and ten thousand executes in a burst
 * would weigh on the heap of the very process whose memory the bench measures.
 *
 *   node --import tsx bench/tracker-orders.ts <simulator url> <orders> <batches> [<moving every>]
 *
 * Each order runs disk_usage on `batches` one-host batches of healthy hosts; the execute uuids
 * are printed as a JSON array. With <moving every> = n, only every n-th order runs on from batch
 * to batch: the others pause after their first batch (its rotation is PAUSE) and stay paused,
 * live but unchanging, as most of many live orders are at any moment.
 */
import { CocClient } from '../src/coc/client.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK } from '../src/sim/defaults.js';

const [url, ordersArg, batchesArg, movingArg] = process.argv.slice(2);
const movingEvery = Number(movingArg ?? 1);
const orders = Number(ordersArg);
const batches = Number(batchesArg);
if (!url || !Number.isInteger(orders) || !Number.isInteger(batches)) throw new Error('usage: tracker-orders.ts <simulator url> <orders> <batches>');

const coc = new CocClient({ endpoint: url, auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK } });
try {
  const script = (await coc.listScripts({ name_like: 'disk_usage', limit: 10 })).data.find((s) => s.name === 'disk_usage');
  if (!script) throw new Error('the simulated world lacks disk_usage');
  const hosts = (await coc.listResources({ provider: 'ecs', type: 'cloudservers', limit: 100, agent_state: 'ONLINE', os_type: 'linux' })).filter(
    (h) => !h.tags.some((t) => t.key === 'flaky'),
  );
  if (hosts.length < batches) throw new Error('not enough healthy hosts in the simulated world');
  // A few executes at a time: ten thousand one after the other would take most of the bench's time.
  const uuids: string[] = new Array<string>(orders);
  let next = 0;
  const starter = async () => {
    while (next < orders) {
      const i = next++;
      const execute_batches = Array.from({ length: batches }, (_, b) => {
        const host = hosts[(i + b) % hosts.length]!;
        const rotation_strategy = b === 0 && i % movingEvery !== 0 ? ('PAUSE' as const) : ('CONTINUE' as const);
        return { batch_index: b + 1, rotation_strategy, target_instances: [{ resource_id: host.resource_id!, region_id: host.region_id! }] };
      });
      uuids[i] = await coc.executeScript(script.script_uuid, { execute_param: { timeout: 60, success_rate: 100, execute_user: 'root' }, execute_batches });
    }
  };
  await Promise.all(Array.from({ length: 8 }, starter));
  process.stdout.write(JSON.stringify(uuids));
} finally {
  await coc.close();
}
