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

/**
 * Which accounts a role may change registry data for (10.2, 9.14): the DMT (lead and dmt) every
 * account; an administrator only the accounts they administer; security staff none (they read the
 * registry, health and trail only). The core enforces it (electron/vault/domain/registry-access.ts)
 * and the console derives which controls it shows from it.
 */
export const REGISTRY_SCOPE = {
  lead: 'every-account',
  dmt: 'every-account',
  admin: 'administered-accounts',
  security: 'none',
} as const satisfies Record<Role, 'every-account' | 'administered-accounts' | 'none'>;
export type RegistryScope = (typeof REGISTRY_SCOPE)[Role];

/** Roles that change any registry data at all: the IPC contract's role list for those channels. */
export const REGISTRY_EDITORS: readonly Role[] = ROLES.filter((r) => REGISTRY_SCOPE[r] !== 'none');
