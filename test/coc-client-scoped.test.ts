/**
 * A client's scoped view (`CocClient.scoped`), against the simulator over real HTTP: what the
 * dispatcher hands each invocation instead of an implicit async context. Each call's observer
 * event and write hook get the scope of the view that made it (the parent's get none), even with
 * calls of several scopes in flight at once; a view shares its parent's connections and closing
 * it closes nothing; a view's reads are bounded by its deadline, the parent's are not. The COC
 * backend's scoped view makes its capabilities over such a client view on first use.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditScope } from '../src/audit/audit-log.js';
import { baseOf, type CallScope } from '../src/backends/index.js';
import { createCocBackend } from '../src/backends/coc/index.js';
import { CocClient } from '../src/coc/client.js';
import { CocTimeoutError } from '../src/coc/errors.js';
import { SIM_DEFAULT_AK, SIM_DEFAULT_SK, startSimulator, type Simulator } from '../src/sim/server.js';
import { executeBody, isHealthyHost, scriptUuid } from './sim-helpers.js';

const LIST_SCRIPTS = 'GET /v1/job/scripts';

let sim: Simulator;
let coc: CocClient;
const observed: { route: string; scope: CallScope | undefined }[] = [];
const writes: { route: string; scope: CallScope | undefined }[] = [];

/** A scope as the dispatcher makes one; only its identity matters here. */
function scopeOf(user: string): CallScope {
  const audit = { actor: { platform: 'shell', workspaceId: 'local', userId: user }, command: 'probe', calls: [] } as unknown as AuditScope;
  return { audit };
}

beforeAll(async () => {
  sim = await startSimulator({ tickMs: 0 });
  coc = new CocClient({
    endpoint: sim.url,
    auth: { kind: 'aksk', ak: SIM_DEFAULT_AK, sk: SIM_DEFAULT_SK },
    retry: { retries: 0 },
    onCall: (event, scope) => void observed.push({ route: `${event.method} ${event.route}`, scope }),
    beforeWrite: async (operation, scope) => {
      writes.push({ route: `${operation.method} ${operation.route}`, scope });
      return undefined;
    },
  });
});
afterAll(async () => {
  await coc?.close();
  await sim?.close();
});
beforeEach(() => {
  observed.length = 0;
  writes.length = 0;
  sim.resetRequests();
});

describe('a scoped view of the client', () => {
  it("hands each call's event the scope of the view that made it, with calls of several scopes in flight at once", async () => {
    const alice = scopeOf('alice');
    const bob = scopeOf('bob');
    await Promise.all([coc.scoped(alice).listScripts({ limit: 10 }), coc.scoped(bob).listScripts({ limit: 10 }), coc.listScripts({ limit: 10 }), coc.scoped(alice).listScripts({ limit: 10 })]);
    expect(sim.countRequests(LIST_SCRIPTS)).toBe(4);
    expect(observed.filter((event) => event.scope === alice)).toHaveLength(2);
    expect(observed.filter((event) => event.scope === bob)).toHaveLength(1);
    expect(observed.filter((event) => event.scope === undefined), "the parent's own call carries no scope").toHaveLength(1);
  });

  it("hands a write's hook the scope it is sent in, before it is sent", async () => {
    const alice = scopeOf('alice');
    const hosts = sim.world.hosts.filter(isHealthyHost).slice(0, 1);
    await coc.scoped(alice).executeScript(scriptUuid(sim, 'disk_usage'), executeBody([{ hosts }]));
    expect(writes).toEqual([{ route: 'POST /v1/job/scripts/{script_uuid}', scope: alice }]);
  });

  it("shares its parent's connections: closing a view closes nothing", async () => {
    const view = coc.scoped(scopeOf('alice'));
    await view.listScripts({ limit: 10 });
    await view.close();
    await expect(coc.listScripts({ limit: 10 })).resolves.toBeDefined();
    await expect(coc.scoped(scopeOf('bob')).listScripts({ limit: 10 })).resolves.toBeDefined();
  });

  it("bounds a view's reads by its deadline, never the parent's", async () => {
    const deadline = { expiresAt: Date.now() - 1, budgetMs: 30_000, ended: false };
    await expect(coc.scoped({ deadline }).listScripts({ limit: 10 })).rejects.toBeInstanceOf(CocTimeoutError);
    expect(sim.countRequests(LIST_SCRIPTS), 'a read past its deadline is not sent').toBe(0);
    await expect(coc.listScripts({ limit: 10 })).resolves.toBeDefined();
    expect(sim.countRequests(LIST_SCRIPTS)).toBe(1);
  });
});

describe("a scoped view of the COC backend (Backend.within)", () => {
  it('makes each capability on first use, in the view’s scope, and notes it as made from the deployment’s', async () => {
    const base = createCocBackend(coc);
    const alice = scopeOf('alice');
    const view = base.within!(alice);
    expect(baseOf(view)).toBe(base);
    expect(view.name).toBe('coc');
    const scripts = view.scripts!;
    expect(view.scripts, 'made once per view').toBe(scripts);
    expect(scripts).not.toBe(base.scripts);
    expect(baseOf(scripts), "what is cached per capability stays per the deployment's").toBe(base.scripts);
    expect(baseOf(view.runs!)).toBe(base.runs);
    await scripts.list({ limit: 10 });
    expect(observed).toEqual([{ route: LIST_SCRIPTS, scope: alice }]);
    // A view of a view is in its own scope, still made from the deployment's backend.
    const bob = scopeOf('bob');
    const again = view.within!(bob);
    expect(baseOf(again.scripts!)).toBe(base.scripts);
    await again.scripts!.list({ limit: 10 });
    expect(observed.at(-1)).toEqual({ route: LIST_SCRIPTS, scope: bob });
    // Spread (as a composed backend is made), it keeps its scope.
    const composed = { ...base.within!(alice), approvals: undefined };
    await composed.scripts!.list({ limit: 10 });
    expect(observed.at(-1)).toEqual({ route: LIST_SCRIPTS, scope: alice });
  });
});
