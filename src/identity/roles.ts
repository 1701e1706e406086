/** Roles are ordered: each one can do everything the one before it can. */
import { ROLES, type Role } from '../store/vocabulary.js';

export { ROLES, type Role };

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAtLeast(role: Role, required: Role): boolean {
  return roleRank(role) >= roleRank(required);
}
