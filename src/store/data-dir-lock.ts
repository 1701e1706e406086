import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { DataDirBusyError } from './errors.js';

/**
 * PGlite does not notice when a second process opens the same data folder, and two writers
 * corrupt it. A lock file beside the folder (`<dataDir>.lock`, holding pid and host) makes a
 * second `npm start` fail at once instead.
 *
 * A lock left behind by a crash must not block the next start: on the same host it is stale
 * when its pid no longer runs (or is our own pid but not held by us: containers restart as
 * pid 1). A recreated container has a new host name and cannot check the old pid, so the holder
 * also refreshes the file's modification time, and a lock not refreshed for a while is stale.
 */
export interface DataDirLock {
  release(): void;
}

const HEARTBEAT_MS = 10_000;
const STALE_AFTER_MS = 3 * HEARTBEAT_MS;

/** Lock files this process holds. */
const heldHere = new Set<string>();

interface LockHolder {
  pid: number;
  host: string;
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(lockPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { pid, host } = parsed as Record<string, unknown>;
      if (typeof pid === 'number' && typeof host === 'string') return { pid, host };
    }
  } catch {
    // Unreadable or half-written lock: judged by its age below.
  }
  return undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(lockPath: string): number {
  try {
    return Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function isHeld(lockPath: string, holder: LockHolder | undefined, me: LockHolder): boolean {
  if (holder?.host === me.host) {
    return holder.pid === me.pid ? heldHere.has(lockPath) : isRunning(holder.pid);
  }
  return ageMs(lockPath) < STALE_AFTER_MS;
}

function tryCreate(lockPath: string, holder: LockHolder): boolean {
  try {
    const fd = openSync(lockPath, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `process ${holder.pid} on ${holder.host}` : 'another process';
}

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = `${dataDir}.lock`;
  const me: LockHolder = { pid: process.pid, host: hostname() };
  if (!tryCreate(lockPath, me)) {
    const holder = readHolder(lockPath);
    if (isHeld(lockPath, holder, me)) throw new DataDirBusyError(dataDir, describeHolder(holder));
    rmSync(lockPath, { force: true });
    // Two processes may both have judged the lock stale; only one creates the new file.
    if (!tryCreate(lockPath, me)) throw new DataDirBusyError(dataDir, describeHolder(readHolder(lockPath)));
  }
  heldHere.add(lockPath);
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lockPath, now, now);
    } catch {
      // A missing lock file is recreated by nobody; the next start simply finds no lock.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldHere.delete(lockPath);
      // Only remove the lock if it is still ours.
      const holder = readHolder(lockPath);
      if (holder?.pid === me.pid && holder.host === me.host) rmSync(lockPath, { force: true });
    },
  };
}
