/**
 * BlueKing unified login (`bk_login`) components: the calling user, and users by name.
 */
import { z } from 'zod';
import type { EsbComponent } from './component.js';

export const BluekingUserSchema = z.looseObject({
  bk_username: z.string().min(1),
  chname: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  language: z.string().nullish(),
  time_zone: z.string().nullish(),
  bk_role: z.number().nullish(),
});
export type BluekingUser = z.infer<typeof BluekingUserSchema>;

/** The user the call acts as (`bk_username`): get_user takes no field of its own. */
export const GET_USER: EsbComponent<Record<string, never>, BluekingUser> = {
  system: 'bk_login',
  name: 'get_user',
  method: 'GET',
  write: false,
  request: z.strictObject({}),
  data: BluekingUserSchema,
};

/**
 * The reference's example shows one user object as `data`, while its name and field (a list of
 * names) ask for several; BlueKing answers a map of name → user. All three shapes are read.
 */
export const BatchUsersSchema = z.union([
  z.array(BluekingUserSchema),
  BluekingUserSchema,
  z.record(z.string(), BluekingUserSchema.nullable()),
]);
export type BatchUsers = z.infer<typeof BatchUsersSchema>;

export const GET_BATCH_USERS: EsbComponent<{ bk_username_list: string[] }, BatchUsers> = {
  system: 'bk_login',
  name: 'get_batch_users',
  method: 'POST',
  write: false,
  request: z.strictObject({ bk_username_list: z.array(z.string().min(1)).min(1) }),
  data: BatchUsersSchema,
};

/** The names `data` holds users for, whatever its shape. */
export function usernamesIn(data: BatchUsers): ReadonlySet<string> {
  if (Array.isArray(data)) return new Set(data.map((user) => user.bk_username));
  if (typeof data.bk_username === 'string') return new Set([data.bk_username]);
  const names = new Set<string>();
  for (const [key, user] of Object.entries(data as Record<string, BluekingUser | null>)) {
    if (user && typeof user === 'object') names.add(user.bk_username || key);
  }
  return names;
}
