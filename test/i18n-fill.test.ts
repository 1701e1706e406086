/** Filling catalogue texts: plain values, and the word that fits a count in English. */
import { describe, expect, it } from 'vitest';
import { fill, translator } from '../src/i18n/translate.js';

describe('filling a text', () => {
  it('puts values in, and leaves an unknown placeholder as it is', () => {
    expect(fill('Run {script} now', { script: 'disk_usage' })).toBe('Run disk_usage now');
    expect(fill('Run {script} now')).toBe('Run {script} now');
  });

  it('picks the word that fits the count', () => {
    const text = 'Run {script} on {hosts:host|hosts}?';
    expect(fill(text, { script: 'x', hosts: 1 })).toBe('Run x on 1 host?');
    expect(fill(text, { script: 'x', hosts: 0 })).toBe('Run x on 0 hosts?');
    expect(fill(text, { script: 'x', hosts: 25 })).toBe('Run x on 25 hosts?');
    expect(fill(text, { script: 'x', hosts: '1' })).toBe('Run x on 1 host?');
  });

  it('is used for the run preview in English, and Chinese needs none', async () => {
    const { RUN_TEXT } = await import('../src/run/messages.js');
    expect(translator('en-US')(RUN_TEXT.previewTitle, { script: 'disk_usage', hosts: 1 })).toBe('Run disk_usage on 1 host?');
    expect(translator('zh-CN')(RUN_TEXT.previewTitle, { script: 'disk_usage', hosts: 1 })).toBe('在 1 台主机上执行 disk_usage？');
  });
});
