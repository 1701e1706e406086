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

describe('a first word that starts several commands', () => {
  it('lists them', async () => {
    const reply = await bot.run('carol', 'order');
    const listed = /"order" needs one more word: (.*)\./.exec(reply)?.[1]?.split(', ') ?? [];
    expect(listed).toEqual(expect.arrayContaining(['order show', 'order pause', 'order continue', 'order cancel']));
  });
});
