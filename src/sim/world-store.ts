/**
 * Keeps a simulator's world in a file, so that a restarted `npm start` still knows the orders,
 * incidents and WarRooms the bot's store has cards for. Read once at start (a missing, unreadable
 * or foreign file means a fresh world, and the caller is told why; a foreign or corrupt file is
 * first renamed to `<file>.bad-<time>`, so it is kept, not overwritten); written after changes, at
 * most once per `debounceMs`, and on close, atomically (a temporary file renamed over the old
 * one), so a crash mid-write leaves the previous world, never half of one.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseWorldFile, restoreWorld, worldToJson, WorldFileUnusable } from './state/world-file.js';
import type { World } from './state/world.js';

/** How a simulator's world began. */
export type WorldOrigin =
  | { readonly kind: 'restored'; readonly path: string; readonly orders: number; readonly incidents: number; readonly warRooms: number }
  | {
      readonly kind: 'fresh';
      readonly path: string;
      readonly reason: string;
      /** Where an unusable file was moved before anything could overwrite it. */
      readonly keptAside?: string;
      /** The unusable file could not be moved aside: the world is not written, so that file stays as it was. */
      readonly inMemoryOnly?: true;
    };

/** Default spacing of writes while the world keeps changing. */
export const WORLD_SAVE_DEBOUNCE_MS = 1000;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

/**
 * Restores the file at `path` into `world` (built from its seed a moment ago). When the file
 * cannot be used, `rebuild()` gives a fresh world instead (the failed restore may have changed
 * the first one half-way). Returns the world to use and how it began.
 */
export function openWorld(world: World, path: string, rebuild: () => World): { readonly world: World; readonly origin: WorldOrigin } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = errorCode(error) === 'ENOENT' ? 'no saved world yet' : `${path} could not be read (${errorCode(error) ?? 'error'})`;
    return { world, origin: { kind: 'fresh', path, reason } };
  }
  try {
    restoreWorld(world, parseWorldFile(text, world.seed), randomInt(2 ** 31));
    return {
      world,
      origin: { kind: 'restored', path, orders: world.orders.all().length, incidents: world.incidents.all().length, warRooms: world.warRooms.all().length },
    };
  } catch (error) {
    const reason = `${path} was not used: ${error instanceof WorldFileUnusable ? error.message : `the file could not be restored (${error instanceof Error ? error.message : String(error)})`}`;
    // Someone's world (another seed, an edited file) is never overwritten by the first change.
    const aside = `${path}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(path, aside);
    } catch (renameError) {
      return { world: rebuild(), origin: { kind: 'fresh', path, reason: `${reason}; it could not be moved aside (${errorCode(renameError) ?? 'error'}), so this world is not saved`, inMemoryOnly: true } };
    }
    return { world: rebuild(), origin: { kind: 'fresh', path, reason, keptAside: aside } };
  }
}

/** Writes the world to `path` after changes, spaced by `debounceMs`, and once more on flush. */
export class WorldSaver {
  #timer: NodeJS.Timeout | undefined;
  #dirty = false;
  #failure: unknown;

  constructor(
    private readonly world: World,
    private readonly path: string,
    private readonly debounceMs = WORLD_SAVE_DEBOUNCE_MS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Something in the world changed: it is written within `debounceMs`. */
  changed(): void {
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.debounceMs);
    this.#timer.unref();
  }

  /** Writes now if anything changed since the last write (or anyway, with `force`: the world was changed directly). */
  flush(force = false): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#dirty && !force) return;
    this.#dirty = false;
    try {
      this.write();
    } catch (error) {
      // Kept for the next change to try again; the simulator goes on in memory meanwhile.
      this.#dirty = true;
      if (this.#failure === undefined) this.onError(error);
      this.#failure = error;
    }
  }

  private write(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(worldToJson(this.world, this.world.now())), { mode: 0o600 });
    renameSync(temporary, this.path);
    this.#failure = undefined;
  }
}
