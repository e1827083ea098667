// A stand-in for the network between a workstation and its PostgreSQL server (issue 14): a
// process that passes every byte of the wire protocol through from a Unix socket of its own to the
// server's, and on command cuts one connection at the COMMIT of a write transaction, as a network
// that fails at that moment would. A separate process, because the client's thread blocks while
// its worker waits on the server.
//
//   node commit-cutting-proxy.mjs LISTEN_DIR SERVER_SOCKET
// stdin, one command a line:
//   arm before N   the Nth write COMMIT from now is lost on its way: the server never receives it
//   arm after N    the Nth write COMMIT from now reaches the server, which runs it, and its answer
//                  is lost: the client's side is cut only once the server has answered (its
//                  ReadyForQuery), so the client can never ask before the server has committed
//   arm late N     the Nth write COMMIT from now is held on its way while the client's side is cut,
//                  and reaches the server LATE_MS later, after the client has asked what became
//                  of it: a COMMIT still in the network when the question is asked
// stdout: "ready" once listening, "cut before" / "cut after" / "cut late" when it cuts, and
// "late delivered" once a late COMMIT has been passed on.
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { setTimeout } from 'node:timers';

const [listenDir, serverSocket] = process.argv.slice(2);
let armed = null;

/** Long enough for the client to reconnect and ask, on a loaded machine too. */
const LATE_MS = 3000;

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
  // After the cut of an `after`: the server's answer to the COMMIT, read to its ReadyForQuery.
  let answer = null;
  server.on('data', (chunk) => {
    if (!cut) {
      client.write(chunk);
      return;
    }
    if (answer === null) return;
    answer = Buffer.concat([answer, chunk]);
    // The client sent the COMMIT only once it had the previous answer whole, so what comes now
    // starts at a message: type byte, length (itself included), body. Z is ReadyForQuery.
    for (let at = 0; at + 5 <= answer.length; at += answer.readInt32BE(at + 1) + 1) {
      if (answer[at] === 0x5a /* Z */) {
        answer = null;
        process.stdout.write('cut after\n');
        client.destroy();
        server.end();
        return;
      }
    }
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
          if (when === 'after') {
            // The server runs the COMMIT; its answer goes nowhere, and only then is the client's
            // side cut (above). Cutting it at once would let the client reconnect and ask while
            // the server had not yet read the COMMIT: that is the case `late` tests.
            answer = Buffer.alloc(0);
            server.write(message);
            return;
          }
          process.stdout.write(`cut ${when}\n`);
          client.destroy();
          if (when === 'late') {
            setTimeout(() => {
              // Said once the server process is gone: it has run the COMMIT if it was still
              // there to read it, or it was ended meanwhile and the COMMIT went nowhere.
              const delivered = () => process.stdout.write('late delivered\n');
              if (server.destroyed) return delivered();
              server.once('close', delivered);
              server.end(message);
            }, LATE_MS);
          } else {
            server.destroy();
          }
          return;
        }
      }
      server.write(message);
    }
  });
});

proxy.listen(join(listenDir, '.s.PGSQL.5432'), () => process.stdout.write('ready\n'));
