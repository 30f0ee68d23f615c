/**
 * A reader that stops early (`… | head`) closes the pipe under a tool's output. A C tool is ended by SIGPIPE
 * without a word; Node raises EPIPE as an error, which would print a stack trace. End the same way instead:
 * quietly, with the status a shell reports for SIGPIPE (128 + 13).
 */
export const CLOSED_PIPE_STATUS = 141;

export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(CLOSED_PIPE_STATUS);
    });
}
