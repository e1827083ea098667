import type { Db, StoreStatement } from './store-connection.ts';

const cache = new WeakMap<Db, Map<string, StoreStatement>>();

/**
 * A prepared statement, prepared once per connection. Preparing costs more than running a small
 * statement, and the audit trail runs the same few statements millions of times.
 */
export function statement(db: Db, sql: string): StoreStatement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map<string, StoreStatement>()));
  let prepared = statements.get(sql);
  if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
