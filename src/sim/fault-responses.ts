/** How an armed fault (see faults.ts) turns into what the client sees on the wire. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './faults.js';
import { defaultFaultCode, errorBody } from './http/envelopes.js';
import { ErrorCodes } from './http/error-codes.js';
import { JSON_CONTENT_TYPE, sendJson, sendText } from './http/io.js';
import type { ErrorFamily, SimResponse } from './http/types.js';
import type { RequestRecord } from './request-log.js';

export interface FaultedCall {
  readonly fault: Fault;
  readonly record: RequestRecord;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** Family of the matched route; undefined for unknown paths. */
  readonly family: ErrorFamily | undefined;
  /** Carries the request out (auth, validation, handler). */
  readonly run: () => SimResponse;
  /** A timer the simulator cancels when it closes. */
  readonly delay: (ms: number) => Promise<void>;
  readonly isClosed: () => boolean;
  /** Resolves when the simulator is told to release held requests (or closes). */
  readonly hold: () => Promise<void>;
  /** Told once the request is held without (the rest of) an answer: a hang or hang-body. */
  readonly hung: (record: RequestRecord) => void;
}

export async function respondWithFault(call: FaultedCall): Promise<void> {
  const { fault, record, request, response } = call;
  const family = call.family ?? 'coc';
  const send = (result: SimResponse) => {
    record.status = result.status;
    sendJson(response, result.status, result.body, result.headers);
  };
  const afterHandling = 'afterHandling' in fault && fault.afterHandling === true;
  const carriedOut = afterHandling ? call.run() : undefined;
  switch (fault.kind) {
    case 'slow':
      await call.delay(fault.delayMs);
      if (!call.isClosed()) send(call.run());
      return;
    case 'held':
      await call.hold();
      if (!call.isClosed()) send(call.run());
      return;
    case 'rate-limit':
      send({
        status: 429,
        headers: { 'Retry-After': String(fault.retryAfterSeconds) },
        body: errorBody(family, 429, ErrorCodes.APIG_THROTTLED, 'The throttling threshold has been reached'),
      });
      return;
    case 'status':
      send({
        status: fault.status,
        body: errorBody(family, fault.status, fault.errorCode ?? defaultFaultCode(call.family, fault.status), fault.errorMsg ?? `Service error (HTTP ${fault.status})`),
      });
      return;
    case 'hang':
      // Never answer; closing the simulator destroys the connection.
      call.hung(record);
      return;
    case 'hang-body':
      record.status = 200;
      response.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE });
      // Held once the first bytes are out, so a client told now has seen the status already.
      response.write('{"data":', () => call.hung(record));
      return;
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'error-envelope':
      send({ status: 200, body: errorBody(family, 500, fault.errorCode ?? defaultFaultCode(call.family, 500), fault.errorMsg ?? 'Service error') });
      return;
    case 'answer':
      if (fault.status !== 204) {
        send({ status: fault.status, body: fault.body });
        return;
      }
      writeNoContent(record, request, response, fault.body);
      return;
    case 'no-content': {
      const documented = { error_code: fault.errorCode ?? ErrorCodes.JOB_INTERNAL, error_msg: fault.errorMsg ?? 'error_msg' };
      writeNoContent(record, request, response, fault.body === 'none' ? undefined : documented);
      return;
    }
    case 'malformed-json': {
      // Half of a JSON object is never valid JSON: its closing brace is cut off.
      const text = JSON.stringify((carriedOut ?? { status: 200, body: { data: null } }).body);
      record.status = 200;
      sendText(response, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return;
    }
  }
}

/**
 * A 204. With a body, written as a server that does not follow HTTP writes it (node:http will
 * not write a body after a 204): the bytes after the headers, announced by a Content-Length.
 */
function writeNoContent(record: RequestRecord, request: IncomingMessage, response: ServerResponse, body: unknown): void {
  record.status = 204;
  if (body === undefined) {
    response.writeHead(204);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  request.socket.end(`HTTP/1.1 204 No Content\r\nContent-Type: ${JSON_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
