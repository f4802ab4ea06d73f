import { runCli } from '#main/cli/main';
import type { CliIO } from '#main/cli/command';

/** Runs the CLI in-process and captures what it prints, for tests. */
export async function runCliCaptured(
  argv: string[],
  cwd = process.cwd(),
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false, cwd };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
