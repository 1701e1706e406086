/** The dispatcher's own replies (help, refusals, errors) follow the reader's language. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestBot, type TestBot } from './helpers/bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({
    locale: 'zh-CN',
    mappings: [
      { platform: 'shell', workspace: 'local', user: 'carol', iamUser: 'carol', role: 'viewer' },
      { platform: 'shell', workspace: 'local', user: 'erin', iamUser: 'erin', role: 'operator', locale: 'en-US' },
    ],
  });
});
afterAll(() => bot.close());

describe('dispatcher texts in the reader\'s language', () => {
  it('help and a role refusal in zh-CN for a zh-CN user', async () => {
    expect(await bot.run('carol', 'help')).toContain('您在此处可用的 coc-chatops 命令');
    const refused = await bot.run('carol', 'order cancel SCT0000 --yes');
    expect(refused).toContain('此操作需要 operator 或更高角色');
  });

  it('an unmapped user gets the configured language', async () => {
    expect(await bot.run('mallory', 'scripts')).toContain('您尚未关联 COC（IAM）用户');
  });

  it('a user whose mapping says en-US reads English', async () => {
    expect(await bot.run('erin', 'help')).toContain('coc-chatops commands you can use here');
  });

  it('a refused COC input is titled in the reader\'s language', async () => {
    expect(await bot.run('carol', 'scripts show "a\uD800"')).toMatch(/命令有误|未发送到 COC/);
  });
});

describe("the command line's refusals in the reader's language", () => {
  it('says what was wrong and what is allowed in zh-CN, and in English for an en-US reader', async () => {
    const cases: [string, RegExp, RegExp][] = [
      ['hosts --agen ONLINE', /未知选项 --agen。您是不是想输入 --agent？可用选项：/, /unknown option --agen\. Did you mean --agent\? Allowed: /],
      ['whoami now', /whoami 不接受普通词语，收到的是“now”。请改用它的 --选项（输入“help whoami”查看）。/, /whoami takes no plain words, got "now"\. Use its --options instead \(type "help whoami"\)\./],
      ['orders --mine --mine', /--mine 给出了多次；只能给一次。/, /--mine was given more than once; give it once\./],
      ['orders --mine=yes', /--mine 是开关选项，不接受值。/, /--mine is a switch and takes no value\./],
      ['scripst', /未知命令“scripst”。您是不是想输入“scripts”？输入“help”查看命令列表。/, /unknown command "scripst"\. Did you mean "scripts"\? Type "help" for the list\./],
      ['order', /“order”后面还需要一个词：/, /"order" needs one more word: /],
      ['scripts show "disk', /" 引号没有闭合/, /a " quote is not closed/],
      ['scripts \uD800', /命令在第 9 个位置含有损坏的字符/, /The command holds a broken character .* at position 9/],
    ];
    for (const [line, zh, en] of cases) {
      const chinese = await bot.run('carol', line);
      expect(chinese, line).toContain('命令有误');
      expect(chinese, line).toMatch(zh);
      expect(await bot.run('erin', line), line).toMatch(en);
    }
  });
});

describe('a first word that starts several commands', () => {
  it('lists them', async () => {
    const reply = await bot.run('erin', 'order');
    const listed = /"order" needs one more word: (.*)\./.exec(reply)?.[1]?.split(', ') ?? [];
    expect(listed).toEqual(expect.arrayContaining(['order show', 'order pause', 'order continue', 'order cancel']));
  });
});
