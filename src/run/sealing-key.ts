/**
 * The key that seals sensitive parameter values at rest, from the first of:
 * 1. `store.secretKey` (COC_CHATOPS_SECRET_KEY): the same on every replica, survives anything;
 * 2. a key file beside the embedded database (`<dataDir>.key`, made 0600 on first start): a
 *    PGlite store belongs to one process, so its own file is enough to survive restarts;
 * 3. a random key of this process (memory:// stores, or PostgreSQL without a configured key):
 *    what was sealed cannot be opened after a restart or by another replica, and is refused
 *    with that reason rather than run with wrong values.
 */
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { IN_MEMORY_DATA_DIR } from '../store/in-memory.js';

export type SealingKeyOrigin = 'configured' | 'file' | 'process';

export interface SealingKey {
  /** 32 bytes for AES-256-GCM. */
  readonly key: Buffer;
  readonly origin: SealingKeyOrigin;
  /** The key file, when the key came from one. */
  readonly file?: string;
}

/** A key file that exists but cannot serve: refused at start-up rather than sealing with a new key. */
export class SealingKeyFileError extends Error {
  override readonly name = 'SealingKeyFileError';
}

const KEY_BYTES = 32;
/** Owner read/write only. */
const FILE_MODE = 0o600;

/** Where the key file of an embedded store lives; none for memory:// (nothing survives it anyway). */
export function keyFileFor(dataDir: string): string | undefined {
  return dataDir === IN_MEMORY_DATA_DIR ? undefined : `${resolve(dataDir)}.key`;
}

function readKeyFile(file: string): Buffer {
  const text = readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SealingKeyFileError(`${file} does not hold a ${KEY_BYTES}-byte base64 key; restore it from a backup, or set store.secretKey (COC_CHATOPS_SECRET_KEY)`);
  }
  // Someone widened its permissions: narrow them again, the key opens every sealed value.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, FILE_MODE);
  return key;
}

/** Reads the key file, or creates it (exclusively: of two processes racing, one writes and both read it). */
function fileKey(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw new SealingKeyFileError(`cannot create the key file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); set store.secretKey (COC_CHATOPS_SECRET_KEY) instead`);
  }
  const key = randomBytes(KEY_BYTES);
  try {
    writeSync(fd, `${key.toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
}

export function sealingKey(options: { readonly secretKey?: string | undefined; readonly keyFile?: string | undefined }): SealingKey {
  if (options.secretKey !== undefined) return { key: createHash('sha256').update(options.secretKey, 'utf8').digest(), origin: 'configured' };
  if (options.keyFile !== undefined) return { key: fileKey(options.keyFile), origin: 'file', file: options.keyFile };
  return { key: randomBytes(KEY_BYTES), origin: 'process' };
}
