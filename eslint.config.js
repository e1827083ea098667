// Lint is a quality gate (STYLE.md 10) and the enforcer of "the folder names the process" (STYLE.md 1).
// The process boundaries are proved by tests/unit/lint/boundaries.test.ts.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---- Restricted imports, by module name ------------------------------------------------------
// A later config block that sets a rule replaces the rule's options from earlier blocks, so each
// file gets exactly one no-restricted-imports entry, built by adding to the base (as Bitwarden's
// buildNoRestrictedImports does): never a second block that silently drops the first's list.

const electronPackage = {
  paths: [
    { name: 'electron', message: 'Only electron/main and electron/preload import Electron.' },
  ],
  patterns: [
    { group: ['electron/*'], message: 'Only electron/main and electron/preload import Electron.' },
  ],
};
const sodium = {
  paths: [{ name: 'libsodium-wrappers-sumo', message: 'Use electron/vault/crypto (STYLE.md 5).' }],
};
// A regex, not a gitignore-style group: as a group, the built-in `domain` would also match the
// path segment in `../domain/accounts.ts`.
const builtinNames = builtinModules.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
const nodeBuiltins = (where) => ({
  patterns: [
    {
      regex: `^(node:.*|(${builtinNames.join('|')})(/.*)?)$`,
      message: `${where} runs in the renderer too: no Node built-ins.`,
    },
  ],
});
const storagePackages = {
  paths: ['better-sqlite3', '@node-rs/argon2'].map((name) => ({
    name,
    message: 'The offline verifier checks a bundle with public keys alone: no storage, no KDF.',
  })),
};

/** One no-restricted-imports entry: the base (Electron, libsodium) less what a zone may use, plus its own. */
function noRestrictedImports({ electron = false, libsodium = false, extra = [] } = {}) {
  const parts = [...(electron ? [] : [electronPackage]), ...(libsodium ? [] : [sodium]), ...extra];
  return [
    'error',
    {
      paths: parts.flatMap((part) => part.paths ?? []),
      patterns: parts.flatMap((part) => part.patterns ?? []),
    },
  ];
}

// ---- Restricted paths, by where the import lands ---------------------------------------------
// A path zone resolves the import, so `../../electron/vault/errors.ts` and any other spelling of
// it are caught alike. One rule entry for the whole tree: zones add up in a single list.

/** What security staff run on any machine to check an exported trail (issue 12 item 3). */
export const VERIFIER_FILES = [
  'electron/vault/audit/verify-export.ts',
  'electron/vault/audit/bundle.ts',
  'electron/vault/audit/seal.ts',
  'electron/vault/audit/checkpoint.ts',
  'electron/vault/audit/entry.ts',
  'electron/vault/audit/merkle.ts',
  'electron/vault/member-certificate.ts',
  'electron/vault/canonical-json.ts',
  'electron/vault/errors.ts',
  'electron/vault/crypto/{hash,keys,aead,sodium,random,secret-bytes,signature-checks}.ts',
  'electron/vault/crypto/signature-worker.mjs',
  'electron/vault/audit/bundle-blocks.ts',
  'electron/vault/audit/{entry-leaf,jcs,leaf-worker}.mjs',
];
// Folders and files, no globs (the rule takes one kind or the other in a zone's `from`).
const STORAGE_AND_DOMAIN = [
  'electron/vault/store',
  'electron/vault/domain',
  'electron/vault/handlers',
  'electron/vault/health',
  ...['vault', 'session', 'keyring', 'router', 'backup'].map((f) => `electron/vault/${f}.ts`),
  'electron/vault/crypto/kdf.ts',
  ...['log', 'export', 'evidence', 'entry-pages', 'verify', 'people-view'].map(
    (f) => `electron/vault/audit/${f}.ts`,
  ),
  ...['file', 'jsonl', 'csv', 'pdf'].map((f) => `electron/vault/audit/export-${f}.ts`),
];
const zones = [
  {
    target: 'shared/**',
    from: ['electron', 'renderer'],
    message: 'shared/ is used by both sides and imports nothing from the app layers.',
  },
  {
    target: 'renderer/**',
    from: ['electron'],
    message:
      'The renderer reaches the vault through the IPC contract (shared/ipc), never electron/.',
  },
  {
    target: VERIFIER_FILES,
    from: STORAGE_AND_DOMAIN,
    message: 'The offline verifier loads no storage, domain or session code.',
  },
];

// ---- DOM and Node globals in shared/ -----------------------------------------------------------
// What exists in only one of the two worlds: DOM-only names (document, window...) and Node-only
// names (process, Buffer...). What both have (console, URL, TextEncoder...) stays allowed.
const onlyIn = (a, b) => Object.keys(a).filter((name) => !(name in b));
// Newer Node also has navigator, localStorage and the like, but shared/ code is not to lean on them.
const domOnly = new Set([
  ...onlyIn(globals.browser, globals.node),
  ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage'],
]);
const sharedGlobals = [
  ...[...domOnly].map((name) => ({
    name,
    message: 'shared/ runs in the main process too: no DOM.',
  })),
  ...onlyIn(globals.node, globals.browser)
    .filter((name) => !domOnly.has(name))
    .map((name) => ({ name, message: 'shared/ runs in the renderer too: no Node globals.' })),
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // With noUncheckedIndexedAccess, `xs[i]!` after a bounds check states an invariant the
      // compiler cannot see; strictAssert is for the ones that need a message.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    // The CLI, scripts, benchmarks and tests talk to a terminal.
    files: ['electron/cli/**', 'scripts/**', 'bin/**', 'tests/bench/**'],
    rules: { 'no-console': 'off' },
  },

  // Process boundaries: exactly one no-restricted-imports entry for each file.
  {
    files: ['**/*.{ts,tsx,mts,js,mjs}'],
    ignores: [
      'electron/main/**',
      'electron/preload/**',
      'electron/vault/crypto/**',
      'shared/**',
      'renderer/**',
      ...VERIFIER_FILES,
    ],
    rules: { 'no-restricted-imports': noRestrictedImports() },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': noRestrictedImports({ electron: true }) },
  },
  {
    // `audit verify`'s trail worker opens sealed details on its own thread, which runs no
    // TypeScript: it calls libsodium's decrypt as crypto/batch-open.ts does (issue 17).
    files: ['electron/vault/audit/trail-worker.mjs'],
    rules: { 'no-restricted-imports': noRestrictedImports({ libsodium: true }) },
  },
  {
    // libsodium is wrapped by electron/vault/crypto alone (STYLE.md 5).
    files: ['electron/vault/crypto/**'],
    ignores: VERIFIER_FILES,
    rules: { 'no-restricted-imports': noRestrictedImports({ libsodium: true }) },
  },
  {
    files: VERIFIER_FILES.filter((file) => file.startsWith('electron/vault/crypto/')),
    rules: {
      'no-restricted-imports': noRestrictedImports({ libsodium: true, extra: [storagePackages] }),
    },
  },
  {
    files: VERIFIER_FILES,
    ignores: ['electron/vault/crypto/**'],
    rules: { 'no-restricted-imports': noRestrictedImports({ extra: [storagePackages] }) },
  },
  {
    // shared/ is used by both sides: no Node, no Electron, no DOM-only code, no app layers.
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': noRestrictedImports({ extra: [nodeBuiltins('shared/')] }),
      'no-restricted-globals': ['error', ...sharedGlobals],
    },
  },
  {
    // The renderer is sandboxed: no Node, no Electron; it reaches the vault over IPC.
    files: ['renderer/**'],
    rules: { 'no-restricted-imports': noRestrictedImports({ extra: [nodeBuiltins('renderer/')] }) },
  },
  {
    files: ['electron/**', 'shared/**', 'renderer/**'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.mjs', '.js'] }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }],
    },
  },

  {
    files: ['tests/**'],
    rules: {
      // expect.objectContaining() and friends are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
