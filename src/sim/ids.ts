/**
 * Identifiers in the shapes COC uses, so a client that checks formats is exercised:
 * script `SC…` (25 chars), execution `SCT…` (26), incident `IM…` (26), WarRoom `WR…` (26),
 * CMDB ids (24 hex), plus the numeric ids COC exposes as longs.
 */
import { createHash, randomUUID } from 'node:crypto';
import { compactTimestamp } from './clock.js';
import { Random } from './prng.js';

export interface IdCounters {
  readonly scriptId: number;
  readonly orderId: number;
  readonly instanceId: number;
}

export class IdFactory {
  private random: Random;
  private nextScriptId = 1;
  private nextOrderId = 1;
  private nextInstanceId = 1001;
  private nextRequest = 1;
  /**
   * Drawn afresh at every start: request ids stay unique across restarts of a simulator with
   * the same seed (a log or a support ticket that quotes one names one request), while the
   * world's own ids stay reproducible.
   */
  private readonly requestSalt = randomUUID();

  constructor(private readonly seed: number) {
    this.random = Random.derived(seed, 'ids');
  }

  /** The counters where a saved world left them, and a random stream of its own, so that new ids never repeat the saved ones. */
  resume(saved: IdCounters, streamSeed: number): void {
    this.nextScriptId = Math.max(this.nextScriptId, saved.scriptId);
    this.nextOrderId = Math.max(this.nextOrderId, saved.orderId);
    this.nextInstanceId = Math.max(this.nextInstanceId, saved.instanceId);
    this.random = Random.derived(this.seed, 'ids', streamSeed);
  }

  /** The next number of each counter, as a saved world keeps them. */
  counters(): IdCounters {
    return { scriptId: this.nextScriptId, orderId: this.nextOrderId, instanceId: this.nextInstanceId };
  }

  scriptUuid(atMs: number): string {
    return `SC${compactTimestamp(atMs)}${this.random.hex(9)}`;
  }

  executeUuid(atMs: number): string {
    return `SCT${compactTimestamp(atMs)}${this.random.hex(9)}`;
  }

  incidentNum(atMs: number): string {
    return `IM${compactTimestamp(atMs)}${this.random.digits(10)}`;
  }

  warRoomId(atMs: number): string {
    return `WR${compactTimestamp(atMs)}${this.random.digits(10)}`;
  }

  cmdbId(): string {
    return this.random.hex(24);
  }

  hex(length: number): string {
    return this.random.hex(length);
  }

  scriptId(): number {
    return this.nextScriptId++;
  }

  orderId(): number {
    return this.nextOrderId++;
  }

  instanceId(): number {
    return this.nextInstanceId++;
  }

  /** 32 hex chars like API Gateway's request ids; hashed from a counter so requests never consume world randomness. */
  requestId(): string {
    return createHash('md5').update(`${this.seed}:${this.requestSalt}:request:${this.nextRequest++}`).digest('hex');
  }
}
