import { importPoses, type ImportWarning, type PoseFormat } from '#shared/pose/formats/index';
import { toComfyUiPoseKeypoint, toControlNetPose } from '#shared/pose/formats/index';
import { reduceFrames } from '#shared/pose/reduce';
import type { PoseFrame, PoseTrack } from '#shared/pose/types';
import type { BvhImportOptions, BvhSummary } from '#shared/pose/bvh/options';
import { looksLikeBvh, notBvhError } from '#shared/pose/bvh/importBvh';
import { PoseFormatError } from '#shared/pose/formats/errors';
import type { Command } from './commands';

/** A pose file read and reduced to keyframes, ready to replace the editor's track. */
export interface ImportedTrack {
  track: PoseTrack;
  format: PoseFormat;
  /** Frames in the file (1 for a single pose). */
  frames: number;
  keyframes: number;
  /** Largest distance in pixels between a point of the file and the played-back keyframes. */
  maxError: number;
  tolerance: number;
  warnings: ImportWarning[];
  /** BVH clips: skeleton family, source frames and timing, the fps the poses were made at. */
  bvh?: BvhSummary;
}

/**
 * Reads any pose file the formats module knows (ControlNet/OpenPose, ComfyUI, COCO-WholeBody,
 * MediaPipe, COCO keypoints, BVH motion capture) and turns its frames into keyframes: dense per-frame data is
 * reduced with whole-pose RDP in time so FK playback stays within `tolerance` pixels of every
 * input point. Throws the importer's PoseFormatError (file, JSON path, reason) on bad input.
 */
export function importPoseFile(
  value: unknown,
  options: {
    fileName?: string;
    tolerance: number;
    size?: { width: number; height: number };
    /** BVH clips (the value is then the file's text): camera, projection, fps, character. */
    bvh?: BvhImportOptions;
  },
): ImportedTrack {
  // Text reaches here only from a .bvh file (JSON files arrive parsed): say what BVH must hold
  // rather than list every JSON dialect.
  if (typeof value === 'string' && !looksLikeBvh(value)) throw notBvhError(options.fileName);
  const r = importPoses(value, {
    ...(options.fileName ? { fileName: options.fileName } : {}),
    ...(options.size ? { size: options.size } : {}),
    ...(options.bvh ? { bvh: options.bvh } : {}),
  });
  if (!r.frames.length) throw new Error(`${options.fileName ?? 'the file'} holds no pose frame`);
  const reduced = reduceFrames(r.frames, {
    tolerance: options.tolerance,
    firstFrame: 0,
  });
  return {
    track: reduced.track,
    format: r.format,
    frames: r.frames.length,
    keyframes: reduced.track.people.reduce((n, p) => n + p.keyframes.length, 0),
    maxError: reduced.maxError,
    tolerance: options.tolerance,
    warnings: r.warnings,
    ...(r.bvh ? { bvh: r.bvh } : {}),
  };
}

/** A BVH clip imported for a character: retargeted onto it, or why it could not be. */
export interface ImportedClip extends ImportedTrack {
  retargeted: boolean;
  /** Why the character's pose could not be used (the motion was fitted into the canvas). */
  retargetProblem?: string;
}

/**
 * The studio's BVH import: retargeted onto `character` when there is one; when its pose cannot
 * drive a retarget (no neck or hips placed yet) the clip is fitted into the canvas instead and
 * the reason is kept, so the user still gets the motion and knows what to fix.
 */
export function importBvhClip(
  text: string,
  options: {
    fileName?: string;
    tolerance: number;
    size?: { width: number; height: number };
    bvh: Omit<BvhImportOptions, 'character'>;
    character: PoseFrame | null;
  },
): ImportedClip {
  const { character, bvh, ...rest } = options;
  if (character) {
    try {
      return { ...importPoseFile(text, { ...rest, bvh: { ...bvh, character } }), retargeted: true };
    } catch (e) {
      if (!(e instanceof PoseFormatError && e.path === 'character pose')) throw e;
      return {
        ...importPoseFile(text, { ...rest, bvh }),
        retargeted: false,
        retargetProblem: e.reason,
      };
    }
  }
  return { ...importPoseFile(text, { ...rest, bvh }), retargeted: false };
}

/** The undoable command that replaces `current` with `next` (people, keyframes and canvas). */
export function replaceTrackCommand(current: PoseTrack, next: PoseTrack): Command {
  return {
    type: 'batch',
    commands: [
      ...current.people
        .map((person, index) => ({ type: 'removePerson' as const, person, index }))
        .reverse(),
      {
        type: 'setCanvas',
        before: { width: current.width, height: current.height },
        after: { width: next.width, height: next.height },
      },
      ...next.people.map((person, index) => ({ type: 'addPerson' as const, person, index })),
    ],
  };
}

/** ControlNet/OpenPose JSON of one frame (present points as [x, y, 1], missing as [0, 0, 0]). */
export function exportControlNetFrame(frame: PoseFrame): string {
  return JSON.stringify(toControlNetPose(frame));
}

/** ComfyUI POSE_KEYPOINT list: every frame of the track, evaluated. */
export function exportComfyUi(frames: readonly PoseFrame[]): string {
  return JSON.stringify(toComfyUiPoseKeypoint(frames));
}
