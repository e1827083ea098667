import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../shared/errors.ts';
import { CHANNELS, CONTRACT } from '../../../shared/ipc/contract.ts';

// Issue 12 item 7: one contract file per feature, handlers named after their channel prefix,
// DOM event names and error codes from their one definition, never written out again.
const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every .ts/.tsx file under a folder, as a path from the repository root. */
function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(folder, f));
}

/** The channel names a file defines as object keys: `'prefix.name': ...` at the start of a line. */
function channelKeys(path: string): string[] {
  return [...read(path).matchAll(/^\s+'([a-z-]+\.[a-z-]+)':/gm)].map((m) => m[1]!);
}

describe('the contract and its handlers, laid out by feature', () => {
  it('each handler file handles only the channels of its own prefix', () => {
    const misplaced: string[] = [];
    const handled: string[] = [];
    for (const file of readdirSync(join(root, 'electron/vault/handlers'))) {
      if (file === 'types.ts') continue;
      const prefix = file.replace(/\.ts$/, '');
      for (const channel of channelKeys(`electron/vault/handlers/${file}`)) {
        if (!CHANNELS.includes(channel as never)) continue; // a switch case, not a handler key
        handled.push(channel);
        if (channel.split('.')[0] !== prefix) misplaced.push(`${channel} in handlers/${file}`);
      }
    }
    expect(misplaced).toEqual([]);
    // Not vacuous: most channels are found in a handler file (the vault.* and files.* channels
    // hold router state and are handled in router.ts).
    const heldByTheRouter = CHANNELS.filter(
      (c) => c.startsWith('vault.') || c.startsWith('files.'),
    );
    expect(handled.length).toBeGreaterThanOrEqual(CHANNELS.length - heldByTheRouter.length);
  });

  it('each channel is defined in exactly one contract file', () => {
    const defined = readdirSync(join(root, 'shared/ipc/contract')).flatMap((file) =>
      channelKeys(`shared/ipc/contract/${file}`),
    );
    expect([...defined].sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it('the window and the preload name DOM events by their constants, never as a string', () => {
    const literal = /['"`]custodian:(locked|menu|progress)['"`]/;
    const offenders = [...sources('renderer'), ...sources('electron/preload')].filter((f) =>
      literal.test(read(f)),
    );
    expect(offenders).toEqual([]);
  });

  it('code compares error codes through ErrorCode, never a string such as "INTEGRITY"', () => {
    const codes = Object.values(ErrorCode).join('|');
    const literal = new RegExp(`code\\s*[!=]==?\\s*['"](${codes})['"]`);
    const offenders = [...sources('electron'), ...sources('renderer')].filter((f) =>
      literal.test(read(f)),
    );
    expect(offenders).toEqual([]);
  });
});
