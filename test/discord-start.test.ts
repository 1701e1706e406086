/**
 * Discord from the outside, as separate processes: `npm start` with Discord configured in
 * HTTP mode serves the interactions endpoint (a signed PING gets a PONG) and stops cleanly on
 * SIGTERM; `npm run discord:register` puts `/coc` to a server through discord.js REST.
 */
import { spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, GUILD, testKeys } from './helpers/discord-interactions.js';
import { startFakeDiscord, type FakeDiscord } from './helpers/fake-discord.js';
import { nodeArgsFor, type EntryPoint } from './helpers/entry-point.js';


let fake: FakeDiscord;
let cwd: string;
const keys = testKeys();

beforeAll(async () => {
  fake = await startFakeDiscord();
  cwd = await mkdtemp(join(tmpdir(), 'coc-discord-'));
});
afterAll(async () => {
  await fake.close();
  await rm(cwd, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    NO_COLOR: '1',
    COC_CHATOPS_DATA_DIR: 'memory://',
    DISCORD_BOT_TOKEN: 'MTIz.process.token',
    DISCORD_APPLICATION_ID: APP,
    DISCORD_GUILD_ID: GUILD,
    DISCORD_API_URL: fake.api,
    ...extra,
  };
}

function run(script: EntryPoint, args: string[], environment: NodeJS.ProcessEnv) {
  // An empty working directory: no configuration file, only the environment.
  const child = spawn(process.execPath, [...nodeArgsFor(script), ...args], { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  /** Resolves once stdout has `text` (or the process has ended): waits on output, not on time. */
  const printed = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (stdout.includes(text)) resolve();
      };
      child.stdout.on('data', check);
      void exited.then(() => resolve());
      check();
    });
  return { child, exited, printed, output: () => ({ stdout, stderr }) };
}

async function signedPing(url: string): Promise<Response> {
  const body = JSON.stringify({ id: '1500000000000000001', application_id: APP, type: 1, token: 'ping-token', version: 1 });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), keys.privateKey).toString('hex');
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
}

describe('Discord as separate processes', () => {
  it('npm start serves the interactions endpoint in http mode and stops on SIGTERM', async () => {
    const port = await freePort();
    const bot = run('src/main.ts', [], env({ DISCORD_MODE: 'http', DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_PORT: String(port) }));
    try {
      // A loaded machine may take a while to start the bot: wait for its start-up line.
      await bot.printed('is running');
      let response: Response | undefined;
      for (let attempt = 0; attempt < 200 && !response; attempt++) {
        response = await signedPing(`http://127.0.0.1:${port}/discord/interactions`).catch(() => undefined);
        if (!response) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(response?.status, bot.output().stderr).toBe(200);
      expect(await response!.json()).toEqual({ type: 1 });
      expect(bot.output().stdout).toContain('interactions endpoint');
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.output().stdout).not.toContain('MTIz.process.token');
  });

  it('npm run discord:register puts /coc to the configured server', async () => {
    const register = run('src/adapters/discord/register-cli.ts', [], env());
    expect(await register.exited, register.output().stderr).toBe(0);
    expect(register.output().stdout).toMatch(new RegExp(`Registered /coc \\(\\d+ subcommands\\), /coc-admin \\(\\d+ subcommands\\), /coc-incident \\(\\d+ subcommands\\) in server ${GUILD}`));
    // A server's commands are not offered in DMs (Discord applies contexts to global ones only): it says so.
    expect(register.output().stdout).toMatch(/not in DMs with the bot .*register with --global for DMs/);
    const put = fake.callsTo('PUT', new RegExp(`^/applications/${APP}/guilds/${GUILD}/commands$`));
    expect(put).toHaveLength(1);
    const commands = put[0]!.body as { name: string }[];
    expect(commands.map((c) => c.name)).toEqual(['coc', 'coc-admin', 'coc-incident']);
    const [command] = put[0]!.body as { name: string; options: unknown[]; name_localizations?: Record<string, string>; description_localizations?: Record<string, string> }[];
    expect(command!.name).toBe('coc');
    expect(command!.description_localizations?.['zh-CN']).toBeTruthy();
    expect(command!.options.length).toBeGreaterThan(5);
    expect(put[0]!.authorization).toBe('Bot MTIz.process.token');
    const global = run('src/adapters/discord/register-cli.ts', ['--global'], env());
    expect(await global.exited).toBe(0);
    expect(fake.callsTo('PUT', new RegExp(`^/applications/${APP}/commands$`))).toHaveLength(1);
    expect(global.output().stdout).toMatch(/globally/);
    expect(global.output().stdout).not.toMatch(/not in DMs/);
  });
});
