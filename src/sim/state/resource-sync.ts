/**
 * What COC's UniAgent sync (POST /v1/resources/uniagent/sync) does in the simulated tenant: it
 * answers at once and, AGENT_SYNC_TICKS ticks later, shows each named host's agent as it really
 * is: the state set with `POST /__sim/agents`, else an agent still INSTALLING has come ONLINE;
 * any other agent stays as it was. (A resource sync lists the hosts only the cloud had at once:
 * routes/resources.ts.)
 */
import type { AgentState, Host } from './model.js';

/** Ticks between a UniAgent sync and the states it shows. */
export const AGENT_SYNC_TICKS = 2;

/** The agent state a host shows (undefined: no UniAgent at all). */
type ShownAgent = Host['agentState'];

export interface SyncedWorld {
  hostByResourceId(resourceId: string): Host | undefined;
  setAgentState(host: Host, state: ShownAgent): void;
}

interface AgentSyncJob {
  readonly taskId: string;
  readonly resourceIds: readonly string[];
  ticksLeft: number;
}

export class ResourceSyncJobs {
  readonly #agentJobs: AgentSyncJob[] = [];
  /** The agents' real states, as a UniAgent sync will find them (by resource id). */
  readonly #actualAgents = new Map<string, ShownAgent>();

  constructor(private readonly world: SyncedWorld) {}

  requestAgentSync(taskId: string, resourceIds: readonly string[]): void {
    this.#agentJobs.push({ taskId, resourceIds: [...resourceIds], ticksLeft: AGENT_SYNC_TICKS });
  }

  /** The state a host's agent is really in; COC shows it after the host's next UniAgent sync. */
  setActualAgent(resourceId: string, state: AgentState): void {
    this.#actualAgents.set(resourceId, state === 'UNINSTALLED' ? undefined : state);
  }

  /** Agent syncs still running. */
  get runningAgentSyncs(): number {
    return this.#agentJobs.length;
  }

  tick(): void {
    for (const job of [...this.#agentJobs]) {
      job.ticksLeft -= 1;
      if (job.ticksLeft > 0) continue;
      this.#agentJobs.splice(this.#agentJobs.indexOf(job), 1);
      for (const resourceId of job.resourceIds) {
        const host = this.world.hostByResourceId(resourceId);
        if (!host) continue;
        const actual = this.#actualAgents.has(resourceId) ? this.#actualAgents.get(resourceId) : host.agentState === 'INSTALLING' ? 'ONLINE' : host.agentState;
        if (actual !== host.agentState) this.world.setAgentState(host, actual);
      }
    }
  }
}
