import { resolve } from 'node:path';
import { flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import { inspectPack } from '#main/engine/diffusion/pack/inspectPack';
import { formatPackReport } from '#main/cli/packReport';

const usage = `usage: pose-studio pack inspect <dir> [--controlnet <dir>] [--unet <dir>] [--json]

  What Pose Studio recognises in a Stable Diffusion 1.5 ONNX pack, read from the model graphs
  (weights are not loaded): each model's role (text encoder, UNet plain or ControlNet-aware,
  ControlNet, VAE encoder/decoder), the layout (diffusers/optimum, Amuse/OnnxStack, Olive/ORT-
  optimised), opsets, fused ops, precision, which execution providers can run it, external
  weight files, Git LFS pointers, and every problem with its fix.
  --controlnet and --unet name a separately downloaded ControlNet and a replacement UNet (a
  folder holding model.onnx, one .onnx file, or a controlnet/ or unet/ subfolder), as the
  project's generator.params.controlNetPath / unetPath do.
  Exit codes: 0 the pack renders on CPU as it is, 1 it has problems (listed), 2 bad arguments.`;

async function inspect(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['controlnet', 'unet'], booleans: ['json'] });
  const [dir, extra] = args.positional;
  if (!dir) throw new CliError('pack inspect needs a pack folder');
  if (extra) throw new CliError(`unexpected argument "${extra}"`);
  const controlnet = flagString(args, 'controlnet');
  const unet = flagString(args, 'unet');
  const report = await inspectPack({
    packDir: resolve(io.cwd, dir),
    ...(controlnet ? { controlNetPath: resolve(io.cwd, controlnet) } : {}),
    ...(unet ? { unetPath: resolve(io.cwd, unet) } : {}),
  });
  if (args.flags.has('json')) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatPackReport(report)) io.out(line);
  return report.rendersOnCpu ? 0 : 1;
}

export const command: CliCommand = {
  name: 'pack',
  summary:
    'inspect a Stable Diffusion ONNX model pack (roles, layout, fused ops, providers, problems)',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'inspect':
        return inspect(rest, io);
      case undefined:
        throw new CliError('missing sub-command: inspect (see pose-studio pack --help)');
      default:
        throw new CliError(`unknown sub-command "${sub}": use inspect`);
    }
  },
};
