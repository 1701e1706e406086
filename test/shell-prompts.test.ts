/**
 * The terminal's prompts as a person meets them: a confirmation printed as whole lines (so the
 * prompt's redraw never erases it) that takes only y or yes, and only from a line typed after it
 * was printed; a MEDIUM run in two steps; "/as" only with the built-in simulator's demo people;
 * Ctrl-C cancelling an open form and asking before it quits; `--exec` lines that would wait for
 * answers failing without eating the next line; part of a name taken per field in the run form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { CTRL_C_TEXT } from '../src/adapters/shell/repl.js';
import { ShellSession } from '../src/adapters/shell/session.js';
import type { Host } from '../src/sim/state/model.js';
import { waitingText } from '../src/adapters/shell/waiting.js';
import { displayWidth } from '../src/adapters/shell/width.js';
import { DEMO_MAPPINGS, SHELL_WORKSPACE } from '../src/identity/demo.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';
import { sessionTerminal, testTerminal, type TestTerminal } from './helpers/shell-terminal.js';

const EXECUTE = 'POST /v1/job/scripts/{script_uuid}';

let bot: TestBot;
beforeAll(async () => {
  // lei: an operator who reads Chinese (acting with alice's COC identity).
  bot = await makeTestBot({ mappings: [...DEMO_MAPPINGS, { platform: 'shell', workspace: SHELL_WORKSPACE, user: 'lei', iamUser: 'alice', role: 'operator', locale: 'zh-CN' }] });
});
afterAll(async () => {
  await bot.close();
});

describe('confirmations', () => {
  it('a MEDIUM run starts in two steps: 1 (Run), then y; the question is whole lines before the prompt', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    bot.sim.resetRequests();
    expect(await session.handleLine('run restart_nginx --hosts web-01')).toContain('[1] Run   [2] Cancel');
    const asked = await session.handleLine('1');
    expect(asked).toMatch(/confirm once more/);
    expect(asked).toContain('[y] Run it   [n] Cancel');
    expect(asked).toContain('Type y or yes for "Run it"');
    expect(asked.endsWith('\n')).toBe(true);
    expect(session.prompt()).toBe('Run it? (y/n)> ');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(await session.handleLine('y')).toMatch(/Started: order SCT/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('a number (a key pressed twice) does not confirm; anything but y or yes says what was expected and sends nothing', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    bot.sim.resetRequests();
    await session.handleLine('run restart_nginx --hosts web-01');
    await session.handleLine('1');
    expect(await session.handleLine('1')).toContain('Not done: "Run" was not confirmed (got "1"; y or yes confirms).');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);

    await session.handleLine('run restart_nginx --hosts web-01');
    await session.handleLine('1');
    const no = await session.handleLine('sure');
    expect(no).toContain('Not done: "Run" was not confirmed (got "sure"; y or yes confirms).');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(session.prompt()).toBe('alice@coc> ');
  });

  it('a line read before the question was printed never answers it; the question stays open for a line typed after', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    bot.sim.resetRequests();
    const { input, done, screen, handledUpTo } = sessionTerminal(session, { tty: false, passTyped: true });
    // All three lines at once, as "printf 'run …\n1\ny\n' | npm start" types them: the y was read before the question.
    input.write('run restart_nginx --hosts web-01\n1\ny\n');
    await handledUpTo(3);
    expect(screen()).toContain('Not done: that line was typed before the question; answer it now.');
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
    expect(session.prompt()).toBe('Run it? (y/n)> ');
    // Typed after the question was printed: it answers.
    input.write('y\n');
    await handledUpTo(4);
    input.end();
    await done;
    expect(screen()).toMatch(/Started: order SCT/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(1);
  });

  it('"/as" switches people only against the built-in simulator: on a real platform the terminal stays the person it was started as', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice', 'en-US', false);
    const said = await session.handleLine('/as bob');
    expect(said).toContain('Not switched: this terminal acts as alice, the person it was started as.');
    expect(said).toContain('an approval needs two different people');
    expect(session.lastFailed).toBe(true);
    expect(session.prompt()).toBe('alice@coc> ');
    // Someone the bot does not know reads the configured language.
    const zh = new ShellSession(bot.dispatcher, PLAIN, 'erin', 'zh-CN', false);
    expect(await zh.handleLine('/as bob')).toContain('未切换：此终端以启动时的身份 erin 操作。');
  });

  it('survives the prompt redraw of a real terminal (readline with terminal: true)', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    const { input, done, screen, type } = sessionTerminal(session, { passTyped: true });
    await type('run restart_nginx --hosts web-01');
    await type('1');
    await type('y');
    input.end();
    await done;
    // What a terminal shows: every line as it stands after the carriage returns and clears.
    const shown = visibleLines(screen());
    const question = shown.findIndex((l) => l.includes('[y] Run it   [n] Cancel'));
    expect(question).toBeGreaterThan(0);
    expect(shown[question + 1]).toContain('Type y or yes for "Run it"');
    expect(shown[question + 2]).toMatch(/^Run it\? \(y\/n\)> y$/);
    expect(shown.some((l) => /Started: order SCT/.test(l))).toBe(true);
  });
});

/** A tiny terminal: \r goes to the line start, ESC[K / ESC[0J clear to its end, ESC[nG moves; enough for readline's redraw. */
function visibleLines(stream: string): string[] {
  const lines: string[] = [''];
  let col = 0;
  const put = (ch: string) => {
    const row = lines.length - 1;
    const line = lines[row]!.padEnd(col, ' ');
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < stream.length; i++) {
    const ch = stream[i]!;
    if (ch === '\u001b') {
      const m = /^\u001b\[(\d*)([A-Za-z])/.exec(stream.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      const n = Number(m[1] || '0');
      if (m[2] === 'G') col = Math.max(0, n - 1);
      else if (m[2] === 'K' || m[2] === 'J') lines[lines.length - 1] = lines.at(-1)!.slice(0, col);
      else if (m[2] === 'A') throw new Error('cursor up: not expected for one-line prompts');
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      lines.push('');
      col = 0;
    } else put(ch);
  }
  return lines;
}

describe('Ctrl-C', () => {
  it('cancels a form half-way (nothing sent), then asks before it quits; the second quits', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    bot.sim.resetRequests();
    const { input, done, screen, type } = sessionTerminal(session, { interrupt: () => session.cancelOpen() });
    await type('run');
    await type('disk_usage');
    expect(session.prompt()).toMatch(/^Hosts/);
    input.write('\u0003');
    expect(screen()).toContain('Canceled: nothing was sent.');
    expect(session.prompt()).toBe('alice@coc> ');
    input.write('\u0003');
    expect(screen()).toContain(CTRL_C_TEXT.again);
    input.write('\u0003');
    await done;
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });
});

describe('Ctrl-C while a line runs', () => {
  it('does not stop it: the first says so, the second quits once it has finished', async () => {
    let finish: (text: string) => void = () => undefined;
    let started = false;
    let finished = false;
    const { input, done, screen } = testTerminal(
      () => '> ',
      (line) => {
        if (line !== 'slow') return Promise.resolve(`ran ${line}\n`);
        started = true;
        return new Promise<string>((resolve) => {
          finish = (text) => {
            finished = true;
            resolve(text);
          };
        });
      },
    );
    input.write('slow\r');
    await expect.poll(() => started, { timeout: 10_000, interval: 5 }).toBe(true);
    input.write('\u0003');
    expect(screen()).toContain(CTRL_C_TEXT.running);
    input.write('\u0003');
    expect(screen()).toContain(CTRL_C_TEXT.quitting);
    // Lines typed ahead are not run after a quit.
    input.write('next\r');
    expect(finished).toBe(false);
    finish('slow done\n');
    await done;
    expect(screen()).toContain('slow done');
    expect(screen()).not.toContain('ran next');
  });
});

describe('--exec', () => {
  it('a preview waiting for Run fails with exit 1 and the next line still runs', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    bot.sim.resetRequests();
    const run = await session.execLine('run disk_usage --hosts web-01');
    expect(run.failed).toBe(true);
    expect(run.text).toContain('"run disk_usage --hosts web-01" needs answers: its reply waits for Run / Cancel, and --exec presses no buttons.');
    const orders = await session.execLine('orders');
    expect(orders.failed).toBe(false);
    expect(orders.text).toMatch(/Execution orders/);
    expect(bot.sim.countRequests(EXECUTE)).toBe(0);
  });

  it('a line that opens a form fails and does not take the next line as an answer', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    const form = await session.execLine('run');
    expect(form.failed).toBe(true);
    expect(form.text).toContain('"run" needs answers (Script, Hosts, ');
    expect(form.text).toContain('give them as flags on the same line ("help run" lists them');
    expect((await session.execLine('scripts')).text).toMatch(/^Scripts/);
  });
});

describe('part of a name in the run form', () => {
  it('one match is taken and said, several are listed to pick from, none is said at once', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine('run');
    expect(await session.handleLine('nosuchscript')).toContain('Script: nothing matches "nosuchscript".');
    expect(session.prompt()).toMatch(/^Script/);
    const script = await session.handleLine('disk');
    expect(script).toContain('disk → disk_usage');
    expect(session.prompt()).toMatch(/^Hosts/);
    const several = await session.handleLine('web-0');
    expect(several).toMatch(/Hosts: "web-0" matches \d+\. Type the number/);
    expect(several).toMatch(/\[1\] web-0/);
    expect(session.prompt()).toBe('Hosts: which one?> ');
    const picked = await session.handleLine('1');
    expect(picked).toMatch(/web-0 → web-0\d/);
    expect(session.prompt()).toMatch(/^Or every host with this tag/);
  });
});

describe('part of a name: what the list cannot show', () => {
  const RESOURCES = 'GET /v1/resources';
  // The list the resource routes read. A host COC cannot target (no resource id) cannot be made
  // through addHost, so these tests put such rows in the list themselves and take them out after.
  const hostList = () => bot.sim.world.hosts as Host[];

  it('more of the name typed at "which one?" is looked up instead of a number', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine('run');
    await session.handleLine('disk_usage');
    expect(await session.handleLine('web-0')).toMatch(/Type the number/);
    expect(session.prompt()).toBe('Hosts: which one?> ');
    await session.handleLine('web-01');
    expect(session.prompt()).toMatch(/^Or every host with this tag/);
    await session.handleLine('/cancel');
  });

  it('a name typed exactly as a host that cannot be targeted never picks another host containing it', async () => {
    const template = bot.sim.world.hosts.find((host) => host.name === 'web-01')!;
    // One host COC gives no resource id for (it cannot be targeted), one whose name contains its name.
    const untargetable = { ...template, id: 'f'.repeat(24), resourceId: '', name: 'solo-1', tags: [] };
    const other = { ...template, id: 'e'.repeat(24), resourceId: '0f0f0f0f-0000-4000-8000-000000000010', name: 'solo-10', tags: [] };
    hostList().push(untargetable, other);
    try {
      const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
      await session.handleLine('run');
      await session.handleLine('disk_usage');
      const barred = await session.handleLine('solo-1');
      expect(barred).toContain('Hosts: "solo-1" cannot be chosen: COC gives no id or region to target it by.');
      expect(barred).not.toContain('solo-10');
      expect(session.prompt()).toMatch(/^Hosts/);
      // Its part still finds the other host, said as it is taken.
      expect(await session.handleLine('solo')).toContain('solo → solo-10');
      await session.handleLine('/cancel');
    } finally {
      hostList().splice(hostList().indexOf(untargetable), 1);
      hostList().splice(hostList().indexOf(other), 1);
    }
  });

  it('one host of a list cut at a page is listed to pick from, said as "more than", not taken', async () => {
    const template = bot.sim.world.hosts.find((host) => host.name === 'web-01')!;
    // One host COC can target and 50 it cannot, all containing "bulk": the page of 50 holds one option.
    const added = Array.from({ length: 51 }, (_, i) => ({
      ...template,
      id: (i + 1).toString(16).padStart(24, 'a'),
      resourceId: i === 0 ? '0f0f0f0f-0000-4000-8000-000000000051' : '',
      name: `bulk-${String(i).padStart(2, '0')}`,
      tags: [],
    }));
    hostList().push(...added);
    try {
      const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
      await session.handleLine('run');
      await session.handleLine('disk_usage');
      const more = await session.handleLine('bulk');
      expect(more).not.toContain('bulk →');
      expect(session.prompt()).toBe('Hosts: which one?> ');
      expect(more).toContain('Hosts: more than');
      expect(more).toContain('type more of its name');
      // A text whose page holds nothing that can be chosen says so (not "nothing matches").
      (added[0] as { resourceId: string }).resourceId = '';
      const none = await session.handleLine('ulk');
      expect(none).toContain('Hosts: more match "ulk" than one search shows, and none of those shown can be chosen. Type more of its name.');
      expect(none).not.toContain('nothing matches');
      await session.handleLine('/cancel');
    } finally {
      for (const host of added) hostList().splice(hostList().indexOf(host), 1);
    }
  });

  it('a failed search says so, and why, instead of "nothing matches"', async () => {
    const session = new ShellSession(bot.dispatcher, PLAIN, 'alice');
    await session.handleLine('run');
    await session.handleLine('disk_usage');
    bot.sim.faults.set(RESOURCES, { kind: 'status', status: 503 });
    try {
      const failed = await session.handleLine('nosuchhost');
      expect(failed).toContain('Hosts: could not look "nosuchhost" up, so nothing was chosen.');
      expect(failed).not.toContain('nothing matches');
      expect(session.prompt()).toMatch(/^Hosts/);
    } finally {
      bot.sim.faults.clear();
    }
    expect(await session.handleLine('web-01')).not.toContain('could not');
    expect(session.prompt()).toMatch(/^Or every host with this tag/);
    await session.handleLine('/cancel');
  });
});

describe('at 80 columns', () => {
  const narrow = { ...PLAIN, columns: () => 80 };
  const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

  it('the "which one?" list and --exec failures are wrapped to the width, in English and Chinese', async () => {
    for (const user of ['alice', 'lei']) {
      const session = new ShellSession(bot.dispatcher, narrow, user);
      await session.handleLine('run');
      await session.handleLine('disk_usage');
      const several = await session.handleLine('web-0');
      expect(session.prompt()).toMatch(/which one|选哪一个/);
      expect(widest(several)).toBeLessThanOrEqual(80);
      await session.handleLine('/cancel');
      const form = await session.execLine('run');
      expect(form.failed).toBe(true);
      expect(widest(form.text)).toBeLessThanOrEqual(80);
      const preview = await session.execLine('run disk_usage --hosts web-01');
      expect(widest(preview.text)).toBeLessThanOrEqual(80);
    }
  });
});

describe('a COC that does not answer', () => {
  it('is said within two seconds, then once at the read deadline, in seconds', async () => {
    // A second bot on the same simulator, with a read deadline short enough for a test.
    const slow = await makeTestBot({ simulator: bot.sim, cocClient: { timeoutMs: 300, retry: { budgetMs: 600 } } });
    try {
      const session = new ShellSession(slow.dispatcher, PLAIN, 'alice');
      // The notice's clock: three seconds pass the moment the line starts waiting, whatever the machine's load.
      const said: string[] = [];
      const terminal: TestTerminal = sessionTerminal(session, {
        waitingFor: 'COC',
        every: (_ms, tick) => {
          for (let second = 1; second <= 3; second++) {
            tick();
            said.push(terminal.screen());
          }
          return () => undefined;
        },
      });
      bot.sim.faults.set('GET /v1/job/script/orders', { kind: 'hang', times: 100 });
      await terminal.type('orders');
      terminal.input.end();
      await terminal.done;
      const screen = terminal.screen();
      // Nothing after one second; the notice at two, rewritten in place at three.
      expect(said[0]).not.toContain('still waiting');
      expect(said[1]!.endsWith(`\r\u001b[2K${waitingText('COC', 2)}`)).toBe(true);
      expect(said[2]!.endsWith(`\r\u001b[2K${waitingText('COC', 3)}`)).toBe(true);
      const shown = visibleLines(screen);
      const answers = shown.filter((l) => l.includes('did not answer within'));
      expect(answers, screen).toHaveLength(1);
      expect(answers[0]).toMatch(/^COC did not answer within 0\.\d s\. Nothing was changed; try again in a moment\.$/);
      // The notice was wiped where the answer came.
      expect(shown.some((l) => l.includes('still waiting'))).toBe(false);
    } finally {
      bot.sim.faults.clear();
      await slow.close();
    }
  });
});
