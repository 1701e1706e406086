/**
 * How an armed fault (the shared registry of ../faults.ts) looks on the ESB's wire:
 *  - `status`: that HTTP status with an ESB envelope (code 1306201, "Request third-party
 *    interface error") — e.g. 502 from the gateway;
 *  - `rate-limit`: 429, code 1306429, `Retry-After`;
 *  - `error-envelope`: HTTP 200 `result: false` with the fault's code (numeric when it is
 *    digits) — a clear refusal;
 *  - `slow`, `hang`, `hang-body`, `reset`, `malformed-json`: as in the COC simulator.
 * With `afterHandling: true` the call is carried out first (the job is created) and only the
 * answer is lost.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from '../faults.js';
import { JSON_CONTENT_TYPE, sendJson, sendText } from '../http/io.js';
import type { RequestRecord } from '../request-log.js';
import type { EsbResponse } from './esb.js';
import { failure } from './esb.js';
import { EsbCodes } from './errors.js';

export interface FaultedEsbCall {
  readonly fault: Fault;
  readonly record: RequestRecord;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly requestId: string;
  readonly run: () => EsbResponse;
  readonly delay: (ms: number) => Promise<void>;
  readonly isClosed: () => boolean;
}

function codeOf(text: string | undefined, fallback: number): number {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : fallback;
}

export async function respondWithEsbFault(call: FaultedEsbCall): Promise<void> {
  const { fault, record, request, response, requestId } = call;
  const send = (result: EsbResponse, headers: Record<string, string> = {}) => {
    record.status = result.status;
    sendJson(response, result.status, result.body, headers);
  };
  const afterHandling = 'afterHandling' in fault && fault.afterHandling === true;
  const carriedOut = afterHandling ? call.run() : undefined;
  switch (fault.kind) {
    case 'slow':
      await call.delay(fault.delayMs);
      if (!call.isClosed()) send(call.run());
      return;
    case 'rate-limit':
      send(failure(requestId, EsbCodes.RATE_LIMIT, 'Access frequency limit', 429), { 'Retry-After': String(fault.retryAfterSeconds) });
      return;
    case 'status':
      send(failure(requestId, codeOf(fault.errorCode, EsbCodes.THIRD_PARTY_ERROR), fault.errorMsg ?? `Request third-party interface error (HTTP ${fault.status})`, fault.status));
      return;
    case 'error-envelope':
      send(failure(requestId, codeOf(fault.errorCode, EsbCodes.COMMON_ERROR), fault.errorMsg ?? 'System error'));
      return;
    case 'hang':
      return;
    case 'hang-body':
      record.status = 200;
      response.writeHead(200, { 'Content-Type': JSON_CONTENT_TYPE });
      response.write('{"result":');
      return;
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'malformed-json': {
      const text = JSON.stringify((carriedOut ?? failure(requestId, 0, '')).body);
      record.status = 200;
      sendText(response, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      return;
    }
  }
}
