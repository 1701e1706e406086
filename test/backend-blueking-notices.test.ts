/**
 * Notices through BlueKing CMSI from the reference's own examples: the channels get_msg_type
 * offers, send_msg's request, and a send whose answer is lost (never retried, may have acted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EsbClient } from '../src/backends/blueking/esb/client.js';
import { bluekingNotices } from '../src/backends/blueking/notices.js';
import { BackendRefusedError, BackendUnavailableError, mayHaveActed } from '../src/backends/errors.js';
import type { NoticesCapability } from '../src/backends/types/notices.js';
import { clientOf, EsbPeer, ok, refused } from './blueking-fixture-peer.js';

const SEND = '/api/c/compapi/cmsi/send_msg/';

let peer: EsbPeer;
let client: EsbClient;
let notices: NoticesCapability;

beforeAll(async () => {
  peer = await EsbPeer.start();
  client = clientOf(peer, 'chatops-bot');
  notices = bluekingNotices(client);
});
afterAll(async () => {
  await client.close();
  await peer.close();
});
beforeEach(() => peer.reset());

describe('channels', () => {
  it('the reference example: weixin, mail, sms, voice with their labels', async () => {
    peer.serveExample('get_msg_type');
    await expect(notices.channels()).resolves.toEqual([
      { type: 'weixin', label: '微信', active: true },
      { type: 'mail', label: '邮件', active: true },
      { type: 'sms', label: '短信', active: true },
      { type: 'voice', label: '语音', active: true },
    ]);
    expect(peer.requests[0]).toMatchObject({ method: 'GET', path: '/api/c/compapi/cmsi/get_msg_type/' });
  });

  it('an inactive channel says so', async () => {
    peer.answer('/api/c/compapi/cmsi/get_msg_type/', ok([{ type: 'sms', label: '短信', is_active: false }]));
    await expect(notices.channels()).resolves.toEqual([{ type: 'sms', label: '短信', active: false }]);
  });
});

describe('send', () => {
  it('send_msg with the receivers comma-separated; mail as plain text', async () => {
    peer.serveExample('send_msg');
    await notices.send({ channel: 'mail', receivers: ['admin', 'yunchao'], title: 'Incident 42', text: 'web-01 is down\nsince 10:02' });
    await notices.send({ channel: 'weixin', receivers: ['bob'], title: 'Incident 42', text: 'web-01 is down' });
    const [mail, weixin] = peer.to(SEND);
    expect(mail!.method).toBe('POST');
    expect(mail!.fields).toMatchObject({
      msg_type: 'mail',
      receiver__username: 'admin,yunchao',
      title: 'Incident 42',
      content: 'web-01 is down\nsince 10:02',
      body_format: 'Text',
      bk_username: 'chatops-bot',
    });
    expect(weixin!.fields).toMatchObject({ msg_type: 'weixin', receiver__username: 'bob' });
    expect(weixin!.fields).not.toHaveProperty('body_format');
  });

  it('a lost answer is not retried and may have acted; a refusal did not act', async () => {
    peer.once(SEND, { status: 504, body: { message: 'gateway timeout' } });
    const sending = notices.send({ channel: 'sms', receivers: ['bob'], title: 't', text: 'x' });
    await expect(sending).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(sending.catch(mayHaveActed)).resolves.toBe(true);
    expect(peer.to(SEND)).toHaveLength(1);

    peer.once(SEND, refused(1640001, 'receiver does not exist'));
    const refusedSend = notices.send({ channel: 'sms', receivers: ['nobody'], title: 't', text: 'x' });
    await expect(refusedSend).rejects.toBeInstanceOf(BackendRefusedError);
    await expect(refusedSend.catch(mayHaveActed)).resolves.toBe(false);
  });
});
