import { toleratePipeReaderClosing } from './closed-pipe.ts';
import { runCli } from './run.ts';

toleratePipeReaderClosing(process.stdout);
toleratePipeReaderClosing(process.stderr);
// No top-level await: the shipped CLI is a CommonJS bundle (scripts/build-cli.js), so that V8 can
// keep a code cache of it, and CommonJS has none. runCli reports every failure in its outcome.
void runCli(process.argv.slice(2)).then((outcome) => {
  process.exitCode = outcome.code;
});
