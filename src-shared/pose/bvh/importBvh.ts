import { PoseFormatError, WarningSink, type ImportWarning } from '#shared/pose/formats/errors';
import type { ImportOptions, ImportResult } from '#shared/pose/formats/types';
import { Joint } from '#shared/pose/skeleton';
import { emptyPoints, setPoint, type PoseFrame } from '#shared/pose/types';
import { body3d, BODY3D_COUNT, rigOf } from './body3d';
import { bodyHeight, cameraBasis, PERSPECTIVE_DISTANCE, project, type Projector } from './camera';
import type { BvhSummary } from './options';
import { forwardKinematics } from './fk';
import { detectFamily, mapJoints, REQUIRED_ROLES, type Role } from './mapping';
import { parseBvh, type BvhClip } from './parse';
import { retarget3d } from './retarget3d';

export const DEFAULT_BVH_FPS = 24;
/** Poses one import may make (each holds 136 points; 100,000 ≈ 70 minutes at 24 fps, ~330 MB). */
export const MAX_BVH_POSES = 100_000;
const DEFAULT_CANVAS = 512;
const MARGIN = 0.05;

export function looksLikeBvh(value: unknown): boolean {
  return typeof value === 'string' && /^\uFEFF?\s*HIERARCHY\b/i.test(value);
}

/** The error for a .bvh file whose text is not BVH (the CLI's and the studio's). */
export function notBvhError(file?: string): PoseFormatError {
  return new PoseFormatError('not BVH: a BVH file starts with HIERARCHY', 'line 1', file);
}

/** Number of frames at `fps` covering the clip (frameCount × frameTime seconds). */
export function resampledFrameCount(clip: BvhClip, fps: number): number {
  return Math.max(1, Math.round(clip.frameCount * clip.frameTime * fps));
}

/** The 3-D body of every output frame: positions interpolated linearly between source frames. */
function sample3d(clip: BvhClip, rig: ReturnType<typeof rigOf>, fps: number): Float64Array[] {
  const cache = new Map<number, Float64Array>();
  const at = (f: number) => {
    let b = cache.get(f);
    if (!b) {
      if (cache.size > 4) cache.clear();
      b = body3d(rig, forwardKinematics(clip, f));
      cache.set(f, b);
    }
    return b;
  };
  const last = clip.frameCount - 1;
  return Array.from({ length: resampledFrameCount(clip, fps) }, (_, k) => {
    const u = k / fps / clip.frameTime;
    const i0 = Math.min(Math.floor(u), last);
    const a = Math.min(u - i0, 1);
    const p0 = at(i0);
    const p1 = at(Math.min(i0 + 1, last));
    return p0.map((x, i) => x + (p1[i]! - x) * a);
  });
}

/** Takes out the hips' travel across the floor (what "in place" means for a walk cycle). */
function lockInPlace(frames: Float64Array[], up: number[]): void {
  const hip = (p: Float64Array) =>
    [0, 1, 2].map((k) => (p[3 * Joint.lHip + k]! + p[3 * Joint.rHip + k]!) / 2);
  const h0 = hip(frames[0]!);
  for (const p of frames) {
    const d = hip(p).map((x, k) => x - h0[k]!);
    if (!d.every(Number.isFinite)) continue;
    const v = d[0]! * up[0]! + d[1]! * up[1]! + d[2]! * up[2]!;
    const flat = d.map((x, k) => x - v * up[k]!);
    for (let i = 0; i < BODY3D_COUNT; i++) for (let k = 0; k < 3; k++) p[3 * i + k]! -= flat[k]!;
  }
}

function toFrames(
  flat: number[][][],
  width: number,
  height: number,
  map: (xy: number[]) => number[],
): PoseFrame[] {
  return flat.map((pts) => {
    const points = emptyPoints();
    pts.forEach((xy, i) => {
      if (xy.length) {
        const [x, y] = map(xy);
        setPoint(points, i, x!, y!, 1);
      }
    });
    return { width, height, people: [{ id: 0, points }] };
  });
}

/** A clip's body in 3-D at the output fps: in place and retargeted when asked, before projection. */
export interface BvhMotion3d {
  clip: BvhClip;
  map: ReturnType<typeof mapJoints>;
  /** 24 points × 3 per output frame (NaN = missing); character pixels when retargeted. */
  frames: Float64Array[];
  basis: ReturnType<typeof cameraBasis>;
  fps: number;
  warnings: ImportWarning[];
}

export function bvhMotion3d(text: string, options: ImportOptions = {}): BvhMotion3d {
  const file = options.fileName;
  const o = options.bvh ?? {};
  const fps = o.fps ?? DEFAULT_BVH_FPS;
  if (!(fps > 0 && fps <= 1000))
    throw new PoseFormatError(
      `must be a number of frames per second above 0 and at most 1000, got ${fps}`,
      'fps',
      file,
    );
  const clip = parseBvh(text, file);
  const poses = resampledFrameCount(clip, fps);
  if (poses > MAX_BVH_POSES)
    throw new PoseFormatError(
      `${poses} poses at ${fps} fps is more than ${MAX_BVH_POSES}: import at a lower fps or cut the clip`,
      'fps',
      file,
    );
  const warnings = new WarningSink(file);
  const map = mapJoints(clip.joints);
  const missing = REQUIRED_ROLES.filter((r) => map[r] === undefined);
  if (missing.length)
    throw new PoseFormatError(
      `no joint found for ${missing.join(', ')}: joints are ${clip.joints.map((j) => j.name).join(', ')} — name them as CMU or Mixamo do (Hips, Neck, LeftArm, LeftUpLeg …)`,
      'HIERARCHY',
      file,
    );
  const rig = rigOf(clip, map);
  const absent = (
    ['head', 'lElbow', 'lWrist', 'rElbow', 'rWrist', 'lKnee', 'lAnkle', 'rKnee', 'rAnkle'] as const
  ).filter((r) => map[r] === undefined);
  if (absent.length)
    warnings.add(
      'dropped-point',
      'HIERARCHY',
      `no joint found for ${absent.join(', ')}: those points stay missing`,
    );
  warnings.add(
    'dropped-data',
    'HIERARCHY',
    'hands and face are not read from BVH (body and feet only)',
  );

  let frames = sample3d(clip, rig, fps);
  const basis = cameraBasis(frames, o.camera ?? 'front');
  const character = o.character?.people[0]?.points;
  if (o.character && !character)
    throw new PoseFormatError('holds no person to retarget onto', 'character pose', file);
  if (character) {
    try {
      frames = retarget3d(frames, character);
    } catch (e) {
      throw new PoseFormatError((e as Error).message, 'character pose', file);
    }
  }
  // after retargeting, which moves the hips relative to the neck by the character's proportions
  if (o.inPlace) lockInPlace(frames, basis.up);
  return { clip, map, frames, basis, fps, warnings: warnings.list };
}

/**
 * BVH text → one person's pose per frame at `fps`, seen through the chosen camera; retargeted onto
 * `character` when given, else fitted into the canvas (`size`, default 512×512).
 */
export function importBvh(
  text: string,
  options: ImportOptions = {},
): ImportResult & { bvh: BvhSummary } {
  const o = options.bvh ?? {};
  const { clip, map, frames, basis, fps, warnings } = bvhMotion3d(text, options);
  const character = o.character?.people[0]?.points;
  const centre = [0, 1, 2].map((k) => frames[0]![3 * Joint.neck + k]!);
  const pr: Projector = {
    basis,
    projection: o.projection ?? 'ortho',
    centre,
    distance: PERSPECTIVE_DISTANCE * bodyHeight(frames[0]!, basis.up),
  };
  const xy = [0, 0];
  const flat = frames.map((p) =>
    Array.from({ length: BODY3D_COUNT }, (_, i) => {
      if (Number.isNaN(p[3 * i]!)) return [];
      project(pr, p.subarray(3 * i, 3 * i + 3), xy);
      return [xy[0]!, xy[1]!];
    }),
  );

  let result: PoseFrame[];
  if (o.character && character) {
    // retarget3d put frame 0's neck at the origin: it goes onto the character's neck
    const nx = character[3 * Joint.neck]!;
    const ny = character[3 * Joint.neck + 1]!;
    result = toFrames(flat, o.character.width, o.character.height, ([x, y]) => [nx + x!, ny + y!]);
  } else {
    const width = options.size?.width ?? options.pictureSize?.width ?? DEFAULT_CANVAS;
    const height = options.size?.height ?? options.pictureSize?.height ?? DEFAULT_CANVAS;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of flat)
      for (const q of f)
        if (q.length)
          [x0, y0, x1, y1] = [
            Math.min(x0, q[0]!),
            Math.min(y0, q[1]!),
            Math.max(x1, q[0]!),
            Math.max(y1, q[1]!),
          ];
    const k = Math.min(
      (width * (1 - 2 * MARGIN)) / (x1 - x0 || 1),
      (height * (1 - 2 * MARGIN)) / (y1 - y0 || 1),
    );
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    result = toFrames(flat, width, height, ([x, y]) => [
      width / 2 + (x! - cx) * k,
      height / 2 + (y! - cy) * k,
    ]);
  }
  const mapping: Partial<Record<Role, string>> = {};
  for (const [role, i] of Object.entries(map)) mapping[role as Role] = clip.joints[i]!.name;
  return {
    frames: result,
    warnings,
    format: 'bvh',
    firstFrame: 0,
    bvh: {
      joints: clip.joints.map((j) => j.name),
      sourceFrames: clip.frameCount,
      frameTime: clip.frameTime,
      family: detectFamily(clip.joints),
      mapping,
      fps,
    },
  };
}
