/**
 * A watched order's snapshot packed small between rounds (tracker-observe.ts keeps one per live
 * order, ten thousand on one replica).
 *
 * V8's serializer alone writes every object with its keys spelled out and every status object
 * ({ state, code }) in full, again and again: ~1.3 KB for an order of four one-host batches, most
 * of it names. Here an object is written as the number of its shape (its list of keys, kept once
 * for the process) followed by its values; and a small object of words only (a status, a
 * rotation, a host's name and addresses) as the number of the one kept for the process, which
 * every snapshot unpacked since shares (frozen: nothing changes a snapshot once read). What
 * remains (numbers, strings, arrays) is serialized by V8 as before, into a one-byte string: ~0.6 KB.
 *
 * The shapes and small objects are kept for the life of the process (a packed snapshot refers to
 * them by number), so each table is bounded: past its bound, new ones are written in full.
 */
import { deserialize, serialize } from 'node:v8';

/** Heads of the arrays a value is packed into: 0 and up, an object of that shape; then these. */
const ARRAY = -1;
/** An object whose shape found no room in the table: its keys and values alternate. */
const KEYED = -2;
/** A kept small object is -3 - its number. */
const KEPT_BASE = -3;

export interface SnapshotPackerLimits {
  /** Shapes kept for the process at most. */
  readonly maxShapes: number;
  /** Small objects kept for the process at most. */
  readonly maxKept: number;
  /** Characters of the strings of an object kept as a small object, at most. */
  readonly maxKeptChars: number;
}

const DEFAULT_LIMITS: SnapshotPackerLimits = { maxShapes: 1024, maxKept: 4096, maxKeptChars: 96 };

type Packed = unknown;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export class SnapshotPacker {
  readonly #limits: SnapshotPackerLimits;
  readonly #shapes: (readonly string[])[] = [];
  readonly #shapeIds = new Map<string, number>();
  readonly #kept: Readonly<Record<string, unknown>>[] = [];
  readonly #keptIds = new Map<string, number>();

  constructor(limits: Partial<SnapshotPackerLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** The value as a one-byte string (one character per byte of its packed form). */
  pack(value: unknown): string {
    return serialize(this.#encode(value)).toString('latin1');
  }

  /** The value `pack` was given: equal to it, its small objects shared and frozen. */
  unpack(packed: string): unknown {
    return this.#decode(deserialize(Buffer.from(packed, 'latin1')));
  }

  #encode(value: unknown): Packed {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out: Packed[] = new Array<Packed>(value.length + 1);
      out[0] = ARRAY;
      for (let i = 0; i < value.length; i++) out[i + 1] = this.#encode(value[i]);
      return out;
    }
    // Dates, maps and the like are left to V8's serializer, as they were.
    if (!isPlainObject(value)) return value;
    const keys = Object.keys(value);
    const kept = this.#keptId(keys, value);
    if (kept !== undefined) return [KEPT_BASE - kept];
    const shape = this.#shapeId(keys);
    if (shape === undefined) {
      const out: Packed[] = [KEYED];
      for (const key of keys) out.push(key, this.#encode(value[key]));
      return out;
    }
    const out: Packed[] = new Array<Packed>(keys.length + 1);
    out[0] = shape;
    for (let i = 0; i < keys.length; i++) out[i + 1] = this.#encode(value[keys[i]!]);
    return out;
  }

  #decode(packed: Packed): unknown {
    if (!Array.isArray(packed)) return packed;
    const head = packed[0] as number;
    if (head === ARRAY) {
      const out: unknown[] = new Array<unknown>(packed.length - 1);
      for (let i = 1; i < packed.length; i++) out[i - 1] = this.#decode(packed[i]);
      return out;
    }
    if (head === KEYED) {
      const out: Record<string, unknown> = {};
      for (let i = 1; i < packed.length; i += 2) out[packed[i] as string] = this.#decode(packed[i + 1]);
      return out;
    }
    if (head <= KEPT_BASE) return this.#kept[KEPT_BASE - head];
    const keys = this.#shapes[head]!;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = this.#decode(packed[i + 1]);
    return out;
  }

  #shapeId(keys: readonly string[]): number | undefined {
    const name = keys.join('\u0000');
    let id = this.#shapeIds.get(name);
    if (id === undefined && this.#shapes.length < this.#limits.maxShapes) {
      id = this.#shapes.length;
      this.#shapes.push(keys);
      this.#shapeIds.set(name, id);
    }
    return id;
  }

  /** The number of the kept small object equal to this one, kept now if there is room; undefined when it is not small. */
  #keptId(keys: readonly string[], value: Record<string, unknown>): number | undefined {
    if (keys.length === 0) return undefined;
    let chars = 0;
    for (const key of keys) {
      const field = value[key];
      if (typeof field === 'string') chars += field.length;
      // JSON below would take NaN and infinities for null, and -0 for 0.
      else if (typeof field === 'number') {
        if (!Number.isFinite(field) || Object.is(field, -0)) return undefined;
      } else if (typeof field !== 'boolean' && field !== null) return undefined;
      if (chars > this.#limits.maxKeptChars) return undefined;
    }
    // JSON tells a number from a string and keeps the keys' order (an object with the same
    // fields in another order is another object to its readers' eyes, and is kept apart).
    const name = JSON.stringify([keys, ...keys.map((key) => value[key])]);
    let id = this.#keptIds.get(name);
    if (id === undefined && this.#kept.length < this.#limits.maxKept) {
      id = this.#kept.length;
      this.#kept.push(Object.freeze({ ...value }));
      this.#keptIds.set(name, id);
    }
    return id;
  }
}
