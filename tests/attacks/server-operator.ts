import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { addPerson } from '../../electron/vault/domain/people.ts';
import { grantAccess, revokeAccess } from '../../electron/vault/domain/teams.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../helpers/postgres-cluster.ts';
import { PASSPHRASES, populatedVault, unlockAs } from '../helpers/vault.ts';

/**
 * The server operator of the threat model, the counterpart of insider.ts: they hold the PostgreSQL
 * database, not a key, and change it with psql. Each attack gets a throwaway cluster and a fresh
 * database per test.
 */

/**
 * Start a throwaway cluster for the enclosing describe (call it inside the describe: it registers
 * the beforeAll and afterAll), and make a fresh vault in a database of its own per call.
 */
export function operatorCluster(): {
  freshVault: () => Promise<{ url: string; accounts: string[] }>;
  vaultWithLeaver: () => Promise<{ url: string; account: string; person: string }>;
  asOperator: (url: string, sql: string) => Promise<number>;
} {
  let cluster: ThrowawayCluster;
  let n = 0;
  beforeAll(() => {
    cluster = startThrowawayCluster({ fsync: false });
  }, 60_000);
  afterAll(() => cluster.stop());

  async function freshVault(): Promise<{ url: string; accounts: string[] }> {
    const name = `v${++n}`;
    cluster.createDatabase(name);
    const url = cluster.urlFor(name);
    const { accounts } = await populatedVault(url);
    return { url, accounts };
  }

  /** A fresh vault with a leaver recorded on its first account: granted, then revoked (10.2). */
  async function vaultWithLeaver(): Promise<{ url: string; account: string; person: string }> {
    const { url, accounts } = await freshVault();
    const lead = await unlockAs(url, 'Lena Lead', PASSPHRASES.lead);
    try {
      const person = addPerson(lead, { name: 'Lee Leaver' });
      grantAccess(lead, { account: accounts[0]!, person: person.id, on: '2026-01-05' });
      revokeAccess(lead, { account: accounts[0]!, person: person.id, on: '2026-02-01' });
      return { url, account: accounts[0]!, person: person.id };
    } finally {
      lead.close();
    }
  }

  return { freshVault, vaultWithLeaver, asOperator };
}

/** Run SQL on the server as its operator, over a connection of their own; returns the rows changed. */
export async function asOperator(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
