/**
 * How one host is named when names repeat: `id:<resource id>` (whole or ≥ 8 characters),
 * `region/name`, or plain text; short ids that tell every shown host apart.
 */
import { describe, expect, it } from 'vitest';
import { parseHostRef, shortIds } from '../src/run/host-ids.js';
import { hostLabel, planShortIds } from '../src/run/plan-host-labels.js';

describe('host references', () => {
  it('reads id:, region/name and plain names', () => {
    expect(parseHostRef('id:0b47587c-1111')).toEqual({ kind: 'id', id: '0b47587c-1111' });
    expect(parseHostRef(' ID: 0b47587c ')).toEqual({ kind: 'id', id: '0b47587c' });
    expect(parseHostRef('ap-southeast-3/db-01')).toEqual({ kind: 'regional', region: 'ap-southeast-3', text: 'db-01' });
    expect(parseHostRef('cn-north-4/10.0.17.11')).toEqual({ kind: 'regional', region: 'cn-north-4', text: '10.0.17.11' });
    expect(parseHostRef('db-01')).toEqual({ kind: 'plain', text: 'db-01' });
    // A slash at either end names no region: taken as typed (and then unknown to COC).
    expect(parseHostRef('/db-01')).toEqual({ kind: 'plain', text: '/db-01' });
    expect(parseHostRef('db-01/')).toEqual({ kind: 'plain', text: 'db-01/' });
  });
});

describe('short ids', () => {
  it('are 8 characters, all longer only where two shown ids share them', () => {
    const a = '0b47587c-aaaa-4000-8000-000000000001';
    const b = '7c4d079e-bbbb-4000-8000-000000000002';
    expect([...shortIds([a, b]).values()]).toEqual(['0b47587c', '7c4d079e']);
    const twin = '0b47587c-abcd-4000-8000-000000000003';
    const cut = shortIds([a, b, twin]);
    expect(cut.get(a)).toBe('0b47587c-aa');
    expect(cut.get(twin)).toBe('0b47587c-ab');
    expect(cut.get(b)).toBe('7c4d079e-bb'); // one length for all, so they line up
  });

  it('label a planned host with its region and short id; an older plan\'s host by name', () => {
    const details = {
      batches: [{ index: 1, rotation: 'CONTINUE' as const, hosts: [{ name: 'db-01', region: 'cn-north-4', id: 'coc:host:7c4d079e-bbbb-4000-8000-000000000002' }] }],
      excluded: [{ name: 'db-09', reason: 'OFFLINE', region: 'cn-south-1', id: 'coc:host:aa11bb22-cccc-4000-8000-000000000004' }, { name: 'old', reason: 'OFFLINE' }],
    };
    const short = planShortIds(details);
    expect(hostLabel(details.batches[0]!.hosts[0]!, short)).toBe('db-01 (cn-north-4 · 7c4d079e)');
    expect(hostLabel(details.excluded[0]!, short, 'Offline')).toBe('db-09 (cn-south-1 · aa11bb22 · Offline)');
    expect(hostLabel(details.excluded[1]!, short, 'Offline')).toBe('old (Offline)');
    expect(hostLabel({ name: 'old' }, short)).toBe('old');
  });
});
