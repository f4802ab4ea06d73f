/**
 * The BVH side of `pose-studio poses`: its flags, what `inspect` prints about a clip, and the
 * keyframe track `convert --track` writes.
 */
import { basename, resolve } from 'node:path';
import { flagString, type ParsedArgs } from './args';
import { CliError } from './cliError';
import type { CliIO } from './command';
import {
  BVH_CAMERAS,
  BVH_PROJECTIONS,
  type BvhCamera,
  type BvhProjection,
} from '#shared/pose/bvh/camera';
import type { BvhImportOptions, BvhSummary } from '#shared/pose/bvh/options';
import { readPoses, type ReadPosesResult } from '#main/services/poseFiles/poseFiles';
import { framesToTrack } from '#main/engine/extract/toTrack';
import { atomicWrite } from '#main/fs/atomicWrite';
import { fromPoseTrack, TrackSchema } from '#shared/project/index';
import { DEFAULT_BVH_FPS } from '#shared/pose/bvh/importBvh';

const BVH_FLAGS = ['camera', 'projection', 'fps', 'retarget', 'in-place'] as const;

function oneOf<T extends string>(
  args: ParsedArgs,
  flag: string,
  allowed: readonly T[],
): T | undefined {
  const v = flagString(args, flag);
  if (v !== undefined && !allowed.includes(v as T))
    throw new CliError(`--${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T | undefined;
}

/** The character pose of --retarget: the first person of its first frame. */
async function characterFrame(io: CliIO, file: string) {
  const r = await readPoses(resolve(io.cwd, file));
  const frame = r.frames[0];
  if (!frame?.people[0]) throw new CliError(`--retarget ${file}: the file holds no person`);
  return { ...frame, people: [frame.people[0]] };
}

/** BVH import options from the flags; the flags are refused for inputs that are not BVH. */
export async function bvhOptions(
  args: ParsedArgs,
  io: CliIO,
  input: string,
): Promise<{ bvh?: BvhImportOptions }> {
  const used = BVH_FLAGS.filter((f) => args.flags.has(f));
  if (used.length === 0) return {};
  if (!/\.bvh$/i.test(input))
    throw new CliError(`--${used[0]} applies to BVH motion-capture files (.bvh) only`);
  const camera = oneOf<BvhCamera>(args, 'camera', BVH_CAMERAS);
  const projection = oneOf<BvhProjection>(args, 'projection', BVH_PROJECTIONS);
  const fpsText = flagString(args, 'fps');
  const fps = fpsText === undefined ? undefined : Number(fpsText);
  if (fps !== undefined && !(fps > 0 && fps <= 1000))
    throw new CliError(
      `--fps must be a number of frames per second above 0 and at most 1000, got "${fpsText}"`,
    );
  const retarget = flagString(args, 'retarget');
  return {
    bvh: {
      ...(camera ? { camera } : {}),
      ...(projection ? { projection } : {}),
      ...(fps !== undefined ? { fps } : {}),
      ...(retarget ? { character: await characterFrame(io, retarget) } : {}),
      ...(args.flags.has('in-place') ? { inPlace: true } : {}),
    },
  };
}

/** The lines `poses inspect` prints about a BVH clip. */
export function bvhSummaryLines(s: BvhSummary): string[] {
  const seconds = s.sourceFrames * s.frameTime;
  const mapped = Object.entries(s.mapping).map(([role, joint]) => `${role}=${joint}`);
  return [
    `skeleton: ${s.family} family, ${s.joints.length} joints (${s.joints.join(', ')})`,
    `clip: ${s.sourceFrames} frames at ${s.frameTime} s (${(1 / s.frameTime).toFixed(2)} fps), ${seconds.toFixed(3)} s; poses at ${s.fps} fps`,
    `mapping: ${mapped.join(', ')}`,
  ];
}

/** --tolerance of `convert --track` (checked before anything is written). */
export function trackTolerance(args: ParsedArgs): number {
  const text = flagString(args, 'tolerance') ?? '2';
  const tolerance = Number(text);
  if (!(tolerance >= 0 && tolerance <= 1000))
    throw new CliError(`--tolerance must be a number of pixels from 0 to 1000, got "${text}"`);
  return tolerance;
}

/**
 * `poses convert … --track FILE.json [--tolerance PX]`: the frames reduced to keyframes (the
 * extraction's framesToTrack, i.e. reduceFrames) and written as a project track. Its fps is the
 * BVH import's, else the project default.
 */
export async function writeTrackFile(
  args: ParsedArgs,
  io: CliIO,
  input: string,
  result: ReadPosesResult,
): Promise<void> {
  const out = flagString(args, 'track');
  if (out === undefined) return;
  const tolerance = trackTolerance(args);
  const { track, maxError } = framesToTrack(result.frames, { tolerance });
  const fps = result.bvh?.fps ?? DEFAULT_BVH_FPS;
  const json = TrackSchema.parse(
    fromPoseTrack(track, { id: 'imported', name: basename(input), fps }),
  );
  try {
    await atomicWrite(resolve(io.cwd, out), `${JSON.stringify(json)}\n`);
  } catch (e) {
    throw new CliError(`--track ${out}: cannot write (${(e as Error).message})`);
  }
  const keys = track.people.reduce((n, p) => n + p.keyframes.length, 0);
  io.out(
    `wrote track ${out}: ${keys} keyframes for ${result.frames.length} frames at ${fps} fps, max error ${maxError.toFixed(2)} px`,
  );
}
