/**
 * "/as" switches people with the built-in simulator always; with COC_CHATOPS_SHELL_SWITCH_PEOPLE=1
 * against a platform on this machine only, so the setting left on against a real platform cannot
 * let one person request a run and approve it as another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback, switchesPeople } from '../src/adapters/shell/switch-people.js';

const KEY = 'COC_CHATOPS_SHELL_SWITCH_PEOPLE';
const before = process.env[KEY];
afterEach(() => {
  if (before === undefined) delete process.env[KEY];
  else process.env[KEY] = before;
});

describe('switching people in the terminal', () => {
  it('is always allowed with the built-in simulator, and never elsewhere without the setting', () => {
    delete process.env[KEY];
    expect(switchesPeople(true, undefined)).toBe(true);
    expect(switchesPeople(false, 'http://127.0.0.1:8080')).toBe(false);
  });

  it('with the setting: only against an endpoint on this machine', () => {
    process.env[KEY] = '1';
    for (const local of ['http://127.0.0.1:43117', 'http://localhost:9000/', 'https://127.8.0.1', 'http://[::1]:8080']) expect(switchesPeople(false, local), local).toBe(true);
    for (const remote of ['https://coc.cn-north-4.myhuaweicloud.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com', 'http://localhost.evil.test', 'not a url']) {
      expect(switchesPeople(false, remote), remote).toBe(false);
    }
    expect(switchesPeople(false, undefined)).toBe(false);
    process.env[KEY] = 'true';
    expect(switchesPeople(false, 'http://127.0.0.1:8080')).toBe(false);
  });

  it('reads hosts, not text: a loopback name inside a real host or a user part is not loopback', () => {
    expect(isLoopback('http://127.0.0.1@coc.example.com/')).toBe(false);
    expect(isLoopback('http://user:pw@127.0.0.1:1/')).toBe(true);
  });
});
