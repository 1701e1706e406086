import { z } from 'zod';
import { wholeNumber } from '../fields.js';
import { reportRule } from '../rules.js';

/**
 * What an operator may tune on the chat platforms' HTTP endpoints (Slack's Request URL,
 * Discord's interactions endpoint): the largest body, the concurrent connections (in all and
 * per source address), and the bytes of not-yet-verified bodies held at once. The defaults fit
 * the platforms' real payloads (see SLACK_MAX_BODY_BYTES and DISCORD_MAX_BODY_BYTES where they
 * are used); timeouts are fixed at 10 s or less and not configurable. The body deadline is
 * short because both platforms send the body in one burst right after the headers.
 */
export const HTTP_LIMIT_DEFAULTS = {
  slackMaxBodyBytes: 1024 * 1024,
  discordMaxBodyBytes: 512 * 1024,
  maxConnections: 2_048,
  maxConnectionsPerAddress: 1_024,
  pendingBodyBytes: 8 * 1024 * 1024,
  bodyTimeoutMs: 2_000,
} as const;

const MIB = 1024 * 1024;

export function maxBodyBytesField(platform: string, fallback: number, env: string) {
  return wholeNumber(16 * 1024, 4 * MIB)
    .default(fallback)
    .meta({
      description: `Largest request body ${platform} may send, in bytes (16384-4194304); larger ones get 413 before being read. Default ${fallback} fits the largest real payloads.`,
      env,
    });
}

export function maxConnectionsField(env: string) {
  return wholeNumber(16, 1_000_000)
    .default(HTTP_LIMIT_DEFAULTS.maxConnections)
    .meta({ description: `Concurrent connections to the endpoint (16-1000000); more are closed at once. Keep it below the process's open-file limit.`, env });
}

export function maxConnectionsPerAddressField(env: string) {
  return wholeNumber(1, 1_000_000)
    .default(HTTP_LIMIT_DEFAULTS.maxConnectionsPerAddress)
    .meta({
      description: `Concurrent connections from one source address (1-1000000); more are closed at once, and one address may hold at most a quarter of the pending-body budget. Behind a reverse proxy or load balancer every request comes from its address: set this to maxConnections or more to turn the per-address limits off, and limit clients at the proxy.`,
      env,
    });
}

export function pendingBodyBytesField(env: string) {
  return wholeNumber(64 * 1024, 1024 * MIB)
    .default(HTTP_LIMIT_DEFAULTS.pendingBodyBytes)
    .meta({
      description: `Bytes of request bodies held before their signature is checked, across all connections (65536-1073741824); when full, requests get 503 with Retry-After. Bounds memory under forged requests; at least the largest body.`,
      env,
    });
}

/** A pending-body budget smaller than one body would refuse every request of that size. */
export function checkBudgetFitsBody(
  section: { readonly maxBodyBytes?: unknown; readonly pendingBodyBytes?: unknown },
  ctx: z.RefinementCtx,
  sectionName: string,
): void {
  const { maxBodyBytes, pendingBodyBytes } = section;
  if (typeof maxBodyBytes === 'number' && typeof pendingBodyBytes === 'number' && pendingBodyBytes < maxBodyBytes) {
    reportRule(ctx, ['pendingBodyBytes'], `too small: must be at least ${sectionName}.maxBodyBytes (${maxBodyBytes}), or no body of the largest size could ever be read`, {
      set: [sectionName, 'pendingBodyBytes'],
      to: `${maxBodyBytes} or more`,
      orElse: `lower ${sectionName}.maxBodyBytes`,
    });
  }
}
