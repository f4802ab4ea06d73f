import { resolve } from 'node:path';
import { flagInt, flagString, parseArgs, parseSize, type ParsedArgs } from '#main/cli/args';
import { CliError } from '#main/cli/cliError';
import type { CliCommand, CliIO } from '#main/cli/command';
import {
  PoseFormatError,
  summarizeFrame,
  type ImportWarning,
  type PartCounts,
} from '#shared/pose/formats/index';
import { PARTS, type PartName } from '#shared/pose/skeleton';
import type { PoseFrame } from '#shared/pose/types';
import { bvhOptions, bvhSummaryLines, trackTolerance, writeTrackFile } from '#main/cli/posesBvh';
import {
  outputFormatFor,
  POSE_OUTPUT_FORMATS,
  PoseFileError,
  readPoses,
  writeConditioningPng,
  writeContactSheetPng,
  writePoses,
  type PoseOutputFormat,
  type ReadPosesResult,
} from '#main/services/poseFiles/poseFiles';

const usage = `usage: pose-studio poses <inspect|convert|render> …

  poses inspect <file|folder> [--size WxH] [--picture IMG] [--json]
      people, points present per part, canvas, frame count and warnings
  poses convert <in> <out> [--size WxH] [--picture IMG] [--frame N]
                [--format controlnet|openpose-folder|comfyui] [--track T.json [--tolerance PX]]
      writes ControlNet JSON (one frame), a ComfyUI POSE_KEYPOINT list or an OpenPose
      per-frame folder; without --format: a folder unless <out> ends in .json, then ControlNet
      for one frame and ComfyUI for several; --track also writes the frames reduced to
      keyframes (playback within --tolerance pixels, default 2) as a project track
  poses render <in> <out.png> [--size WxH] [--picture IMG] [--frame N] [--no-hands]
               [--no-face] [--feet] [--stick-scale auto|N] [--sheet N]
      draws the ControlNet OpenPose conditioning image of a frame (default frame 0);
      --sheet N draws every Nth frame instead, tiled into one contact sheet

  <in> is a ControlNet/OpenPose JSON, CMU per-frame folder, ComfyUI POSE_KEYPOINT list,
  COCO-WholeBody-133 (DWPose) arrays, a DWPose pose dict ({ bodies, hands, faces }),
  MediaPipe 33 pose landmarks, COCO keypoint annotations
  or a BVH motion-capture clip (CMU, Mixamo/Rokoko, AnimatedDrawings, other named rigs).
  BVH options (any sub-command):
      [--camera front|side|3q] [--projection ortho|perspective] [--fps N (default 24)]
      [--retarget character.pose.json] [--in-place]
      the camera view, the frame rate of the poses, the character whose proportions, canvas and
      neck position the motion takes, and whether the hips stay over their first spot
  --size gives the canvas of files that carry none; --picture takes it from a picture instead.
  Exit codes: 0 ok, 2 bad input (one-line reason).`;

const PART_LABELS: Record<PartName, string> = {
  body: 'body',
  feet: 'feet',
  face: 'face',
  leftHand: 'left hand',
  rightHand: 'right hand',
};

/** Turns the typed errors of the pose layer into the CLI's one-line bad-input error. */
async function userErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof PoseFormatError || e instanceof PoseFileError) throw new CliError(e.message);
    throw e;
  }
}

async function readOptions(args: ParsedArgs, io: CliIO, input: string) {
  const size = flagString(args, 'size');
  const picture = flagString(args, 'picture');
  return {
    ...(size ? { size: parseSize(size) } : {}),
    ...(picture ? { picture: resolve(io.cwd, picture) } : {}),
    ...(await bvhOptions(args, io, input)),
  };
}

function pickFrame(result: ReadPosesResult, args: ParsedArgs): { frame: PoseFrame; index: number } {
  const index = flagInt(args, 'frame') ?? 0;
  const frame = result.frames[index];
  if (index < 0 || !frame)
    throw new CliError(
      `--frame ${index} is out of range: the input has ${result.frames.length} frame${result.frames.length === 1 ? '' : 's'} (0–${result.frames.length - 1})`,
    );
  return { frame, index };
}

const warningLine = (w: ImportWarning): string =>
  `  ${w.file ? `${w.file}: ` : ''}${w.path}: ${w.message}`;

function countsText(c: PartCounts): string {
  return (Object.keys(PARTS) as PartName[])
    .map((p) => `${PART_LABELS[p]} ${c[p]}/${PARTS[p].count}`)
    .join(', ');
}

const MAX_FRAMES_LISTED = 10;
const MAX_WARNINGS_LISTED = 20;

/** Warnings, at most MAX_WARNINGS_LISTED of them: long videos can warn on every frame. */
function warningLines(warnings: readonly ImportWarning[]): string[] {
  const lines = warnings.slice(0, MAX_WARNINGS_LISTED).map(warningLine);
  if (warnings.length > MAX_WARNINGS_LISTED)
    lines.push(
      `  … ${warnings.length - MAX_WARNINGS_LISTED} more warnings (inspect --json lists all)`,
    );
  return lines;
}

async function inspect(args: ParsedArgs, io: CliIO): Promise<number> {
  const [input, ...extra] = args.positional;
  if (!input || extra.length > 0)
    throw new CliError('usage: pose-studio poses inspect <file|folder>');
  const result = await userErrors(async () =>
    readPoses(resolve(io.cwd, input), await readOptions(args, io, input)),
  );
  const frames = result.frames.map((f) => ({
    width: f.width,
    height: f.height,
    people: summarizeFrame(f),
  }));
  if (args.flags.has('json')) {
    io.out(
      JSON.stringify(
        {
          format: result.format,
          firstFrame: result.firstFrame,
          ...(result.bvh ? { bvh: result.bvh } : {}),
          frames,
          warnings: result.warnings,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const sizes = [...new Set(frames.map((f) => `${f.width}×${f.height}`))];
  const peopleCounts = frames.map((f) => f.people.length);
  io.out(`${input}: ${result.format}`);
  if (result.bvh) bvhSummaryLines(result.bvh).forEach((l) => io.out(l));
  io.out(
    `frames: ${frames.length}${result.firstFrame ? ` (numbered from ${result.firstFrame})` : ''}` +
      `   canvas: ${sizes.join(', ')}` +
      `   people: ${Math.min(...peopleCounts)}${Math.max(...peopleCounts) !== Math.min(...peopleCounts) ? `–${Math.max(...peopleCounts)}` : ''}`,
  );
  frames.slice(0, MAX_FRAMES_LISTED).forEach((f, i) => {
    const n = f.people.length;
    io.out(`frame ${result.firstFrame + i}: ${n} ${n === 1 ? 'person' : 'people'}`);
    for (const p of f.people) io.out(`  person ${p.id}: ${countsText(p.present)}`);
  });
  if (frames.length > MAX_FRAMES_LISTED)
    io.out(`… ${frames.length - MAX_FRAMES_LISTED} more frames (--json lists all)`);
  if (result.warnings.length === 0) io.out('warnings: none');
  else {
    io.out(`warnings (${result.warnings.length}):`);
    warningLines(result.warnings).forEach((l) => io.out(l));
  }
  return 0;
}

async function convert(args: ParsedArgs, io: CliIO): Promise<number> {
  const [input, output, ...extra] = args.positional;
  if (!input || !output || extra.length > 0)
    throw new CliError('usage: pose-studio poses convert <in> <out> [--size WxH] [--format …]');
  const formatFlag = flagString(args, 'format');
  if (formatFlag !== undefined && !POSE_OUTPUT_FORMATS.includes(formatFlag as PoseOutputFormat))
    throw new CliError(
      `--format must be one of ${POSE_OUTPUT_FORMATS.join(', ')}, got "${formatFlag}"`,
    );
  trackTolerance(args);
  const result = await userErrors(async () =>
    readPoses(resolve(io.cwd, input), await readOptions(args, io, input)),
  );
  let frames = result.frames;
  let firstFrame = result.firstFrame;
  if (args.flags.has('frame')) {
    const picked = pickFrame(result, args);
    frames = [picked.frame];
    firstFrame = result.firstFrame + picked.index;
  }
  const format =
    (formatFlag as PoseOutputFormat | undefined) ?? outputFormatFor(output, frames.length);
  const written = await userErrors(() =>
    writePoses(resolve(io.cwd, output), frames, format, { firstFrame }),
  );
  for (const l of warningLines(result.warnings)) io.err(`warning: ${l.trim()}`);
  io.out(
    `wrote ${frames.length} frame${frames.length === 1 ? '' : 's'} as ${format} to ${output}` +
      (written.length > 1 ? ` (${written.length} files)` : ''),
  );
  await writeTrackFile(args, io, input, { ...result, frames });
  return 0;
}

function stickScale(args: ParsedArgs): 'auto' | number | undefined {
  const v = flagString(args, 'stick-scale');
  if (v === undefined || v === 'auto') return v;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`--stick-scale must be auto or a positive number, got "${v}"`);
  return n;
}

async function render(args: ParsedArgs, io: CliIO): Promise<number> {
  const [input, output, ...extra] = args.positional;
  if (!input || !output || extra.length > 0)
    throw new CliError('usage: pose-studio poses render <in> <out.png> [--size WxH] [--frame N]');
  if (!/\.png$/i.test(output))
    throw new CliError(`the output must be a .png file, got "${output}"`);
  const scale = stickScale(args);
  const result = await userErrors(async () =>
    readPoses(resolve(io.cwd, input), await readOptions(args, io, input)),
  );
  const drawing = {
    hands: !args.flags.has('no-hands'),
    face: !args.flags.has('no-face'),
    feet: args.flags.has('feet'),
    ...(scale !== undefined ? { stickScale: scale } : {}),
  };
  const every = flagInt(args, 'sheet');
  if (every !== undefined) {
    if (every < 1) throw new CliError(`--sheet must be a whole number ≥ 1, got ${every}`);
    const drawn = await userErrors(() =>
      writeContactSheetPng(resolve(io.cwd, output), result.frames, every, drawing),
    );
    for (const l of warningLines(result.warnings)) io.err(`warning: ${l.trim()}`);
    io.out(
      `drew ${drawn.length} of ${result.frames.length} frames (every ${every}th, left to right) to ${output}`,
    );
    return 0;
  }
  const { frame, index } = pickFrame(result, args);
  await userErrors(() => writeConditioningPng(resolve(io.cwd, output), frame, drawing));
  for (const l of warningLines(result.warnings)) io.err(`warning: ${l.trim()}`);
  io.out(
    `drew frame ${result.firstFrame + index} (${frame.people.length} ${frame.people.length === 1 ? 'person' : 'people'}, ${frame.width}×${frame.height}) to ${output}`,
  );
  return 0;
}

export const command: CliCommand = {
  name: 'poses',
  summary:
    'inspect, convert and render pose files (OpenPose, ControlNet, ComfyUI, DWPose, MediaPipe, BVH)',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const args = parseArgs(rest, {
      values: [
        'size',
        'format',
        'frame',
        'picture',
        'stick-scale',
        'camera',
        'projection',
        'fps',
        'retarget',
        'sheet',
        'track',
        'tolerance',
      ],
      booleans: ['no-hands', 'no-face', 'feet', 'json', 'in-place'],
    });
    switch (sub) {
      case 'inspect':
        return inspect(args, io);
      case 'convert':
        return convert(args, io);
      case 'render':
        return render(args, io);
      case undefined:
        throw new CliError(
          'missing sub-command: inspect, convert or render (see pose-studio poses --help)',
        );
      default:
        throw new CliError(`unknown sub-command "${sub}": use inspect, convert or render`);
    }
  },
};
