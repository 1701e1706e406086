/**
 * The acknowledgement of a slash command taken before Bolt (HTTP mode) writes what Bolt's own
 * `ack()` writes: 200 and nothing, 200 and the text, or 200 and the JSON of a message; once.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpAck } from '../src/adapters/slack/http-server.js';

function recorder() {
  const written: { status?: number; headers?: Record<string, string>; body?: string; ends: number } = { ends: 0 };
  const response = {
    writeHead(status: number, headers?: Record<string, string>) {
      written.status = status;
      if (headers) written.headers = headers;
      return response;
    },
    end(body?: string) {
      written.ends += 1;
      if (body !== undefined) written.body = body;
      return response;
    },
  };
  return { response: response as unknown as ServerResponse, written };
}

describe('a slash command acknowledged before Bolt', () => {
  it('answers 200 with nothing, a text, or a message as JSON, as Bolt does', async () => {
    const empty = recorder();
    await httpAck(empty.response)();
    expect(empty.written).toEqual({ status: 200, ends: 1 });
    const text = recorder();
    await httpAck(text.response)('busy');
    expect(text.written).toEqual({ status: 200, body: 'busy', ends: 1 });
    const message = recorder();
    await httpAck(message.response)({ response_type: 'ephemeral', text: 'busy, try again in 2 s' });
    expect(message.written).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"response_type":"ephemeral","text":"busy, try again in 2 s"}', ends: 1 });
  });

  it('acknowledges once', async () => {
    const { response, written } = recorder();
    const ack = httpAck(response);
    await ack();
    await expect(ack()).rejects.toThrow(/acknowledged already/);
    expect(written.ends).toBe(1);
  });
});
