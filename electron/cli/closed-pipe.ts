/**
 * `custodian --help | head -1`: once the reader has what it wants it closes the pipe, and the
 * next write fails with EPIPE. That is the reader's choice, not an error of ours: the stream is
 * destroyed, later lines are dropped (see `console_`), and the command runs on to its normal end
 * (a session still writes its lock entry and releases the writer lock) instead of dying on an
 * unhandled 'error' with a stack trace. Installed by the `custodian` entry point only.
 */
export function toleratePipeReaderClosing(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
