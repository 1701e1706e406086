/**
 * Names of LISTEN/NOTIFY channels. Replicas that share a database wake each other through
 * them (a click on one replica, a card leased by another). Channels are per schema, so two
 * deployments (or two test runs) in one database never hear each other.
 */
import { z } from 'zod';

const CHANNEL = /^[a-z][a-z0-9_]{0,29}$/;

export class NotifyChannelError extends Error {
  override readonly name = 'NotifyChannelError';
}

export function channelName(channel: string, schema: string | undefined): string {
  if (!CHANNEL.test(channel)) throw new NotifyChannelError(`channel "${channel}" must be lowercase letters, digits and _ (at most 30)`);
  // Schema names are validated identifiers already; the whole stays under PostgreSQL's 63 bytes.
  return schema ? `${schema.toLowerCase()}__${channel}`.slice(0, 63) : channel;
}

/** NOTIFY payloads are text under 8000 bytes; ours are short ids. */
export const notifyPayload = z.string().max(7900);

export type Unlisten = () => Promise<void>;
