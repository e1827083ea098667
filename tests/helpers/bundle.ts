import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundle a child process (a fault-suite child, the CLI for benchmarks) to plain JavaScript in
 * out/<folder>, as the Electron main bundle is built: each of the hundreds of processes a run
 * starts then loads in a fraction of the time tsx takes. The code is the real core; dependencies
 * stay in node_modules. `entry` is relative to the repository root. The migrations and the export's
 * page reader are copied beside it, as build-electron.js does for the app.
 */
export async function bundleChild(
  entry: string,
  folder: string,
  name: string,
  options: { bundleDependencies?: boolean } = {},
): Promise<string> {
  const outfile = `${ROOT}out/${folder}/${name}.js`;
  await build({
    entryPoints: [`${ROOT}${entry}`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    // With its dependencies inside, one file loads instead of hundreds resolved one by one, as in
    // a packaged app; the native modules stay outside, and CommonJS code in the bundle gets a
    // real `require` for Node's built-ins.
    ...(options.bundleDependencies
      ? {
          external: ['better-sqlite3', '@node-rs/argon2'],
          banner: {
            js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
          },
        }
      : { packages: 'external' as const }),
  });
  cpSync(`${ROOT}electron/vault/store/migrations`, `${ROOT}out/${folder}/migrations`, {
    recursive: true,
  });
  // The audit export's page reader is a worker started from its own file, beside the bundle.
  cpSync(`${ROOT}electron/vault/store/entry-reader.mjs`, `${ROOT}out/${folder}/entry-reader.mjs`);
  // And `audit verify`'s integrity check of a large trail's file.
  cpSync(
    `${ROOT}electron/vault/store/integrity-worker.mjs`,
    `${ROOT}out/${folder}/integrity-worker.mjs`,
  );
  // And the trail verifiers' signature checks.
  cpSync(
    `${ROOT}electron/vault/crypto/signature-worker.mjs`,
    `${ROOT}out/${folder}/signature-worker.mjs`,
  );
  // So is the import's password scorer, with the zxcvbn set-up it shares with the process.
  for (const file of ['strength-worker.mjs', 'zxcvbn-estimator.mjs']) {
    cpSync(`${ROOT}electron/vault/domain/${file}`, `${ROOT}out/${folder}/${file}`);
  }
  return outfile;
}
