import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** The repository root, where the paths in a graph are relative to. */
export const ROOT = resolve(import.meta.dirname, '../..');

const CODE = new Set(['.ts', '.tsx', '.mts', '.js', '.mjs']);

/** A file's imports as the code writes them: static, type-only, re-exports and `import()`. */
export function importSpecifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Where a relative import lands, as a path from the root; undefined for a package or a Node
 * built-in (the caller sees those by name). Every import in this tree names its file with its
 * extension (tsconfig allowImportingTsExtensions), so a relative import that names no existing
 * file is a broken import, and an error rather than something to guess at.
 */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(ROOT, dirname(from), specifier);
  if (!existsSync(target) || !statSync(target).isFile()) {
    throw new Error(`${from}: import '${specifier}' names no file`);
  }
  return relative(ROOT, target).split(sep).join('/');
}

export interface ImportClosure {
  /** Every source file reached, the start included. */
  readonly files: Set<string>;
  /** Every package or built-in imported by name anywhere in the closure. */
  readonly packages: Set<string>;
}

/**
 * A file's imports that are evaluated when it is loaded: static imports and re-exports that bring
 * a value (or are written for their side effect). Left out: `import type`, imports whose every
 * name is a type (verbatimModuleSyntax keeps those only as `import 'x'` when written so), and
 * `import()`, which loads its module when the code runs, not when the file is loaded.
 */
export function loadTimeSpecifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        (clause.phaseModifier === ts.SyntaxKind.TypeKeyword ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
      if (!onlyTypes) out.push(statement.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      out.push(statement.moduleSpecifier.text);
    }
  }
  return out;
}

/**
 * All that loading `start` loads: the transitive closure of its imports. With `loadTime`, only
 * what is evaluated before `start` runs (loadTimeSpecifiers): what a command pays for at start.
 */
export function importClosure(start: string, options: { loadTime?: boolean } = {}): ImportClosure {
  const specifiersOf = options.loadTime ? loadTimeSpecifiers : importSpecifiers;
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiersOf(file)) {
      const target = resolveImport(file, specifier);
      if (target === undefined) packages.add(specifier);
      else if (CODE.has(extname(target))) pending.push(target);
    }
  }
  return { files, packages };
}

/** The source files under some folders of the root, as paths from the root. */
export function sourceFiles(...folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (CODE.has(extname(entry.name)) && !entry.name.endsWith('.d.mts')) out.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

/** Import edges between the given files (imports of files outside the set are left out). */
export function importGraph(files: readonly string[]): Map<string, Set<string>> {
  const inSet = new Set(files);
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of importSpecifiers(file)) {
      const target = resolveImport(file, specifier);
      if (target !== undefined && inSet.has(target)) targets.add(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/**
 * The import cycles of a graph: its strongly connected components of more than one file, or of
 * one file that imports itself (Tarjan's algorithm). Each cycle's files are sorted.
 */
export function importCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)?.has(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
