/**
 * Connects to BlueKing's ESB: the sessions (the service user's backend and each person's) over
 * one keep-alive agent, reporting every call and write to the same neutral hooks.
 */
import type { Secret } from '../../config/secret.js';
import type { BackendHooks } from '../observe.js';
import { BluekingSessions } from './sessions.js';
import type { BluekingSettings } from './settings.js';

export interface BluekingConnectOptions {
  readonly endpoint: string;
  readonly appCode: string;
  readonly appSecret: Secret;
  readonly timeoutMs?: number;
  /** The BlueKing user the bot's own calls act as. */
  readonly serviceUser: string;
  readonly settings: BluekingSettings;
  readonly hooks?: BackendHooks;
}

export function connectBlueking(options: BluekingConnectOptions): BluekingSessions {
  return new BluekingSessions({
    connection: {
      endpoint: options.endpoint,
      appCode: options.appCode,
      appSecret: options.appSecret,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    },
    settings: options.settings,
    serviceUser: options.serviceUser,
  });
}
