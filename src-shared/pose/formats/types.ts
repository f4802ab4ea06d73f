import type { PoseFrame } from '#shared/pose/types';
import type { BvhImportOptions, BvhSummary } from '#shared/pose/bvh/options';
import type { ImportWarning, PoseFormat } from './errors';

export interface CanvasSize {
  width: number;
  height: number;
}

/** How an importer may resolve what the file leaves open. */
export interface ImportOptions {
  /** Name used in errors and warnings (the file the JSON came from). */
  fileName?: string;
  /** Canvas for files that carry none (`--size`). A canvas written in the file wins. */
  size?: CanvasSize;
  /** Size of the picture the pose was taken from: the canvas when neither file nor `size` has one. */
  pictureSize?: CanvasSize;
  /** Normalized coordinates: [0,1] or [-1,1] (CMU `--keypoint_scale 3/4`); default: detect. */
  normalizedRange?: 'auto' | '0..1' | '-1..1';
  /** DWPose / MediaPipe: points scoring below this are missing (default 0.3, as DWPose). */
  minScore?: number;
  /** BVH motion capture: camera, projection, fps, character to retarget onto, in place. */
  bvh?: BvhImportOptions;
}

/** What every importer returns. */
export interface ImportResult {
  frames: PoseFrame[];
  warnings: ImportWarning[];
  format: PoseFormat;
  /** Frame number of `frames[0]` in the source sequence (per-frame folders), else 0. */
  firstFrame: number;
  /** BVH clips: the skeleton, timing, family and joint mapping that were read. */
  bvh?: BvhSummary;
}
