import type { z } from 'zod';
import type { Role } from '../domain/roles.ts';
import type { ErrorCode } from '../errors.ts';
import { accountsChannels } from './contract/accounts.ts';
import { auditChannels } from './contract/audit.ts';
import { credentialsChannels } from './contract/credentials.ts';
import { dashboardChannels } from './contract/dashboard.ts';
import { devicesChannels } from './contract/devices.ts';
import { generatorChannels } from './contract/generator.ts';
import { healthChannels } from './contract/health.ts';
import { membersChannels } from './contract/members.ts';
import { peopleChannels } from './contract/people.ts';
import { quietChannels } from './contract/quiet.ts';
import { requestsChannels } from './contract/requests.ts';
import { settingsChannels } from './contract/settings.ts';
import { teamChannels } from './contract/team.ts';
import { vaultChannels } from './contract/vault.ts';
import { complaintsChannels } from './contract/complaints.ts';
import { trialsChannels } from './contract/trials.ts';
import { appsChannels } from './contract/apps.ts';
import { backupChannels } from './contract/backup.ts';

/**
 * The one IPC contract (STYLE.md 2, DESIGN.md "Process model"): every channel's request and
 * response schema and the roles allowed, one file per feature under ./contract/. The preload, the
 * router, the renderer's API client and the CLI all derive from this object; no channel name is
 * written anywhere else.
 *
 * `roles: null` means the channel needs no unlocked session (create, unlock, status).
 */
export const CONTRACT = {
  ...vaultChannels,
  ...dashboardChannels,
  ...accountsChannels,
  ...quietChannels,
  ...requestsChannels,
  ...teamChannels,
  ...credentialsChannels,
  ...peopleChannels,
  ...membersChannels,
  ...devicesChannels,
  ...healthChannels,
  ...settingsChannels,
  ...generatorChannels,
  ...auditChannels,
  ...complaintsChannels,
  ...trialsChannels,
  ...appsChannels,
  ...backupChannels,
} as const;

export {
  accountSummarySchema,
  MAX_IMPORT_CSV_CHARS,
  MAX_IMPORT_FILE_BYTES,
} from './contract/accounts.ts';
export { DASHBOARD_DUE_LIMIT, DASHBOARD_TREND_DAYS } from './contract/dashboard.ts';

export type Channel = keyof typeof CONTRACT;
export const CHANNELS = Object.keys(CONTRACT) as Channel[];
export type RequestOf<C extends Channel> = z.input<(typeof CONTRACT)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof CONTRACT)[C]['response']>;

export interface IpcError {
  readonly code: ErrorCode;
  readonly message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The one function the preload (or the preview's binding) exposes to the renderer. */
export type Invoke = <C extends Channel>(
  channel: C,
  request: RequestOf<C>,
) => Promise<IpcResult<ResponseOf<C>>>;

/**
 * Whether a member of this role may call the channel at all: the router refuses the rest, and the
 * console shows a control only to a member who may use it. Per-account limits (an administrator's
 * own accounts) come on top, as `canEdit` and `canReadCredentials` in accounts.detail.
 */
export function roleMayCall(role: Role, channel: Channel): boolean {
  const roles: readonly Role[] | null = CONTRACT[channel].roles;
  return roles === null || roles.includes(role);
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(CONTRACT, name);
}

/** Bounds on a payload before it is parsed at all: a malformed or oversized message is refused. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;

export {
  IPC_CHANGED_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_LOCKED_CHANNEL,
  IPC_MENU_CHANNEL,
  IPC_PROGRESS_CHANNEL,
} from './channels.ts';
