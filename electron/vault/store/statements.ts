import type { Statement } from 'better-sqlite3';
import type { Db } from './connection.ts';

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * A prepared statement, prepared once per connection. Preparing costs more than running a small
 * statement, and the audit trail runs the same few statements millions of times.
 */
export function statement(db: Db, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map<string, Statement>()));
  let prepared = statements.get(sql);
  if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
  return prepared;
}
