// A stand-in for the network between a workstation and its PostgreSQL server (issue 14): a
// process that passes every byte of the wire protocol through from a Unix socket of its own to the
// server's, and on command cuts one connection at the COMMIT of a write transaction, as a network
// that fails at that moment would. A separate process, because the client's thread blocks while
// its worker waits on the server.
//
//   node commit-cutting-proxy.mjs LISTEN_DIR SERVER_SOCKET
// stdin, one command a line:
//   arm before N   the Nth write COMMIT from now is lost on its way: the server never receives it
//   arm after N    the Nth write COMMIT from now reaches the server, and its answer is lost
// stdout: "ready" once listening, "cut before" / "cut after" when it cuts.
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const [listenDir, serverSocket] = process.argv.slice(2);
let armed = null;

const WRITE_BEGIN = 'BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE';

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, when, count] = line.trim().split(/\s+/);
  if (command === 'arm') armed = { when, remaining: Number(count ?? 1) };
});

const proxy = createServer((client) => {
  const server = createConnection(serverSocket);
  let pending = Buffer.alloc(0);
  let started = false;
  let inWrite = false;
  let cut = false;
  server.on('data', (chunk) => {
    if (!cut) client.write(chunk);
  });
  server.on('error', () => client.destroy());
  client.on('error', () => server.destroy());
  server.on('close', () => client.destroy());
  client.on('close', () => {
    if (!cut) server.destroy();
  });
  client.on('data', (chunk) => {
    if (cut) return;
    pending = Buffer.concat([pending, chunk]);
    // Whole messages only: the startup messages have no type byte, the rest do.
    for (;;) {
      const headerLength = started ? 5 : 4;
      if (pending.length < headerLength) return;
      const length = started ? pending.readInt32BE(1) + 1 : pending.readInt32BE(0);
      if (pending.length < length) return;
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      if (!started) {
        // An SSL or GSS request (a code, not the protocol number) is followed by the startup.
        if (message.readInt32BE(4) === 196608) started = true;
        server.write(message);
        continue;
      }
      if (message[0] === 0x51 /* Q */) {
        const text = message
          .subarray(5, message.length - 1)
          .toString('utf8')
          .trim();
        // A write's BEGIN comes with its first statements in one message (ADR 0034).
        if (text.startsWith('BEGIN')) inWrite = text.startsWith(WRITE_BEGIN);
        if (text === 'COMMIT' && inWrite && armed && --armed.remaining === 0) {
          const { when } = armed;
          armed = null;
          cut = true;
          process.stdout.write(`cut ${when}\n`);
          if (when === 'after') {
            // The server reads the COMMIT, then the end of the connection: it commits, and its
            // answer goes nowhere.
            server.end(message);
          } else {
            server.destroy();
          }
          client.destroy();
          return;
        }
      }
      server.write(message);
    }
  });
});

proxy.listen(join(listenDir, '.s.PGSQL.5432'), () => process.stdout.write('ready\n'));
