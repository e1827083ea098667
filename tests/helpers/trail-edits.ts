import { Frontier } from '../../electron/vault/audit/merkle.ts';
import { insiderConnection } from './insider-connection.ts';

/**
 * What an insider with sqlite3 does to cut a trail back: drop its newest entries and checkpoints,
 * and make the tree's right edge match, so every check inside the file agrees with itself. Only a
 * workstation that kept a later checkpoint can tell (issue 14, ADR 0024). `location`: the file's
 * path, or a server vault's URL (the same edit with psql).
 */
export function cutTrailBack(location: string, size: number): void {
  const db = insiderConnection(location);
  try {
    db.inWriteTransaction(() => {
      db.prepare('DELETE FROM audit_entries WHERE seq > ?').run(size);
      db.prepare('DELETE FROM audit_checkpoints WHERE size > ?').run(size);
      const frontier = new Frontier();
      const leaves = db
        .prepare('SELECT leaf_hash FROM audit_entries ORDER BY seq')
        .pluck()
        .all() as Buffer[];
      for (const leaf of leaves) frontier.append(new Uint8Array(leaf));
      db.prepare('DELETE FROM merkle_frontier').run();
      const insert = db.prepare('INSERT INTO merkle_frontier (level, hash) VALUES (?, ?)');
      for (const node of frontier.nodes) insert.run(node.level, Buffer.from(node.hash));
    });
  } finally {
    db.close();
  }
}

/** How many entries the trail holds, read without changing the file. */
export function trailSize(location: string): number {
  const db = insiderConnection(location);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
