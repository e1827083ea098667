import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { invalidInput } from '../vault/errors.ts';
import { currentIo, type Io } from './io.ts';

/**
 * Read a passphrase: a hidden prompt on a terminal, else the named environment variable (both
 * those of the run, io.ts). Nothing typed is echoed; the prompt goes to stderr so stdout stays
 * clean for output.
 */
export async function readPassphrase(prompt: string, envName: string): Promise<string> {
  const io = currentIo();
  if (onTerminal(io)) return promptHidden(io, prompt);
  const fromEnv = io.env[envName];
  if (fromEnv === undefined || fromEnv === '') {
    throw invalidInput(`No passphrase: run in a terminal to be asked, or set ${envName}.`);
  }
  return fromEnv;
}

/** A new passphrase: asked twice on a terminal so a typo does not lock someone out. */
export async function readNewPassphrase(prompt: string, envName: string): Promise<string> {
  const io = currentIo();
  if (!onTerminal(io)) return readPassphrase(prompt, envName);
  const first = await promptHidden(io, prompt);
  const second = await promptHidden(io, 'Repeat it: ');
  if (first !== second) throw invalidInput('The two passphrases differ; nothing was changed.');
  return first;
}

function onTerminal(io: Io): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

function promptHidden(io: Io, prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) io.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      io.stderr.write('\n');
      reject(invalidInput('Cancelled; nothing was changed.'));
    });
    rl.question(prompt, (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
