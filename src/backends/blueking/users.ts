/**
 * BlueKing users, for linking a chat person to a platform user (`admin link`): whether the name
 * exists, and who the calling user is.
 */
import type { CallOptions } from '../backend.js';
import { esbOptions } from './call-options.js';
import { mapped } from './errors.js';
import type { EsbCaller } from './esb/component.js';
import { GET_BATCH_USERS, GET_USER, usernamesIn, type BluekingUser } from './esb/login.js';

export async function checkBluekingUser(caller: EsbCaller, username: string, options?: CallOptions): Promise<'exists' | 'unknown-user'> {
  const name = username.trim();
  if (name === '') return 'unknown-user';
  const data = await mapped(() => caller.call(GET_BATCH_USERS, { bk_username_list: [name] }, esbOptions(options)));
  return usernamesIn(data).has(name) ? 'exists' : 'unknown-user';
}

/** The user the caller acts as (whoami). */
export async function currentBluekingUser(caller: EsbCaller, options?: CallOptions): Promise<BluekingUser> {
  return mapped(() => caller.call(GET_USER, {}, esbOptions(options)));
}
