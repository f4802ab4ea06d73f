import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runFarmNode } from '#main/farm/farmNode';
import { flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio farm worker --redis <url> [--concurrency N] [--gpu auto|cpu] [--cache DIR]
                                [--lock-ms N]

  Joins a render farm: takes segments that "pose-studio render <project> --farm <url>" puts on the
  Redis queue, renders them with this machine's puppet engine and sends them back to the machine
  that asked. Run one per machine (or more); stop with Ctrl-C (segments in hand finish first).
  --redis        redis://:password@host:port of the farm's Redis (the same URL as --farm)
  --concurrency  segments rendered at once, one engine process each (default 1, at most 16)
  --gpu          auto: the best execution provider this machine has (CUDA, DirectML, Core ML,
                 else CPU); cpu: the CPU only (default auto)
  --cache        where fetched pictures are kept by content hash (default: <tmp>/pose-studio-farm)
  --lock-ms      how long a vanished worker's segment waits before another worker takes it
                 (default 30000; at least 1000)
  Prints one JSON line per event (ready, segment-start, segment-done, segment-failed).`;

export async function runFarm(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'worker')
    throw new CliError(`farm needs a sub-command: worker (see pose-studio farm --help)`);
  const args = parseArgs(rest, { values: ['redis', 'concurrency', 'cache', 'lock-ms', 'gpu'] });
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"`);
  const redisUrl = flagString(args, 'redis');
  if (!redisUrl)
    throw new CliError('farm worker needs --redis <url> (redis://:password@host:port)');
  const concurrency = flagInt(args, 'concurrency') ?? 1;
  if (concurrency < 1 || concurrency > 16)
    throw new CliError(`--concurrency must be 1–16, got ${concurrency}`);
  const lockMs = flagInt(args, 'lock-ms') ?? 30_000;
  if (lockMs < 1000 || lockMs > 3_600_000)
    throw new CliError(`--lock-ms must be 1000–3600000, got ${lockMs}`);
  const gpu = flagString(args, 'gpu') ?? 'auto';
  if (gpu !== 'auto' && gpu !== 'cpu')
    throw new CliError(`--gpu must be auto or cpu, got "${gpu.slice(0, 40)}"`);
  const cacheArg = flagString(args, 'cache');
  const cacheDir = cacheArg ? resolve(io.cwd, cacheArg) : join(tmpdir(), 'pose-studio-farm');
  try {
    await runFarmNode(
      {
        redisUrl,
        concurrency,
        cacheDir,
        lockMs,
        gpu,
        stalledCheckMs: Math.max(500, Math.floor(lockMs / 2)),
        log: (e) => io.out(JSON.stringify(e)),
      },
      signal,
    );
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  return 0;
}

export const command: CliCommand = {
  name: 'farm',
  summary: 'join a render farm as a worker (renders segments queued on Redis)',
  usage,
  run: (argv, io) => {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return runFarm(argv, io, stop.signal).finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  },
};
