/**
 * A raw HTTP/1.1 client over node:net, for what fetch cannot do: send headers and then nothing,
 * drip a body, declare one length and send another, hold a connection open. Every wait is on
 * a socket event (data, close), never on a sleep.
 */
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  readonly socket: Socket;
  /** Everything the server sent, as text. */
  received(): string;
  /** The status of the first response, once its status line has arrived. */
  status(): number | undefined;
  /** Resolves when the server (or the network) closed the connection. */
  readonly closed: Promise<void>;
  /** Resolves once a full response head has arrived (or the connection closed without one). */
  readonly answered: Promise<number | undefined>;
  write(data: string | Buffer): Promise<void>;
  /** Closes from the client side. */
  end(): void;
}

/**
 * Opens a connection to `url`'s host and port; `from` picks the local address (any of
 * 127.0.0.0/8 on Linux), so a test can be several senders at once.
 */
export async function openRaw(url: string, from?: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), ...(from ? { localAddress: from } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  const status = () => {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  // A write to a connection the server has closed fails; what matters is what was received.
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answered = new Promise<number | undefined>((resolve) => {
    const check = () => {
      if (text.includes('\r\n\r\n')) resolve(status());
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      check();
    });
    socket.once('close', () => resolve(status()));
  });
  return {
    socket,
    received: () => text,
    status,
    closed,
    answered,
    write: (data) =>
      new Promise<void>((resolve) => {
        if (socket.destroyed || !socket.writable) return resolve();
        socket.write(data, () => resolve());
      }),
    end: () => socket.destroy(),
  };
}

/** A request head: the request line, the headers, the blank line. */
export function requestHead(path: string, headers: Record<string, string | number>): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** One chunk of a chunked body. */
export function chunk(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

export const LAST_CHUNK = '0\r\n\r\n';

/**
 * The attack on the budget of unverified bytes: well-formed forged headers announcing a body of
 * `declared` bytes, then all of it but the last byte, then nothing. Resolves once all of it is
 * written; the server is left waiting for the last byte.
 */
export async function holdBackLastByte(url: string, path: string, headers: Record<string, string | number>, declared: number, from?: string): Promise<RawConnection> {
  const client = await openRaw(url, from);
  await client.write(requestHead(path, { ...headers, 'content-length': declared }));
  await client.write(Buffer.alloc(declared - 1, 'a'));
  return client;
}
