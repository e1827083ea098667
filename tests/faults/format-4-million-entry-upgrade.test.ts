import { afterEach, beforeEach, describe, it } from 'vitest';
import { format4VaultWithTrail, FORMAT_4_CODE_AVAILABLE } from '../helpers/format-4-trail.ts';
import { upgradeAndAttack } from '../helpers/format-4-upgrade-checks.ts';
import { tempDir } from '../helpers/vault.ts';

/**
 * Issue 13: "a format-4 vault with members, grants, a removal and a million-entry trail upgrades,
 * verifies, and the attacks above fail on it". The million entries are written by the format-4
 * code itself (tests/helpers/format-4-trail.ts: about three minutes, then kept in the temp folder);
 * the upgrade re-seals every one of them under a new K_vault and rebuilds the file, and `audit
 * verify` walks them all. The same checks run at 2,000 entries in the unit run.
 */
describe.skipIf(!FORMAT_4_CODE_AVAILABLE)(
  'a format-4 vault with a million-entry trail upgrades (issue 13)',
  () => {
    let dir: string;
    let cleanup: () => void;
    beforeEach(() => ({ dir, cleanup } = tempDir()));
    afterEach(() => cleanup());

    it('1,000,000 entries: it upgrades, verifies, every member unlocks, and attacks 3, 4, 8 and 14 fail on it', async () => {
      await upgradeAndAttack(format4VaultWithTrail(1_000_000), dir);
    }, 1_800_000);
  },
);
