/**
 * The terminal's own words: in the acting person's language (a zh-CN person meets no English
 * sentence of the terminal's through a form, a partial name, a confirmation and Ctrl-C); `--exec`
 * of a read whose card has buttons succeeds, while a run preview (which waits for Run) fails;
 * "/as" of someone unknown keeps the person acting; a signal ends `--exec` after the line running.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { runExecLines } from '../src/adapters/shell/exec.js';
import { firstScreen } from '../src/adapters/shell/first-screen.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { described } from '../src/backends/coc/connect.js';
import { CONNECTED_TEXTS } from '../src/i18n/catalogues/connected.js';
import { phrase } from '../src/i18n/phrase.js';
import { ctrlCText } from '../src/adapters/shell/repl.js';
import { ShellSession, type ExecResult } from '../src/adapters/shell/session.js';
import { waitingText } from '../src/adapters/shell/waiting.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { sessionTerminal } from './helpers/shell-terminal.js';

const HIGH_LINE = 'run rotate_db_password --hosts db-01 --param db_user=app --param new_password=Lang_S3cret';

let bot: TestBot;
beforeAll(async () => {
  // lei: an operator who reads Chinese (acting with alice's COC identity).
  bot = await makeTestBot({ mappings: [...DEMO_MAPPINGS, { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'lei', iamUser: 'alice', role: 'operator', locale: 'zh-CN' }] });
});
afterAll(async () => {
  await bot.close();
});

/** The terminal's own English sentences (and parts) a zh-CN person must not meet. */
const ENGLISH = [
  'Answer each field',
  'Type a number to choose',
  'the numbers answer',
  'Sensitive:',
  'Empty line keeps',
  'nothing matches',
  'which one?',
  'Type y or yes',
  'Not done:',
  'was not confirmed',
  'Canceled: nothing was sent.',
  'Press Ctrl-C again',
  '(optional)',
  'matches',
  'Now acting as',
];

describe('a zh-CN person at the prompt', () => {
  it('meets the terminal in Chinese: a form, part of a name, a confirmation, Ctrl-C', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'lei');
    const { input, done, screen: printed, type } = sessionTerminal(session, { interrupt: () => session.cancelOpen(), locale: () => session.locale });
    // A form, a name nothing matches, part of a name, several matches.
    await type('run');
    await type('nosuchscript');
    await type('disk');
    await type('web-0');
    expect(session.prompt()).toMatch(/选哪一个？> $/);
    await type('1');
    await type('');
    await type('');
    await type('');
    input.write('\u0003');
    // A MEDIUM run: Run, then a question answered with something else.
    await type('run restart_nginx --hosts web-01');
    await type('1');
    await type('sure');
    input.write('\u0003');
    input.write('\u0003');
    await done;
    const screen = printed();
    for (const english of ENGLISH) expect(screen, english).not.toContain(english);
    for (const chinese of ['请逐项填写', '没有与“nosuchscript”匹配的项', 'disk → disk_usage', '匹配到', '输入数字进行选择', '输入 y 或 yes 表示', '未执行：“', '已取消：未发送任何内容。', '再按一次 Ctrl-C 或按 Ctrl-D 退出。', '空行保留：10', '（可选）> ']) {
      expect(screen, chinese).toContain(chinese);
    }
    expect(waitingText('COC', 4, session.locale)).toBe('仍在等待 COC… 4 秒');
    expect(ctrlCText('zh-CN').running).toContain('命令仍在运行');
  });

  it('a form that needs answers under --exec is said in Chinese', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'lei');
    const form = await session.execLine('run');
    expect(form.failed).toBe(true);
    expect(form.text).toContain('“run”需要填写（');
    expect(form.text).not.toContain('needs answers');
  });
});

describe('the first screen', () => {
  const facts = {
    connectedTo: described(phrase(CONNECTED_TEXTS.cocSimulator, { url: 'http://127.0.0.1:4010', seed: 7 })).describedAs,
    simulatorNote: phrase(CONNECTED_TEXTS.worldRestored, { where: 'data/sim-world.json', orders: 3 }),
    store: 'SQLite at data/chatops.db',
    demoPeople: true,
  };

  it('in the configured zh-CN', () => {
    const shown = renderMessage(firstScreen({ locale: 'zh-CN', ...facts }), PLAIN);
    expect(shown).toContain('已连接：内置 COC 模拟器 http://127.0.0.1:4010（种子 7）。存储：SQLite at data/chatops.db。');
    expect(shown).toContain('模拟器：已从 data/sim-world.json 恢复数据，共 3 个工单。');
    expect(shown).toContain('演示用户：alice（operator）');
    expect(shown).toContain('输入 "help" 查看命令');
    for (const english of ['Connected to', 'Simulator:', 'Demo people', 'Type "help"']) expect(shown).not.toContain(english);
  });

  it('in English', () => {
    const shown = renderMessage(firstScreen({ locale: 'en-US', ...facts }), PLAIN);
    expect(shown).toContain('Connected to the built-in COC simulator at http://127.0.0.1:4010 (seed 7). Store: SQLite at data/chatops.db.');
    expect(shown).toContain('Simulator: world restored from data/sim-world.json, 3 orders.');
    expect(shown).toContain('Demo people: alice (operator), bob (approver), carol (viewer), dave (admin); switch with "/as bob".');
  });
});

describe('--exec of a card with buttons', () => {
  it('a read succeeds (approvals, approval show, incident show); a run preview still fails', async () => {
    const alice = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    // An approval request to show: alice previews a HIGH run and asks for approval.
    await alice.handleLine(HIGH_LINE);
    await alice.handleLine('1');
    const bob = new ShellSession(bot.dispatcher, PLAIN, 'bob');
    const approvals = await bob.execLine('approvals');
    expect(approvals.text).toContain('[1]');
    expect(approvals.failed).toBe(false);
    const id = /\b(apr[-_][\w-]+|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\b/.exec(approvals.text)?.[1];
    expect(id, approvals.text).toBeDefined();
    const shown = await bob.execLine(`approval show ${id}`);
    expect(shown.text).not.toContain('needs answers');
    expect(shown.failed).toBe(false);

    const incidents = await bob.execLine('incidents');
    const incident = /\b(IM\d+)\b/.exec(incidents.text)?.[1];
    expect(incident, incidents.text).toBeDefined();
    const incidentShown = await bob.execLine(`incident show ${incident}`);
    expect(incidentShown.text).not.toContain('needs answers');
    expect(incidentShown.failed).toBe(false);

    const preview = await alice.execLine('run disk_usage --hosts web-01');
    expect(preview.failed).toBe(true);
    expect(preview.text).toContain('needs answers: its reply waits for Run / Cancel');
  });
});

describe('/as', () => {
  it('someone unknown: says who is here and keeps the person acting', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    const answer = await session.handleLine('/as zed');
    expect(answer).toContain('No person "zed" here. People: alice (operator), bob (approver), carol (viewer), dave (admin)');
    expect(answer).toContain('Still acting as alice.');
    expect(session.user).toBe('alice');
    expect(session.prompt()).toBe('alice@coc> ');
    expect(await session.handleLine('/as bob')).toContain('Now acting as bob.');
    expect(session.user).toBe('bob');
  });

  it('in Chinese for a zh-CN person', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'lei');
    expect(await session.handleLine('/as zed')).toContain('这里没有名为“zed”的人。可用的人：alice (operator)');
    expect(session.user).toBe('lei');
  });
});

describe('--exec and signals', () => {
  it('SIGTERM finishes the line running, runs no later line and exits 143; SIGINT 130', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const ran: string[] = [];
      let finish: () => void = () => undefined;
      let started = false;
      const output = new PassThrough();
      const exit = runExecLines({
        lines: ['slow', 'next'],
        output,
        waitingFor: 'COC',
        every: () => () => undefined,
        execLine: (line) => {
          ran.push(line);
          started = true;
          return new Promise<ExecResult>((resolve) => {
            finish = () => resolve({ text: `${line} done\n`, failed: false });
          });
        },
      });
      await expect.poll(() => started, { timeout: 10_000, interval: 5 }).toBe(true);
      // As a signal delivered to the process: its listeners run, nothing is killed.
      process.emit(signal);
      finish();
      expect(await exit).toBe(code);
      expect(ran).toEqual(['slow']);
      expect(output.read()?.toString()).toBe('slow done\n');
    }
  });
});
