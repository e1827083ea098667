import { join } from 'node:path';
import { ESLint, RuleTester, type Linter, type Rule } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { ROOT } from '../../helpers/import-graph.ts';

/**
 * The process boundaries as the real eslint.config.js sets them (issue 12 item 2, STYLE.md 1):
 * for each case the rule's options are those the config gives that file, so a later block that
 * drops an earlier one's list (as happened to shared/) fails here. Each forbidden import fails
 * its rule; each allowed one passes every boundary rule.
 */
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/* eslint-disable @typescript-eslint/no-deprecated -- builtinRules is still ESLint 9's one way to
   hand a core rule to RuleTester; it goes when ESLint offers another. */
const RULES = {
  'no-restricted-imports': builtinRules.get('no-restricted-imports')!,
  'no-restricted-globals': builtinRules.get('no-restricted-globals')!,
  'import-x/no-restricted-paths': importX.rules[
    'no-restricted-paths'
  ] as unknown as Rule.RuleModule,
};
type RuleName = keyof typeof RULES;

interface Case {
  /** Where the code would live, from the repository root (the file need not exist). */
  readonly file: string;
  readonly code: string;
  /** The rule that must refuse it; none for code that every boundary rule allows. */
  readonly fails?: RuleName;
}

const imports = 'no-restricted-imports';
const paths = 'import-x/no-restricted-paths';
const globals = 'no-restricted-globals';
const VERIFIER = 'electron/vault/audit/verify-export.ts';

const CASES: Case[] = [
  // shared/: no Node, no Electron, no DOM, nothing from the app layers.
  { file: 'shared/x.ts', code: "import { readFileSync } from 'node:fs';", fails: imports },
  { file: 'shared/x.ts', code: "import fs from 'fs';", fails: imports },
  { file: 'shared/x.ts', code: "import { readFile } from 'fs/promises';", fails: imports },
  { file: 'shared/domain/x.ts', code: "import { join } from 'path';", fails: imports },
  { file: 'shared/x.ts', code: "import { app } from 'electron';", fails: imports },
  { file: 'shared/x.ts', code: "import type { IpcMain } from 'electron/main';", fails: imports },
  {
    file: 'shared/x.ts',
    code: "import { VaultError } from '../electron/vault/errors.ts';",
    fails: paths,
  },
  {
    file: 'shared/domain/x.ts',
    code: "import { VaultError } from '../../electron/vault/../vault/errors.ts';",
    fails: paths,
  },
  { file: 'shared/x.ts', code: "export { api } from '../renderer/api.ts';", fails: paths },
  { file: 'shared/x.ts', code: 'export const t = document.title;', fails: globals },
  { file: 'shared/x.ts', code: 'export const w = window.innerWidth;', fails: globals },
  { file: 'shared/x.ts', code: "export const v = localStorage.getItem('k');", fails: globals },
  { file: 'shared/x.ts', code: 'export const e = process.env;', fails: globals },
  { file: 'shared/x.ts', code: "export const b = Buffer.from('x');", fails: globals },
  { file: 'shared/x.ts', code: "import { z } from 'zod';" },
  { file: 'shared/ipc/x.ts', code: "import { accountLabel } from '../domain/accounts.ts';" },
  { file: 'shared/x.ts', code: "import { ErrorCode } from './errors.ts';" },
  {
    file: 'shared/x.ts',
    code: "console.log(new URL('https://x'), new TextEncoder(), setTimeout, crypto.randomUUID);",
  },

  // renderer/: nothing from electron/, no Electron, no Node.
  {
    file: 'renderer/views/x.tsx',
    code: "import { unlockVault } from '../../electron/vault/vault.ts';",
    fails: paths,
  },
  {
    file: 'renderer/x.ts',
    code: "import type { Router } from '../electron/vault/router.ts';",
    fails: paths,
  },
  { file: 'renderer/x.ts', code: "import '../electron/main/index.ts';", fails: paths },
  { file: 'renderer/x.ts', code: "import { ipcRenderer } from 'electron';", fails: imports },
  { file: 'renderer/x.ts', code: "import { readFileSync } from 'node:fs';", fails: imports },
  { file: 'renderer/x.tsx', code: "import { useState } from 'react';" },
  { file: 'renderer/x.ts', code: "import { CHANNELS } from '../shared/ipc/channels.ts';" },
  { file: 'renderer/views/x.tsx', code: "import { api } from '../api.ts';" },

  // Electron: electron/main and electron/preload alone.
  { file: 'electron/vault/x.ts', code: "import { app } from 'electron';", fails: imports },
  { file: 'electron/cli/x.ts', code: "import { app } from 'electron';", fails: imports },
  { file: 'electron/vault/crypto/x.ts', code: "import { app } from 'electron';", fails: imports },
  { file: VERIFIER, code: "import { app } from 'electron';", fails: imports },
  { file: 'scripts/x.js', code: "import { app } from 'electron';", fails: imports },
  { file: 'tests/unit/x.test.ts', code: "import { app } from 'electron';", fails: imports },
  { file: 'electron/main/x.ts', code: "import { app } from 'electron';" },
  { file: 'electron/preload/x.ts', code: "import { contextBridge } from 'electron';" },

  // libsodium: electron/vault/crypto alone (STYLE.md 5).
  {
    file: 'electron/vault/x.ts',
    code: "import sodium from 'libsodium-wrappers-sumo';",
    fails: imports,
  },
  {
    file: 'electron/main/x.ts',
    code: "import sodium from 'libsodium-wrappers-sumo';",
    fails: imports,
  },
  { file: 'electron/vault/crypto/x.ts', code: "import sodium from 'libsodium-wrappers-sumo';" },

  // The offline verifier and what it loads: no storage, domain or session code.
  { file: VERIFIER, code: "import { openDb } from '../store/connection.ts';", fails: paths },
  { file: VERIFIER, code: "import { resolveAccount } from '../domain/accounts.ts';", fails: paths },
  { file: VERIFIER, code: "import { requireRole } from '../vault.ts';", fails: paths },
  { file: VERIFIER, code: "import type { VaultSession } from '../session.ts';", fails: paths },
  { file: VERIFIER, code: "import { certificateValid } from '../keyring.ts';", fails: paths },
  { file: VERIFIER, code: "import { SealDigest } from './export.ts';", fails: paths },
  { file: VERIFIER, code: "import { auditEntryAddress } from './log.ts';", fails: paths },
  { file: VERIFIER, code: "import Database from 'better-sqlite3';", fails: imports },
  {
    file: 'electron/vault/audit/bundle.ts',
    code: "import { auditStore } from '../store/audit-store.ts';",
    fails: paths,
  },
  {
    file: 'electron/vault/crypto/hash.ts',
    code: "import { deriveKek } from './kdf.ts';",
    fails: paths,
  },
  { file: VERIFIER, code: "import { Frontier } from './merkle.ts';" },
  { file: VERIFIER, code: "import { SealDigest } from './seal.ts';" },
  { file: VERIFIER, code: "import { certificateValid } from '../member-certificate.ts';" },
  { file: VERIFIER, code: "import { bytesEqual } from '../crypto/hash.ts';" },
  { file: VERIFIER, code: "import { readFileSync } from 'node:fs';" },

  // The zones reach no further: the rest of the core may use the store.
  {
    file: 'electron/vault/audit/log.ts',
    code: "import { auditStore } from '../store/audit-store.ts';",
  },
  { file: 'electron/vault/x.ts', code: "import { readFileSync } from 'node:fs';" },
];

const eslint = new ESLint({ cwd: ROOT });

interface Resolved {
  readonly filename: string;
  readonly options: Record<RuleName, unknown[]>;
  readonly settings: Record<string, unknown>;
}

async function resolve(file: string): Promise<Resolved> {
  const filename = join(ROOT, file);
  const config = (await eslint.calculateConfigForFile(filename)) as Linter.Config;
  const options = {} as Record<RuleName, unknown[]>;
  for (const name of Object.keys(RULES) as RuleName[]) {
    const entry = config.rules?.[name];
    options[name] = Array.isArray(entry) ? entry.slice(1) : [];
  }
  return { filename, options, settings: config.settings ?? {} };
}

const resolved = new Map<string, Resolved>();
for (const { file } of CASES) if (!resolved.has(file)) resolved.set(file, await resolve(file));

const tester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    ecmaVersion: 'latest',
    sourceType: 'module',
    parserOptions: { ecmaFeatures: { jsx: true } },
  },
});

for (const [name, rule] of Object.entries(RULES) as [RuleName, Rule.RuleModule][]) {
  const asCase = ({ file, code }: Case) => {
    const { filename, options, settings } = resolved.get(file)!;
    return { name: `${file}: ${code}`, code, filename, options: options[name], settings };
  };
  tester.run(name, rule, {
    valid: CASES.filter((c) => c.fails !== name).map(asCase),
    invalid: CASES.filter((c) => c.fails === name).map((c) => ({ ...asCase(c), errors: 1 })),
  });
}
