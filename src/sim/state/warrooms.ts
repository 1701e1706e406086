/** WarRooms: one per incident at most, RUNNING until the incident completes. */
import type { SimClock } from '../clock.js';
import type { IdFactory } from '../ids.js';
import type { WarRoom } from './model.js';

export type NewWarRoom = Omit<WarRoom, 'id' | 'createTime' | 'status' | 'recoverTime'>;

/** The success codes the references document for WarRoom answers. */
export const WAR_ROOM_SUCCESS_CODES = ['GOM.00000000', '0'] as const;
export type WarRoomSuccessCode = (typeof WAR_ROOM_SUCCESS_CODES)[number];

export class WarRoomBoard {
  /**
   * The `error_code` WarRoom answers carry on success: the envelope's default GOM.00000000, or
   * "0", which the Chinese WarRoom tables give as the normal value.
   */
  successCode: WarRoomSuccessCode = 'GOM.00000000';
  private readonly byId = new Map<string, WarRoom>();
  private readonly ordered: WarRoom[] = [];

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: SimClock,
  ) {}

  add(room: WarRoom): void {
    this.byId.set(room.id, room);
    this.ordered.push(room);
  }

  create(input: NewWarRoom): WarRoom {
    const now = this.clock.now();
    const room: WarRoom = { ...input, id: this.ids.warRoomId(now), createTime: now, status: 'RUNNING', recoverTime: null };
    this.add(room);
    return room;
  }

  /** Every WarRoom replaced by these, oldest first (a world restored from its file). */
  replaceAll(rooms: readonly WarRoom[]): void {
    this.byId.clear();
    this.ordered.length = 0;
    for (const room of rooms) this.add(room);
  }

  get(id: string): WarRoom | undefined {
    return this.byId.get(id);
  }

  /** Oldest first. */
  all(): readonly WarRoom[] {
    return this.ordered;
  }

  close(id: string): void {
    const room = this.byId.get(id);
    if (!room || room.status === 'CLOSED') return;
    room.status = 'CLOSED';
    room.recoverTime = this.clock.now();
  }
}
