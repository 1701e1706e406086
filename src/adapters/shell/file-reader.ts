/**
 * Files in the terminal: a file argument is a path on this machine (relative to the directory
 * the bot runs in, `~/` for the home directory). Only a regular file is read, never a folder, a
 * device or a pipe; its size is checked on the opened file before a byte is read, and no more
 * than the limit (and one byte to see it was not exceeded) is ever read.
 */
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, resolve } from 'node:path';
import { constants } from 'node:fs';
import type { FetchedFile, FileLimits, FileReader } from '../../core/arguments/file-value.js';
import { FILE_TEXTS } from '../../core/arguments/file-texts.js';
import { phrase, say } from '../../i18n/phrase.js';
import { translator, type Locale } from '../../i18n/translate.js';
import { fileProblem } from '../../core/arguments/file.js';
import { textOfBytes } from '../../core/arguments/file-value.js';

function pathOf(reference: string, cwd: string): string {
  if (reference === '~' || reference.startsWith('~/')) return resolve(homedir(), reference.slice(2));
  return resolve(cwd, reference);
}

async function readPath(reference: string, limits: FileLimits, cwd: string): Promise<FetchedFile> {
  const path = pathOf(reference, cwd);
  const name = basename(path);
  let handle;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer; it is refused below as not a file.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: { reason: 'missing', file: reference } };
    if (code === 'EACCES' || code === 'EPERM') return { problem: { reason: 'forbidden', file: reference, why: phrase(FILE_TEXTS.whyPermission) } };
    if (code === 'EISDIR') return { problem: { reason: 'not-regular', file: reference } };
    return { problem: { reason: 'unavailable', file: reference, why: phrase(FILE_TEXTS.whyUnreadable, { code: code ?? 'EIO' }) } };
  }
  try {
    // Checked on the opened file, so what is read is what was checked.
    const stat = await handle.stat();
    if (!stat.isFile()) return { problem: { reason: 'not-regular', file: reference } };
    if (stat.size > limits.maxBytes) return { problem: { reason: 'too-large', file: name, bytes: stat.size } };
    // One byte beyond the limit shows a file that grew after it was checked.
    const buffer = Buffer.alloc(limits.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limits.maxBytes) return { problem: { reason: 'too-large', file: name, bytes: Math.max(length, stat.size) } };
    }
    return { name, data: buffer.subarray(0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { problem: { reason: 'not-regular', file: reference } };
    return { problem: { reason: 'unavailable', file: reference, why: phrase(FILE_TEXTS.whyUnreadable, { code: code ?? 'EIO' }) } };
  } finally {
    await handle.close();
  }
}

/** The terminal's file reader: paths resolved against `cwd` (default: the bot's working directory). */
export function pathFileReader(cwd: string = process.cwd()): FileReader {
  return { how: FILE_TEXTS.howTerminal, read: (reference, limits) => readPath(reference, limits, cwd) };
}

/**
 * A form's file field answered in the terminal: the answer is a path, and what is submitted is
 * the file's text, checked as a file argument's is; a problem is said in `locale` (the person acting).
 */
export async function formFileAnswer(path: string, maxBytes: number, cwd: string = process.cwd(), locale: Locale = 'en-US'): Promise<{ readonly text: string } | { readonly error: string }> {
  const limits = { maxBytes };
  const fetched = await pathFileReader(cwd).read(path, limits);
  const read = 'problem' in fetched ? fetched : textOfBytes(fetched.name, fetched.data, limits);
  if (!('problem' in read)) return { text: read.text };
  return { error: say(fileProblem('file', read.problem, limits, FILE_TEXTS.howTerminal).text, translator(locale)).replace('\n', ' ') };
}
