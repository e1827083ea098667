import type { Command } from 'commander';
import { isBelowDefault } from '../../vault/crypto/kdf.ts';
import { readNewPassphrase } from '../prompt.ts';
import { acting, asOption, kdfFrom, positiveInt, type Io } from '../support.ts';
import { clientOf, openRouter } from '../vault-client.ts';

/** `custodian init`: a new vault (vault.create), with the founder fingerprint to keep outside it. */
export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description('create a vault; you become its founding lead')
    .argument('<vault>', 'path of the new vault file')
    .addOption(asOption())
    .option('--kdf-memory-mib <n>', 'Argon2id memory per unlock (default 256)', positiveInt)
    .option('--kdf-passes <n>', 'Argon2id passes (default 3)', positiveInt)
    .action(
      async (
        vault: string,
        options: { as?: string; kdfMemoryMib?: number; kdfPasses?: number },
      ) => {
        const founderName = acting(options);
        // Checked before the passphrase is asked for; the core refuses it again (the real check).
        const kdf = kdfFrom(options);
        if (isBelowDefault(kdf)) {
          io.err(
            `warning: key derivation below the default (${kdf.memoryKiB / 1024} MiB, ${kdf.passes} passes).`,
          );
        }
        const passphrase = await readNewPassphrase(
          `New passphrase for ${founderName}: `,
          'CUSTODIAN_PASSPHRASE',
        );
        const router = openRouter();
        const client = clientOf(router);
        let created;
        try {
          created = await client.call('vault.create', {
            file: await client.file(vault, 'new-vault'),
            founderName,
            passphrase,
            kdf: { memoryMib: kdf.memoryKiB / 1024, passes: kdf.passes },
          });
        } finally {
          router.lock('quit');
        }
        io.out(
          `Created vault ${created.vaultId} at ${vault}; ${founderName} is its founding lead.`,
        );
        // The anchor for every export of this vault (issue 13, attack 7): keep it outside the vault.
        const fingerprint = created.founderFingerprint;
        io.out(
          `Founder fingerprint: ${fingerprint}\nKeep it outside the vault (on paper, in e-mail): \`custodian audit verify-export --founder "${fingerprint}"\` proves an export is from this vault.`,
        );
      },
    );
}
