import type { Command } from 'commander';
import type { TaskProgress } from '../../../shared/ipc/channels.ts';
import { CONTRACT } from '../../../shared/ipc/contract.ts';
import { checkDestination } from '../../vault/output-file.ts';
import { EXIT } from '../exit-codes.ts';
import { asOption, oneOf, positiveInt, readInputFile, type Io } from '../support.ts';
import { registerVerifyExport } from './verify-export.ts';
import { withVault } from '../vault-client.ts';

/** The export formats, as the contract lists them (the usage message names the same). */
const EXPORT_FORMATS = CONTRACT['audit.export'].request.shape.format.options;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `custodian audit`: verify the trail, export it, keep a checkpoint, verify an export offline. */
export function registerAudit(program: Command, io: Io): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description('check every entry, checkpoint, signature and certificate')
    .argument('<vault>')
    .addOption(asOption())
    .option('--json', 'machine-readable output')
    .action(async (vault: string, options: { as?: string; json?: boolean }) => {
      const { report } = await withVault(vault, options, ({ call }) => call('audit.verify', {}));
      if (options.json) io.out(JSON.stringify(report));
      if (report.ok) {
        if (!options.json)
          io.out(
            `verified ${report.entries} entries, ${report.checkpoints} checkpoints; root ${report.root}`,
          );
      } else {
        io.err(`audit verify failed: ${report.where} ${report.problem}.`);
        io.setExitCode(EXIT.integrity);
      }
    });
  audit
    .command('export')
    .description('export the trail for an audit or case file (lead and security; audited)')
    .argument('<vault>')
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'), oneOf(EXPORT_FORMATS, 'format'))
    .requiredOption(
      '--out <file>',
      'a new file to write it to (refused if it exists, or is the vault or one of its files)',
    )
    .option('--replace', 'replace --out if it exists (never the vault); links are not followed')
    .option('--from <date>', 'entries on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'entries on or before this day')
    .option('--account <account>', 'entries about one account')
    .option('--person <person>', 'entries that name one person')
    .option('--actor <member>', 'entries by one vault member')
    .option('--kind <kind>', 'one event kind, or a family such as "credential"')
    .option(
      '--since <checkpoint-file>',
      'include a consistency proof from a checkpoint kept earlier',
    )
    .addOption(asOption())
    .action(
      async (
        vault: string,
        o: {
          format: ExportFormat;
          out: string;
          replace?: boolean;
          from?: string;
          to?: string;
          account?: string;
          person?: string;
          actor?: string;
          kind?: string;
          since?: string;
          as?: string;
        },
      ) => {
        const since =
          o.since === undefined ? undefined : readInputFile(o.since, 'the checkpoint file');
        // Refused before the unlock: an existing file, a folder, the vault or one of its files.
        checkDestination(o.out, { vaultPath: vault, replace: o.replace ?? false });
        const tty = io.stderr.isTTY;
        const onProgress = tty
          ? (p: TaskProgress) => io.stderr.write(`\rexporting ${p.done}/${p.total}`)
          : undefined;
        const result = await withVault(
          vault,
          o,
          async ({ call, file }) =>
            call('audit.export', {
              format: o.format,
              file: await file(o.out, 'export'),
              replace: o.replace ?? false,
              filters: {
                ...(o.from ? { from: o.from } : {}),
                ...(o.to ? { to: o.to } : {}),
                ...(o.account ? { account: o.account } : {}),
                ...(o.person ? { person: o.person } : {}),
                ...(o.actor ? { actor: o.actor } : {}),
                ...(o.kind ? { kind: o.kind } : {}),
              },
              ...(since ? { since } : {}),
            }),
          onProgress ? { onProgress } : {},
        );
        if (tty) io.stderr.write('\n');
        io.out(
          `Exported ${result.entries} entries to ${o.out}; checkpoint size ${result.treeSize}, root ${result.root}.`,
        );
      },
    );

  registerVerifyExport(audit, io);

  audit
    .command('checkpoint')
    .description('print the current signed checkpoint (C2SP tlog-checkpoint) to keep for next time')
    .argument('<vault>')
    .addOption(asOption())
    .action(async (vault: string, o: { as?: string }) => {
      // Taken before the session's own lock entry, which extends the trail past it.
      const { text } = await withVault(vault, o, ({ call }) => call('audit.checkpoint', {}));
      io.out(text.replace(/\n$/, ''));
    });

  audit
    .command('evidence')
    .description('one entry with its inclusion proof and checkpoint, checkable on its own')
    .argument('<vault>')
    .requiredOption('--seq <n>', 'the entry number', positiveInt)
    .requiredOption('--out <file>', 'a new file (refused if it exists, or is the vault)')
    .option('--replace', 'replace --out if it exists (never the vault)')
    .addOption(asOption())
    .action(
      async (vault: string, o: { seq: number; out: string; replace?: boolean; as?: string }) => {
        const replace = o.replace ?? false;
        // Refused before the unlock, as an export is; the core checks again before it writes.
        checkDestination(o.out, { vaultPath: vault, replace });
        await withVault(vault, o, async ({ call, file }) =>
          call('audit.evidence', { seq: o.seq, file: await file(o.out, 'export'), replace }),
        );
        io.out(`Wrote evidence for entry #${o.seq} to ${o.out}.`);
      },
    );
}
