import { z } from 'zod';
import { ALL, channel, fileHandle } from './common.ts';

/** Backing up the open vault from the console, as `custodian backup` does from the command line. */
export const backupChannels = {
  /**
   * A consistent copy of the vault file to a new file (a handle for purpose "backup"), checked
   * and flushed before it is named; never over an existing file, never the vault's own files.
   * Every secret in it stays sealed, so any member may make one: whoever can run the app can copy
   * the file anyway (docs/THREAT-MODEL.md), which is why, like the CLI's, it is not audited. A
   * vault on PostgreSQL is backed up on the server.
   */
  'backup.create': channel(() => ({
    request: z.object({ file: fileHandle }).strict(),
    response: z.object({ name: z.string(), bytes: z.number().int() }),
    roles: ALL,
  })),
} as const;
