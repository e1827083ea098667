import { toleratePipeReaderClosing } from './closed-pipe.ts';
import { runCli } from './run.ts';

toleratePipeReaderClosing(process.stdout);
toleratePipeReaderClosing(process.stderr);
process.exitCode = (await runCli(process.argv.slice(2))).code;
