import Database from 'better-sqlite3';
import { Frontier } from '../../electron/vault/audit/merkle.ts';

/**
 * What an insider with sqlite3 does to cut a trail back: drop its newest entries and checkpoints,
 * and make the tree's right edge match, so every check inside the file agrees with itself. Only a
 * workstation that kept a later checkpoint can tell (issue 14, ADR 0024).
 */
export function cutTrailBack(path: string, size: number): void {
  const db = new Database(path);
  try {
    db.transaction(() => {
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
      for (const node of frontier.nodes) insert.run(node.level, node.hash);
    })();
  } finally {
    db.close();
  }
}

/** How many entries the trail holds, read without changing the file. */
export function trailSize(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_entries').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
