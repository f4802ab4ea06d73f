/**
 * An error the user caused (bad arguments, unreadable or invalid input). The CLI prints its
 * message as one line and exits with `exitCode` (2 = bad input) — never a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
