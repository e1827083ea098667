import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/errors.ts';
import { postgresUnavailable } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, unlockAs } from '../helpers/vault.ts';
import { operatorCluster } from './server-operator.ts';

/**
 * Issue 14: the server's operator holds the database, not a key. They can change any row with
 * psql; every such change must be caught, as an insider's edit of the file is (ADR 0020): a sealed
 * blob altered in place, a membership row of the registry changed to hide that someone left (10.2),
 * a lead's sealed profile copied onto another member's row. Each is refused at unlock as damage, naming what was changed.
 */
const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  unavailable ?? 'a server operator who edits rows on the server is caught',
  () => {
    const { vaultWithLeaver, asOperator } = operatorCluster();

    it('a sealed credential with one byte changed is refused at unlock, naming its table', async () => {
      const { url, account } = await vaultWithLeaver();
      const changed = await asOperator(
        url,
        `UPDATE credentials SET sealed = overlay(sealed placing '\\x00'::bytea from 40 for 1) WHERE account_id = '${account}'`,
      );
      expect(changed).toBe(1);
      await expect(unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('credentials'),
      });
    });

    it("a leaver's revocation removed from the team membership row is refused at unlock", async () => {
      const { url, person } = await vaultWithLeaver();
      const changed = await asOperator(
        url,
        `UPDATE team_memberships SET revoked_on = NULL WHERE person_id = '${person}'`,
      );
      expect(changed).toBe(1);
      await expect(unlockAs(url, 'Lena Lead', PASSPHRASES.lead)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('team_memberships'),
      });
    });

    it("the founding lead's sealed profile (role inside, ADR 0028) copied onto another member's row is refused at unlock", async () => {
      const { url } = await vaultWithLeaver();
      // The role is no longer a clear column: the operator's nearest move is to give the last
      // member added the founder's sealed blob, which opens only bound to the founder's id.
      const changed = await asOperator(
        url,
        'UPDATE members SET sealed = (SELECT sealed FROM members ORDER BY rowid LIMIT 1) WHERE rowid = (SELECT max(rowid) FROM members)',
      );
      expect(changed).toBe(1);
      await expect(unlockAs(url, 'Dev Dmt', PASSPHRASES.dmt)).rejects.toMatchObject({
        code: ErrorCode.INTEGRITY,
        message: expect.stringContaining('members'),
      });
    });
  },
);
