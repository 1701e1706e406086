/**
 * `npm start` with Slack configured, as an operator would run it (a separate process, settings
 * from the environment and a config file), against the fake Slack Web API: it starts the Slack
 * adapter instead of the terminal prompt, answers a signed /coc, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './helpers/fake-slack.js';
import { commandBody, signedPost } from './helpers/slack-requests.js';
import { SLACK_PEOPLE, TEAM, waitFor } from './helpers/slack-bot.js';
import { nodeArgsFor } from './helpers/entry-point.js';

const SECRET = 'start-test-signing-secret';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

describe('npm start with Slack configured', () => {
  let fake: FakeSlack;
  let workDir: string;
  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: TEAM });
    workDir = mkdtempSync(join(tmpdir(), 'coc-slack-start-'));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the Slack adapter in HTTP mode, answers /coc, and stops on SIGTERM', async () => {
    const port = await freePort();
    const configFile = join(workDir, 'coc-chatops.json');
    writeFileSync(configFile, JSON.stringify({ identity: { mappings: [{ platform: 'slack', workspace: TEAM, user: 'U0ALICE', iamUser: 'alice', role: 'operator' }] } }));
    const child = spawn(process.execPath, nodeArgsFor('src/main.ts'), {
      cwd: workDir,
      env: {
        PATH: process.env['PATH'],
        HOME: workDir,
        NO_COLOR: '1',
        COC_CHATOPS_CONFIG: configFile,
        COC_CHATOPS_DATA_DIR: 'memory://',
        COC_OPS_PORT: '0',
        COC_LOG_LEVEL: 'error',
        SLACK_BOT_TOKEN: 'xoxb-start-test',
        SLACK_MODE: 'http',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_PORT: String(port),
        SLACK_API_URL: fake.apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => stdout.includes('coc-chatops is running'), `the start-up line (stderr: ${stderr})`);
      expect(stdout).toContain(`coc-chatops is running: Slack (HTTP, Request URL http://`);
      expect(stdout).toContain(`:${port}/slack/events)`);
      expect(stdout).not.toContain('coc> ');
      expect(fake.callsOf('auth.test')[0]?.token).toBe('xoxb-start-test');

      const body = commandBody(SLACK_PEOPLE.alice, 'whoami', { responseUrl: fake.responseUrl('start-whoami') });
      const response = await signedPost(`http://127.0.0.1:${port}/slack/events`, SECRET, body);
      expect(response.status).toBe(200);
      const [answer] = await waitFor(() => fake.responsesTo('start-whoami').length > 0 && fake.responsesTo('start-whoami'), 'the answer');
      expect(JSON.stringify(answer!.body)).toContain('alice');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('xoxb-start-test');
    expect(stderr).not.toContain(SECRET);
  });
});
