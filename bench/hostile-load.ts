/**
 * The hostile side of bench/hostile.ts, in its own process so that its sockets and buffers do
 * not count in the bot's RSS. Holds `connections` connections open at once against the Slack
 * and Discord endpoints, half each, reopening each one shortly after the server closes it,
 * until told to stop. The kinds, in turn:
 *
 * - unsigned: no signature headers, a 3.9 MB body announced and sent;
 * - forged oversize: well-formed, fresh, forged signature headers and a 3.9 MB body;
 * - forged chunked: the same, chunked, sent until the server refuses it;
 * - slow headers: one byte of headers a second;
 * - slow body: forged headers, then one body byte a second;
 * - held at cap: forged headers, a body announced at the endpoint's cap (1 MiB Slack, 512 KiB
 *   Discord) and all of it sent but the last byte, then nothing (the body deadline cuts it).
 *
 * The connections come from `sourceAddresses` loopback addresses (127.0.0.10 and up; default 8),
 * so the per-address limits do not hide the rest of the guard, and the signed requests, from
 * 127.0.0.1, do not share an address with the load.
 *
 * Messages: in {start: {slackUrl, discordUrl, connections, kinds?, sourceAddresses?}} / {stop: true};
 * out {ready: true} once every slot has connected, {open: n} every 500 ms, {stats} when stopped.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { HTTP_LIMIT_DEFAULTS } from '../src/config/sections/http-limits.js';

interface Start {
  readonly slackUrl: string;
  readonly discordUrl: string;
  readonly connections: number;
  /** A subset of the kinds, to see what each costs; default all. */
  readonly kinds?: readonly Kind[];
  /** How many loopback addresses the load comes from (1-200); default 8. */
  readonly sourceAddresses?: number;
}

const KINDS = ['unsigned', 'forged-oversize', 'forged-chunked', 'slow-headers', 'slow-body', 'held-at-cap'] as const;
type Kind = (typeof KINDS)[number];

const RECONNECT_MS = 1_000;
const LARGE = Buffer.alloc(3_900_000, 'a');
/** The default body caps: a body announced at exactly the cap is not refused before it is read. */
const CAP = { slack: HTTP_LIMIT_DEFAULTS.slackMaxBodyBytes, discord: HTTP_LIMIT_DEFAULTS.discordMaxBodyBytes } as const;
const HELD = { slack: Buffer.alloc(CAP.slack - 1, 'h'), discord: Buffer.alloc(CAP.discord - 1, 'h') } as const;
const CHUNK = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, 'c'), Buffer.from('\r\n')]);

let stopping = false;
let open = 0;
let opened = 0;
const answers = new Map<string, number>();
const sockets = new Set<Socket>();
const drips = new Map<Socket, Buffer>();

function note(what: string): void {
  answers.set(what, (answers.get(what) ?? 0) + 1);
}

function head(path: string, headers: Record<string, string | number>): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

function forgedHeaders(platform: 'slack' | 'discord'): Record<string, string | number> {
  const now = Math.floor(Date.now() / 1000);
  return platform === 'slack'
    ? { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': now, 'x-slack-signature': `v0=${randomBytes(32).toString('hex')}` }
    : { 'content-type': 'application/json', 'x-signature-ed25519': randomBytes(64).toString('hex'), 'x-signature-timestamp': now };
}

function openOne(start: Start, index: number): void {
  if (stopping) return;
  const platform = index % 2 === 0 ? 'slack' : 'discord';
  const kinds = start.kinds && start.kinds.length > 0 ? start.kinds : KINDS;
  const kind: Kind = kinds[Math.floor(index / 2) % kinds.length]!;
  const url = new URL(platform === 'slack' ? start.slackUrl : start.discordUrl);
  const addresses = Math.min(200, Math.max(1, start.sourceAddresses ?? 8));
  const socket = connect({ host: url.hostname, port: Number(url.port), localAddress: `127.0.0.${10 + (index % addresses)}` });
  let received = '';
  let connected = false;
  sockets.add(socket);
  socket.on('error', () => undefined);
  socket.on('data', (data: Buffer) => {
    if (received.length < 16) received += data.toString('latin1');
  });
  socket.once('close', () => {
    if (connected) open -= 1;
    sockets.delete(socket);
    drips.delete(socket);
    const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
    note(status ? `${status}` : 'closed without an answer');
    // Reopened a second later: the load stays near `connections` open at once (slow ones hold
    // theirs for the server's timeouts) without turning into a flood of new connections, which
    // would measure the machine's bandwidth rather than the endpoints.
    if (!stopping) setTimeout(() => openOne(start, index), RECONNECT_MS);
  });
  socket.once('connect', () => {
    connected = true;
    open += 1;
    opened += 1;
    switch (kind) {
      case 'unsigned':
        socket.write(head(url.pathname, { 'content-type': 'application/json', 'content-length': LARGE.length }));
        socket.write(LARGE);
        break;
      case 'forged-oversize':
        socket.write(head(url.pathname, { ...forgedHeaders(platform), 'content-length': LARGE.length }));
        socket.write(LARGE);
        break;
      case 'forged-chunked': {
        socket.write(head(url.pathname, { ...forgedHeaders(platform), 'transfer-encoding': 'chunked' }));
        const pump = () => {
          while (!socket.destroyed && socket.write(CHUNK)) {
            // until the kernel's buffer is full
          }
        };
        socket.on('drain', pump);
        pump();
        break;
      }
      case 'slow-headers':
        drips.set(socket, Buffer.from(head(url.pathname, { ...forgedHeaders(platform), 'content-length': 10 })));
        break;
      case 'slow-body':
        socket.write(head(url.pathname, { ...forgedHeaders(platform), 'content-length': 100_000 }));
        drips.set(socket, Buffer.alloc(100_000, 'd'));
        break;
      case 'held-at-cap':
        socket.write(head(url.pathname, { ...forgedHeaders(platform), 'content-length': CAP[platform] }));
        socket.write(HELD[platform]);
        break;
    }
  });
}

// One byte a second on every dripping connection.
const dripTimer = setInterval(() => {
  for (const [socket, rest] of drips) {
    if (rest.length === 0 || socket.destroyed) continue;
    socket.write(rest.subarray(0, 1));
    drips.set(socket, rest.subarray(1));
  }
}, 1_000);

process.on('message', (message: { start?: Start; stop?: true }) => {
  if (message.start) {
    const start = message.start;
    for (let i = 0; i < start.connections; i++) openOne(start, i);
    const waitOpen = setInterval(() => {
      // Every slot has connected once: refused ones come and go from then on.
      if (opened >= start.connections) {
        clearInterval(waitOpen);
        process.send?.({ ready: true });
      }
    }, 20);
  }
  if (message.stop) {
    stopping = true;
    clearInterval(dripTimer);
    for (const socket of sockets) socket.destroy();
    setTimeout(() => {
      process.send?.({ stats: { opened, answers: Object.fromEntries(answers), openAtStop: open } }, () => process.exit(0));
    }, 100);
  }
});

/** How many are open right now, on request. */
setInterval(() => process.send?.({ open }), 500).unref();
