/** The sections of Settings, in the order the sub-navigation lists them, with the
 * permission each needs to be seen (a role without it gets a note, not a page of
 * 403s). Account is every person's, whatever the role. */

export type SettingsSection = {
  label: string;
  href: string;
  /** what it is for, on the /settings/ index */
  summary: string;
  /** GET permission of the section's list; null: anyone signed in */
  permission: string | null;
};

export const SETTINGS_SECTIONS: SettingsSection[] = [
  { label: "Members", href: "/settings/members/", summary: "Who belongs to the org and with which role.", permission: "members:read" },
  { label: "Invitations", href: "/settings/invitations/", summary: "Invite people by email; revoke pending invitations.", permission: "members:manage" },
  { label: "API keys", href: "/settings/api-keys/", summary: "Keys for CI and scripts: create, see when used, revoke.", permission: "api_keys:read" },
  { label: "Secrets", href: "/settings/secrets/", summary: "Named values flows read at run time, org-wide or per environment.", permission: "secrets:read" },
  { label: "Environments", href: "/settings/environments/", summary: "Development, staging, production and your own; defaults and protection.", permission: "environments:read" },
  { label: "Audit log", href: "/settings/audit/", summary: "Every change made in the org: who, what, when.", permission: "audit:read" },
  { label: "Account", href: "/settings/account/", summary: "Your own password.", permission: null },
];

/** The role that first holds `permission` (docs/security.md), for "needs admin" notes. */
export function roleNeededFor(permission: string | null): string {
  if (!permission) return "viewer";
  if (permission.endsWith(":read") && !["secrets:read", "api_keys:read", "audit:read", "billing:read"].includes(permission)) {
    return "viewer";
  }
  if (permission.startsWith("secrets:")) return "developer";
  return "admin";
}
