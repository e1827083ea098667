import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundle a fault-suite child process to plain JavaScript in out/faults, so each of the hundreds of
 * processes a run starts loads in a fraction of the time tsx takes. The code bundled is the real
 * core, as in the Electron main bundle; dependencies stay in node_modules.
 */
export async function bundleChild(entry: string, name: string): Promise<string> {
  const outfile = `${ROOT}out/faults/${name}.js`;
  await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  cpSync(`${ROOT}electron/vault/store/migrations`, `${ROOT}out/faults/migrations`, {
    recursive: true,
  });
  return outfile;
}
