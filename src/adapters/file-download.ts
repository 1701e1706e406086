/**
 * Downloading a file a chat platform stores (a Slack file, a Discord attachment) for a file
 * argument. Only from the platform's own file hosts (exact origins), never following a
 * redirect elsewhere, never reading more than the limit: a declared size above it is refused
 * before the body is read, and a body that runs past it is cut off there.
 */
import { phrase } from '../i18n/phrase.js';
import type { FileProblem } from '../core/arguments/file-value.js';
import { FILE_TEXTS } from '../core/arguments/file-texts.js';

export interface Download {
  readonly url: string;
  /** Origins (`https://files.slack.com`) the file may come from. */
  readonly origins: readonly string[];
  /** The file as the person named it, for refusals. */
  readonly file: string;
  readonly maxBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The hosts of `origins`, as a refusal names them. */
export function hostsOf(origins: readonly string[]): string {
  return origins.map((origin) => new URL(origin).host).join(', ');
}

/** Whether `url` is on one of `origins` (scheme, host and port exactly). */
export function onOrigin(url: string, origins: readonly string[]): boolean {
  try {
    const origin = new URL(url).origin;
    return origins.some((allowed) => new URL(allowed).origin === origin);
  } catch {
    return false;
  }
}

async function bodyWithin(response: Response, maxBytes: number): Promise<{ data: Uint8Array } | { tooLarge: number }> {
  const reader = response.body?.getReader();
  if (!reader) return { data: new Uint8Array() };
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel();
      return { tooLarge: length };
    }
    chunks.push(value);
  }
  const data = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { data };
}

/** The file's bytes, or why not. Never retried: the person asks again. */
export async function downloadFile(download: Download): Promise<{ readonly data: Uint8Array } | { readonly problem: FileProblem }> {
  const { file } = download;
  if (!onOrigin(download.url, download.origins)) return { problem: { reason: 'other-host', file, hosts: hostsOf(download.origins) } };
  let response: Response;
  try {
    response = await fetch(download.url, {
      headers: { ...download.headers },
      // A redirect (Slack sends one to its sign-in page without the token) is not followed anywhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(download.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch {
    return { problem: { reason: 'unavailable', file, why: phrase(FILE_TEXTS.whyNoAnswer) } };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    const why = phrase(FILE_TEXTS.whyDownload, { status: response.status });
    return { problem: response.status === 401 || response.status === 403 ? { reason: 'forbidden', file, why } : { reason: 'unavailable', file, why } };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > download.maxBytes) {
    await response.body?.cancel();
    return { problem: { reason: 'too-large', file, bytes: declared } };
  }
  try {
    const body = await bodyWithin(response, download.maxBytes);
    return 'tooLarge' in body ? { problem: { reason: 'too-large', file, bytes: body.tooLarge } } : body;
  } catch {
    return { problem: { reason: 'unavailable', file, why: phrase(FILE_TEXTS.whyNoAnswer) } };
  }
}
