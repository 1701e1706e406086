/** bk_login: the people the simulated deployment knows. */
import { z } from 'zod';
import type { BkUser } from '../state/world.js';
import { array, defineComponent, nonEmpty, ok } from './define.js';

function profile(user: BkUser) {
  return { ...user };
}

export const loginComponents = [
  /** The current user (bk_username / bk_token) or, as BlueKing allows, `bk_username` given again. */
  defineComponent({
    key: 'bk_login/get_user',
    method: 'GET',
    params: z.object({}),
    handle: ({ user }) => ok(profile(user)),
  }),
  /**
   * One profile per known name, keyed by name (the reference's example shows a single object;
   * a batch answer keyed by user is what get_batch_users_platform_role documents and what a
   * batch needs). Unknown names are left out.
   */
  defineComponent({
    key: 'bk_login/get_batch_users',
    method: 'POST',
    params: z.object({ bk_username_list: array(nonEmpty()) }),
    handle: ({ params, world }) => {
      const out: Record<string, unknown> = {};
      for (const name of params.bk_username_list) {
        const user = world.user(name);
        if (user) out[name] = profile(user);
      }
      return ok(out);
    },
  }),
  defineComponent({
    key: 'bk_login/get_all_users',
    method: 'GET',
    params: z.object({}),
    handle: ({ world }) => ok(world.users.map(profile)),
  }),
];
