/**
 * Slack's side of Socket Mode on the fake's port: the app connects to the URL that
 * `apps.connections.open` handed out, is greeted with `hello`, and `send(type, payload)`
 * delivers an envelope and resolves with the payload the app acknowledged it with.
 */
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlack } from './fake-slack.js';

export interface FakeSlackSocket {
  /** Resolves once an app has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends an envelope; resolves with the payload of the app's ack. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
  close(): void;
}

export function attachSocketMode(fake: FakeSlack): FakeSlackSocket {
  const sockets = new Set<WebSocket>();
  const waitingAcks = new Map<string, (payload: Record<string, unknown> | undefined) => void>();
  let greeted: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  const wss = new WebSocketServer({ noServer: true });
  fake.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/socket') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: { envelope_id?: string; payload?: Record<string, unknown> };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          return;
        }
        const waiting = message.envelope_id ? waitingAcks.get(message.envelope_id) : undefined;
        if (waiting && message.envelope_id) {
          waitingAcks.delete(message.envelope_id);
          waiting(message.payload);
        }
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FAKE' }, debug_info: { approximate_connection_time: 3600 } }));
      greeted();
    });
  });
  return {
    connected: () => connected,
    send(type, payload) {
      const socket = [...sockets][0];
      if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
      const envelopeId = randomUUID();
      const acked = new Promise<Record<string, unknown> | undefined>((resolve) => waitingAcks.set(envelopeId, resolve));
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      return acked;
    },
    close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
    },
  };
}
