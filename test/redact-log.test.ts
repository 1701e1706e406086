import { describe, expect, it } from 'vitest';
import { MASK, redactedTail, redactLog } from '../src/orders/redact-log.js';

describe('redactLog: known secrets', () => {
  it('hides every occurrence of a sensitive value, also JSON-escaped and URL-encoded', () => {
    const secret = 'p@ss "w" rd/1';
    const log = [
      `+ new_password=${secret}`,
      `echo ${secret} > /etc/app/db.secret`,
      `DEBUG params: new_password=${JSON.stringify(secret)}`,
      `GET https://repo.example.com/?key=${encodeURIComponent(secret)}`,
    ].join('\n');
    const out = redactLog(log, { secrets: [secret] });
    expect(out).not.toContain(secret);
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out.split(MASK).length - 1).toBeGreaterThanOrEqual(4);
  });

  it('hides the longer of two overlapping secrets whole', () => {
    expect(redactLog('x abcdef y abc z', { secrets: ['abc', 'abcdef'] })).toBe(`x ${MASK} y ${MASK} z`);
  });

  it('ignores empty, null and undefined secrets and leaves plain text alone', () => {
    const log = 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok';
    expect(redactLog(log, { secrets: ['', null, undefined] })).toBe(log);
    expect(redactLog(log)).toBe(log);
  });

  it('treats regular-expression characters in a secret literally', () => {
    expect(redactLog('a.b*c a-b-c', { secrets: ['a.b*c'] })).toBe(`${MASK} a-b-c`);
  });

  it('hides even very short secrets (safety over readability)', () => {
    expect(redactLog('exit 7; retry 7', { secrets: ['7'] })).not.toContain('7');
  });
});

describe('redactLog: secret-looking values', () => {
  const cases: [string, string, string][] = [
    ['shell assignment', '+ db_password=Hunter2x', 'Hunter2x'],
    ['PASSWORD env', 'export MYSQL_PASSWORD=hunter2', 'hunter2'],
    ['colon pair', 'token: abc123def', 'abc123def'],
    ['JSON pair', '{"api_key": "k-123456", "user": "bob"}', 'k-123456'],
    ['single-quoted', "secret='s3cr3t value'", 's3cr3t value'],
    ['X-Auth-Token header', 'X-Auth-Token: MIIabc', 'MIIabc'],
    ['access key pair', 'access_key=AKLONGVALUE', 'AKLONGVALUE'],
    ['sk pair', 'sk=whatever123', 'whatever123'],
    ['Authorization Bearer', 'Authorization: Bearer eyJhbGciOi.abc.def', 'eyJhbGciOi'],
    ['Authorization Basic', 'authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['Authorization in a Python dict', "headers={'Authorization': 'Bearer tok_123'}", 'tok_123'],
    ['Authorization with a signature', 'Authorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abcdef0123', 'Signature=abcdef0123'],
    ['bare Bearer', 'curl -H "Bearer qwerty.uiop"', 'qwerty.uiop'],
    ['--password option', 'mysqladmin --password hunter2 status', 'hunter2'],
    ['--token= option', 'cli --token=tkn-77 run', 'tkn-77'],
    ['mysql -p', 'mysql -u root -phunter2 -e "select 1"', 'hunter2'],
    ['redis-cli -a', 'redis-cli -a redispass -n 0 FLUSHDB', 'redispass'],
    ['IDENTIFIED BY', "ALTER USER 'app'@'%' IDENTIFIED BY 'Xy12_z'; FLUSH PRIVILEGES;", 'Xy12_z'],
    ['URL credentials', 'git clone https://deploy:gh-secret-1@git.example.com/repo.git', 'gh-secret-1'],
    ['JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part', 'eyJhbGciOiJIUzI1NiJ9'],
    ['Huawei AK', 'using key HPUAXXXXXXXXXXXXX9Z1 for upload', 'HPUAXXXXXXXXXXXXX9Z1'],
    ['Huawei SK', 'sk is SimDemoSecretKey0ForTheLocalCocSimulator ok', 'SimDemoSecretKey0ForTheLocalCocSimulator'],
    ['AWS-style secret', 'secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ];
  for (const [name, line, secret] of cases) {
    it(`hides a ${name}`, () => {
      const out = redactLog(line);
      expect(out).not.toContain(secret);
      expect(out).toContain(MASK);
    });
  }

  it('keeps the key names, quotes and schemes so the line still reads', () => {
    expect(redactLog('+ new_password=abc')).toBe(`+ new_password=${MASK}`);
    expect(redactLog('{"password": "abc"}')).toBe(`{"password": "${MASK}"}`);
    expect(redactLog('Authorization: Bearer abc')).toBe(`Authorization: Bearer ${MASK}`);
    expect(redactLog('https://u:p@h/x')).toBe(`https://u:${MASK}@h/x`);
  });

  it('hides a PEM private key, also when the log is cut before its END line', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcdefgh\n-----END RSA PRIVATE KEY-----';
    expect(redactLog(`before\n${key}\nafter`)).toBe(`before\n-----BEGIN RSA PRIVATE KEY-----\n${MASK}\n-----END RSA PRIVATE KEY-----\nafter`);
    const cut = redactLog('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nqqqq');
    expect(cut).not.toContain('MIIEvQIBADANBg');
    expect(cut).not.toContain('qqqq');
  });

  it('leaves ordinary output alone: ids, hex, timestamps, paths, lower-case words', () => {
    const log = [
      '[2026-03-14 09:30:00] [INFO] job SCT2026031409300101ab2cd3e: disk_usage on web-01 (10.0.1.11) as root, timeout 300s',
      '/dev/vda1       40G  12G  28G  30% /',
      'commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      'resource 0f1e2d3c4b5a69788796a5b4c3d2e1f0 ok',
      'tokens processed: 1200 (password policy unchanged)',
      'Active: active (running) since 2026-01-01 UTC',
    ].join('\n');
    expect(redactLog(log)).toBe(log);
  });
});

describe('redactedTail', () => {
  it('redacts the whole log before cutting, so a secret above the tail cannot leak into it', () => {
    const log = ['-----BEGIN PRIVATE KEY-----', 'AAAA', 'BBBB', 'CCCC', '-----END PRIVATE KEY-----', 'done'].join('\n');
    const tail = redactedTail(log, {}, { lines: 3 });
    expect(tail.lines.join('\n')).not.toMatch(/AAAA|BBBB|CCCC/);
  });

  it('keeps the last lines, drops trailing blank lines, counts all lines', () => {
    const log = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n\n';
    const tail = redactedTail(log, {}, { lines: 10 });
    expect(tail.lines).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 21}`));
    expect(tail.totalLines).toBe(30);
  });

  it('cuts long lines and the total size, keeping whole lines from the end', () => {
    const long = 'x'.repeat(500);
    const tail = redactedTail(`a\n${long}\nb`, {}, { lines: 10, maxLineLength: 100, maxChars: 103 });
    expect(tail.lines.at(-1)).toBe('b');
    expect(tail.lines.at(-2)).toHaveLength(100);
    expect(tail.lines.at(-2)!.endsWith('…')).toBe(true);
    expect(tail.lines).not.toContain('a');
  });

  it('removes terminal escapes and other control characters, and handles CRLF', () => {
    const tail = redactedTail('ok\r\n\u001b[31mred\u001b[0m\r\nbell\u0007', {});
    expect(tail.lines).toEqual(['ok', '[31mred[0m', 'bell']);
    expect(tail.lines.join('')).not.toMatch(/[\u0000-\u001f]/);
  });

  it('applies the known secrets too', () => {
    expect(redactedTail('+ x=Top_Secret_9\nok', { secrets: ['Top_Secret_9'] }).lines).toEqual([`+ x=${MASK}`, 'ok']);
  });

  it('answers an empty tail for no output', () => {
    expect(redactedTail(undefined, {})).toEqual({ lines: [], totalLines: 0 });
    expect(redactedTail('', {})).toEqual({ lines: [], totalLines: 0 });
  });
});

describe('redactLog on hostile output', () => {
  // Script output is not trusted: a pattern that backtracks quadratically would stall the bot
  // on one long line. Each of these took minutes before the patterns were bounded.
  const M = 1_000_000;
  const rep = (unit: string) => unit.repeat(Math.ceil(M / unit.length));
  const hostile: Record<string, string> = {
    'one long word': rep('a'),
    'dotted run': rep('a.'),
    'dashed run': rep('a-'),
    'repeated key=': rep('a='),
    'unterminated quoted secret keys': rep('password="'),
    'repeated mysql': rep('mysql '),
    'repeated scheme': rep('a://b:'),
    'long capitals after BEGIN': `-----BEGIN ${rep('A')}`,
  };
  for (const [name, text] of Object.entries(hostile)) {
    it(`redacts 1 MB of ${name} in linear time`, () => {
      const started = performance.now();
      redactLog(text, { secrets: ['xyz'] });
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  }
});
