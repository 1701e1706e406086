/**
 * A typed line as it is echoed or kept: every secret flag's value hidden, whatever way it was
 * typed (separate word, `--flag=value`, quoted, typographic quotes, an unclosed quote), and
 * nothing else changed in meaning.
 */
import { describe, expect, it } from 'vitest';
import type { MaskRules } from '../src/core/arguments/mask.js';
import { HIDDEN_VALUE, maskCommandLine } from '../src/core/mask-line.js';
import { tokenize } from '../src/core/tokenize.js';

// Script parameters keep their names (pairs); a token is hidden whole.
const SECRET: MaskRules = new Map([
  ['param', 'pair'],
  ['token', 'whole'],
]);
const mask = (line: string) => maskCommandLine(line, SECRET);

describe('maskCommandLine', () => {
  it('hides script parameter values but keeps their names', () => {
    expect(mask('run rotate_db_password --hosts db-01 --param db_user=app --param new_password=N3w_s3cret')).toBe(
      `run rotate_db_password --hosts db-01 --param db_user=${HIDDEN_VALUE} --param new_password=${HIDDEN_VALUE}`,
    );
  });

  it('hides values typed inline, quoted, with typographic quotes or escaped spaces', () => {
    const lines = ['run x --param=pw=Sec-1', 'run x --param "pw=Sec 1"', 'run x --param pw=“Sec 1”', 'run x --param pw=Sec\\ 1', "run x --param 'pw=Sec 1'"];
    for (const line of lines) {
      const masked = mask(line);
      expect(masked, line).not.toMatch(/Sec/);
      expect(tokenize(masked).some((word) => word.endsWith(`pw=${HIDDEN_VALUE}`)), masked).toBe(true);
    }
  });

  it('hides a whole value that is not a pair, and values of every secret flag', () => {
    expect(mask('admin login --token abc123 --user bob')).toBe(`admin login --token ${HIDDEN_VALUE} --user bob`);
    expect(mask('run x --param justsecret')).toBe(`run x --param ${HIDDEN_VALUE}`);
  });

  it('keeps lines without secrets as typed, requoting only what needs quotes', () => {
    expect(mask('orders --mine --since 1h')).toBe('orders --mine --since 1h');
    expect(mask('incident create --title "disk full on web-01"')).toBe('incident create --title "disk full on web-01"');
  });

  it('a flag followed by another flag has no value to hide', () => {
    expect(mask('run x --param --canary')).toBe('run x --param --canary');
  });

  it('an unclosed quote: nothing from the first flag on is kept', () => {
    expect(mask('run x --hosts a --param pw="Sec 1 --canary')).toBe(`run x ${HIDDEN_VALUE}`);
    expect(mask('run x —param pw="Sec 1')).toBe(`run x ${HIDDEN_VALUE}`);
    expect(mask('incident create "unclosed')).toBe('incident create "unclosed');
  });

  it('dashes a chat client or input method made of "--" are read as "--", so the value is hidden', () => {
    for (const dash of ['—', '–', '——', '－－', '−−']) {
      const masked = mask(`run rotate_db_password --hosts db-01 ${dash}param new_password=Hunter2Secret`);
      expect(masked, dash).toBe(`run rotate_db_password --hosts db-01 --param new_password=${HIDDEN_VALUE}`);
    }
    // Inside quotes, or not followed by a letter, a dash is text.
    expect(tokenize('incident create --title "—param x" — note')).toEqual(['incident', 'create', '--title', '—param x', '—', 'note']);
  });

  it('a pair typed with a space, a flag name in another case, shortened or mistyped: the value is still hidden', () => {
    expect(mask('run x --param new_password Hunter2Secret --canary')).toBe(`run x --param ${HIDDEN_VALUE} ${HIDDEN_VALUE} --canary`);
    for (const flag of ['--Param', '--PARAM', '--para', '--parm', '--parma', '--param=']) {
      const line = flag.endsWith('=') ? `run x ${flag}pw=Hunter2Secret` : `run x ${flag} pw=Hunter2Secret`;
      expect(mask(line), flag).not.toContain('Hunter2Secret');
    }
  });
});
