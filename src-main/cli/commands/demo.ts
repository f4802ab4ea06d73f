import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPuppetWorkers } from '#main/scheduler/workers/workers';
import { flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import { cacheLimitSetting, ffmpegPathSetting } from '#main/cli/cliSettings';
import { runRender } from './render';

const SAMPLE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'assets',
  'sample-project',
);
/** 5 s of the 12 s dance at 24 fps: long enough to show the motion, quick enough for a first run. */
const DEMO_FRAMES = 120;

const usage = `usage: pose-studio demo [-o out/demo.mp4] [--frames N] [--json] [--overwrite]

  Renders the sample character "Sprout" dancing (assets/sample-project) with the built-in puppet
  generator: nothing is downloaded. The sample is copied to a temporary folder, so the repository
  stays untouched. Default: the first ${DEMO_FRAMES} frames (5 s at 24 fps) to out/demo.mp4, which
  each demo replaces; an existing file at a path given with -o is replaced only with --overwrite.`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    values: ['output', 'frames'],
    booleans: ['json', 'overwrite'],
    aliases: { o: 'output' },
  });
  if (args.positional.length) throw new CliError(`unexpected argument "${args.positional[0]}"`);
  const chosen = flagString(args, 'output');
  const output = resolve(io.cwd, chosen ?? join('out', 'demo.mp4'));
  const frames = flagInt(args, 'frames') ?? DEMO_FRAMES;
  if (frames < 1 || frames > 288)
    throw new CliError(`--frames must be 1–288 (the dance is 288 frames), got ${frames}`);
  await mkdir(dirname(output), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'pose-studio-demo-'));
  try {
    const project = join(work, 'sample-project');
    await cp(SAMPLE, project, { recursive: true });
    if (!args.flags.has('json'))
      io.out(`rendering ${frames} frames of the sample dance to ${output} …`);
    const renderArgs = [project, '-o', output, '--from', '0', '--to', String(frames)];
    if (args.flags.has('json')) renderArgs.push('--json');
    // Each demo renders a fresh copy of the sample, so no job manifest vouches for the last demo's
    // video: the default out/demo.mp4 is the demo's own file and is replaced; a path the user
    // chose is replaced only with --overwrite.
    if (!chosen || args.flags.has('overwrite')) renderArgs.push('--overwrite');
    return await runRender(renderArgs, io, {
      startWorkers: startPuppetWorkers,
      env: process.env,
      ffmpegSetting: ffmpegPathSetting,
      cacheLimit: cacheLimitSetting,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const command: CliCommand = {
  name: 'demo',
  summary: 'render the sample character to out/demo.mp4 (nothing downloaded)',
  usage,
  run,
};
