/**
 * An in-memory ITSM for approval tests: tickets with one approval node, a processor list it
 * enforces (a decision by anyone else is refused, as ITSM's operate_node refuses), decisions
 * made "in ITSM's own UI", and one-shot faults (a refusal, or a lost answer after acting or not).
 */
import { BackendRefusedError, BackendUnavailableError, makeId, nativeOf, type BackendName, type ExternalApprovalsCapability, type TicketId, type TicketRequest, type TicketStatus } from '../../src/backends/index.js';

export interface FakeTicket {
  readonly id: TicketId;
  readonly request: TicketRequest;
  state: TicketStatus['state'];
  decidedBy?: string;
}

export type FakeFault =
  /** ITSM says no before acting. */
  | { readonly kind: 'refuse'; readonly code: string; readonly message: string }
  /** No usable answer; `acted` says whether ITSM did it all the same. */
  | { readonly kind: 'lose'; readonly acted: boolean };

type Method = 'open' | 'decide' | 'status' | 'withdraw';

export class FakeItsm implements ExternalApprovalsCapability {
  readonly tickets = new Map<string, FakeTicket>();
  readonly calls: { method: Method; args: unknown[] }[] = [];
  /** Who ITSM lets decide the approval node. */
  processors: string[] = ['bob'];
  /** Called at each decide, before it acts (e.g. to note what else happened by then). */
  onDecide?: () => void;
  /** Approvals a ticket needs before ITSM approves it (a service with more than one approval step). */
  steps = 1;
  readonly #approvals = new Map<string, number>();
  #faults = new Map<Method, FakeFault>();
  #next = 1;

  constructor(private readonly backend: BackendName = 'coc') {}

  failNext(method: Method, fault: FakeFault): void {
    this.#faults.set(method, fault);
  }

  count(method: Method): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  reset(): void {
    this.calls.length = 0;
    this.#faults.clear();
    this.processors = ['bob'];
    this.onDecide = undefined;
    this.steps = 1;
  }

  /** A processor decides in ITSM's own UI. */
  decideInUi(ticket: TicketId, decision: 'approve' | 'reject', as: string): void {
    const found = this.#ticket(ticket);
    found.state = decision === 'approve' ? 'approved' : 'rejected';
    found.decidedBy = as;
  }

  #ticket(id: TicketId): FakeTicket {
    const found = this.tickets.get(id);
    if (!found) throw new Error(`no ticket ${id}`);
    return found;
  }

  /** Throws the fault set for `method` (once); `act` runs first when the fault is a lost answer after acting. */
  #fault(method: Method, act: () => void): boolean {
    const fault = this.#faults.get(method);
    if (!fault) return false;
    this.#faults.delete(method);
    if (fault.kind === 'refuse') {
      throw new BackendRefusedError(`ITSM refused ${method}`, this.backend, undefined, { code: fault.code, platformMessage: fault.message }, false);
    }
    if (fault.acted) act();
    throw new BackendUnavailableError(`no answer to ${method}`, this.backend, undefined, { lost: 'timeout', timeoutMs: 50 }, true);
  }

  async open(request: TicketRequest): Promise<{ id: TicketId; url?: string }> {
    this.calls.push({ method: 'open', args: [request] });
    const sn = `NO2026120600${String(this.#next++).padStart(4, '0')}`;
    const id = makeId(this.backend, 'ticket', sn);
    const create = () => void this.tickets.set(id, { id, request, state: 'open' });
    this.#fault('open', create);
    create();
    return { id, url: `https://itsm.example/ticket/${sn}` };
  }

  async decide(ticket: TicketId, decision: 'approve' | 'reject', as: string, note?: string): Promise<void> {
    this.calls.push({ method: 'decide', args: [ticket, decision, as, note] });
    this.onDecide?.();
    const found = this.#ticket(ticket);
    const act = () => {
      const approvals = (this.#approvals.get(ticket) ?? 0) + (decision === 'approve' ? 1 : 0);
      this.#approvals.set(ticket, approvals);
      // An approval of one step leaves the ticket open while more steps wait.
      if (decision === 'approve' && approvals < this.steps) return;
      found.state = decision === 'approve' ? 'approved' : 'rejected';
      found.decidedBy = as;
    };
    if (this.#fault('decide', act)) return;
    if (!this.processors.includes(as)) {
      throw new BackendRefusedError('not a processor', this.backend, undefined, { code: '3900005', platformMessage: `${as} is not a processor of ${nativeOf(ticket)}` }, false);
    }
    if (found.state !== 'open') throw new BackendRefusedError('node closed', this.backend, undefined, { code: '3900006', platformMessage: 'the node is not open' }, false);
    act();
  }

  async status(ticket: TicketId): Promise<TicketStatus | undefined> {
    this.calls.push({ method: 'status', args: [ticket] });
    const found = this.tickets.get(ticket);
    if (!found) return undefined;
    const code = found.state === 'open' ? 'RUNNING' : found.state === 'withdrawn' ? 'REVOKED' : 'FINISHED';
    return { state: found.state, code, ...(found.decidedBy ? { decidedBy: found.decidedBy } : {}) };
  }

  async withdraw(ticket: TicketId, as: string): Promise<void> {
    this.calls.push({ method: 'withdraw', args: [ticket, as] });
    const found = this.#ticket(ticket);
    if (found.state !== 'open') throw new BackendRefusedError('not open', this.backend, undefined, { code: '3900007', platformMessage: 'the ticket is finished' }, false);
    found.state = 'withdrawn';
  }
}
