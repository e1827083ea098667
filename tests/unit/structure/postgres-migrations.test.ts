import { describe, expect, it } from 'vitest';
import { MIGRATIONS, POSTGRES_MIGRATIONS } from '../../../electron/vault/store/migrate.ts';

// Issue 14: format N is the same tables on the file and on the server, so a sealed row's
// associated data and the state digest are the same bytes on both. A new file migration
// (NNN-title.sql) therefore comes with its twin, migrations/postgres/NNN-title.sql.
describe('the PostgreSQL migrations', () => {
  it('are one twin per SQLite migration, with the same number and name', () => {
    expect(POSTGRES_MIGRATIONS.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('say which file migration they are the twin of', () => {
    for (const migration of POSTGRES_MIGRATIONS) {
      expect(migration.sql, migration.name).toContain(`${migration.name.slice(0, 3)} (PostgreSQL)`);
    }
  });
});
