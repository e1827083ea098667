import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, resolveImport, ROOT, sourceFiles } from '../../helpers/import-graph.ts';

// Issue 12 item 3: no SQL outside the store. Everything that names a table, prepares a statement
// or drives the SQLite connection lives in electron/vault/store/, so a second storage backend
// (DESIGN.md, a shared vault on PostgreSQL) replaces the store and nothing above it. And item 5:
// the one writable handle is made in one place above the store, the audited transaction.

const STORE = 'electron/vault/store/';
/** The connection's methods that run SQL or change the file. */
const DRIVER_CALLS = new Set(['prepare', 'pragma', 'transaction', 'backup', 'exec', 'iterate']);
const SQL =
  /\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b/is;

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

/** SQL text and driver calls in one file's code (comments are not code, and are not looked at). */
function sqlIn(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Finding[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      what,
    });
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) {
      if (SQL.test(node.text)) at(node, `SQL text "${node.text.slice(0, 40)}"`);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const name = node.expression.name.text;
      // RegExp#exec takes a string to match, not SQL: a call on a regular expression literal
      // (the only way this tree calls it) is not a driver call.
      const onRegex = ts.isRegularExpressionLiteral(node.expression.expression);
      if (DRIVER_CALLS.has(name) && !onRegex) at(node, `.${name}(`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const code = sourceFiles('electron', 'shared', 'renderer');
/**
 * The one exception, a worker thread: audit verify's trail workers (issue 17) each open their own
 * read-only connection, and a worker runs plain JavaScript, so it cannot import the TypeScript
 * store. It prepares only the page query the store gives it (store/trail-page-sql.ts, passed in
 * as workerData) and no SQL text of its own; moving it into the store is left for later.
 */
const WORKER_WITH_ITS_OWN_CONNECTION = 'electron/vault/audit/trail-worker.mjs';
const outsideStore = code.filter(
  (file) => !file.startsWith(STORE) && file !== WORKER_WITH_ITS_OWN_CONNECTION,
);

describe('SQL lives in the store', () => {
  it('has no SQL text or connection call anywhere outside electron/vault/store', () => {
    const found = outsideStore.flatMap((file) =>
      sqlIn(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('imports the SQLite driver only inside the store', () => {
    const importers = outsideStore.filter((file) =>
      importSpecifiers(file).some((specifier) => specifier === 'better-sqlite3'),
    );
    expect(importers).toEqual([]);
  });

  it('lets the trail worker prepare only the query the store hands it', () => {
    const worker = readFileSync(join(ROOT, WORKER_WITH_ITS_OWN_CONNECTION), 'utf8');
    expect(sqlIn(WORKER_WITH_ITS_OWN_CONNECTION, worker)).toEqual([
      expect.objectContaining({ what: '.prepare(' }),
    ]);
    expect(worker).toContain('db.prepare(workerData.sql)');
    expect(worker).toContain('readonly: true');
  });

  it('mints the writable handle only in the audited transaction (audit/log.ts)', () => {
    const callers = outsideStore.filter((file) =>
      /\bwriteTransaction\s*\(/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(callers).toEqual(['electron/vault/audit/log.ts']);
  });

  it('would see what it forbids (so the checks above are not vacuous)', () => {
    const seen = sqlIn(
      'x.ts',
      [
        "db.prepare('SELECT * FROM audit_entries WHERE seq = ?').get(1);",
        'session.db.pragma(`data_version`);',
        'const q = `DELETE FROM ${table} WHERE id = ?`;',
        "db.exec('CREATE TABLE t (a)');",
        '// a comment that says SELECT x FROM y is not code',
        'const m = /^a (b)$/.exec(line);',
      ].join('\n'),
    );
    expect(seen.map((f) => [f.line, f.what.slice(0, 8)])).toEqual([
      [1, '.prepare'],
      [1, 'SQL text'],
      [2, '.pragma('],
      [3, 'SQL text'],
      [4, '.exec('],
      [4, 'SQL text'],
    ]);
    // And the store itself is full of it, as it should be.
    const store = code.filter((file) => file.startsWith(STORE));
    expect(store.some((f) => sqlIn(f, readFileSync(join(ROOT, f), 'utf8')).length > 0)).toBe(true);
  });
});

// Below the session (DESIGN.md layout): the store stands under the domain, the handlers, the
// health rules, the session and the exporters, and imports none of them.
const ABOVE_THE_STORE = [
  /^electron\/vault\/(domain|handlers|health)\//,
  /^electron\/vault\/(vault|session|router|backup)\.ts$/,
  /^electron\/vault\/audit\/(log|export|evidence|verify|entry-pages)/,
  /^electron\/(cli|main|preload)\//,
];

describe('the store', () => {
  it('imports nothing from the layers above it', () => {
    const upward = code
      .filter((file) => file.startsWith(STORE))
      .flatMap((file) =>
        importSpecifiers(file)
          .map((specifier) => resolveImport(file, specifier))
          .filter((target): target is string => target !== undefined)
          .filter((target) => ABOVE_THE_STORE.some((pattern) => pattern.test(target)))
          .map((target) => `${file} -> ${target}`),
      );
    expect(upward).toEqual([]);
  });
});
