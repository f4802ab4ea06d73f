import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError } from './cliError';
import type { CliCommand, CliIO } from './command';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Commands are discovered from `commands/<name>.ts`, so adding one touches no shared file. */
function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => /^[a-z][a-z-]*\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const mod = (await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href)) as {
    command?: CliCommand;
  };
  return mod.command;
}

async function help(io: CliIO): Promise<void> {
  io.out('pose-studio — animate a character from a picture and a pose sequence');
  io.out('');
  io.out('usage: pose-studio <command> [options]   (pose-studio <command> --help for details)');
  io.out('');
  for (const name of commandNames()) {
    const cmd = await loadCommand(name);
    if (cmd) io.out(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      await help(io);
      return 0;
    }
    const cmd = await loadCommand(name);
    if (!cmd) throw new CliError(`unknown command "${name}" (see pose-studio --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(cmd.usage);
      return 0;
    }
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`pose-studio: ${e.message}`);
      return e.exitCode;
    }
    // A bug, not bad input: say so plainly, keep the stack for the report.
    io.err(
      `pose-studio: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    return 1;
  }
}

const isEntry =
  process.argv[1] !== undefined && /pose-studio(\.js)?$|main\.ts$/.test(process.argv[1]);
if (isEntry) {
  const io: CliIO = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
