/**
 * `pose-studio puppet <picture> --ref <pose.json> --pose <pose.json> -o <out.png>`: renders one
 * frame of the built-in puppet generator through the real engine process. For checks and scripts.
 */
import { warningLine } from '#shared/puppet/characterWarnings';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { EngineClient, EngineRequestError } from '#main/engine/client/engineClient';
import { importPoses } from '#shared/pose/formats/index';
import { partialPath } from '#main/media/outputTarget';
import { flagInt, flagString, parseArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';

const usage = `usage: pose-studio puppet <picture> --ref <pose.json> --pose <pose.json> -o <out.png>
                           [--mask <mask.png>] [--threads N] [--providers cuda,cpu] [--overwrite]

  Animates <picture> (PNG, JPEG, WebP; an alpha channel is the character's mask) from the pose it
  shows (--ref) to a target pose (--pose) and writes one frame at the picture's size.
  Pose files: ControlNet/OpenPose JSON (or any format pose-studio poses reads); the first person is
  used. Poses drawn on another canvas size are scaled to the picture.
  --mask      a picture, white = character (else: alpha, or the uniform background is flood-filled)
  --threads   ONNX Runtime threads (default 1)
  --providers execution providers to try in order (default by platform, CPU last)
  --overwrite replace -o if it exists (without it an existing file is left alone and refused)`;

async function readPose(path: string, picture: { width: number; height: number }, flag: string) {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`--${flag} ${path}: ${(e as Error).message}`);
  }
  let frame;
  try {
    frame = importPoses(json, { fileName: path, pictureSize: picture }).frames[0];
  } catch (e) {
    throw new CliError(`--${flag} ${path}: ${(e as Error).message}`);
  }
  const person = frame?.people[0];
  if (!frame || !person) throw new CliError(`--${flag} ${path} has no person`);
  const points = new Float64Array(person.points);
  if (frame.width !== picture.width || frame.height !== picture.height) {
    const sx = picture.width / frame.width;
    const sy = picture.height / frame.height;
    for (let i = 0; i < points.length; i += 3) {
      points[i] = points[i]! * sx;
      points[i + 1] = points[i + 1]! * sy;
    }
  }
  return points;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    values: ['ref', 'pose', 'output', 'mask', 'threads', 'providers'],
    booleans: ['overwrite'],
    aliases: { o: 'output' },
  });
  if (args.positional.length !== 1)
    throw new CliError('expected one picture (see pose-studio puppet --help)');
  const picture = resolve(io.cwd, args.positional[0]!);
  const ref = flagString(args, 'ref');
  const pose = flagString(args, 'pose');
  const out = flagString(args, 'output');
  if (!ref) throw new CliError('--ref <pose.json> is required (the pose the picture shows)');
  if (!pose) throw new CliError('--pose <pose.json> is required (the pose to render)');
  if (!out) throw new CliError('-o <out.png> is required');
  const output = resolve(io.cwd, out);
  if (!/\.(png|jpe?g|webp)$/i.test(output))
    throw new CliError(`-o must end in .png, .jpg or .webp, got "${out}"`);
  // Checked before the engine starts; the final rename replaces only with --overwrite's consent.
  if (!args.flags.has('overwrite') && (await stat(output).catch(() => null)))
    throw new CliError(
      `${out} already exists; choose another name, or add --overwrite to replace it`,
    );
  const threads = flagInt(args, 'threads');
  if (threads !== undefined && (threads < 1 || threads > 64))
    throw new CliError('--threads must be 1–64');
  const mask = flagString(args, 'mask');

  let size: { width: number; height: number };
  try {
    const meta = await sharp(picture).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    size = {
      width: (swap ? meta.height : meta.width) ?? 0,
      height: (swap ? meta.width : meta.height) ?? 0,
    };
  } catch (e) {
    throw new CliError(`cannot read picture ${picture}: ${(e as Error).message}`);
  }
  const refPose = await readPose(resolve(io.cwd, ref), size, 'ref');
  const targetPose = await readPose(resolve(io.cwd, pose), size, 'pose');

  const started = performance.now();
  const engine = await EngineClient.start({
    ...(threads ? { threads } : {}),
    ...(flagString(args, 'providers')
      ? { providers: flagString(args, 'providers')!.split(',') }
      : {}),
  });
  try {
    const character = await engine.setupCharacter({
      picturePath: picture,
      referencePose: refPose,
      ...(mask ? { maskPath: resolve(io.cwd, mask) } : {}),
    });
    for (const w of character.warnings) io.err(`pose-studio: warning: ${warningLine(w)}`);
    const [frame] = await engine.renderPuppetFrames({
      characterId: character.characterId,
      poses: [targetPose],
    });
    if (!frame) throw new Error('engine returned no frame');
    await mkdir(dirname(output), { recursive: true });
    // Written under a short temporary name and renamed: no half-written file at the output path
    // (and a 255-byte output name still leaves room for the temporary one).
    const tmp = partialPath(output);
    try {
      const img = sharp(frame.data, {
        raw: { width: frame.width, height: frame.height, channels: 3 },
      });
      const ext = output.toLowerCase();
      await (
        ext.endsWith('.png')
          ? img.png()
          : ext.endsWith('.webp')
            ? img.webp()
            : img.jpeg({ quality: 92 })
      ).toFile(tmp);
      await rename(tmp, output);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new CliError(`cannot write ${output}: ${(e as Error).message}`);
    }
    io.out(
      `wrote ${output} (${frame.width}×${frame.height}) in ${Math.round(performance.now() - started)} ms ` +
        `(setup ${Math.round(character.setupMs)} ms; mask from ${character.maskSource}` +
        (character.segmentation
          ? `, model load ${Math.round(character.segmentation.loadMs)} ms, run ${Math.round(character.segmentation.runMs)} ms`
          : '') +
        ')',
    );
    return 0;
  } catch (e) {
    if (e instanceof EngineRequestError && e.kind === 'bad-input') throw new CliError(e.message);
    throw e;
  } finally {
    await engine.close();
  }
}

export const command: CliCommand = {
  name: 'puppet',
  summary: 'render one puppet frame: a picture from its pose to another pose',
  usage,
  run,
};
