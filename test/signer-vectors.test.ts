import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, signRequest } from '../src/coc/auth/signer.js';

// Test vectors V1-V3 from coc-api-notes §4.3.
describe('SDK-HMAC-SHA256 signer vectors', () => {
  it('V1: Huawei signing guide worked example', () => {
    const request = {
      method: 'GET',
      url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      headers: { 'Content-Type': 'application/json', Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z' },
    };
    const names = ['content-type', 'host', 'x-sdk-date'];
    expect(createHash('sha256').update(canonicalRequest(request, names)).digest('hex')).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
    );
    const signed = signRequest(request, { ak: 'QTWAOYTTINDUT2QVKYUC', sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' });
    expect(signed['Authorization']).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
  });

  it('V2: Go SDK test1 (GET, only x-sdk-date signed)', () => {
    const signed = signRequest(
      { method: 'GET', url: 'https://example.huaweicloud.com/path?limit=1', headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE' } },
      { ak: 'AccessKey', sk: 'SecretKey' },
      { signedHeaders: ['x-sdk-date'] },
    );
    expect(signed['Authorization']).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
  });

  it('V3: Go SDK test2 (POST with a JSON body ending in a newline)', () => {
    const signed = signRequest(
      {
        method: 'POST',
        url: 'https://example.huaweicloud.com/path?key=value',
        headers: { 'X-Sdk-Date': '20060102T150405Z', 'Content-Type': 'application/json' },
        body: '{"Name":"test","Id":1}\n',
      },
      { ak: 'AccessKey', sk: 'SecretKey' },
      { signedHeaders: ['x-sdk-date'] },
    );
    expect(signed['Authorization']).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
  });
});
