import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { invalidInput } from '../vault/errors.ts';

/**
 * Read a passphrase: a hidden prompt on a terminal, else the named environment variable.
 * Nothing typed is echoed; the prompt goes to stderr so stdout stays clean for output.
 */
export async function readPassphrase(prompt: string, envName: string): Promise<string> {
  if (process.stdin.isTTY && process.stderr.isTTY) return promptHidden(prompt);
  const fromEnv = process.env[envName];
  if (fromEnv === undefined || fromEnv === '') {
    throw invalidInput(`No passphrase: run in a terminal to be asked, or set ${envName}.`);
  }
  return fromEnv;
}

/** A new passphrase: asked twice on a terminal so a typo does not lock someone out. */
export async function readNewPassphrase(prompt: string, envName: string): Promise<string> {
  if (!(process.stdin.isTTY && process.stderr.isTTY)) return readPassphrase(prompt, envName);
  const first = await promptHidden(prompt);
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw invalidInput('The two passphrases differ; nothing was changed.');
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      process.stderr.write('\n');
      reject(invalidInput('Cancelled; nothing was changed.'));
    });
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}
