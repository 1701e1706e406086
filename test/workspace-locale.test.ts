/**
 * The language of a reply: the person's own choice, else their workspace's, else the
 * configuration's — also for people the bot does not know yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../src/core/invocation.js';
import { PLAIN } from '../src/adapters/shell/ansi.js';
import { renderMessage } from '../src/adapters/shell/render.js';
import { makeTestBot, type TestBot } from './helpers/bot.js';

const CHINESE_TEAM = 'T0CHINA01';
const OTHER_TEAM = 'T0OTHER01';

let bot: TestBot;
beforeAll(async () => {
  bot = await makeTestBot({
    config: { identity: { workspaces: [{ platform: 'slack', workspace: CHINESE_TEAM, locale: 'zh-CN' }], mappings: [] } },
    mappings: [
      { platform: 'slack', workspace: CHINESE_TEAM, user: 'U0FOLLOWS', iamUser: 'alice', role: 'operator' },
      { platform: 'slack', workspace: CHINESE_TEAM, user: 'U0ENGLISH', iamUser: 'bob', role: 'approver', locale: 'en-US' },
      { platform: 'slack', workspace: OTHER_TEAM, user: 'U0ELSEWHR', iamUser: 'carol', role: 'viewer' },
      { platform: 'slack', workspace: CHINESE_TEAM, user: 'U0ADMIN01', iamUser: 'dave', role: 'admin' },
    ],
  });
});
afterAll(() => bot.close());

async function say(team: string, user: string, text: string): Promise<string> {
  const invocation: Invocation = { kind: 'command', actor: { platform: 'slack', workspaceId: team, userId: user }, place: { channelId: 'C0OPS0001', isDirect: false }, text };
  return renderMessage(await bot.handle(invocation), PLAIN);
}

describe('the language of replies', () => {
  it("follows the workspace for someone who chose none, and their own choice wins", async () => {
    expect(await say(CHINESE_TEAM, 'U0FOLLOWS', 'whoami')).toMatch(/您在 COC 中的身份是 alice/);
    expect(await say(CHINESE_TEAM, 'U0ENGLISH', 'whoami')).toMatch(/You are bob in COC/);
    expect(await say(OTHER_TEAM, 'U0ELSEWHR', 'whoami')).toMatch(/You are carol in COC/);
  });

  it('answers someone not linked yet in their workspace language', async () => {
    expect(await say(CHINESE_TEAM, 'U0NOBODY1', 'hosts')).not.toMatch(/[A-Za-z]{4,} (is|are) not linked/);
    expect(await say(CHINESE_TEAM, 'U0NOBODY1', 'hosts')).toMatch(/[\u4e00-\u9fff]/);
    expect(await say(OTHER_TEAM, 'U0NOBODY1', 'hosts')).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('a person linked from chat without --locale keeps following the workspace', async () => {
    await say(CHINESE_TEAM, 'U0ADMIN01', 'admin link U0NEWBIE1 erin viewer');
    expect(await say(CHINESE_TEAM, 'U0NEWBIE1', 'whoami')).toMatch(/您在 COC 中的身份是 erin/);
    await say(CHINESE_TEAM, 'U0ADMIN01', 'admin link U0NEWBIE1 erin viewer --locale en-US');
    expect(await say(CHINESE_TEAM, 'U0NEWBIE1', 'whoami')).toMatch(/You are erin in COC/);
    // A re-link that does not name a language keeps the one chosen.
    await say(CHINESE_TEAM, 'U0ADMIN01', 'admin link U0NEWBIE1 erin operator');
    expect(await say(CHINESE_TEAM, 'U0NEWBIE1', 'whoami')).toMatch(/You are erin in COC/);
  });
});
