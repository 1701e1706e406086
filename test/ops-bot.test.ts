/**
 * The ops side of the assembled bot (startBot, as `npm start` and the container run it): the
 * endpoints come up with the configured port, readiness follows the store, COC and start-up,
 * COC calls land in the metrics and the log, and a taken port never stops the bot.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../src/app/bot.js';
import { CocNetworkError } from '../src/coc/errors.js';
import { loadConfig, type Config } from '../src/config.js';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text.js';
import { freshMemoryStore } from './helpers/memory-store.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function configWith(env: Record<string, string>): Config {
  const loaded = loadConfig({ env: { COC_CHATOPS_DATA_DIR: 'memory://', COC_SIM_TICK_MS: '60000', ...env }, cwd: '/nonexistent', file: undefined });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return loaded.config;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readyz(bot: Bot) {
  const response = await request(`${bot.opsServer!.url}/readyz`);
  return { status: response.statusCode, body: (await response.body.json()) as { status: string; checks: { name: string; ok: boolean; detail: string }[] } };
}

describe('the running bot’s ops endpoints', () => {
  it('are ready once the store, COC and start-up are, record COC calls, and follow a COC outage', async () => {
    const port = await freePort();
    const log = capture();
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const bot = await startBot(configWith({ COC_OPS_PORT: String(port), COC_OPS_HOST: '127.0.0.1', COC_LOG_LEVEL: 'debug' }), {
      store: await freshMemoryStore(),
      logDestination: log.stream,
      now: () => new Date(clock),
    });
    try {
      expect(bot.opsServer?.port).toBe(port);
      const starting = await readyz(bot);
      expect(starting.status).toBe(503);
      expect(starting.body.checks.map((check) => [check.name, check.ok])).toEqual([
        ['store', true],
        ['coc', true],
        ['started', false],
      ]);

      bot.start();
      const ready = await readyz(bot);
      expect(ready.status).toBe(200);
      expect(ready.body.checks.find((check) => check.name === 'store')?.detail).toMatch(/^pglite answers; \d+ migration\(s\) applied$/);

      // COC traffic as commands make it, through the bot's own client.
      const connected = bot.connected;
      if (connected.kind !== 'coc') throw new Error('the default backend is COC');
      const coc = connected.coc;
      expect((await coc.listScripts({ limit: 5 })).data.length).toBeGreaterThan(0);
      const sim = connected.simulator!;
      sim.faults.set('GET /v1/job/scripts', { kind: 'reset' });
      await expect(coc.listScripts({ limit: 5 })).rejects.toBeInstanceOf(CocNetworkError);
      const down = await readyz(bot);
      expect(down.status).toBe(503);
      expect(down.body.checks.find((check) => check.name === 'coc')).toEqual({ name: 'coc', ok: false, detail: 'COC unreachable: network-error just now' });

      // Once COC is back, the next probe (at most one per 10 s) notices without any user.
      sim.faults.clear();
      clock += 11_000;
      expect((await readyz(bot)).status).toBe(200);

      const metrics = parsePrometheusText(await (await request(`${bot.opsServer!.url}/metrics`)).body.text());
      expect(sampleValue(metrics, 'coc_chatops_coc_requests_total', { route: 'GET /v1/job/scripts', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
      expect(sampleValue(metrics, 'coc_chatops_coc_requests_total', { route: 'GET /v1/job/scripts', outcome: 'network-error' })).toBeGreaterThanOrEqual(1);
      expect(metrics.has('coc_chatops_process_resident_memory_bytes')).toBe(true);

      const messages = log.lines().map((line) => line['msg']);
      expect(messages).toContain('ops endpoints listening');
      expect(messages).toContain('coc-chatops assembled');
      expect(messages).toContain('coc-chatops started');
      expect(log.lines().some((line) => line['level'] === 'warn' && String(line['msg']).startsWith('COC GET /v1/job/scripts: network-error'))).toBe(true);
      expect(log.lines().every((line) => line['service'] === 'coc-chatops' && typeof line['version'] === 'string')).toBe(true);
    } finally {
      await bot.close();
    }
    await expect(request(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(log.lines().at(-1)?.['msg']).toBe('coc-chatops stopped');
  });

  it('starts without the endpoints when their port is taken, and says so in the log', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const log = capture();
    try {
      // A terminal session logs nothing unless asked; this one asks.
      const bot = await startBot(configWith({ COC_OPS_PORT: String(port), COC_OPS_HOST: '127.0.0.1', COC_LOG_LEVEL: 'info' }), { store: await freshMemoryStore(), logDestination: log.stream });
      try {
        expect(bot.opsServer).toBeUndefined();
        bot.start();
        expect((await bot.readiness.report()).ready).toBe(true);
        const problem = log.lines().find((line) => line['level'] === 'error');
        expect(problem?.['msg']).toContain(`port ${port} is already in use`);
      } finally {
        await bot.close();
      }
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('opens no port and writes no log line in a terminal session with nothing configured', async () => {
    const log = capture();
    const bot = await startBot(configWith({}), { store: await freshMemoryStore(), logDestination: log.stream });
    try {
      bot.start();
      expect(bot.opsServer).toBeUndefined();
      expect((await bot.readiness.report()).ready).toBe(true);
      expect(log.lines()).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});
