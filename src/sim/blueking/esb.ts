/**
 * One ESB call, from parameters to envelope: read the parameters (GET: query string; POST: JSON
 * body, with the query string as fallback for the common ones), check the app
 * (bk_app_code + bk_app_secret), then the user (bk_token, else bk_username), then the method,
 * then the component's own parameters, then run it. Every answer is the ESB envelope
 * `{result, code, message, data, request_id}` with HTTP 200, as the ESB's error table gives it;
 * only an unknown component path is a 404.
 */
import { componentFor, componentKeyOf } from './components/index.js';
import { EsbCodes, EsbError } from './errors.js';
import type { BkWorld } from './state/world.js';

export interface EsbEnvelope {
  readonly result: boolean;
  readonly code: number;
  readonly message: string;
  readonly data: unknown;
  readonly request_id: string;
  readonly [extra: string]: unknown;
}

export interface EsbResponse {
  readonly status: number;
  readonly body: EsbEnvelope;
}

export interface EsbDeps {
  readonly world: BkWorld;
  readonly appCode: string;
  readonly appSecret: string;
  /** bk_token → user name, for tokens the simulator issued. */
  readonly tokens: ReadonlyMap<string, string>;
}

export interface EsbCall {
  readonly method: string;
  readonly url: URL;
  readonly raw: Buffer;
  readonly requestId: string;
}

/** Parameters that authenticate the call, never passed to a component. */
const COMMON_PARAMS = ['bk_app_code', 'bk_app_secret', 'bk_token', 'bk_username', 'app_code', 'app_secret', 'bk_access_token'];

export function failure(requestId: string, code: number, message: string, status = 200): EsbResponse {
  return { status, body: { result: false, code, message, data: null, request_id: requestId } };
}

type Params = Record<string, unknown>;

export function readParams(method: string, url: URL, raw: Buffer): Params | EsbError {
  const query: Params = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  if (method === 'GET') return query;
  const text = raw.toString('utf8').trim();
  if (text === '') return query;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new EsbError(EsbCodes.ARGUMENT_ERROR, 'Parameters error, the request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return new EsbError(EsbCodes.ARGUMENT_ERROR, 'Parameters error, the request body must be a JSON object');
  return { ...query, ...(body as Params) };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function dispatchEsb(deps: EsbDeps, call: EsbCall): EsbResponse {
  const { requestId } = call;
  const key = componentKeyOf(call.url.pathname);
  const component = componentFor(key);
  if (!component) return failure(requestId, EsbCodes.COMPONENT_NOT_FOUND, `Not found, component class not found: ${call.url.pathname}`, 404);
  const params = readParams(call.method, call.url, call.raw);
  if (params instanceof EsbError) return failure(requestId, params.code, params.message);

  const appCode = text(params['bk_app_code']) ?? text(params['app_code']);
  const appSecret = text(params['bk_app_secret']) ?? text(params['app_secret']);
  if (!appCode) return failure(requestId, EsbCodes.ARGUMENT_ERROR, 'Parameters error, APP Code [bk_app_code] cannot be empty');
  if (!appSecret) return failure(requestId, EsbCodes.ARGUMENT_ERROR, 'Parameters error, APP Secret [bk_app_secret] cannot be empty');
  if (appCode !== deps.appCode) return failure(requestId, EsbCodes.ARGUMENT_ERROR, `Parameters error, Invalid APP Code [bk_app_code=${appCode}], please confirm if the APP Code has been registered`);
  if (appSecret !== deps.appSecret) {
    return failure(requestId, EsbCodes.ARGUMENT_ERROR, `Parameters error, APP Secret verification failed, please confirm if the APP Secret and APP Code [bk_app_code=${appCode}] match`);
  }

  const token = text(params['bk_token']);
  let userName: string | undefined;
  if (token !== undefined) {
    userName = deps.tokens.get(token);
    if (userName === undefined) return failure(requestId, EsbCodes.ARGUMENT_ERROR, 'Parameters error, User authentication failed, please check if the bk_token is valid');
  } else {
    userName = text(params['bk_username']);
    if (userName === undefined) return failure(requestId, EsbCodes.ARGUMENT_ERROR, 'Parameters error, User authentication failed, please provide a valid user identity, such as bk_token, bk_username');
  }
  const user = deps.world.user(userName);
  if (!user) return failure(requestId, EsbCodes.USER_PERMISSION_DENIED, `User permission is insufficient, user [${userName}] does not exist`);

  if (component.method !== 'ANY' && component.method !== call.method) {
    return failure(requestId, EsbCodes.ARGUMENT_ERROR, `Parameters error, component ${component.key} is called with ${component.method}, not ${call.method}`);
  }
  const own: Params = {};
  for (const [name, value] of Object.entries(params)) if (!COMMON_PARAMS.includes(name)) own[name] = value;
  try {
    const reply = component.run(own, { user, world: deps.world });
    return { status: 200, body: { result: true, code: 0, message: 'success', data: reply.data, request_id: requestId, ...(reply.extra ?? {}) } };
  } catch (error) {
    if (error instanceof EsbError) return failure(requestId, error.code, error.message);
    return failure(requestId, EsbCodes.COMMON_ERROR, `System error: ${error instanceof Error ? error.message : String(error)}`, 500);
  }
}
