/**
 * One COC call from matched route to response: unknown path → API Gateway 404; then
 * authentication; then the JSON body; then the route handler. Handler errors become error
 * bodies of the route's family.
 */
import type { Authenticator } from './auth.js';
import { defaultFaultCode, errorBody, validationFailure } from './http/envelopes.js';
import { ErrorCodes } from './http/error-codes.js';
import { parseJsonBody } from './http/io.js';
import { QueryMap, SimError, type ErrorFamily, type Identity, type SimResponse } from './http/types.js';
import type { RouteMatch } from './router.js';
import type { World } from './state/world.js';

export interface IncomingCall {
  readonly method: string;
  /** Path and query exactly as received (what the signature covers). */
  readonly rawUrl: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly raw: Buffer;
  readonly match: RouteMatch | undefined;
}

export function dispatch(world: World, authenticator: Authenticator, call: IncomingCall): SimResponse {
  const { match, method, url } = call;
  if (!match) {
    return { status: 404, body: errorBody('coc', 404, ErrorCodes.APIG_NOT_FOUND, `The API does not exist or has not been published in the environment: ${method} ${url.pathname}`) };
  }
  const { route } = match;
  try {
    let identity: Identity = { kind: 'anonymous' };
    if (route.auth === 'required') {
      const auth = authenticator.authenticate({ method, url: call.rawUrl, headers: call.headers, body: call.raw });
      if (!auth.ok) {
        // Gateway (APIG) rejections look the same everywhere; the token error keeps the PCE envelope on PCE routes.
        const pce = auth.code === ErrorCodes.TOKEN_INVALID && (route.family === 'gom' || route.family === 'event');
        const family: ErrorFamily = pce ? route.family : 'coc';
        return { status: auth.status, body: errorBody(family, auth.status, auth.code, auth.message) };
      }
      identity = auth.identity;
    }
    const parsed = parseJsonBody(call.raw);
    if (parsed.kind === 'invalid' && method !== 'GET') {
      const failure = validationFailure(route.family);
      throw new SimError(failure.status, failure.code, 'The request body is not valid JSON');
    }
    return route.handle({
      params: match.params,
      query: new QueryMap(url.searchParams),
      body: parsed.kind === 'json' ? parsed.value : undefined,
      identity,
      headers: call.headers,
      world,
    });
  } catch (error) {
    if (error instanceof SimError) return { status: error.status, body: errorBody(route.family, error.status, error.code, error.message) };
    const code = defaultFaultCode(route.family, 500);
    return { status: 500, body: errorBody(route.family, 500, code, `Internal server error: ${error instanceof Error ? error.message : String(error)}`) };
  }
}
