/**
 * LISTEN needs a connection of its own that stays open (a pooled one would be handed to
 * queries). One client per replica carries every channel; if it drops, it reconnects with a
 * growing delay and LISTENs again. What was notified while it was down is lost — callers poll
 * as well, so a lost wake-up only means acting a little later.
 */
import type pg from 'pg';

type Handler = (payload: string) => void;

const RECONNECT_BASE_MS = 250;
const RECONNECT_MAX_MS = 10_000;

export class PostgresListener {
  readonly #handlers = new Map<string, Set<Handler>>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #closed = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly createClient: () => pg.Client,
    private readonly onError: (error: Error) => void,
  ) {}

  async listen(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let handlers = this.#handlers.get(channel);
    const first = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(handler);
    const client = await this.connected();
    if (first) await client.query(`LISTEN "${channel}"`);
    return async () => {
      const current = this.#handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.#handlers.delete(channel);
      if (this.#client && !this.#closed) await this.#client.query(`UNLISTEN "${channel}"`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connected(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = this.createClient();
    client.on('notification', (message) => {
      for (const handler of this.#handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.onError(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    client.on('error', (error) => {
      this.onError(error);
      this.dropped(client);
    });
    client.on('end', () => this.dropped(client));
    await client.connect();
    for (const channel of this.#handlers.keys()) await client.query(`LISTEN "${channel}"`);
    this.#client = client;
    this.#attempt = 0;
    return client;
  }

  private dropped(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.#closed || this.#handlers.size === 0) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt++);
    this.#timer = setTimeout(() => {
      this.connected().catch((error: unknown) => {
        this.onError(error instanceof Error ? error : new Error(String(error)));
        this.scheduleReconnect();
      });
    }, delay);
    this.#timer.unref();
  }
}
