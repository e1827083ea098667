/**
 * Vault members' roles (DESIGN.md "Who uses it"). Limits are enforced by which keys a member holds,
 * not only by these checks: `security` never holds a key that opens a credential.
 */
export const ROLES = ['lead', 'dmt', 'admin', 'security'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that hold the team key and so can open every account's credentials (policy 10.2). */
export function holdsTeamKey(role: Role): boolean {
  return role === 'lead' || role === 'dmt';
}

/** Roles that may ever read a credential (admins only for the accounts they administer). */
export function mayReadCredentials(role: Role): boolean {
  return role !== 'security';
}
