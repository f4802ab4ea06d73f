/** Where a command writes: injected so tests can capture output without spawning a process. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal (progress bars); false in pipes and tests (plain lines). */
  readonly isTTY: boolean;
  readonly cwd: string;
}

/**
 * A top-level CLI command (`pose-studio <name> …`). Each lives in `commands/<name>.ts` and
 * exports it as `command`; sub-commands (`poses inspect`) are the command's own business.
 */
export interface CliCommand {
  readonly name: string;
  /** One line for `pose-studio --help`. */
  readonly summary: string;
  /** Full usage text for `pose-studio <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code (0 ok). Throws CliError for bad input. */
  run(args: string[], io: CliIO): Promise<number>;
}
