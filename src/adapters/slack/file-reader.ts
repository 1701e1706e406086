/**
 * Files in Slack: a slash command cannot carry a file, so a file argument names one already
 * shared in Slack, by its link (`https://team.slack.com/files/U…/F…/deploy.sh`, the "Copy link"
 * of a file) or its id (`F…`). The bot asks `files.info` (scope files:read) what it is, and
 * takes it only when the person may hand it over — they shared it, or it is shared in the
 * conversation the command was typed in — and when it is a file Slack hosts within the size
 * limit; only then is `url_private` downloaded, with the bot token, from Slack's file host.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { FetchedFile, FileLimits, FileProblem, FileReader } from '../../core/arguments/file-value.js';
import { FILE_TEXTS } from '../../core/arguments/file-texts.js';
import type { Actor, Place } from '../../core/invocation.js';
import { phrase } from '../../i18n/phrase.js';
import { downloadFile, hostsOf } from '../file-download.js';
import { slackErrorCode } from './api-errors.js';

/** Where Slack serves the files it hosts. */
export const SLACK_FILE_ORIGINS: readonly string[] = ['https://files.slack.com'];

const FILE_ID = /^F[A-Z0-9]{6,}$/;

/** The file id a reference names: an id, or a Slack link to the file; undefined otherwise. */
export function slackFileId(reference: string): string | undefined {
  if (FILE_ID.test(reference)) return reference;
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || !(url.hostname === 'slack.com' || url.hostname.endsWith('.slack.com'))) return undefined;
  // `/files/U…/F…/name` (permalink) or `/files-pri/T…-F…/name` (url_private).
  for (const segment of url.pathname.split('/')) {
    const id = segment.split('-').find((part) => FILE_ID.test(part));
    if (id) return id;
  }
  return undefined;
}

/** What files.info says of a file, as far as the bot reads it. */
const fileInfoSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  size: z.number().int().nonnegative(),
  user: z.string().optional(),
  is_external: z.boolean().optional(),
  mode: z.string().optional(),
  url_private: z.string().optional(),
  url_private_download: z.string().optional(),
  channels: z.array(z.string()).optional(),
  groups: z.array(z.string()).optional(),
  ims: z.array(z.string()).optional(),
});

export interface SlackFileReaderOptions {
  readonly client: Pick<webApi.WebClient, 'files'>;
  readonly botToken: string;
  readonly actor: Actor;
  readonly place: Place;
  /** Default SLACK_FILE_ORIGINS; a test's fake Slack serves its own. */
  readonly origins?: readonly string[];
}

async function readSlackFile(reference: string, limits: FileLimits, options: SlackFileReaderOptions): Promise<FetchedFile> {
  const id = slackFileId(reference);
  if (!id) {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(reference);
    return { problem: isUrl ? { reason: 'other-host', file: reference, hosts: 'slack.com' } : { reason: 'unrecognised', file: reference } };
  }
  let info: z.infer<typeof fileInfoSchema>;
  try {
    const answer = await options.client.files.info({ file: id });
    const parsed = fileInfoSchema.safeParse(answer.file);
    if (!parsed.success) return { problem: { reason: 'unavailable', file: id, why: phrase(FILE_TEXTS.whyRefused, { code: 'unreadable files.info' }) } };
    info = parsed.data;
  } catch (error) {
    return { problem: infoProblem(id, error) };
  }
  const name = info.name ?? info.title ?? id;
  const { actor, place } = options;
  const sharedHere = [...(info.channels ?? []), ...(info.groups ?? []), ...(info.ims ?? [])].includes(place.channelId);
  if (info.user !== actor.userId && !sharedHere) return { problem: { reason: 'forbidden', file: name, why: phrase(FILE_TEXTS.whyNotShared) } };
  const origins = options.origins ?? SLACK_FILE_ORIGINS;
  const url = info.url_private_download ?? info.url_private;
  if (info.is_external || info.mode === 'external' || !url) return { problem: { reason: 'other-host', file: name, hosts: hostsOf(origins) } };
  if (info.size > limits.maxBytes) return { problem: { reason: 'too-large', file: name, bytes: info.size } };
  const downloaded = await downloadFile({ url, origins, file: name, maxBytes: limits.maxBytes, headers: { authorization: `Bearer ${options.botToken}` } });
  return 'problem' in downloaded ? downloaded : { name, data: downloaded.data };
}

function infoProblem(id: string, error: unknown): FileProblem {
  const code = slackErrorCode(error);
  if (code === 'file_not_found' || code === 'file_deleted') return { reason: 'forbidden', file: id, why: phrase(FILE_TEXTS.whyNotVisible) };
  const shape = typeof error === 'object' && error !== null ? (error as { code?: unknown; retryAfter?: unknown }) : {};
  if (shape.code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof shape.retryAfter === 'number' ? shape.retryAfter : 1;
    return { reason: 'unavailable', file: id, why: phrase(FILE_TEXTS.whyRateLimited, { seconds }) };
  }
  if (code) return { reason: 'unavailable', file: id, why: phrase(FILE_TEXTS.whyRefused, { code }) };
  return { reason: 'unavailable', file: id, why: phrase(FILE_TEXTS.whyNoAnswer) };
}

/** The reader for one Slack command: files the person may hand over, downloaded with the bot token. */
export function slackFileReader(options: SlackFileReaderOptions): FileReader {
  return { how: FILE_TEXTS.howSlack, read: (reference, limits) => readSlackFile(reference, limits, options) };
}
