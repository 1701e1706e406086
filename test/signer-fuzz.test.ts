import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest, type SignableRequest } from '../src/coc/auth/signer.js';
import { randomSignableRequest, oneByteMutations, prng } from './helpers/random-requests.js';

const AK = 'FUZZAKFUZZAKFUZZAK00';
const SK = 'fuzz-secret-key-0123456789abcdefghijklmn';
const NOW = new Date('2026-11-22T12:00:00Z');

describe('signer round trip on random requests (in process)', () => {
  it('accepts 500 random signed requests and rejects every one-byte change of what is signed', () => {
    const random = prng(20261122);
    let mutationsChecked = 0;
    for (let i = 0; i < 500; i++) {
      const request = randomSignableRequest(random);
      const headers = signRequest(request, { ak: AK, sk: SK }, { now: NOW });
      const signed: SignableRequest = { ...request, headers };
      const verdict = verifyRequest(signed, { now: NOW, secretFor: (ak) => (ak === AK ? SK : undefined) });
      expect(verdict, `request ${i}: ${request.method} ${request.url}`).toEqual({ ok: true, access: AK });
      for (const mutated of oneByteMutations(signed, random)) {
        const result = verifyRequest(mutated.request, { now: NOW, secretFor: (ak) => (ak === AK ? SK : undefined) });
        expect(result.ok, `request ${i}, ${mutated.description}`).toBe(false);
        mutationsChecked++;
      }
    }
    expect(mutationsChecked).toBeGreaterThan(2000);
  });
});
