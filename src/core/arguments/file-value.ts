/**
 * A file argument: the text of a file, given the way each surface gives files (a path in the
 * terminal, a file shared in Slack, an attachment on Discord) or pasted into a form. This
 * module holds its values and checks, without I/O; file.ts resolves references.
 *
 * Reading a file is I/O and may be slow, while parsing a line is not: the parse step turns
 * what was typed into a `FileReference`, and before the handler runs the dispatcher hands each
 * reference to the invocation's `FileReader` (the surface's own way of fetching bytes), then
 * checks what came back here, the same way everywhere: a size limit in bytes, UTF-8 text only.
 * A handler only ever sees a `FileText`. Its content is never logged or audited: the audit
 * trail keeps its name, size and hash (`fileAudit`).
 */
import { createHash } from 'node:crypto';
import { phrase, type Phrase } from '../../i18n/phrase.js';
import type { Text } from '../../i18n/translate.js';
import { FILE_TEXTS as F } from './file-texts.js';
import type { FileSpec } from './kinds.js';

/** What a handler receives for a file argument. */
export interface FileText {
  /** The content, decoded from UTF-8 (a leading byte-order mark dropped). */
  readonly text: string;
  /** The file's own name (`deploy.sh`); `form:<field>` for text pasted into a form. */
  readonly name: string;
  /** Its size in bytes, as UTF-8. */
  readonly bytes: number;
  /** Hex SHA-256 of those bytes: what the audit trail keeps instead of the content. */
  readonly sha256: string;
}

/** What the audit trail keeps of a file: never its content. */
export interface FileAudit {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

export function fileAudit(file: FileText): FileAudit {
  return { name: file.name, bytes: file.bytes, sha256: file.sha256 };
}

/** What the parse step makes of a typed file argument: a reference the surface resolves before the handler runs. */
export class FileReference {
  constructor(readonly reference: string) {}
}

/** Why a file was not taken; `file` names it as the person named it (never its content). */
export type FileProblem =
  | { readonly reason: 'missing' | 'not-regular' | 'not-text' | 'empty' | 'unrecognised'; readonly file: string }
  | { readonly reason: 'too-large'; readonly file: string; readonly bytes: number }
  /** `why` in the reader's language (FILE_TEXTS' why… texts). */
  | { readonly reason: 'forbidden' | 'unavailable'; readonly file: string; readonly why: Phrase }
  | { readonly reason: 'other-host'; readonly file: string; readonly hosts: string };

export interface FileLimits {
  readonly maxBytes: number;
}

/** What a surface fetched for a reference: the bytes and the file's name, or why not. */
export type FetchedFile = { readonly name: string; readonly data: Uint8Array } | { readonly problem: FileProblem };

/** A surface's way of fetching the file a reference names (see src/adapters/*\/file-reader.ts). */
export interface FileReader {
  /** How a person gives a file here, said after a reference that could not be read. */
  readonly how: Text;
  /** The bytes `reference` names. Must refuse, without reading it, anything larger than `limits.maxBytes`. */
  read(reference: string, limits: FileLimits): Promise<FetchedFile>;
}

/** Control characters no text file holds (tab, the line breaks LF, VT, FF, CR, and escape are text). */
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/;

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Bytes as a text file: within the limit, non-empty, valid UTF-8 with no binary control characters. */
export function textOfBytes(name: string, data: Uint8Array, limits: FileLimits): FileText | { readonly problem: FileProblem } {
  if (data.byteLength > limits.maxBytes) return { problem: { reason: 'too-large', file: name, bytes: data.byteLength } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return { problem: { reason: 'not-text', file: name } };
  }
  if (NOT_TEXT.test(text)) return { problem: { reason: 'not-text', file: name } };
  if (text.trim() === '') return { problem: { reason: 'empty', file: name } };
  return { text, name, bytes: data.byteLength, sha256: sha256(data) };
}

/** Text pasted into a form field, checked as a file of that text would be. */
export function textOfForm(field: string, text: string, limits: FileLimits): FileText | { readonly problem: FileProblem } {
  return textOfBytes(`form:${field}`, new TextEncoder().encode(text), limits);
}

/** `4096` → `4`, `1536` → `1.5`. */
export function kilobytes(bytes: number): string {
  return String(Math.round((bytes / 1024) * 10) / 10);
}

/** What a file argument allows, as help and refusals say it. */
export function allowedOf(spec: Pick<FileSpec, 'maxBytes'>): Phrase {
  return phrase(F.allowed, { kb: kilobytes(spec.maxBytes), max: spec.maxBytes });
}

