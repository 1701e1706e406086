/**
 * The inventory commands (scripts, hosts, patch, alarm, admin) as their typed declarations and
 * the backend make them: usage lines generated from the data with the platform's own codes as
 * choices, filters and public scripts only where the backend offers them, and `alarm` present
 * even when alarms cannot be sent (it says how to set them up).
 */
import { describe, expect, it } from 'vitest';
import { commandRegistry } from '../src/app/commands.js';
import type { Backend } from '../src/backends/index.js';
import { declaredCocBackend } from '../src/backends/coc/index.js';
import { parseArgs } from '../src/core/args.js';
import { ArgumentRefusal, flagSpecsOf, typedArgs, usageLine, type SomeTypedCommand } from '../src/core/arguments/index.js';
import type { Registry } from '../src/core/registry.js';
import { translator } from '../src/i18n/translate.js';

function typed(registry: Registry, words: string): SomeTypedCommand | undefined {
  const command = registry.commands.find((candidate) => candidate.words.join(' ') === words);
  return command;
}

/** The line as the parser reads it (plain words only: no quotes in these cases). */
function parsed(command: SomeTypedCommand, line: string) {
  return parseArgs(line.split(' '), flagSpecsOf(command.flags));
}

function usage(registry: Registry, words: string): string | undefined {
  const command = typed(registry, words);
  return command && usageLine(command, 'en-US', registry.limits);
}

describe('inventory commands over the COC backend', () => {
  const registry = commandRegistry(declaredCocBackend());

  it('generates each usage line from the declaration, with COC\'s own codes as the choices', () => {
    expect(usage(registry, 'scripts')).toBe('scripts [--name <text>] [--risk low|medium|high] [--type shell|python|bat] [--limit 1-100] [--after <id>]');
    expect(usage(registry, 'scripts show')).toBe('scripts show <name|uuid>');
    expect(usage(registry, 'public scripts')).toBe('public scripts [--name <text>] [--risk low|medium|high] [--type shell|python|bat] [--limit 1-100] [--after <id>]');
    expect(usage(registry, 'public script show')).toBe('public script show <name|uuid>');
    expect(usage(registry, 'hosts')).toBe(
      'hosts [--name <text>] [--tag <key=value>] [--agent online|offline|installing|failed|uninstalled] [--region <id>] [--limit 1-100] [--after <id>]',
    );
    expect(usage(registry, 'patch')).toBe('patch [--status non-compliant|compliant] [--host <name>] [--region <id>] [--limit 1-100] [--page <n>]');
    expect(usage(registry, 'patch show')).toBe(
      'patch show <host name|report id> [--status installed|installed-other|missing|reject|failed|pending-reboot] [--limit 1-100] [--page <n>]',
    );
    expect(usage(registry, 'alarm')).toBe('alarm --name <text> [--level critical|major|minor|info] [--desc <text>] [--resource <host>] [--app <name-or-id>] [--ok]');
    expect(usage(registry, 'admin link')).toBe('admin link <platform-user-id> <iam-user> <viewer|operator|approver|admin> [--locale en-US|zh-CN] [--iam-user-id <iam-user-id>]');
    expect(usage(registry, 'admin unlink')).toBe('admin unlink <platform-user-id>');
    expect(usage(registry, 'admin users')).toBe('admin users');
  });

  it('hands the handler the platform\'s own codes, defaults filled in', () => {
    const t = translator('en-US');
    const env = { t, locale: 'en-US' as const, limits: registry.limits };
    const hosts = typed(registry, 'hosts')!;
    expect(typedArgs(parsed(hosts, '--agent offline --tag env=prod'), hosts, env)).toMatchObject({ agent: 'OFFLINE', tag: { key: 'env', value: 'prod' }, limit: 20 });
    const patchShow = typed(registry, 'patch show')!;
    expect(typedArgs(parsed(patchShow, 'web-01 --status pending_reboot'), patchShow, env)).toMatchObject({ 'host-name-or-report-id': 'web-01', limit: 30, page: 1 });
    const alarm = typed(registry, 'alarm')!;
    const alarmArgs = typedArgs(parsed(alarm, '--name x --ok'), alarm, env);
    expect(alarmArgs).toMatchObject({ name: 'x', ok: true });
    // No made-up default application: --app, else the configured one, else the command asks.
    expect(alarmArgs).not.toHaveProperty('app', 'coc-chatops');
    const link = typed(registry, 'admin link')!;
    expect(typedArgs(parsed(link, 'erin erin Operator --locale zh_cn'), link, env)).toMatchObject({ role: 'operator', locale: 'zh-CN' });
  });

  it('says what to type instead of "public scripts show <name>"', () => {
    const command = typed(registry, 'public scripts')!;
    const refused = (() => {
      try {
        typedArgs(parsed(command, 'show COC_Reboot_Host'), command, { t: translator('en-US'), locale: 'en-US', limits: registry.limits });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ArgumentRefusal);
    expect((refused as ArgumentRefusal).reply.text).toBe('Did you mean "public script show COC_Reboot_Host"?');
  });
});

describe('inventory commands over a backend that offers less', () => {
  const coc = declaredCocBackend();
  const lesser: Backend = {
    ...coc,
    hosts: { ...coc.hosts!, filters: new Set() },
    scripts: { ...coc.scripts!, publicScripts: false },
    alarms: { ...coc.alarms!, report: undefined },
  };
  const registry = commandRegistry(lesser);

  it('leaves out the host filters and the public scripts it cannot serve', () => {
    expect(usage(registry, 'hosts')).toBe('hosts [--name <text>] [--limit 1-100] [--after <id>]');
    expect(typed(registry, 'public scripts')).toBeUndefined();
    expect(typed(registry, 'public script show')).toBeUndefined();
    expect(typed(registry, 'scripts')).toBeDefined();
  });

  it('keeps alarm, which then explains how to set alarms up', () => {
    expect(typed(registry, 'alarm')).toBeDefined();
  });
});
