import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/import-graph.ts';

// Issue 12 item 9: the fuses and ASAR integrity in electron-builder.yml apply only if the file is
// one electron-builder accepts, and only if a built binary carries them.

const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;
const fuses = config.electronFuses as Record<string, boolean>;

/** electron-builder's own configuration schema, as shipped in the version installed. */
function validator() {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(
    readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
  ) as object;
  // The schema uses keywords of its generator (e.g. "tsType") that ajv's strict mode refuses.
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

/** The @electron/fuses option a config key names: `runAsNode` is FuseV1Options.RunAsNode. */
function fuseOption(key: string): FuseV1Options | undefined {
  const name = key[0]!.toUpperCase() + key.slice(1);
  return (FuseV1Options as unknown as Record<string, FuseV1Options | undefined>)[name];
}

describe('electron-builder.yml', () => {
  const validate = validator();

  it('is a configuration electron-builder accepts (its own JSON schema)', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is refused by that schema with a misspelt fuse, so the check above can fail', () => {
    const misspelt = {
      ...config,
      electronFuses: { ...fuses, grantFileProtocolExtraPrivilege: false },
    };
    expect(validate(misspelt)).toBe(false);
  });

  it('hardens the app with every fuse the Electron security checklist asks for', () => {
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('names only fuses that @electron/fuses can read back from a binary', () => {
    expect(Object.keys(fuses).filter((key) => fuseOption(key) === undefined)).toEqual([]);
  });
});

// Where `npm run dist` leaves the unpacked apps (directories.output in electron-builder.yml).
const BINARIES = [
  'dist/packages/linux-unpacked/custodian',
  'dist/packages/win-unpacked/Custodian.exe',
].filter((path) => existsSync(join(ROOT, path)));

// A fuse's state on the wire is the character '1' or '0' (@electron/fuses's FuseState, which its
// package index declares but does not export).
const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);

const NO_BINARY =
  'skipped: no built binary here; `npm run dist` makes one where an Electron runtime can be had, ' +
  'and this machine cannot download one';

describe('a built binary', () => {
  it.skipIf(BINARIES.length === 0)(
    BINARIES.length > 0
      ? `carries the fuses of electron-builder.yml: ${BINARIES.join(', ')}`
      : `carries the fuses of electron-builder.yml (${NO_BINARY})`,
    async () => {
      for (const binary of BINARIES) {
        const wire = await getCurrentFuseWire(join(ROOT, binary));
        for (const [key, enabled] of Object.entries(fuses)) {
          expect({ binary, key, state: wire[fuseOption(key)!] }).toEqual({
            binary,
            key,
            state: enabled ? ENABLED : DISABLED,
          });
        }
      }
    },
  );
});
