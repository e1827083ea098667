import type { Command } from 'commander';
import { verifyExport } from '../../vault/audit/verify-export.ts';
import { EXIT } from '../exit-codes.ts';
import { readInputFile, type Io } from '../support.ts';

/**
 * `custodian audit verify-export`: an exported bundle or evidence file checked with no vault, no
 * member and no passphrase. It sends no contract request and opens no router: the verifier loads
 * no storage code (tests/unit/structure/verifier-closure.test.ts), so security staff can run it
 * on any machine.
 */
export function registerVerifyExport(audit: Command, io: Io): void {
  audit
    .command('verify-export')
    .description('check an exported bundle or evidence file with no vault and no passphrase')
    .argument('<file>')
    .option('--since <checkpoint-file>', 'a checkpoint kept earlier: prove this trail extends it')
    .option(
      '--founder <fingerprint>',
      'the founder fingerprint `custodian init` printed: prove this trail is from that vault',
    )
    .option('--json')
    .action(async (file: string, o: { since?: string; founder?: string; json?: boolean }) => {
      const since =
        o.since === undefined ? undefined : readInputFile(o.since, 'the checkpoint file');
      const verdict = await verifyExport(file, {
        ...(since === undefined ? {} : { since }),
        ...(o.founder === undefined ? {} : { founder: o.founder }),
      });
      if (o.json) io.out(JSON.stringify(verdict));
      // Consistent is not authentic: fresh keys make a consistent fabrication (issue 13, attack 7).
      if (verdict.ok && verdict.anchoredBy === null) {
        io.err(
          `verify-export: the ${verdict.kind} is internally consistent but not anchored: nothing ties it to the real vault. Check it with --since and a checkpoint kept earlier, or with --founder and the fingerprint \`custodian init\` printed for the vault; this ${verdict.kind} chains to founder fingerprint ${verdict.founderFingerprint}.`,
        );
        io.setExitCode(EXIT.integrity);
        return;
      }
      if (verdict.ok) {
        if (!o.json) {
          const extends_ =
            verdict.since === null ? '' : `; extends the kept checkpoint at size ${verdict.since}`;
          io.out(
            `verified ${verdict.kind}: ${verdict.entries} entries against checkpoint size ${verdict.treeSize}, root ${verdict.root}${extends_}`,
          );
        }
      } else {
        io.err(`verify-export failed: ${verdict.where} ${verdict.problem}.`);
        io.setExitCode(EXIT.integrity);
      }
    });
}
