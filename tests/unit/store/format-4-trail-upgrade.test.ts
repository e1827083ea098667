import { afterEach, beforeEach, describe, it } from 'vitest';
import { format4VaultWithTrail, FORMAT_4_CODE_AVAILABLE } from '../../helpers/format-4-trail.ts';
import { upgradeAndAttack } from '../../helpers/format-4-upgrade-checks.ts';
import { tempDir } from '../../helpers/vault.ts';

/**
 * Issue 13: "a format-4 vault with members, grants, a removal and a million-entry trail upgrades,
 * verifies, and the attacks above fail on it" — here with 2,000 entries written by the format-4
 * code, so it runs in every unit run; the million is in the fault suite
 * (tests/faults/format-4-million-entry-upgrade.test.ts), the same checks.
 */
describe.skipIf(!FORMAT_4_CODE_AVAILABLE)(
  'a format-4 vault with a trail written by the format-4 code upgrades (issue 13)',
  () => {
    let dir: string;
    let cleanup: () => void;
    beforeEach(() => ({ dir, cleanup } = tempDir()));
    afterEach(() => cleanup());

    it('2,000 entries: it upgrades, verifies, every member unlocks, and attacks 3, 4, 8 and 14 fail on it', async () => {
      await upgradeAndAttack(format4VaultWithTrail(2_000), dir);
    }, 300_000);
  },
);
