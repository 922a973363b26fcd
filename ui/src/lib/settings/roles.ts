/** Roles in rank order and which of them a caller may hand out: never one above its
 * own, and an admin neither makes nor changes owners (the API refuses the same). */

import type { components } from "@/api/schema";

export type Role = components["schemas"]["Role"];

export const ROLES: Role[] = ["viewer", "operator", "developer", "admin", "owner"];

export function rankOf(role: Role): number {
  return ROLES.indexOf(role);
}

/** The roles `caller` may give someone. */
export function assignableRoles(caller: Role): Role[] {
  return ROLES.filter((role) => rankOf(role) <= rankOf(caller));
}

/** Whether `caller` may change the role of (or remove) a member holding `target`. */
export function mayManage(caller: Role, target: Role): boolean {
  return rankOf(target) <= rankOf(caller);
}
