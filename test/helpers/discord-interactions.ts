/**
 * Discord interaction payloads for the adapter's tests: ids, the people and their mappings,
 * a test Ed25519 key pair, and builders for slash commands, buttons and modal submissions.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export const APP = '1200000000000000000';
export const GUILD = '900000000000000001';
export const CHANNEL = '920000000000000001';
export const ALICE = '910000000000000001';
export const BOB = '910000000000000002';
export const CAROL = '910000000000000003';

export const DISCORD_MAPPINGS = [
  { platform: 'discord' as const, workspace: GUILD, user: ALICE, iamUser: 'alice', role: 'operator' as const },
  { platform: 'discord' as const, workspace: GUILD, user: BOB, iamUser: 'bob', role: 'approver' as const },
  { platform: 'discord' as const, workspace: GUILD, user: CAROL, iamUser: 'carol', role: 'viewer' as const },
];

/** A test Ed25519 key pair: the public key as Discord shows it (64 hex characters). */
export function testKeys(): { privateKey: KeyObject; publicKeyHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKeyHex: Buffer.from(jwk.x!, 'base64url').toString('hex') };
}

let counter = 0;
export interface Option {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
}

export function interactionOf(type: number, data: unknown, user = ALICE, extra: Record<string, unknown> = {}) {
  counter += 1;
  return {
    id: String(1_400_000_000_000_000_000n + BigInt(counter)),
    application_id: APP,
    type,
    token: `itoken-${counter}-${Math.random().toString(36).slice(2)}`,
    version: 1,
    guild_id: GUILD,
    channel: { id: CHANNEL, type: 0 },
    channel_id: CHANNEL,
    member: {
      user: { id: user, username: `user${user.slice(-1)}`, global_name: null, discriminator: '0', avatar: null },
      nick: null,
      roles: [],
      joined_at: '2026-01-01T00:00:00.000Z',
      permissions: '0',
      deaf: false,
      mute: false,
      flags: 0,
    },
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
    attachment_size_limit: 10_485_760,
    data,
    ...extra,
  };
}

/** A slash command's data: `path` is group and subcommand, or the subcommand, under `root` (`/coc`, `/coc-admin`). */
export function slash(path: string, options: Option[] = [], type = 1, root = 'coc') {
  const [first, second] = path.split(' ');
  const sub = second ? { type: 1, name: second, options } : { type: 1, name: first!, options };
  return { id: '1', name: root, type, options: [second ? { type: 2, name: first!, options: [sub] } : sub] };
}


export interface PostedInteraction<R> {
  readonly status: number;
  /** The initial response (status 200 only). */
  readonly reply: R;
  readonly ms: number;
}

/**
 * POSTs an interaction to the endpoint as Discord does, signed with the test key; `signature`
 * 'bad' flips its last byte, 'none' leaves the headers out; `rawBody` sends other bytes than
 * were signed.
 */
export async function postInteraction<R = unknown>(
  url: string,
  privateKey: KeyObject,
  body: unknown,
  options: { signature?: 'good' | 'bad' | 'none'; timestamp?: number; rawBody?: string } = {},
): Promise<PostedInteraction<R>> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if ((options.signature ?? 'good') !== 'none') {
    const signature = sign(null, Buffer.from(timestamp + JSON.stringify(body)), privateKey).toString('hex');
    headers['x-signature-ed25519'] = options.signature === 'bad' ? `${signature.slice(0, -2)}${signature.endsWith('00') ? '01' : '00'}` : signature;
    headers['x-signature-timestamp'] = timestamp;
  }
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: raw });
  const ms = performance.now() - started;
  const text = await response.text();
  return { status: response.status, reply: (response.status === 200 ? JSON.parse(text) : undefined) as R, ms };
}

/** The custom ids of a message's components, row by row. */
export function customIdsOf(message: { components?: unknown } | undefined): string[] {
  return ((message?.components ?? []) as { components: { custom_id?: string }[] }[]).flatMap((row) => row.components.map((c) => c.custom_id ?? ''));
}
