/**
 * Change tickets as COC's generic ticket APIs hold them (`ticket_type` = `change`). COC documents
 * no change workflow in its SDK models, so the simulator's own (used by its routes, named here):
 *
 *   CHANGE_SCHEDULED --start--> CHANGE_RUNNING --finish--> CHANGE_COMPLETED
 *   CHANGE_SCHEDULED --cancel--> CHANGE_CANCELED        CHANGE_RUNNING --rollback--> CHANGE_ROLLED_BACK
 *
 * The actions a ticket offers now are given in its detail's `_form_info` ("动作信息"), with the
 * task id an action is taken on. Seeded once per world, the first time anyone reads them, around
 * the current UTC day: two changes today (one running, one later), one done yesterday, one tomorrow.
 */
import { startOfUtcDay } from '../clock.js';
import type { World } from './world.js';

export const CHANGE_STATUSES = ['CHANGE_SCHEDULED', 'CHANGE_RUNNING', 'CHANGE_COMPLETED', 'CHANGE_CANCELED', 'CHANGE_ROLLED_BACK'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** Which action moves a ticket from which status to which, and the phase it is then in. */
export const CHANGE_ACTIONS: Readonly<Record<string, { readonly from: ChangeStatus; readonly to: ChangeStatus; readonly phase: string }>> = {
  start: { from: 'CHANGE_SCHEDULED', to: 'CHANGE_RUNNING', phase: 'implement' },
  cancel: { from: 'CHANGE_SCHEDULED', to: 'CHANGE_CANCELED', phase: 'closed' },
  finish: { from: 'CHANGE_RUNNING', to: 'CHANGE_COMPLETED', phase: 'closed' },
  rollback: { from: 'CHANGE_RUNNING', to: 'CHANGE_ROLLED_BACK', phase: 'closed' },
};

export interface ChangeHistoryEntry {
  readonly action: string;
  readonly operator: string;
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

export interface ChangeTicketState {
  readonly ticketId: string;
  readonly title: string;
  readonly description: string;
  /** Application id (current_cloud_service_id). */
  readonly application: string;
  readonly level: string;
  readonly region: string;
  readonly creator: string;
  assignee: string;
  status: string;
  phase: string;
  /** The task the current actions are taken on; a new one after each move. */
  taskId: string;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  readonly createTime: number;
  updateTime: number;
  readonly history: ChangeHistoryEntry[];
}

const HOUR = 3_600_000;

interface Seed {
  readonly title: string;
  readonly appName: string;
  readonly startHours: number;
  readonly durationHours: number;
  readonly status: ChangeStatus;
  readonly level: string;
}

export const CHANGE_SEEDS: readonly Seed[] = [
  { title: 'Upgrade checkout service to 2.14', appName: 'storefront', startHours: 1, durationHours: 2, status: 'CHANGE_RUNNING', level: 'change_level_normal' },
  { title: 'Rotate storefront TLS certificates', appName: 'storefront', startHours: 20, durationHours: 1, status: 'CHANGE_SCHEDULED', level: 'change_level_minor' },
  { title: 'Resize orders database', appName: 'orders', startHours: 22, durationHours: 2, status: 'CHANGE_SCHEDULED', level: 'change_level_major' },
  { title: 'Patch storefront hosts (yesterday)', appName: 'storefront', startHours: -20, durationHours: 2, status: 'CHANGE_COMPLETED', level: 'change_level_minor' },
  { title: 'Storefront CDN migration', appName: 'storefront', startHours: 30, durationHours: 4, status: 'CHANGE_SCHEDULED', level: 'change_level_major' },
];

export class ChangeBoard {
  private readonly byId = new Map<string, ChangeTicketState>();
  private readonly ordered: ChangeTicketState[] = [];
  private seq = 0;

  constructor(private readonly world: World) {}

  /** A new ticket id of COC's change form (`CH` + timestamp + sequence; the simulator's own). */
  nextId(at: number): string {
    const stamp = new Date(at).toISOString().replace(/\D/g, '').slice(0, 14);
    return `CH${stamp}${String(++this.seq).padStart(6, '0')}`;
  }

  nextTask(): string {
    return `task-${this.world.ids.hex(16)}`;
  }

  add(ticket: ChangeTicketState): void {
    this.byId.set(ticket.ticketId, ticket);
    this.ordered.push(ticket);
  }

  get(id: string): ChangeTicketState | undefined {
    return this.byId.get(id);
  }

  all(): readonly ChangeTicketState[] {
    return this.ordered;
  }

  /** How many ticket ids were given out (a world file keeps it, so new ids never repeat saved ones). */
  get sequence(): number {
    return this.seq;
  }

  resumeSequence(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  /** The actions the ticket offers now. */
  actionsOf(ticket: ChangeTicketState): string[] {
    return Object.entries(CHANGE_ACTIONS)
      .filter(([, move]) => move.from === ticket.status)
      .map(([action]) => action);
  }

  /** Moves the ticket by `action`; false when the action does not fit its status. */
  act(ticket: ChangeTicketState, action: string, operator: string): boolean {
    const move = Object.hasOwn(CHANGE_ACTIONS, action) ? CHANGE_ACTIONS[action] : undefined;
    if (!move || move.from !== ticket.status) return false;
    this.move(ticket, action, operator, move.to, move.phase);
    return true;
  }

  move(ticket: ChangeTicketState, action: string, operator: string, to: string, phase: string | undefined): void {
    const now = this.world.now();
    ticket.history.push({ action, operator, at: now, from: ticket.status, to });
    ticket.status = to;
    if (phase !== undefined) ticket.phase = phase;
    ticket.taskId = this.nextTask();
    ticket.updateTime = now;
  }
}

const boards = new WeakMap<World, ChangeBoard>();

/** What a world file keeps of the change tickets: undefined while nobody has read them (they are seeded then). */
export function savedChanges(world: World): { readonly seq: number; readonly tickets: readonly ChangeTicketState[] } | undefined {
  const board = boards.get(world);
  return board ? { seq: board.sequence, tickets: board.all() } : undefined;
}

/** The change tickets as a world file kept them (a world restored from its file): never seeded again. */
export function restoreChanges(world: World, saved: { readonly seq: number; readonly tickets: readonly ChangeTicketState[] }): void {
  const board = new ChangeBoard(world);
  board.resumeSequence(saved.seq);
  for (const ticket of saved.tickets) board.add(ticket);
  boards.set(world, board);
}

/** The world's change tickets, seeded on first use. */
export function changesOf(world: World): ChangeBoard {
  let board = boards.get(world);
  if (!board) {
    board = new ChangeBoard(world);
    boards.set(world, board);
    const day = startOfUtcDay(world.now());
    for (const seed of CHANGE_SEEDS) {
      const start = day + seed.startHours * HOUR;
      const created = day - 3 * 24 * HOUR;
      board.add({
        // Seeded tickets keep the same ids every day (help's examples name one); new ones are numbered by time.
        ticketId: `CH2025060100000000000${board.all().length + 1}`,
        title: seed.title,
        description: `${seed.title} (planned ${new Date(start).toISOString().slice(0, 16)}Z)`,
        application: world.applications.find((app) => app.name === seed.appName)?.id ?? seed.appName,
        level: seed.level,
        region: 'cn-north-4',
        creator: 'alice',
        assignee: 'bob',
        status: seed.status,
        phase: seed.status === 'CHANGE_RUNNING' ? 'implement' : seed.status === 'CHANGE_SCHEDULED' ? 'wait_implement' : 'closed',
        taskId: board.nextTask(),
        plannedStart: start,
        plannedEnd: start + seed.durationHours * HOUR,
        createTime: created,
        updateTime: created,
        history: [],
      });
    }
  }
  return board;
}
