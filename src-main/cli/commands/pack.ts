import { resolve } from 'node:path';
import { flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import { checkPackParity, type ParityResult } from '#main/engine/diffusion/export/packParity';
import { ParityRecordError } from '#main/engine/diffusion/export/parityRecord';
import { exportPack } from '#main/services/packExport/exportPack';
import { inspectPack } from '#main/engine/diffusion/pack/inspectPack';
import { formatPackReport } from '#main/cli/packReport';

const usage = `usage: pose-studio pack <inspect|export|parity> …

  pack inspect <dir> [--controlnet <dir>] [--unet <dir>] [--json]
      what Pose Studio recognises in a Stable Diffusion 1.5 ONNX pack, read from the model graphs
      (weights are not loaded): each model's role (text encoder, UNet plain or ControlNet-aware,
      ControlNet, VAE encoder/decoder), the layout (diffusers/optimum, Amuse/OnnxStack, Olive/ORT-
      optimised), opsets, fused ops, precision, which execution providers can run it, external
      weight files, Git LFS pointers, and every problem with its fix. --controlnet and --unet
      name a separately downloaded ControlNet and a replacement UNet (a folder holding
      model.onnx, one .onnx file, or a controlnet/ or unet/ subfolder), as the project's
      generator.params.controlNetPath / unetPath do. Exits 0 when the pack renders on CPU as it
      is, 1 when it has problems (listed).

  pack export --checkpoint <dir> --controlnet <dir> -o <out> [--opset 17] [--python <cmd>]
      turns a diffusers Stable Diffusion 1.5 checkpoint folder and an OpenPose ControlNet folder
      into the ONNX pack Pose Studio runs best: opset 17, a UNet with the 13 named ControlNet
      residual inputs, a ControlNet with conditioning_scale, a VAE encoder returning the latent
      mean (deterministic), model_index.json, tokenizer and scheduler; then checks every file
      against the PyTorch model with the app's runtime. Needs Python with torch, onnx and diffusers
      (tools/pack-export/README.md); nothing else in Pose Studio needs Python.
  pack parity <pack>
      repeats that check on a pack written by pack export (its parity/ folder)

  Exit codes (export, parity): 0 ok, 1 parity failed, 2 bad input, 3 Python packages missing.`;

function parityLine(r: ParityResult): string {
  const diff = Number.isFinite(r.maxAbsDiff) ? r.maxAbsDiff.toExponential(2) : 'n/a';
  const verdict = r.ok ? 'ok' : `FAILED${r.error ? ` (${r.error})` : ''}`;
  return `parity ${r.component.padEnd(12)} ${r.output.padEnd(34)} max|onnx-torch| ${diff.padStart(9)}  allowed ${r.allowed.toExponential(1)}  ${verdict}`;
}

async function runExport(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, {
    values: ['checkpoint', 'controlnet', 'output', 'opset', 'python'],
    aliases: { o: 'output' },
  });
  if (parsed.positional.length > 0)
    throw new CliError(`pack export takes no positional arguments (got ${parsed.positional[0]})`);
  const need = (name: string) => {
    const v = flagString(parsed, name);
    if (!v) throw new CliError(`pack export needs --${name}`);
    return resolve(io.cwd, v);
  };
  const opset = flagInt(parsed, 'opset');
  if (opset !== undefined && (opset < 14 || opset > 21))
    throw new CliError(`--opset must be 14…21 (17 recommended), got ${opset}`);
  const python = flagString(parsed, 'python');
  const outcome = await exportPack({
    checkpoint: need('checkpoint'),
    controlnet: need('controlnet'),
    output: need('output'),
    ...(opset !== undefined ? { opset } : {}),
    ...(python ? { python } : {}),
    onLine: (line, stream) => (stream === 'out' ? io.out(line) : io.err(line)),
    onParity: (r) => io.out(parityLine(r)),
  });
  if (outcome.kind === 'refused') throw new CliError(outcome.reason, outcome.exitCode);
  if (outcome.kind === 'failed') {
    io.err(`pack export: ${outcome.reason}${outcome.leftIn ? `; left in ${outcome.leftIn}` : ''}`);
    return outcome.exitCode;
  }
  io.out(`pack written to ${outcome.pack} (every file passed its parity check)`);
  return 0;
}

async function runParity(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.positional.length !== 1) throw new CliError('usage: pose-studio pack parity <pack>');
  try {
    const results = await checkPackParity(resolve(io.cwd, parsed.positional[0]!), (r) =>
      io.out(parityLine(r)),
    );
    const failed = results.filter((r) => !r.ok).length;
    io.out(failed === 0 ? 'parity ok' : `parity FAILED for ${failed} output(s)`);
    return failed === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof ParityRecordError) throw new CliError(e.message);
    throw e;
  }
}

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
    'model packs: inspect one (roles, layout, fused ops, providers, problems), export a diffusers checkpoint to ONNX, check an exported pack',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'inspect') return inspect(rest, io);
    if (sub === 'export') return runExport(rest, io);
    if (sub === 'parity') return runParity(rest, io);
    throw new CliError(sub ? `unknown pack command "${sub}"\n${usage}` : usage);
  },
};
