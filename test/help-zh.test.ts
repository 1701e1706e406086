/**
 * Help in Chinese: every command's summary and every argument's description has a zh-CN text
 * that is Chinese (not the English copied over), so `help` and `help <command>` never fall back
 * to English for a zh-CN reader. A new command or argument without one fails here by name.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { commandName } from '../src/core/command.js';
import type { ArgSpecs } from '../src/core/arguments/index.js';
import type { Text } from '../src/i18n/translate.js';

const CHINESE = /[\u4e00-\u9fff]/;

/** What reads English to a zh-CN reader: missing, empty, the English copied, or no Chinese at all. */
function notChinese(text: Text | undefined): boolean {
  const zh = text?.['zh-CN']?.trim();
  return !zh || zh === text?.['en-US'] || !CHINESE.test(zh);
}

describe('help in zh-CN', () => {
  it('has a Chinese summary for every command', () => {
    const missing = COMMANDS.filter((command) => notChinese(command.summary)).map(commandName);
    expect(missing).toEqual([]);
  });

  it('has a Chinese description for every argument of every command', () => {
    const missing = COMMANDS.flatMap((command) =>
      [
        ...Object.entries(command.positionals as ArgSpecs).map(([key, spec]) => ({ name: `<${key}>`, spec })),
        ...Object.entries(command.flags as ArgSpecs).map(([key, spec]) => ({ name: `--${key}`, spec })),
      ]
        .filter(({ spec }) => notChinese(spec.description))
        .map(({ name }) => `${commandName(command)} ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
