/**
 * How typed arguments read to people, over every command the deployment offers: a missing
 * positional is asked for in a sentence (never a capitalised description dropped into one) with
 * the usage line, in both languages; help says how long a text may be; a form never offers a
 * hidden choice.
 */
import { describe, expect, it } from 'vitest';
import { declaredBackend } from '../src/app/backends.js';
import { commandRegistry } from '../src/app/commands.js';
import { parseArgs } from '../src/core/args.js';
import { ArgumentRefusal, arg, flagSpecsOf, formFields, fromForm, helpFields, needsArgument, typedArgs, usageLine, type SomeTypedCommand } from '../src/core/arguments/index.js';
import { translator, type Locale } from '../src/i18n/translate.js';

const d = (en: string, zh: string) => ({ 'en-US': en, 'zh-CN': zh });
const registry = commandRegistry(declaredBackend());
const typed = registry.commands.filter((command): command is SomeTypedCommand & typeof command => 'positionals' in command && command.positionals !== undefined);

function missingReply(command: SomeTypedCommand, locale: Locale): string {
  try {
    typedArgs(parseArgs([], flagSpecsOf(command.flags)), command, { t: translator(locale), locale, limits: registry.limits });
  } catch (error) {
    if (error instanceof ArgumentRefusal) return error.reply.text!;
    throw error;
  }
  throw new Error(`${command.words.join(' ')} ran without its positional`);
}

describe('a missing positional', () => {
  const needing = typed.filter((command) => needsArgument(command));

  it('is asked for by what it is, with the usage line, in both languages, for every command that needs one', () => {
    expect(needing.length).toBeGreaterThan(10);
    for (const command of needing) {
      for (const locale of ['en-US', 'zh-CN'] as const) {
        const reply = missingReply(command, locale);
        // "Which incident number?", never "Which Incident number" (an acronym such as IAM keeps its capitals).
        expect(reply, `${command.words.join(' ')} (${locale})`).not.toMatch(/\b(?:[Ss]ay )?[Ww]hich [A-Z][a-z]/);
        expect(reply, `${command.words.join(' ')} (${locale})`).toContain(usageLine(command, locale, registry.limits));
      }
    }
  });

  it('reads as a question in English and a request in Chinese', () => {
    const show = needing.find((command) => command.words.join(' ') === 'incident show')!;
    expect(missingReply(show, 'en-US')).toBe('Which incident number? Usage: incident show <incident-number>');
    expect(missingReply(show, 'zh-CN')).toBe('请指明事件编号。用法：incident show <incident-number>');
  });
});

describe('help and forms', () => {
  const source = {
    positionals: {},
    flags: {
      note: arg.string({ max: 200, description: d('A note', '备注') }),
      level: arg.enum({ choices: [{ value: 'LOW', typed: 'low' }, { value: 'HIGH', typed: 'high' }, { value: 'HIGH', typed: 'hi', hidden: true }], description: d('Level', '级别') }),
    },
  };

  it('say how long a text may be, in both languages', () => {
    const command = { ...source, words: ['noted'] } as unknown as SomeTypedCommand;
    expect(helpFields(command, translator('en-US'))[0]).toEqual({ label: '--note', value: 'A note (at most 200 characters)' });
    expect(helpFields(command, translator('zh-CN'))[0]).toEqual({ label: '--note', value: '备注（最多 200 个字符）' });
  });

  it('offer only the choices people are shown, yet accept a hidden one', () => {
    const [, level] = formFields(source, translator('en-US'));
    expect(level).toMatchObject({ kind: 'select', options: [{ value: 'low' }, { value: 'high' }] });
    expect(fromForm({ level: 'nope' }, source, { t: translator('en-US') })).toEqual({ errors: { level: 'one of: low, high' } });
    expect(fromForm({ level: 'hi' }, source, { t: translator('en-US') })).toMatchObject({ args: { level: 'HIGH' } });
  });
});
