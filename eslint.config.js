// Lint is a quality gate (STYLE.md 10) and the enforcer of "the folder names the process" (STYLE.md 1).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'];

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
  {
    // Only electron/main and electron/preload may import Electron.
    files: ['electron/vault/**', 'electron/cli/**', 'shared/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/main and electron/preload import Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // shared/ is used by both sides: no Node, no Electron, no DOM-only code, no app layers.
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            {
              group: nodeBuiltins,
              message: 'shared/ runs in the renderer too: no Node built-ins.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from the app layers.',
            },
          ],
        },
      ],
    },
  },
  {
    // libsodium is wrapped by electron/vault/crypto alone (STYLE.md 5).
    files: ['electron/**', 'shared/**', 'renderer/**'],
    ignores: ['electron/vault/crypto/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'libsodium-wrappers-sumo', message: 'Use electron/vault/crypto.' },
            {
              name: 'electron',
              message: 'Only electron/main and electron/preload import Electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'libsodium-wrappers-sumo', message: 'Use electron/vault/crypto.' }] },
      ],
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
