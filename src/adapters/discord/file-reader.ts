/**
 * Files on Discord: a file argument is an ATTACHMENT option, so the file comes with the
 * interaction itself. Its option value is the attachment's id, and the interaction's
 * `resolved.attachments` say what it is; only an attachment of this very interaction is taken.
 * Its size and content type are checked before anything is downloaded, and it is downloaded
 * only from Discord's attachment hosts (the URL is signed by Discord: no token is sent).
 */
import { z } from 'zod';
import type { FetchedFile, FileLimits, FileReader } from '../../core/arguments/file-value.js';
import { FILE_TEXTS } from '../../core/arguments/file-texts.js';
import { downloadFile } from '../file-download.js';

/** Where Discord serves attachments. */
export const DISCORD_ATTACHMENT_ORIGINS: readonly string[] = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

const attachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  content_type: z.string().optional(),
});

export type Attachment = z.infer<typeof attachmentSchema>;

const resolvedSchema = z.object({ resolved: z.object({ attachments: z.record(z.string(), z.unknown()).optional() }).optional() });

/** The attachments an application command's data carries, by id; one of an unexpected shape is left out. */
export function attachmentsOf(data: unknown): ReadonlyMap<string, Attachment> {
  const parsed = resolvedSchema.safeParse(data);
  const found = new Map<string, Attachment>();
  if (!parsed.success) return found;
  for (const [id, raw] of Object.entries(parsed.data.resolved?.attachments ?? {})) {
    const attachment = attachmentSchema.safeParse(raw);
    if (attachment.success && attachment.data.id === id) found.set(id, attachment.data);
  }
  return found;
}

/**
 * Content types that are never text, refused before the download. A type Discord does not know
 * (none, or application/octet-stream: a .ps1 or .bat often comes so) is downloaded and its bytes decide.
 */
const NEVER_TEXT = /^(?:image|audio|video|font|model)\/|^application\/(?:zip|gzip|x-gzip|x-tar|x-7z-compressed|x-rar-compressed|pdf|x-msdownload|x-executable|x-mach-binary|vnd\.)/i;

async function readAttachment(reference: string, limits: FileLimits, attachments: ReadonlyMap<string, Attachment>, origins: readonly string[]): Promise<FetchedFile> {
  const attachment = attachments.get(reference);
  if (!attachment) return { problem: { reason: 'unrecognised', file: reference } };
  const name = attachment.filename;
  if (attachment.size > limits.maxBytes) return { problem: { reason: 'too-large', file: name, bytes: attachment.size } };
  if (attachment.content_type && NEVER_TEXT.test(attachment.content_type)) return { problem: { reason: 'not-text', file: name } };
  const downloaded = await downloadFile({ url: attachment.url, origins, file: name, maxBytes: limits.maxBytes });
  return 'problem' in downloaded ? downloaded : { name, data: downloaded.data };
}

/** The reader for one interaction: its own attachments, from `origins` (default Discord's attachment hosts). */
export function discordFileReader(attachments: ReadonlyMap<string, Attachment>, origins: readonly string[] = DISCORD_ATTACHMENT_ORIGINS): FileReader {
  return { how: FILE_TEXTS.howDiscord, read: (reference, limits) => readAttachment(reference, limits, attachments, origins) };
}
